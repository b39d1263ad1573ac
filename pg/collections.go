package pg

import (
	"database/sql/driver"
	"fmt"
	"strconv"
	"strings"
)

// BoundKind says whether a range bound includes its value.
type BoundKind uint8

const (
	// Inclusive bounds include the value: [1,...] .
	Inclusive BoundKind = iota
	// Exclusive bounds exclude it: (1,...) .
	Exclusive
)

// RangeElem are the element types of the ranges Spin passes: int4range,
// int8range and numrange.
type RangeElem interface{ int32 | int64 | Decimal }

// Bound is one end of a range.
type Bound[T RangeElem] struct {
	Value T
	Kind  BoundKind
}

// Incl returns an inclusive bound.
func Incl[T RangeElem](v T) *Bound[T] { return &Bound[T]{Value: v, Kind: Inclusive} }

// Excl returns an exclusive bound.
func Excl[T RangeElem](v T) *Bound[T] { return &Bound[T]{Value: v, Kind: Exclusive} }

// Range is a Postgres int4range (Range[int32]), int8range (Range[int64]) or
// numrange (Range[Decimal]); a nil bound is unbounded. Postgres stores
// integer ranges in canonical [lower,upper) form, so (1,5] reads back as
// [2,6). An empty range has no WIT form: reading one is an error.
type Range[T RangeElem] struct {
	Lower, Upper *Bound[T]
}

// String is the Postgres text form: [1,10), (,5], (,).
func (r Range[T]) String() string {
	var b strings.Builder
	if r.Lower != nil && r.Lower.Kind == Inclusive {
		b.WriteByte('[')
	} else {
		b.WriteByte('(')
	}
	if r.Lower != nil {
		fmt.Fprint(&b, r.Lower.Value)
	}
	b.WriteByte(',')
	if r.Upper != nil {
		fmt.Fprint(&b, r.Upper.Value)
	}
	if r.Upper != nil && r.Upper.Kind == Inclusive {
		b.WriteByte(']')
	} else {
		b.WriteByte(')')
	}
	return b.String()
}

// ParseRange parses the text form of a range (see String).
func ParseRange[T RangeElem](s string) (Range[T], error) {
	bad := fmt.Errorf("pg: invalid range %q", s)
	t := strings.TrimSpace(s)
	if strings.EqualFold(t, "empty") {
		return Range[T]{}, fmt.Errorf("pg: range %q is empty, which has no WIT form", s)
	}
	if len(t) < 3 || (t[0] != '[' && t[0] != '(') || (t[len(t)-1] != ']' && t[len(t)-1] != ')') {
		return Range[T]{}, bad
	}
	lo, hi, ok := strings.Cut(t[1:len(t)-1], ",")
	if !ok || strings.Contains(hi, ",") {
		return Range[T]{}, bad
	}
	var r Range[T]
	for i, part := range []string{lo, hi} {
		part = strings.Trim(strings.TrimSpace(part), `"`)
		if part == "" {
			continue
		}
		v, err := parseElem[T](part)
		if err != nil {
			return Range[T]{}, bad
		}
		if i == 0 {
			r.Lower = &Bound[T]{Value: v, Kind: map[bool]BoundKind{true: Inclusive, false: Exclusive}[t[0] == '[']}
		} else {
			r.Upper = &Bound[T]{Value: v, Kind: map[bool]BoundKind{true: Inclusive, false: Exclusive}[t[len(t)-1] == ']']}
		}
	}
	return r, nil
}

func parseElem[T RangeElem](s string) (T, error) {
	var zero T
	var v any
	var err error
	switch any(zero).(type) {
	case int32:
		var n int64
		n, err = strconv.ParseInt(s, 10, 32)
		v = int32(n)
	case int64:
		v, err = strconv.ParseInt(s, 10, 64)
	case Decimal:
		v, err = ParseDecimal(s)
	}
	if err != nil {
		return zero, err
	}
	return v.(T), nil
}

// Scan reads a range column or its text form.
func (r *Range[T]) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		return errNull(fmt.Sprintf("pg.Range[%T]", *new(T)))
	case Range[T]:
		*r = v
		return nil
	}
	s, ok := textOf(src)
	if !ok {
		return scanError(src, fmt.Sprintf("pg.Range[%T]", *new(T)))
	}
	v, err := ParseRange[T](s)
	if err == nil {
		*r = v
	}
	return err
}

// Value is the range's text form.
func (r Range[T]) Value() (driver.Value, error) { return r.String(), nil }

// Int32Array is an int4[] whose elements may be NULL (nil); a nil array is
// NULL and an empty one is {}.
type Int32Array []*int32

// Int64Array is an int8[] whose elements may be NULL (nil).
type Int64Array []*int64

// DecimalArray is a numeric[] whose elements may be NULL (nil).
type DecimalArray []*Decimal

// StringArray is a text[] (or varchar[]) whose elements may be NULL (nil).
type StringArray []*string

// Int32s returns an Int32Array of non-NULL elements.
func Int32s(vs ...int32) Int32Array { return ptrs[int32, Int32Array](vs) }

// Int64s returns an Int64Array of non-NULL elements.
func Int64s(vs ...int64) Int64Array { return ptrs[int64, Int64Array](vs) }

// Decimals returns a DecimalArray of non-NULL elements.
func Decimals(vs ...Decimal) DecimalArray { return ptrs[Decimal, DecimalArray](vs) }

// Strings returns a StringArray of non-NULL elements.
func Strings(vs ...string) StringArray { return ptrs[string, StringArray](vs) }

func ptrs[T any, A ~[]*T](vs []T) A {
	out := make(A, len(vs))
	for i := range vs {
		out[i] = &vs[i]
	}
	return out
}

