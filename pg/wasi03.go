//go:build wasip1 && !spin_wasi02

package pg

import (
	"io"
	"strings"
	"time"

	bind "github.com/spin-go/sdk/imports/spin_postgres_4_2_0_postgres"
	wit "go.bytecodealliance.org/pkg/wit/types"
)

// This file implements the driver on spin:postgres/postgres@4.2.0: the
// async functions, with rows streamed by query-async.

type conn03 struct{ c *bind.Connection }

func openConn(address string) (handle, error) {
	res := bind.ConnectionOpenAsync(address)
	if res.IsErr() {
		return nil, hostErr(res.Err())
	}
	return &conn03{c: res.Ok()}, nil
}

// hostErr converts the WIT error variant.
func hostErr(e bind.Error) error {
	switch e.Tag() {
	case bind.ErrorConnectionFailed:
		return &hostError{ErrConnectionFailed, e.ConnectionFailed()}
	case bind.ErrorBadParameter:
		return &hostError{ErrBadParameter, e.BadParameter()}
	case bind.ErrorQueryFailed:
		q := e.QueryFailed()
		if q.Tag() == bind.QueryErrorText {
			return &hostError{ErrQueryFailed, q.Text()}
		}
		d := q.DbError()
		pe := &Error{Severity: d.Severity, Code: d.Code, Message: d.Message, Text: d.AsText, Extras: map[string]string{}}
		if d.Detail.IsSome() {
			pe.Detail = d.Detail.Some()
		}
		for _, kv := range d.Extras {
			pe.Extras[kv.F0] = kv.F1
		}
		return pe
	case bind.ErrorValueConversionFailed:
		return &hostError{ErrValueConversion, e.ValueConversionFailed()}
	}
	return &hostError{ErrOther, e.Other()}
}

// hostParam accepts every parameter paramValue returns: the interface has
// a case for each.
func hostParam(int, any, any) error { return nil }

func (c *conn03) exec(query string, args []any) (int64, error) {
	res := c.c.ExecuteAsync(query, params03(args))
	if res.IsErr() {
		return 0, hostErr(res.Err())
	}
	return int64(res.Ok()), nil
}

func (c *conn03) query(query string, args []any) (*hostRows, error) {
	res := c.c.QueryAsync(query, params03(args))
	if res.IsErr() {
		return nil, hostErr(res.Err())
	}
	t := res.Ok()
	stream, done := t.F1, t.F2
	cols := make([]column, len(t.F0))
	for i, col := range t.F0 {
		cols[i] = column{name: col.Name, dbType: typeName(col.DataType)}
	}
	buf := make([]bind.Row, 64)
	var pending []bind.Row
	next := func() ([]any, error) {
		for len(pending) == 0 {
			if stream.WriterDropped() {
				if r := done.Read(); r.IsErr() {
					return nil, hostErr(r.Err())
				}
				return nil, io.EOF
			}
			n := stream.Read(buf)
			pending = buf[:n]
		}
		row := pending[0]
		pending = pending[1:]
		out := make([]any, len(row))
		for i, v := range row {
			out[i] = value03(v)
		}
		return out, nil
	}
	closeRows := func() {
		stream.Drop()
		done.Drop()
	}
	return &hostRows{cols: cols, next: next, close: closeRows}, nil
}

func (c *conn03) close() { c.c.Drop() }

var typeNames = map[uint8]string{
	bind.DbDataTypeBoolean: "BOOL", bind.DbDataTypeInt8: "CHAR", bind.DbDataTypeInt16: "INT2",
	bind.DbDataTypeInt32: "INT4", bind.DbDataTypeInt64: "INT8", bind.DbDataTypeFloating32: "FLOAT4",
	bind.DbDataTypeFloating64: "FLOAT8", bind.DbDataTypeStr: "TEXT", bind.DbDataTypeBinary: "BYTEA",
	bind.DbDataTypeDate: "DATE", bind.DbDataTypeTime: "TIME", bind.DbDataTypeDatetime: "TIMESTAMP",
	bind.DbDataTypeTimestamp: "TIMESTAMPTZ", bind.DbDataTypeUuid: "UUID", bind.DbDataTypeJsonb: "JSONB",
	bind.DbDataTypeDecimal: "NUMERIC", bind.DbDataTypeRangeInt32: "INT4RANGE",
	bind.DbDataTypeRangeInt64: "INT8RANGE", bind.DbDataTypeRangeDecimal: "NUMRANGE",
	bind.DbDataTypeArrayInt32: "_INT4", bind.DbDataTypeArrayInt64: "_INT8",
	bind.DbDataTypeArrayDecimal: "_NUMERIC", bind.DbDataTypeArrayStr: "_TEXT",
	bind.DbDataTypeInterval: "INTERVAL",
}

