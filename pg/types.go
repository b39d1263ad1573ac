package pg

import (
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// errNull is returned when NULL is scanned into a type that cannot hold it.
func errNull(into string) error {
	return fmt.Errorf("pg: cannot scan NULL into %s: use sql.Null[%s]", into, into)
}

func scanError(src any, into string) error {
	return fmt.Errorf("pg: cannot scan %T into %s", src, into)
}

// textOf returns src as text when it is a string or []byte.
func textOf(src any) (string, bool) {
	switch s := src.(type) {
	case string:
		return s, true
	case []byte:
		return string(s), true
	}
	return "", false
}

// Date is a Postgres date: a day of the proleptic Gregorian calendar.
// Year 0 is 1 BC, year -1 is 2 BC (astronomical numbering, as Spin's host
// uses); its text form writes those years with " BC" as Postgres does.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the date of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

// Time returns midnight UTC at the start of the date.
func (d Date) Time() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }

// IsValid reports whether the date exists and its year fits the WIT s32.
func (d Date) IsValid() bool {
	if d.Month < 1 || d.Month > 12 || d.Day < 1 || d.Year < math.MinInt32 || d.Year > math.MaxInt32 {
		return false
	}
	return DateOf(d.Time()) == d
}

// String is the Postgres text form: 2024-03-01, or 0044-03-15 BC.
func (d Date) String() string {
	y, bc := d.Year, ""
	if y <= 0 {
		y, bc = 1-y, " BC"
	}
	return fmt.Sprintf("%04d-%02d-%02d%s", y, int(d.Month), d.Day, bc)
}

var dateRE = regexp.MustCompile(`^(\d{4,})-(\d{2})-(\d{2})( BC)?$`)

// ParseDate parses the Postgres text form of a date (see String).
func ParseDate(s string) (Date, error) {
	m := dateRE.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return Date{}, fmt.Errorf("pg: invalid date %q", s)
	}
	y, _ := strconv.Atoi(m[1])
	mo, _ := strconv.Atoi(m[2])
	day, _ := strconv.Atoi(m[3])
	if m[4] != "" {
		y = 1 - y
	}
	d := Date{Year: y, Month: time.Month(mo), Day: day}
	if !d.IsValid() {
		return Date{}, fmt.Errorf("pg: invalid date %q", s)
	}
	return d, nil
}

// Scan reads a date column (time.Time) or its text form.
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		return errNull("pg.Date")
	case time.Time:
		*d = DateOf(v)
		return nil
	case Date:
		*d = v
		return nil
	}
	if s, ok := textOf(src); ok {
		v, err := ParseDate(s)
		if err == nil {
			*d = v
		}
		return err
	}
	return scanError(src, "pg.Date")
}

// Value is the date's text form.
func (d Date) Value() (driver.Value, error) { return d.String(), nil }

// Time is a Postgres time of day (time without time zone). Postgres keeps
// microseconds: it rounds Nanosecond to the nearest microsecond. Hour 24
// (with the rest zero) is Postgres's end of day.
type Time struct {
	Hour, Minute, Second, Nanosecond int
}

// TimeOf returns the clock of t in t's location.
func TimeOf(t time.Time) Time {
	return Time{Hour: t.Hour(), Minute: t.Minute(), Second: t.Second(), Nanosecond: t.Nanosecond()}
}

// IsValid reports whether the fields are a time of day.
func (t Time) IsValid() bool {
	if t.Hour == 24 {
		return t.Minute == 0 && t.Second == 0 && t.Nanosecond == 0
	}
	return t.Hour >= 0 && t.Hour < 24 && t.Minute >= 0 && t.Minute < 60 &&
		t.Second >= 0 && t.Second < 60 && t.Nanosecond >= 0 && t.Nanosecond < 1e9
}

// Duration is the time since midnight.
func (t Time) Duration() time.Duration {
	return time.Duration(t.Hour)*time.Hour + time.Duration(t.Minute)*time.Minute +
		time.Duration(t.Second)*time.Second + time.Duration(t.Nanosecond)
}

// String is the text form: 15:04:05, with a fraction only when there is one
// (15:04:05.123456).
func (t Time) String() string {
	s := fmt.Sprintf("%02d:%02d:%02d", t.Hour, t.Minute, t.Second)
	if t.Nanosecond != 0 {
		s += strings.TrimRight(fmt.Sprintf(".%09d", t.Nanosecond), "0")
	}
	return s
}

