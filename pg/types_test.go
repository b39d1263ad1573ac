package pg

import (
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// roundTrip checks that Value's text scans back to the same value.
func roundTrip[T any, P interface {
	*T
	sql.Scanner
}](t *testing.T, v T, valuer driver.Valuer) {
	t.Helper()
	text, err := valuer.Value()
	require.NoError(t, err)
	var back T
	require.NoError(t, P(&back).Scan(text), "scanning %v", text)
	assert.Equal(t, v, back, "round trip through %q", text)
}

func TestPostgresDate(t *testing.T) {
	for _, tc := range []struct {
		d    Date
		text string
	}{
		{Date{2024, time.February, 29}, "2024-02-29"},
		{Date{1969, time.December, 31}, "1969-12-31"},
		{Date{1, time.January, 1}, "0001-01-01"},
		{Date{0, time.December, 31}, "0001-12-31 BC"},
		{Date{-43, time.March, 15}, "0044-03-15 BC"},
		{Date{12345, time.June, 7}, "12345-06-07"},
	} {
		t.Run(tc.text, func(t *testing.T) {
			assert.Equal(t, tc.text, tc.d.String())
			got, err := ParseDate(tc.text)
			require.NoError(t, err)
			assert.Equal(t, tc.d, got)
			roundTrip[Date](t, tc.d, tc.d)
			var fromTime Date
			require.NoError(t, fromTime.Scan(tc.d.Time()))
			assert.Equal(t, tc.d, fromTime)
		})
	}
	for _, bad := range []string{"2023-02-29", "2024-13-01", "2024-1-01", "yesterday", "infinity"} {
		_, err := ParseDate(bad)
		assert.Error(t, err, bad)
	}
	var d Date
	assert.ErrorContains(t, d.Scan(nil), "sql.Null[pg.Date]")
	assert.ErrorContains(t, d.Scan(42), "cannot scan int")
}

func TestPostgresTime(t *testing.T) {
	for _, tc := range []struct {
		tm   Time
		text string
	}{
		{Time{0, 0, 0, 0}, "00:00:00"},
		{Time{23, 59, 59, 999999000}, "23:59:59.999999"},
		{Time{4, 5, 6, 7000}, "04:05:06.000007"},
		{Time{12, 0, 0, 123456789}, "12:00:00.123456789"},
		{Time{24, 0, 0, 0}, "24:00:00"},
	} {
		t.Run(tc.text, func(t *testing.T) {
			assert.Equal(t, tc.text, tc.tm.String())
			roundTrip[Time](t, tc.tm, tc.tm)
		})
	}
	var tm Time
	require.NoError(t, tm.Scan(time.Date(2020, 1, 1, 13, 14, 15, 16, time.UTC)))
	assert.Equal(t, Time{13, 14, 15, 16}, tm)
	assert.Equal(t, 13*time.Hour+14*time.Minute+15*time.Second+16, tm.Duration())
	for _, bad := range []string{"24:00:01", "12:60:00", "1:02:03", "12:00:00.1234567890"} {
		_, err := ParseTime(bad)
		assert.Error(t, err, bad)
	}
}

func TestPostgresUUID(t *testing.T) {
	want := UUID("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")
	for _, in := range []string{
		"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
		"A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11",
		"{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}",
		"a0eebc999c0b4ef8bb6d6bb9bd380a11",
	} {
		got, err := ParseUUID(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, bad := range []string{"", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1", "g0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "a0eebc99-9c0b4-ef8-bb6d-6bb9bd380a11"} {
		_, err := ParseUUID(bad)
		assert.Error(t, err, bad)
	}
	var u UUID
	require.NoError(t, u.Scan([]byte{0xa0, 0xee, 0xbc, 0x99, 0x9c, 0x0b, 0x4e, 0xf8, 0xbb, 0x6d, 0x6b, 0xb9, 0xbd, 0x38, 0x0a, 0x11}))
	assert.Equal(t, want, u)
	roundTrip[UUID](t, want, want)
}

func TestPostgresJSON(t *testing.T) {
	var j JSONB
	require.NoError(t, j.Scan([]byte(`{"a": [1, 2]}`)))
	assert.Equal(t, JSONB(`{"a": [1, 2]}`), j)
	var m map[string][]int
	require.NoError(t, j.Unmarshal(&m))
	assert.Equal(t, map[string][]int{"a": {1, 2}}, m)
	require.NoError(t, j.Scan(nil))
	assert.Nil(t, j)
	v, err := j.Value()
	require.NoError(t, err)
	assert.Nil(t, v, "a nil JSONB is NULL")
	out, err := json.Marshal(struct{ Doc JSONB }{JSONB(`{"x":1}`)})
	require.NoError(t, err)
	assert.Equal(t, `{"Doc":{"x":1}}`, string(out))

	type pet struct {
		Name string `json:"name"`
		Age  int    `json:"age"`
	}
	var p JSON[pet]
	require.NoError(t, p.Scan(`{"name":"Rover","age":3}`))
	assert.Equal(t, pet{"Rover", 3}, p.V)
	pv, err := paramValue(p)
	require.NoError(t, err)
	assert.Equal(t, JSONB(`{"name":"Rover","age":3}`), pv, "JSON[T] is sent as jsonb")
	assert.ErrorContains(t, p.Scan(nil), "sql.Null")
}

func TestPostgresDecimal(t *testing.T) {
	for _, ok := range []string{"0", "-12.50", "+3", ".5", "5.", "1e10", "-1.5E-3", "123456789012345678901234567890.123456789", "NaN", "-Infinity"} {
		d, err := ParseDecimal(ok)
		require.NoError(t, err, ok)
		assert.Equal(t, Decimal(ok), d)
	}
	for _, bad := range []string{"", "1,5", "1.2.3", "abc", "--1", "1e"} {
		_, err := ParseDecimal(bad)
		assert.Error(t, err, bad)
	}
	r, err := Decimal("123456789012345678901234567890.5").Rat()
	require.NoError(t, err)
	assert.Equal(t, "246913578024691357802469135781/2", r.String(), "no digit is lost")
	_, err = Decimal("NaN").Rat()
	assert.Error(t, err)
	var d Decimal
	require.NoError(t, d.Scan(0.25))
	assert.Equal(t, Decimal("0.25"), d)
	require.NoError(t, d.Scan(int64(-7)))
	assert.Equal(t, Decimal("-7"), d)
	roundTrip[Decimal](t, Decimal("-0.000001"), Decimal("-0.000001"))
}

func TestPostgresInterval(t *testing.T) {
	for _, tc := range []struct {
		iv   Interval
		text string // as Postgres prints it (IntervalStyle postgres)
	}{
		{Interval{}, "00:00:00"},
		{Interval{Months: 14, Days: 3, Micros: (4*3600+5*60+6)*1e6 + 7}, "1 year 2 mons 3 days 04:05:06.000007"},
		{Interval{Months: 1}, "1 mon"},
		{Interval{Days: 1}, "1 day"},
		{Interval{Months: -14}, "-1 years -2 mons"},
		{Interval{Days: -1, Micros: 2 * 3600e6}, "-1 days +02:00:00"},
		{Interval{Micros: -1}, "-00:00:00.000001"},
		{Interval{Months: 12, Micros: -90e6}, "1 year -00:01:30"},
		{Interval{Micros: 100 * 3600e6}, "100:00:00"},
		{Interval{Micros: math.MaxInt64}, "2562047788:00:54.775807"},
		{Interval{Micros: math.MinInt64}, "-2562047788:00:54.775808"},
		{Interval{Months: math.MaxInt32, Days: math.MinInt32}, "178956970 years 7 mons -2147483648 days"},
	} {
		t.Run(tc.text, func(t *testing.T) {
			assert.Equal(t, tc.text, tc.iv.String())
			got, err := ParseInterval(tc.text)
			require.NoError(t, err)
			assert.Equal(t, tc.iv, got)
			roundTrip[Interval](t, tc.iv, tc.iv)
		})
	}
	d, err := Interval{Days: 1, Micros: 1500}.Duration()
	require.NoError(t, err)
	assert.Equal(t, 24*time.Hour+1500*time.Microsecond, d)
	_, err = Interval{Months: 1}.Duration()
	assert.Error(t, err)
	_, err = Interval{Micros: math.MaxInt64}.Duration()
	assert.Error(t, err, "overflows time.Duration")
	assert.Equal(t, Interval{Micros: 1500}, IntervalOf(1500*time.Microsecond+999))
	for _, bad := range []string{"", "1 fortnight", "1 day 2", "12:00", "1 day 01:00:00 3 days"} {
		_, err := ParseInterval(bad)
		assert.Error(t, err, bad)
	}
}

func TestPostgresRanges(t *testing.T) {
	assert.Equal(t, "[1,10)", Range[int32]{Lower: Incl[int32](1), Upper: Excl[int32](10)}.String())
	assert.Equal(t, "(,5]", Range[int64]{Upper: Incl[int64](5)}.String())
	assert.Equal(t, "(-1.5,)", Range[Decimal]{Lower: Excl(Decimal("-1.5"))}.String())
	assert.Equal(t, "(,)", Range[int32]{}.String())

	for _, r := range []Range[int32]{
		{Lower: Incl[int32](1), Upper: Excl[int32](10)},
		{Lower: Excl[int32](math.MinInt32), Upper: Incl[int32](math.MaxInt32)},
		{Upper: Excl[int32](0)},
		{},
	} {
		roundTrip[Range[int32]](t, r, r)
	}
	for _, r := range []Range[int64]{{Lower: Incl[int64](math.MinInt64)}, {Lower: Excl[int64](1), Upper: Incl[int64](1 << 40)}} {
		roundTrip[Range[int64]](t, r, r)
	}
	for _, r := range []Range[Decimal]{{Lower: Incl(Decimal("0.001")), Upper: Incl(Decimal("12345678901234567890.5"))}, {Lower: Excl(Decimal("-2"))}} {
		roundTrip[Range[Decimal]](t, r, r)
	}
	_, err := ParseRange[int32]("empty")
	assert.ErrorContains(t, err, "empty")
	for _, bad := range []string{"[1,2", "1,2", "[a,2)", "[1,2,3)", "[3000000000,)"} {
		_, err := ParseRange[int32](bad)
		assert.Error(t, err, bad)
	}
	var r Range[int32]
	assert.ErrorContains(t, r.Scan(nil), "sql.Null[pg.Range[int32]]")
}

func ptr[T any](v T) *T { return &v }

func TestPostgresArrays(t *testing.T) {
	ints := Int32Array{ptr[int32](1), nil, ptr[int32](-3)}
	assert.Equal(t, "{1,NULL,-3}", ints.String())
	roundTrip[Int32Array](t, ints, ints)
	roundTrip[Int32Array](t, Int32Array{}, Int32Array{})
	longs := Int64s(math.MinInt64, math.MaxInt64)
	assert.Equal(t, "{-9223372036854775808,9223372036854775807}", longs.String())
	roundTrip[Int64Array](t, longs, longs)
	decs := DecimalArray{ptr(Decimal("1.50")), nil, ptr(Decimal("-123456789012345678901234567890.1"))}
	roundTrip[DecimalArray](t, decs, decs)
	strs := StringArray{ptr("plain"), ptr(`a "quoted", \ one`), nil, ptr("NULL"), ptr(""), ptr(" {x} ")}
	assert.Equal(t, `{"plain","a \"quoted\", \\ one",NULL,"NULL",""," {x} "}`, strs.String())
	roundTrip[StringArray](t, strs, strs)

	// Postgres's own forms: unquoted strings, explicit bounds.
	var s StringArray
	require.NoError(t, s.Scan(`{abc,"d e",NULL,null}`))
	assert.Equal(t, StringArray{ptr("abc"), ptr("d e"), nil, nil}, s)
	var i Int32Array
	require.NoError(t, i.Scan("[0:2]={7,8,9}"))
	assert.Equal(t, Int32s(7, 8, 9), i)
	assert.ErrorContains(t, i.Scan("{{1,2},{3,4}}"), "more than one dimension")
	assert.Error(t, i.Scan("{1,x}"))
	require.NoError(t, i.Scan(nil))
	assert.Nil(t, i, "NULL is a nil array")
	v, err := Int32Array(nil).Value()
	require.NoError(t, err)
	assert.Nil(t, v)
}