func typeName(t bind.DbDataType) string {
	if t.Tag() == bind.DbDataTypeOther {
		return strings.ToUpper(t.Other())
	}
	return typeNames[t.Tag()]
}

func kind03(k BoundKind) bind.RangeBoundKind {
	if k == Inclusive {
		return bind.RangeBoundKindInclusive
	}
	return bind.RangeBoundKindExclusive
}

func kindOf(k bind.RangeBoundKind) BoundKind {
	if k == bind.RangeBoundKindInclusive {
		return Inclusive
	}
	return Exclusive
}

type witBound[T any] = wit.Option[wit.Tuple2[T, bind.RangeBoundKind]]

func range03[T RangeElem, W any](r Range[T], conv func(T) W) wit.Tuple2[witBound[W], witBound[W]] {
	b := func(x *Bound[T]) witBound[W] {
		if x == nil {
			return wit.None[wit.Tuple2[W, bind.RangeBoundKind]]()
		}
		return wit.Some(wit.Tuple2[W, bind.RangeBoundKind]{F0: conv(x.Value), F1: kind03(x.Kind)})
	}
	return wit.Tuple2[witBound[W], witBound[W]]{F0: b(r.Lower), F1: b(r.Upper)}
}

func rangeOf[W any, T RangeElem](t wit.Tuple2[witBound[W], witBound[W]], conv func(W) T) Range[T] {
	b := func(x witBound[W]) *Bound[T] {
		if x.IsNone() {
			return nil
		}
		return &Bound[T]{Value: conv(x.Some().F0), Kind: kindOf(x.Some().F1)}
	}
	return Range[T]{Lower: b(t.F0), Upper: b(t.F1)}
}

func array03[T, W any](a []*T, conv func(T) W) []wit.Option[W] {
	out := make([]wit.Option[W], len(a))
	for i, e := range a {
		if e == nil {
			out[i] = wit.None[W]()
		} else {
			out[i] = wit.Some(conv(*e))
		}
	}
	return out
}

func arrayOf[W, T any, A ~[]*T](a []wit.Option[W], conv func(W) T) A {
	out := make(A, len(a))
	for i, e := range a {
		if e.IsSome() {
			v := conv(e.Some())
			out[i] = &v
		}
	}
	return out
}

// nonNil keeps an empty value apart from NULL.
func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

func same[T any](v T) T          { return v }
func decString(d Decimal) string { return string(d) }
func stringDec(s string) Decimal { return Decimal(s) }
func datetime03(t time.Time) wit.Tuple7[int32, uint8, uint8, uint8, uint8, uint8, uint32] {
	return wit.Tuple7[int32, uint8, uint8, uint8, uint8, uint8, uint32]{
		F0: int32(t.Year()), F1: uint8(t.Month()), F2: uint8(t.Day()),
		F3: uint8(t.Hour()), F4: uint8(t.Minute()), F5: uint8(t.Second()), F6: uint32(t.Nanosecond()),
	}
}