var timeRE = regexp.MustCompile(`^(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$`)

// ParseTime parses the text form of a time (see String).
func ParseTime(s string) (Time, error) {
	m := timeRE.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return Time{}, fmt.Errorf("pg: invalid time %q", s)
	}
	var t Time
	t.Hour, _ = strconv.Atoi(m[1])
	t.Minute, _ = strconv.Atoi(m[2])
	t.Second, _ = strconv.Atoi(m[3])
	if m[4] != "" {
		t.Nanosecond, _ = strconv.Atoi((m[4] + "00000000")[:9])
	}
	if !t.IsValid() {
		return Time{}, fmt.Errorf("pg: invalid time %q", s)
	}
	return t, nil
}

// Scan reads a time column, a time.Time (its clock) or the text form.
func (t *Time) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		return errNull("pg.Time")
	case Time:
		*t = v
		return nil
	case time.Time:
		*t = TimeOf(v)
		return nil
	}
	if s, ok := textOf(src); ok {
		v, err := ParseTime(s)
		if err == nil {
			*t = v
		}
		return err
	}
	return scanError(src, "pg.Time")
}

// Value is the time's text form.
func (t Time) Value() (driver.Value, error) { return t.String(), nil }

// Timestamp is a point in time sent as the WIT timestamp case: whole
// seconds since the Unix epoch, which Spin binds to timestamptz
// parameters. A Timestamp with a fraction of a second is refused rather
// than truncated; send a time.Time (datetime, microseconds) to keep it.
type Timestamp struct{ time.Time }

// Scan reads a timestamp column (time.Time) or RFC 3339 text.
func (t *Timestamp) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		return errNull("pg.Timestamp")
	case time.Time:
		t.Time = v
		return nil
	}
	if s, ok := textOf(src); ok {
		v, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return fmt.Errorf("pg: invalid timestamp %q", s)
		}
		t.Time = v
		return nil
	}
	return scanError(src, "pg.Timestamp")
}

// Value is the time in RFC 3339 form.
func (t Timestamp) Value() (driver.Value, error) { return t.UTC().Format(time.RFC3339Nano), nil }

// UUID is a UUID in its canonical text form (lower-case hex,
// 8-4-4-4-12). ParseUUID accepts the other forms Postgres reads.
type UUID string

// ParseUUID validates a UUID (with or without hyphens or braces, any case)
// and returns its canonical form.
func ParseUUID(s string) (UUID, error) {
	h := strings.ToLower(strings.TrimSpace(s))
	if strings.HasPrefix(h, "{") && strings.HasSuffix(h, "}") {
		h = h[1 : len(h)-1]
	}
	if len(h) == 36 && h[8] == '-' && h[13] == '-' && h[18] == '-' && h[23] == '-' {
		h = h[:8] + h[9:13] + h[14:18] + h[19:23] + h[24:]
	}
	if len(h) != 32 {
		return "", fmt.Errorf("pg: invalid UUID %q", s)
	}
	for _, c := range h {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return "", fmt.Errorf("pg: invalid UUID %q", s)
		}
	}
	return UUID(h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]), nil
}

// Scan reads a uuid column (its text) or 16 raw bytes.
func (u *UUID) Scan(src any) error {
	if src == nil {
		return errNull("pg.UUID")
	}
	if b, ok := src.([]byte); ok && len(b) == 16 {
		src = fmt.Sprintf("%x", b)
	}
	s, ok := textOf(src)
	if !ok {
		return scanError(src, "pg.UUID")
	}
	v, err := ParseUUID(s)
	if err == nil {
		*u = v
	}
	return err
}

// Value is the canonical text form.
func (u UUID) Value() (driver.Value, error) {
	v, err := ParseUUID(string(u))
	return string(v), err
}

// JSONB is a JSON document as its raw text; a nil JSONB is NULL. It
// marshals to JSON as itself, not as a string.
type JSONB []byte

// MarshalJSONB encodes v with encoding/json.
func MarshalJSONB(v any) (JSONB, error) {
	b, err := json.Marshal(v)
	return JSONB(b), err
}

// Unmarshal decodes the document into v with encoding/json.
func (j JSONB) Unmarshal(v any) error { return json.Unmarshal(j, v) }

// MarshalJSON returns the document itself (null for a nil JSONB).
func (j JSONB) MarshalJSON() ([]byte, error) {
	if j == nil {
		return []byte("null"), nil
	}
	return j, nil
}

