package pg

import (
	"errors"
	"fmt"
	"io"

	rdbms "github.com/spin-go/sdk/imports/fermyon_spin_2_0_0_rdbms_types"
	"github.com/spin-go/sdk/internal/rdbmsconv"
)

// This file holds what the Spin 3 build (wasi02.go) does with the values
// of fermyon:spin/postgres@2.0.0, the rdbms-types values the mysql package
// uses too. It has no build tag so that it is unit tested natively.

// hostKinds are the package's errors for the rdbms-types error variant.
var hostKinds = rdbmsconv.Kinds{
	ConnectionFailed: ErrConnectionFailed, BadParameter: ErrBadParameter, QueryFailed: ErrQueryFailed,
	ValueConversionFailed: ErrValueConversion, Other: ErrOther,
}

// hostErr02 converts the rdbms-types error variant. Server errors are text
// there (query-failed), so they are not *Error.
func hostErr02(e rdbms.Error) error {
	kind, msg := hostKinds.Error(e)
	return &hostError{kind, msg}
}

// spin4Casts are the Postgres types of the parameters only Spin 4 carries,
// for the cast the error suggests.
var spin4Casts = map[string]string{
	"time.Time": "timestamp", "pg.Timestamp": "timestamptz", "pg.Date": "date", "pg.Time": "time",
	"pg.UUID": "uuid", "pg.JSONB": "jsonb", "pg.Decimal": "numeric", "pg.Interval": "interval",
	"pg.Range[int32]": "int4range", "pg.Range[int64]": "int8range", "pg.Range[github.com/spin-go/sdk/pg.Decimal]": "numrange",
	"pg.Int32Array": "int4[]", "pg.Int64Array": "int8[]", "pg.DecimalArray": "numeric[]", "pg.StringArray": "text[]",
}

// spin3Param checks that fermyon:spin/postgres@2.0.0 can carry parameter
// $n: orig as the caller passed it, v as paramValue converted it. The
// interface has bool, integers, floats, text, bytea and NULL; the other
// types fail with ErrBadParameter, naming the type and the cast that takes
// its text instead.
func spin3Param(n int, orig, v any) error {
	switch v.(type) {
	case nil, bool, int8, int16, int32, int64, float32, float64, string, []byte:
		return nil
	}
	return &hostError{ErrBadParameter, fmt.Sprintf(
		"%T needs Spin 4 (spin:postgres/postgres@4.2.0): this Spin 3 (WASI 0.2) build's fermyon:spin/postgres@2.0.0 carries only bool, integers, floats, string, []byte and NULL; send its text as a string and cast it in SQL ($%d::text::%s)",
		orig, n, spin4Casts[fmt.Sprintf("%T", v)])}
}

// params02 lowers parameters that paramValue and spin3Param have checked.
func params02(args []any) ([]rdbms.ParameterValue, error) {
	out := make([]rdbms.ParameterValue, len(args))
	for i, a := range args {
		p, ok := rdbmsconv.Param(a)
		if !ok {
			return nil, spin3Param(i+1, a, a)
		}
		out[i] = p
	}
	return out, nil
}

// typeNames02 name the column types of rdbms-types as Postgres does; a
// type the interface calls other is "".
var typeNames02 = map[rdbms.DbDataType]string{
	rdbms.DbDataTypeBoolean: "BOOL", rdbms.DbDataTypeInt8: "CHAR", rdbms.DbDataTypeInt16: "INT2",
	rdbms.DbDataTypeInt32: "INT4", rdbms.DbDataTypeInt64: "INT8", rdbms.DbDataTypeFloating32: "FLOAT4",
	rdbms.DbDataTypeFloating64: "FLOAT8", rdbms.DbDataTypeStr: "TEXT", rdbms.DbDataTypeBinary: "BYTEA",
}

// rows02 walks a row set the host returned whole.
func rows02(set rdbms.RowSet) *hostRows {
	cols := make([]column, len(set.Columns))
	for i, c := range set.Columns {
		cols[i] = column{name: c.Name, dbType: typeNames02[c.DataType]}
	}
	rows := set.Rows
	next := func() ([]any, error) {
		if len(rows) == 0 {
			return nil, io.EOF
		}
		row := rows[0]
		rows = rows[1:]
		out := make([]any, len(row))
		for i, v := range row {
			x, err := value02(v)
			if err != nil {
				name := ""
				if i < len(cols) {
					name = cols[i].name
				}
				return nil, &hostError{ErrValueConversion, fmt.Sprintf("column %s: %v", name, err)}
			}
			out[i] = x
		}
		return out, nil
	}
	return &hostRows{cols: cols, next: next, close: func() { rows = nil }}
}

// value02 lifts a column value as the Spin 4 build would (real arrives as
// float64); the case unsupported is an error.
func value02(v rdbms.DbValue) (any, error) {
	x, err := rdbmsconv.Value(v)
	if errors.Is(err, rdbmsconv.ErrUnsupported) {
		return nil, errors.New("its type has no form in this Spin 3 (WASI 0.2) build's fermyon:spin/postgres@2.0.0 (only bool, integers, floats, text and bytea); cast it in SQL (::text) or build for Spin 4")
	}
	if f, ok := x.(float32); ok {
		return float64(f), nil
	}
	return x, err
}