// params03 lowers parameters that paramValue has checked.
func params03(args []any) []bind.ParameterValue {
	out := make([]bind.ParameterValue, len(args))
	for i, a := range args {
		switch v := a.(type) {
		case nil:
			out[i] = bind.MakeParameterValueDbNull()
		case bool:
			out[i] = bind.MakeParameterValueBoolean(v)
		case int8:
			out[i] = bind.MakeParameterValueInt8(v)
		case int16:
			out[i] = bind.MakeParameterValueInt16(v)
		case int32:
			out[i] = bind.MakeParameterValueInt32(v)
		case int64:
			out[i] = bind.MakeParameterValueInt64(v)
		case float32:
			out[i] = bind.MakeParameterValueFloating32(v)
		case float64:
			out[i] = bind.MakeParameterValueFloating64(v)
		case string:
			out[i] = bind.MakeParameterValueStr(v)
		case []byte:
			out[i] = bind.MakeParameterValueBinary(v)
		case time.Time:
			out[i] = bind.MakeParameterValueDatetime(datetime03(v))
		case Timestamp:
			out[i] = bind.MakeParameterValueTimestamp(v.Unix())
		case Date:
			out[i] = bind.MakeParameterValueDate(wit.Tuple3[int32, uint8, uint8]{F0: int32(v.Year), F1: uint8(v.Month), F2: uint8(v.Day)})
		case Time:
			out[i] = bind.MakeParameterValueTime(wit.Tuple4[uint8, uint8, uint8, uint32]{F0: uint8(v.Hour), F1: uint8(v.Minute), F2: uint8(v.Second), F3: uint32(v.Nanosecond)})
		case UUID:
			out[i] = bind.MakeParameterValueUuid(string(v))
		case JSONB:
			out[i] = bind.MakeParameterValueJsonb(v)
		case Decimal:
			out[i] = bind.MakeParameterValueDecimal(string(v))
		case Interval:
			out[i] = bind.MakeParameterValueInterval(bind.Interval{Micros: v.Micros, Days: v.Days, Months: v.Months})
		case Range[int32]:
			out[i] = bind.MakeParameterValueRangeInt32(range03(v, same[int32]))
		case Range[int64]:
			out[i] = bind.MakeParameterValueRangeInt64(range03(v, same[int64]))
		case Range[Decimal]:
			out[i] = bind.MakeParameterValueRangeDecimal(range03(v, decString))
		case Int32Array:
			out[i] = bind.MakeParameterValueArrayInt32(array03(v, same[int32]))
		case Int64Array:
			out[i] = bind.MakeParameterValueArrayInt64(array03(v, same[int64]))
		case DecimalArray:
			out[i] = bind.MakeParameterValueArrayDecimal(array03(v, decString))
		case StringArray:
			out[i] = bind.MakeParameterValueArrayStr(array03(v, same[string]))
		default:
			panic("pg: unchecked parameter type") // paramValue returns only the types above
		}
	}
	return out
}

// value03 lifts a column value to its Go value (see the package doc).
func value03(v bind.DbValue) any {
	switch v.Tag() {
	case bind.DbValueBoolean:
		return v.Boolean()
	case bind.DbValueInt8:
		return int64(v.Int8())
	case bind.DbValueInt16:
		return int64(v.Int16())
	case bind.DbValueInt32:
		return int64(v.Int32())
	case bind.DbValueInt64:
		return v.Int64()
	case bind.DbValueFloating32:
		return float64(v.Floating32())
	case bind.DbValueFloating64:
		return v.Floating64()
	case bind.DbValueStr:
		return v.Str()
	case bind.DbValueBinary:
		return nonNil(v.Binary())
	case bind.DbValueDate:
		d := v.Date()
		return time.Date(int(d.F0), time.Month(d.F1), int(d.F2), 0, 0, 0, 0, time.UTC)
	case bind.DbValueTime:
		t := v.Time()
		return Time{Hour: int(t.F0), Minute: int(t.F1), Second: int(t.F2), Nanosecond: int(t.F3)}
	case bind.DbValueDatetime:
		t := v.Datetime()
		return time.Date(int(t.F0), time.Month(t.F1), int(t.F2), int(t.F3), int(t.F4), int(t.F5), int(t.F6), time.UTC)
	case bind.DbValueTimestamp:
		return time.Unix(v.Timestamp(), 0).UTC()
	case bind.DbValueUuid:
		return v.Uuid()
	case bind.DbValueJsonb:
		return nonNil(v.Jsonb())
	case bind.DbValueDecimal:
		return v.Decimal()
	case bind.DbValueRangeInt32:
		return rangeOf(v.RangeInt32(), same[int32])
	case bind.DbValueRangeInt64:
		return rangeOf(v.RangeInt64(), same[int64])
	case bind.DbValueRangeDecimal:
		return rangeOf(v.RangeDecimal(), stringDec)
	case bind.DbValueArrayInt32:
		return arrayOf[int32, int32, Int32Array](v.ArrayInt32(), same[int32])
	case bind.DbValueArrayInt64:
		return arrayOf[int64, int64, Int64Array](v.ArrayInt64(), same[int64])
	case bind.DbValueArrayDecimal:
		return arrayOf[string, Decimal, DecimalArray](v.ArrayDecimal(), stringDec)
	case bind.DbValueArrayStr:
		return arrayOf[string, string, StringArray](v.ArrayStr(), same[string])
	case bind.DbValueInterval:
		i := v.Interval()
		return Interval{Micros: i.Micros, Days: i.Days, Months: i.Months}
	case bind.DbValueUnsupported:
		return nonNil(v.Unsupported())
	}
	return nil // db-null
}