// arrayText writes the Postgres array literal of elems; quote marks string
// elements.
func arrayText[T any](elems []*T, quote bool) string {
	var b strings.Builder
	b.WriteByte('{')
	for i, e := range elems {
		if i > 0 {
			b.WriteByte(',')
		}
		switch {
		case e == nil:
			b.WriteString("NULL")
		case quote:
			s := fmt.Sprint(*e)
			b.WriteByte('"')
			b.WriteString(strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s))
			b.WriteByte('"')
		default:
			fmt.Fprint(&b, *e)
		}
	}
	b.WriteByte('}')
	return b.String()
}

// parseArray splits a one-dimensional Postgres array literal into its
// elements; nil is NULL.
func parseArray(s string) ([]*string, error) {
	bad := fmt.Errorf("pg: invalid array %q", s)
	t := strings.TrimSpace(s)
	if strings.HasPrefix(t, "[") { // explicit bounds: [0:2]={...}
		i := strings.Index(t, "=")
		if i < 0 {
			return nil, bad
		}
		t = t[i+1:]
	}
	if len(t) < 2 || t[0] != '{' || t[len(t)-1] != '}' {
		return nil, bad
	}
	body := t[1 : len(t)-1]
	out := []*string{}
	if strings.TrimSpace(body) == "" {
		return out, nil
	}
	for i := 0; ; {
		for i < len(body) && body[i] == ' ' {
			i++
		}
		var elem strings.Builder
		quoted := i < len(body) && body[i] == '"'
		if quoted {
			i++
			for ; i < len(body) && body[i] != '"'; i++ {
				if body[i] == '\\' && i+1 < len(body) {
					i++
				}
				elem.WriteByte(body[i])
			}
			if i >= len(body) {
				return nil, bad
			}
			i++
		} else {
			for ; i < len(body) && body[i] != ','; i++ {
				if body[i] == '{' {
					return nil, fmt.Errorf("pg: array %q has more than one dimension", s)
				}
				if body[i] == '\\' && i+1 < len(body) {
					i++
				}
				elem.WriteByte(body[i])
			}
		}
		e := strings.TrimSpace(elem.String())
		if !quoted && strings.EqualFold(e, "NULL") {
			out = append(out, nil)
		} else {
			if quoted {
				e = elem.String()
			}
			out = append(out, &e)
		}
		for i < len(body) && body[i] == ' ' {
			i++
		}
		if i >= len(body) {
			return out, nil
		}
		if body[i] != ',' {
			return nil, bad
		}
		i++
	}
}

// scanArray parses text into an array of T, converting each element.
func scanArray[T any](src any, into string, conv func(string) (T, error)) ([]*T, error) {
	s, ok := textOf(src)
	if !ok {
		return nil, scanError(src, into)
	}
	elems, err := parseArray(s)
	if err != nil {
		return nil, err
	}
	out := make([]*T, len(elems))
	for i, e := range elems {
		if e == nil {
			continue
		}
		v, err := conv(*e)
		if err != nil {
			return nil, fmt.Errorf("pg: element %d of %s: %w", i+1, into, err)
		}
		out[i] = &v
	}
	return out, nil
}

// String is the Postgres array literal: {1,NULL,3}.
func (a Int32Array) String() string { return arrayText(a, false) }

// String is the Postgres array literal.
func (a Int64Array) String() string { return arrayText(a, false) }

// String is the Postgres array literal.
func (a DecimalArray) String() string { return arrayText(a, false) }

// String is the Postgres array literal, elements quoted: {"a","b c",NULL}.
func (a StringArray) String() string { return arrayText(a, true) }

// Value is the array literal, or nil for a nil array.
func (a Int32Array) Value() (driver.Value, error) { return arrayValue(a == nil, a.String()) }

// Value is the array literal, or nil for a nil array.
func (a Int64Array) Value() (driver.Value, error) { return arrayValue(a == nil, a.String()) }

// Value is the array literal, or nil for a nil array.
func (a DecimalArray) Value() (driver.Value, error) { return arrayValue(a == nil, a.String()) }

// Value is the array literal, or nil for a nil array.
func (a StringArray) Value() (driver.Value, error) { return arrayValue(a == nil, a.String()) }

func arrayValue(isNil bool, s string) (driver.Value, error) {
	if isNil {
		return nil, nil
	}
	return s, nil
}

// Scan reads an int4[] column or its literal; NULL is nil.
func (a *Int32Array) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*a = nil
		return nil
	case Int32Array:
		*a = v
		return nil
	}
	v, err := scanArray(src, "pg.Int32Array", func(s string) (int32, error) {
		n, err := strconv.ParseInt(s, 10, 32)
		return int32(n), err
	})
	if err == nil {
		*a = v
	}
	return err
}

// Scan reads an int8[] column or its literal; NULL is nil.
func (a *Int64Array) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*a = nil
		return nil
	case Int64Array:
		*a = v
		return nil
	}
	v, err := scanArray(src, "pg.Int64Array", func(s string) (int64, error) { return strconv.ParseInt(s, 10, 64) })
	if err == nil {
		*a = v
	}
	return err
}

// Scan reads a numeric[] column or its literal; NULL is nil.
func (a *DecimalArray) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*a = nil
		return nil
	case DecimalArray:
		*a = v
		return nil
	}
	v, err := scanArray(src, "pg.DecimalArray", ParseDecimal)
	if err == nil {
		*a = v
	}
	return err
}

// Scan reads a text[] column or its literal; NULL is nil.
func (a *StringArray) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*a = nil
		return nil
	case StringArray:
		*a = v
		return nil
	}
	v, err := scanArray(src, "pg.StringArray", func(s string) (string, error) { return s, nil })
	if err == nil {
		*a = v
	}
	return err
}
