// Package rdbmsconv converts between Go values and the values of
// fermyon:spin/rdbms-types@2.0.0, which the mysql driver and the pg
// driver's Spin 3 build (fermyon:spin/postgres@2.0.0) share: parameters,
// column values and the error variant. What differs between the drivers
// (which Go types a parameter may have, the Go type of a column, error
// texts and wrapping) stays in each driver.
package rdbmsconv

import (
	"errors"
	"fmt"

	rdbms "github.com/spin-go/sdk/imports/fermyon_spin_2_0_0_rdbms_types"
)

// Param converts a value of a type the interface has a case for (nil,
// bool, int8, int16, int32, int64, uint8, uint16, uint32, uint64, float32,
// float64, string, []byte) to its parameter value; a nil []byte is NULL.
// ok is false for any other type.
func Param(v any) (p rdbms.ParameterValue, ok bool) {
	switch x := v.(type) {
	case nil:
		return rdbms.MakeParameterValueDbNull(), true
	case bool:
		return rdbms.MakeParameterValueBoolean(x), true
	case int8:
		return rdbms.MakeParameterValueInt8(x), true
	case int16:
		return rdbms.MakeParameterValueInt16(x), true
	case int32:
		return rdbms.MakeParameterValueInt32(x), true
	case int64:
		return rdbms.MakeParameterValueInt64(x), true
	case uint8:
		return rdbms.MakeParameterValueUint8(x), true
	case uint16:
		return rdbms.MakeParameterValueUint16(x), true
	case uint32:
		return rdbms.MakeParameterValueUint32(x), true
	case uint64:
		return rdbms.MakeParameterValueUint64(x), true
	case float32:
		return rdbms.MakeParameterValueFloating32(x), true
	case float64:
		return rdbms.MakeParameterValueFloating64(x), true
	case string:
		return rdbms.MakeParameterValueStr(x), true
	case []byte:
		if x == nil {
			return rdbms.MakeParameterValueDbNull(), true
		}
		return rdbms.MakeParameterValueBinary(x), true
	}
	return rdbms.ParameterValue{}, false
}

// ErrUnsupported is what Value returns for the db-value case unsupported
// (a value whose database type the interface has no case for).
var ErrUnsupported = errors.New("rdbmsconv: unsupported value")

// Value converts a column value to a Go value: bool; int64 for the signed
// integers and the unsigned ones up to 32 bits; uint64; float32; float64;
// string; []byte (never nil); nil for NULL. The case unsupported is
// ErrUnsupported.
func Value(v rdbms.DbValue) (any, error) {
	switch v.Tag() {
	case rdbms.DbValueBoolean:
		return v.Boolean(), nil
	case rdbms.DbValueInt8:
		return int64(v.Int8()), nil
	case rdbms.DbValueInt16:
		return int64(v.Int16()), nil
	case rdbms.DbValueInt32:
		return int64(v.Int32()), nil
	case rdbms.DbValueInt64:
		return v.Int64(), nil
	case rdbms.DbValueUint8:
		return int64(v.Uint8()), nil
	case rdbms.DbValueUint16:
		return int64(v.Uint16()), nil
	case rdbms.DbValueUint32:
		return int64(v.Uint32()), nil
	case rdbms.DbValueUint64:
		return v.Uint64(), nil
	case rdbms.DbValueFloating32:
		return v.Floating32(), nil
	case rdbms.DbValueFloating64:
		return v.Floating64(), nil
	case rdbms.DbValueStr:
		return v.Str(), nil
	case rdbms.DbValueBinary:
		b := v.Binary()
		if b == nil {
			b = []byte{}
		}
		return b, nil
	case rdbms.DbValueDbNull:
		return nil, nil
	case rdbms.DbValueUnsupported:
		return nil, ErrUnsupported
	}
	return nil, fmt.Errorf("unknown db-value case %d", v.Tag())
}

// Kinds are a driver's errors for the cases of the error variant.
type Kinds struct {
	ConnectionFailed, BadParameter, QueryFailed, ValueConversionFailed, Other error
}

// Error splits the error variant into the driver's kind of error and the
// host's message.
func (k Kinds) Error(e rdbms.Error) (kind error, msg string) {
	switch e.Tag() {
	case rdbms.ErrorConnectionFailed:
		return k.ConnectionFailed, e.ConnectionFailed()
	case rdbms.ErrorBadParameter:
		return k.BadParameter, e.BadParameter()
	case rdbms.ErrorQueryFailed:
		return k.QueryFailed, e.QueryFailed()
	case rdbms.ErrorValueConversionFailed:
		return k.ValueConversionFailed, e.ValueConversionFailed()
	}
	return k.Other, e.Other()
}