// Scan copies a json or jsonb column (bytes or text); NULL is nil.
func (j *JSONB) Scan(src any) error {
	if src == nil {
		*j = nil
		return nil
	}
	s, ok := textOf(src)
	if !ok {
		return scanError(src, "pg.JSONB")
	}
	*j = JSONB(s)
	return nil
}

// Value is the document as text, or nil.
func (j JSONB) Value() (driver.Value, error) {
	if j == nil {
		return nil, nil
	}
	return string(j), nil
}

// JSON holds a value of any type stored as jsonb: Scan decodes a json or
// jsonb column into V, and as a parameter V is encoded with encoding/json.
//
//	var p pg.JSON[Pet]
//	err := db.QueryRow("SELECT doc FROM pets WHERE id = $1", int32(1)).Scan(&p)
//	_, err = db.Exec("UPDATE pets SET doc = $1", pg.JSON[Pet]{V: pet})
type JSON[T any] struct{ V T }

// Scan decodes the column into V.
func (j *JSON[T]) Scan(src any) error {
	if src == nil {
		return errNull(fmt.Sprintf("pg.JSON[%T]", j.V))
	}
	s, ok := textOf(src)
	if !ok {
		return scanError(src, fmt.Sprintf("pg.JSON[%T]", j.V))
	}
	return json.Unmarshal([]byte(s), &j.V)
}

// Value is V encoded as JSON text.
func (j JSON[T]) Value() (driver.Value, error) {
	b, err := json.Marshal(j.V)
	return string(b), err
}

func (j JSON[T]) jsonb() (JSONB, error) { return MarshalJSONB(j.V) }

// Decimal is a Postgres numeric as its decimal text, so that no digit is
// lost: 12.50, -0.000001, 123456789012345678901234567890.5, NaN.
type Decimal string

var decimalRE = regexp.MustCompile(`^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$`)

// ParseDecimal validates a decimal in the forms Postgres reads.
func ParseDecimal(s string) (Decimal, error) {
	t := strings.TrimSpace(s)
	switch strings.ToLower(t) {
	case "nan", "infinity", "+infinity", "-infinity", "inf", "+inf", "-inf":
		return Decimal(t), nil
	}
	if !decimalRE.MatchString(t) {
		return "", fmt.Errorf("pg: invalid decimal %q", s)
	}
	return Decimal(t), nil
}

// Rat returns the exact value (an error for NaN and infinities).
func (d Decimal) Rat() (*big.Rat, error) {
	r, ok := new(big.Rat).SetString(string(d))
	if !ok {
		return nil, fmt.Errorf("pg: decimal %q is not a finite number", string(d))
	}
	return r, nil
}

// Float64 returns the nearest float64.
func (d Decimal) Float64() (float64, error) { return strconv.ParseFloat(string(d), 64) }

// Scan reads a numeric column (text) or a number.
func (d *Decimal) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		return errNull("pg.Decimal")
	case int64:
		*d = Decimal(strconv.FormatInt(v, 10))
		return nil
	case float64:
		*d = Decimal(strconv.FormatFloat(v, 'f', -1, 64))
		return nil
	}
	s, ok := textOf(src)
	if !ok {
		return scanError(src, "pg.Decimal")
	}
	v, err := ParseDecimal(s)
	if err == nil {
		*d = v
	}
	return err
}

// Value is the decimal text.
func (d Decimal) Value() (driver.Value, error) {
	v, err := ParseDecimal(string(d))
	return string(v), err
}

// Interval is a Postgres interval in its three parts: months and days
// have no fixed length, so they are kept apart from the microseconds.
type Interval struct {
	Micros int64
	Days   int32
	Months int32
}

// IntervalOf returns an interval of d, in microseconds (truncated).
func IntervalOf(d time.Duration) Interval { return Interval{Micros: d.Microseconds()} }

// Duration converts the interval counting a day as 24 hours; an interval
// with months, or too long for a time.Duration, is an error.
func (i Interval) Duration() (time.Duration, error) {
	if i.Months != 0 {
		return 0, fmt.Errorf("pg: interval %s has months, which have no fixed length", i)
	}
	us := new(big.Int).Mul(big.NewInt(int64(i.Days)), big.NewInt(86400e6))
	us.Add(us, big.NewInt(i.Micros))
	us.Mul(us, big.NewInt(1000))
	if !us.IsInt64() {
		return 0, fmt.Errorf("pg: interval %s does not fit a time.Duration", i)
	}
	return time.Duration(us.Int64()), nil
}

