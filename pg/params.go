package pg

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strings"
	"time"

	"github.com/spin-go/sdk/internal/sqldriver"
)

// paramValue converts a parameter to the Go value of the WIT case it is
// sent as: nil, bool, int8, int16, int32, int64, float32, float64, string,
// []byte, time.Time (datetime), Timestamp, Date, Time, UUID, JSONB,
// Decimal, Interval, Range[int32|int64|Decimal], Int32Array, Int64Array,
// DecimalArray or StringArray. Values are checked here, so that the host
// gets only values it can bind.
func paramValue(v any) (any, error) { return paramDepth(v, 0) }

type jsonbValue interface{ jsonb() (JSONB, error) }

func paramDepth(v any, depth int) (any, error) {
	if depth > 8 {
		return nil, fmt.Errorf("%T: Value methods nest too deep", v)
	}
	if v == nil {
		return nil, nil
	}
	rv := reflect.ValueOf(v)
	t := rv.Type()
	// Pointers: nil is NULL, else the value pointed to (unless only the
	// pointer type has a Value method).
	if t.Kind() == reflect.Pointer {
		if !t.Elem().Implements(sqldriver.ValuerType) && t.Implements(sqldriver.ValuerType) {
			return valuerParam(v.(driver.Valuer), depth)
		}
		if rv.IsNil() {
			return nil, nil
		}
		return paramDepth(rv.Elem().Interface(), depth+1)
	}
	switch x := v.(type) {
	case bool, int8, int16, int32, int64, float32, float64, string, Interval:
		return x, nil
	case Time:
		if !x.IsValid() {
			return nil, fmt.Errorf("invalid time of day %+v", x)
		}
		return x, nil
	case int:
		return int64(x), nil
	case uint8:
		return int16(x), nil
	case uint16:
		return int32(x), nil
	case uint32:
		return int64(x), nil
	case uint:
		return uintParam(uint64(x))
	case uint64:
		return uintParam(x)
	case []byte:
		if x == nil {
			return nil, nil
		}
		return x, nil
	case time.Time:
		u := x.UTC()
		if u.Year() < math.MinInt32 || u.Year() > math.MaxInt32 {
			return nil, fmt.Errorf("time %v is out of range", x)
		}
		return u, nil
	case Timestamp:
		if x.Nanosecond() != 0 {
			return nil, errFraction
		}
		return x, nil
	case Date:
		if !x.IsValid() {
			return nil, fmt.Errorf("invalid date %+v", x)
		}
		return x, nil
	case UUID:
		return ParseUUID(string(x))
	case JSONB:
		return jsonParam(x)
	case json.RawMessage:
		return jsonParam(JSONB(x))
	case jsonbValue:
		j, err := x.jsonb()
		if err != nil {
			return nil, err
		}
		return jsonParam(j)
	case Decimal:
		return ParseDecimal(string(x))
	case Range[int32], Range[int64]:
		return x, nil
	case Range[Decimal]:
		for _, b := range []*Bound[Decimal]{x.Lower, x.Upper} {
			if b != nil {
				if _, err := ParseDecimal(string(b.Value)); err != nil {
					return nil, err
				}
			}
		}
		return x, nil
	case Int32Array, Int64Array, StringArray:
		if reflect.ValueOf(x).IsNil() {
			return nil, nil
		}
		return x, nil
	case DecimalArray:
		if x == nil {
			return nil, nil
		}
		for _, d := range x {
			if d != nil {
				if _, err := ParseDecimal(string(*d)); err != nil {
					return nil, err
				}
			}
		}
		return x, nil
	case []int32:
		return nilOr(x == nil, Int32s(x...))
	case []int64:
		return nilOr(x == nil, Int64s(x...))
	case []string:
		return nilOr(x == nil, Strings(x...))
	case []Decimal:
		if x == nil {
			return nil, nil
		}
		return paramDepth(Decimals(x...), depth+1)
	case []*int32:
		return paramDepth(Int32Array(x), depth+1)
	case []*int64:
		return paramDepth(Int64Array(x), depth+1)
	case []*string:
		return paramDepth(StringArray(x), depth+1)
	case []*Decimal:
		return paramDepth(DecimalArray(x), depth+1)
	}

	// sql.Null[T]: NULL or T itself, keeping T's own case.
	if t.Kind() == reflect.Struct && t.PkgPath() == "database/sql" && strings.HasPrefix(t.Name(), "Null[") {
		if !rv.FieldByName("Valid").Bool() {
			return nil, nil
		}
		return paramDepth(rv.FieldByName("V").Interface(), depth+1)
	}
	if vr, ok := v.(driver.Valuer); ok {
		return valuerParam(vr, depth)
	}
	// Types defined on basic kinds (type Age int32, type Name string);
	// unsigned ones, whatever their width, go as uint64 does.
	if k := t.Kind(); k >= reflect.Uint && k <= reflect.Uint64 {
		return uintParam(rv.Uint())
	}
	if b, ok := sqldriver.Basic(rv); ok {
		return paramDepth(b, depth) // b is of a predeclared type: no deeper
	}
	return nil, fmt.Errorf("type %T has no Postgres parameter form", v)
}

func valuerParam(vr driver.Valuer, depth int) (any, error) {
	v, err := vr.Value()
	if err != nil {
		return nil, err
	}
	if reflect.TypeOf(v) == reflect.TypeOf(vr) {
		return nil, fmt.Errorf("%T: Value returns itself", vr)
	}
	return paramDepth(v, depth+1)
}

func uintParam(u uint64) (any, error) {
	if u > math.MaxInt64 {
		return nil, fmt.Errorf("%d does not fit a Postgres bigint", u)
	}
	return int64(u), nil
}

func jsonParam(j JSONB) (any, error) {
	if j == nil {
		return nil, nil
	}
	if !json.Valid(j) {
		return nil, fmt.Errorf("invalid JSON %.40q", string(j))
	}
	return j, nil
}

func nilOr(isNil bool, v any) (any, error) {
	if isNil {
		return nil, nil
	}
	return v, nil
}

// scanType is the Go type of a column's values, by database type name.
func scanType(dbType string) reflect.Type {
	switch dbType {
	case "BOOL":
		return reflect.TypeFor[bool]()
	case "CHAR", "INT2", "INT4", "INT8":
		return reflect.TypeFor[int64]()
	case "FLOAT4", "FLOAT8":
		return reflect.TypeFor[float64]()
	case "TEXT", "UUID", "NUMERIC":
		return reflect.TypeFor[string]()
	case "DATE", "TIMESTAMP", "TIMESTAMPTZ":
		return reflect.TypeFor[time.Time]()
	case "TIME":
		return reflect.TypeFor[Time]()
	case "INTERVAL":
		return reflect.TypeFor[Interval]()
	case "INT4RANGE":
		return reflect.TypeFor[Range[int32]]()
	case "INT8RANGE":
		return reflect.TypeFor[Range[int64]]()
	case "NUMRANGE":
		return reflect.TypeFor[Range[Decimal]]()
	case "_INT4":
		return reflect.TypeFor[Int32Array]()
	case "_INT8":
		return reflect.TypeFor[Int64Array]()
	case "_NUMERIC":
		return reflect.TypeFor[DecimalArray]()
	case "_TEXT":
		return reflect.TypeFor[StringArray]()
	case "": // a type the Spin 3 build's interface cannot name
		return reflect.TypeFor[any]()
	}
	return reflect.TypeFor[[]byte]()
}