// String is Postgres's own text form (IntervalStyle postgres):
// "1 year 2 mons -3 days +04:05:06.000007", "00:00:00".
func (i Interval) String() string {
	var parts []string
	before, zero := false, true
	add := func(v int64, unit string) {
		if v == 0 {
			return
		}
		sign := ""
		if before && v > 0 {
			sign = "+"
		}
		plural := "s"
		if v == 1 {
			plural = ""
		}
		parts = append(parts, fmt.Sprintf("%s%d %s%s", sign, v, unit, plural))
		before, zero = v < 0, false
	}
	add(int64(i.Months/12), "year")
	add(int64(i.Months%12), "mon")
	add(int64(i.Days), "day")
	if zero || i.Micros != 0 {
		u := new(big.Int).SetInt64(i.Micros)
		sign := ""
		if u.Sign() < 0 {
			sign = "-"
			u.Neg(u)
		} else if before {
			sign = "+"
		}
		frac := new(big.Int)
		secs, _ := new(big.Int).QuoRem(u, big.NewInt(1e6), frac)
		mins, sec := new(big.Int).QuoRem(secs, big.NewInt(60), new(big.Int))
		hours, min := new(big.Int).QuoRem(mins, big.NewInt(60), new(big.Int))
		s := fmt.Sprintf("%s%02d:%02d:%02d", sign, hours, min.Int64(), sec.Int64())
		if frac.Sign() != 0 {
			s += strings.TrimRight(fmt.Sprintf(".%06d", frac.Int64()), "0")
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

var (
	intervalPartRE = regexp.MustCompile(`^([+-]?\d+) (years?|mons?|days?)$`)
	intervalTimeRE = regexp.MustCompile(`^([+-]?)(\d+):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$`)
)

// ParseInterval parses Postgres's text form of an interval (see String).
func ParseInterval(s string) (Interval, error) {
	bad := fmt.Errorf("pg: invalid interval %q", s)
	fields := strings.Fields(s)
	var months, days int64
	var iv Interval
	for k := 0; k < len(fields); k++ {
		if k+1 < len(fields) {
			if m := intervalPartRE.FindStringSubmatch(fields[k] + " " + fields[k+1]); m != nil {
				n, err := strconv.ParseInt(m[1], 10, 32)
				if err != nil {
					return Interval{}, bad
				}
				switch m[2][:3] {
				case "yea":
					months += 12 * n
				case "mon":
					months += n
				default:
					days += n
				}
				k++
				continue
			}
		}
		m := intervalTimeRE.FindStringSubmatch(fields[k])
		if m == nil || k != len(fields)-1 {
			return Interval{}, bad
		}
		us, ok := new(big.Int).SetString(m[2], 10)
		if !ok {
			return Interval{}, bad
		}
		mi, _ := strconv.ParseInt(m[3], 10, 64)
		se, _ := strconv.ParseInt(m[4], 10, 64)
		fr, _ := strconv.ParseInt((m[5] + "000000")[:6], 10, 64)
		us.Mul(us, big.NewInt(3600e6))
		us.Add(us, big.NewInt(mi*60e6+se*1e6+fr))
		if m[1] == "-" {
			us.Neg(us)
		}
		if !us.IsInt64() {
			return Interval{}, bad
		}
		iv.Micros = us.Int64()
	}
	if len(fields) == 0 || months < math.MinInt32 || months > math.MaxInt32 || days < math.MinInt32 || days > math.MaxInt32 {
		return Interval{}, bad
	}
	iv.Months, iv.Days = int32(months), int32(days)
	return iv, nil
}

// Scan reads an interval column or its text form.
func (i *Interval) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		return errNull("pg.Interval")
	case Interval:
		*i = v
		return nil
	}
	s, ok := textOf(src)
	if !ok {
		return scanError(src, "pg.Interval")
	}
	v, err := ParseInterval(s)
	if err == nil {
		*i = v
	}
	return err
}

// Value is the interval's text form.
func (i Interval) Value() (driver.Value, error) { return i.String(), nil }

var errFraction = errors.New("pg.Timestamp carries whole seconds (Spin's timestamp case is Unix seconds): truncate it with Truncate(time.Second), or send a time.Time, which keeps microseconds")
