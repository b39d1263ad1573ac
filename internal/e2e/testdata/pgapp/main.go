//go:build wasip1

// Command pgapp is a pets API on PostgreSQL through database/sql and
// spin:postgres/postgres@4.2.0, with a table holding every type the
// interface carries.
package main

import (
	"context"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"os"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"

	spinhttp "github.com/spin-go/sdk/http"
	"github.com/spin-go/sdk/internal/e2e/testdata/petroutes"
	"github.com/spin-go/sdk/pg"
)

func pgURL() string { return os.Getenv("PG_URL") }

var db = sync.OnceValue(func() *sql.DB { return pg.Open(pgURL()) })

func main() {}

func p[T any](v T) *T { return &v }

// typeColumns is the table with a column for every case of the WIT, and
// an inet column, which has none.
const typeColumns = `id int4 PRIMARY KEY, b bool, c "char", i2 int2, i4 int4, i8 int8, f4 float4, f8 float8,
	t text, vc varchar(40), by bytea, d date, tm time, ts timestamp, tz timestamptz, tzus timestamptz,
	u uuid, j jsonb, doc jsonb, n numeric, r4 int4range, r8 int8range, rn numrange,
	a4 int4[], a8 int8[], an numeric[], at text[], iv interval, ip inet`

type pet struct {
	Name string   `json:"name"`
	Tags []string `json:"tags"`
}

// cases are the rows the round trip inserts, as parameters.
var cases = map[string][]any{
	"typical": {
		true, int8(65), int16(12345), int32(123456789), int64(1234567890123), float32(1.1), 3.141592653589793,
		"Rover, the good boy ✓", "héllo", []byte{0, 1, 2, 0xfe, 0xff},
		pg.Date{Year: 2024, Month: time.February, Day: 29}, pg.Time{Hour: 12, Minute: 34, Second: 56, Nanosecond: 123456789},
		time.Date(2024, 3, 1, 13, 14, 15, 123456000, time.UTC), pg.Timestamp{Time: time.Unix(1700000000, 0)},
		time.Date(2024, 3, 1, 13, 14, 15, 987654000, time.FixedZone("CET", 3600)),
		pg.UUID("A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11"), pg.JSONB(`{"b":[1,2,{"c":null}],"a":"é"}`), pg.JSON[pet]{V: pet{"Rex", []string{"x", "y"}}},
		pg.Decimal("12345678901234567890.123456789012345678"),
		pg.Range[int32]{Lower: pg.Incl[int32](1), Upper: pg.Excl[int32](10)},
		pg.Range[int64]{Upper: pg.Incl[int64](5000000000)},
		pg.Range[pg.Decimal]{Lower: pg.Incl(pg.Decimal("1.5")), Upper: pg.Incl(pg.Decimal("2.25"))},
		[]int32{1, 2, 3}, pg.Int64Array{p[int64](math.MaxInt64), nil}, pg.DecimalArray{p(pg.Decimal("0.10")), nil, p(pg.Decimal("-99999999999999999999.99"))},
		pg.StringArray{p(`a "quoted", \ one`), nil, p("NULL"), p(""), p("{x}")},
		pg.Interval{Months: 14, Days: 3, Micros: 4*3600e6 + 5*60e6 + 6e6 + 7},
		"192.168.0.1/24",
	},
	"extremes": {
		false, int8(-128), int16(math.MinInt16), int32(math.MinInt32), int64(math.MinInt64), float32(-3.4028235e38), math.Inf(-1),
		"", strings.Repeat("z", 40), []byte{},
		pg.Date{Year: -43, Month: time.March, Day: 15}, pg.Time{Hour: 23, Minute: 59, Second: 59, Nanosecond: 999999000},
		time.Date(1901, 12, 13, 20, 45, 52, 1000, time.UTC), pg.Timestamp{Time: time.Unix(-2208988800, 0)},
		time.Date(1969, 12, 31, 23, 59, 59, 999999000, time.UTC),
		pg.UUID("00000000-0000-0000-0000-000000000000"), json.RawMessage(`[]`), pg.JSON[pet]{V: pet{Name: `"odd" name`}},
		pg.Decimal("-0.000000000000000000000000000000001"),
		pg.Range[int32]{Lower: pg.Excl[int32](1), Upper: pg.Incl[int32](5)},
		pg.Range[int64]{Lower: pg.Incl[int64](math.MinInt64)},
		pg.Range[pg.Decimal]{},
		[]int32{}, pg.Int64Array{nil}, pg.DecimalArray{}, []string{"only"},
		pg.Interval{Months: -1, Days: 2, Micros: -(26*3600e6 + 1)},
		"::1",
	},
	"nulls": {
		sql.Null[bool]{}, (*int8)(nil), sql.NullInt16{}, (*int32)(nil), sql.Null[int64]{}, (*float32)(nil), nil,
		(*string)(nil), sql.NullString{}, []byte(nil),
		sql.Null[pg.Date]{}, (*pg.Time)(nil),
		(*time.Time)(nil), sql.Null[pg.Timestamp]{}, nil,
		sql.Null[pg.UUID]{}, pg.JSONB(nil), (*pg.JSON[pet])(nil),
		(*pg.Decimal)(nil),
		sql.Null[pg.Range[int32]]{}, (*pg.Range[int64])(nil), nil,
		pg.Int32Array(nil), []int64(nil), pg.DecimalArray(nil), pg.StringArray(nil),
		sql.Null[pg.Interval]{},
		nil,
	},
}

var caseIDs = map[string]int32{"typical": 1, "extremes": 2, "nulls": 3}

// roundTrip inserts one case and reads it back into typed values; each
// column is reported as text, with its database type name.
func roundTrip(ctx context.Context, name string) (map[string]string, error) {
	args := append([]any{caseIDs[name]}, cases[name]...)
	marks := make([]string, len(args))
	for i := range marks {
		marks[i] = "$" + strconv.Itoa(i+1)
	}
	// Spin binds a time.Time (datetime) to a timestamp, and text to text.
	marks[15] = "$16::timestamp AT TIME ZONE 'UTC'"
	marks[28] = "$29::text::inet"
	_, err := db().ExecContext(ctx, `INSERT INTO everything (id, b, c, i2, i4, i8, f4, f8, t, vc, by, d, tm, ts, tz, tzus, u, j, doc, n, r4, r8, rn, a4, a8, an, at, iv, ip)
		VALUES (`+strings.Join(marks, ", ")+`)`, args...)
	if err != nil {
		return nil, err
	}
	rows, err := db().QueryContext(ctx, `SELECT b, c, i2, i4, i8, f4, f8, t, vc, by, d, tm, ts, tz, tzus, u, j, doc, n, r4, r8, rn,
		a4, a8, an, at, iv, ip, d AS d2, tm AS tm2, j AS j2, n AS n2, i4 AS i4any FROM everything WHERE id = $1`, caseIDs[name])
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var (
		b    sql.Null[bool]
		c    *int8
		i2   sql.NullInt16
		i4   *int32
		i8   sql.Null[int64]
		f4   *float32
		f8   sql.NullFloat64
		t    *string
		vc   sql.NullString
		by   []byte
		d    sql.Null[pg.Date]
		tm   sql.Null[pg.Time]
		ts   sql.Null[time.Time]
		tz   sql.Null[time.Time]
		tzus sql.Null[time.Time]
		u    sql.Null[pg.UUID]
		j    pg.JSONB
		doc  sql.Null[pg.JSON[pet]]
		n    sql.Null[pg.Decimal]
		r4   sql.Null[pg.Range[int32]]
		r8   sql.Null[pg.Range[int64]]
		rn   sql.Null[pg.Range[pg.Decimal]]
		a4   pg.Int32Array
		a8   pg.Int64Array
		an   pg.DecimalArray
		at   pg.StringArray
		iv   sql.Null[pg.Interval]
		ip   []byte
		d2   sql.Null[time.Time]
		tm2  any
		j2   sql.NullString
		n2   sql.NullFloat64
		i4a  any
	)
	dests := []any{&b, &c, &i2, &i4, &i8, &f4, &f8, &t, &vc, &by, &d, &tm, &ts, &tz, &tzus, &u, &j, &doc, &n, &r4, &r8, &rn, &a4, &a8, &an, &at, &iv, &ip, &d2, &tm2, &j2, &n2, &i4a}
	if !rows.Next() {
		return nil, fmt.Errorf("row %s not found: %v", name, rows.Err())
	}
	if err := rows.Scan(dests...); err != nil {
		return nil, err
	}
	cols, _ := rows.ColumnTypes()
	out := map[string]string{}
	for k, col := range cols {
		out[col.Name()] = show(dests[k])
		out[col.Name()+":type"] = col.DatabaseTypeName()
	}
	return out, rows.Err()
}

// show formats a scanned value: NULL, or its Go type and value.
func show(dest any) string {
	v := reflect.ValueOf(dest).Elem()
	if v.Kind() == reflect.Struct && strings.HasPrefix(v.Type().Name(), "Null") {
		if !v.FieldByName("Valid").Bool() {
			return "NULL"
		}
		v = v.Field(0)
	}
	if (v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface || v.Kind() == reflect.Slice) && v.IsNil() {
		return "NULL"
	}
	if v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		v = v.Elem()
	}
	switch x := v.Interface().(type) {
	case time.Time:
		return "time " + x.Format(time.RFC3339Nano) + " " + x.Location().String()
	case []byte:
		return "bytes " + hex.EncodeToString(x)
	case pg.JSONB:
		return "jsonb " + string(x)
	case pg.JSON[pet]:
		return fmt.Sprintf("json %+v", x.V)
	case float32, float64:
		return fmt.Sprintf("%T %v", x, x)
	case fmt.Stringer:
		return fmt.Sprintf("%T %s", x, x)
	}
	return fmt.Sprintf("%T %v", v.Interface(), v.Interface())
}

func init() {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /setup", petroutes.Setup(db,
		`CREATE TABLE pets (id serial PRIMARY KEY, name text UNIQUE NOT NULL, age int4 NOT NULL, born date, photo bytea)`,
		`CREATE TABLE everything (`+typeColumns+`)`))
	mux.HandleFunc("POST /pets", petroutes.Insert(db, "INSERT INTO pets (name, age, born, photo) VALUES ($1, $2, $3, $4) RETURNING id", func(q url.Values) ([]any, error) {
		age, _ := strconv.Atoi(q.Get("age"))
		born, err := pg.ParseDate(q.Get("born"))
		return []any{q.Get("name"), int32(age), born, []byte{0, 1, 2, 255}}, err
	}))
	mux.HandleFunc("GET /pets", petroutes.List(db, "SELECT id, name, age, born, photo FROM pets ORDER BY id", func(rows *sql.Rows) (map[string]any, error) {
		var id, age int32
		var name string
		var born pg.Date
		var photo []byte
		err := rows.Scan(&id, &name, &age, &born, &photo)
		return map[string]any{"id": id, "name": name, "age": age, "born": born.String(), "photo": photo}, err
	}))
	mux.HandleFunc("POST /types/{case}", func(w http.ResponseWriter, r *http.Request) {
		out, err := roundTrip(r.Context(), r.PathValue("case"))
		if err != nil {
			petroutes.Fail(w, err)
			return
		}
		json.NewEncoder(w).Encode(out)
	})
	mux.HandleFunc("POST /birthday", petroutes.Birthday(db))
	mux.HandleFunc("POST /oops", petroutes.Rollback(db, &sql.TxOptions{Isolation: sql.LevelSerializable}, "SHOW transaction_isolation"))
	mux.HandleFunc("GET /readonly", func(w http.ResponseWriter, r *http.Request) {
		tx, err := db().BeginTx(r.Context(), &sql.TxOptions{ReadOnly: true})
		if err != nil {
			petroutes.Fail(w, err)
			return
		}
		defer tx.Rollback()
		_, err = tx.Exec("INSERT INTO pets (name, age) VALUES ('Ghost', 1)")
		var pgErr *pg.Error
		errors.As(err, &pgErr)
		fmt.Fprintf(w, "code=%s err=%v", pgErr.Code, err)
	})
	mux.HandleFunc("POST /dup", func(w http.ResponseWriter, r *http.Request) {
		_, err := db().Exec("INSERT INTO pets (name, age) VALUES ($1, $2)", "Rover", int32(1))
		var pgErr *pg.Error
		if !errors.As(err, &pgErr) {
			fmt.Fprintf(w, "not a *pg.Error: %v", err)
			return
		}
		fmt.Fprintf(w, "severity=%s code=%s constraint=%s table=%s detail=%s is-query-failed=%v\n%v",
			pgErr.Severity, pgErr.Code, pgErr.Extras["constraint"], pgErr.Extras["table"], pgErr.Detail, errors.Is(err, pg.ErrQueryFailed), err)
	})
	mux.HandleFunc("GET /bad", func(w http.ResponseWriter, r *http.Request) {
		_, err := db().Exec("SELEKT nonsense")
		fmt.Fprintln(w, err)
		_, err = db().Exec("INSERT INTO pets (name, age) VALUES ($1, $2)", "Typo", "not a number")
		fmt.Fprintln(w, err)
		var empty pg.Range[int32]
		err = db().QueryRow("SELECT 'empty'::int4range").Scan(&empty)
		fmt.Fprintln(w, err, errors.Is(err, pg.ErrValueConversion))
	})
	mux.HandleFunc("GET /registered", petroutes.Registered(pg.DriverName, pgURL, "SELECT COUNT(*) FROM pets WHERE name = $1"))
	mux.HandleFunc("GET /denied", petroutes.Denied(pg.Open, "postgres://spin:secret@127.0.0.1:1/spin", pg.ErrConnectionFailed))
	mux.HandleFunc("POST /bulk", petroutes.Bulk(db, "INSERT INTO pets (name, age) VALUES ($1, $2)", func(name string, i int) []any {
		return []any{name, int32(i)}
	}))
	mux.HandleFunc("GET /count", petroutes.Count(db, "SELECT id, age, name FROM pets ORDER BY id"))
	// Rows left open while the same connection runs another statement,
	// and rows closed before their end.
	mux.HandleFunc("POST /interleave", func(w http.ResponseWriter, r *http.Request) {
		tx, err := db().Begin()
		if err != nil {
			petroutes.Fail(w, err)
			return
		}
		defer tx.Rollback()
		rows, err := tx.Query("SELECT g FROM generate_series(1, 5000) g")
		if err != nil {
			petroutes.Fail(w, err)
			return
		}
		sum, n := 0, 0
		for rows.Next() {
			var g int
			rows.Scan(&g)
			sum += g
			n++
			if n == 10 {
				// The rows are still open on this connection.
				if _, err := tx.Exec("UPDATE pets SET age = age WHERE id = 1"); err != nil {
					petroutes.Fail(w, err)
					return
				}
			}
		}
		if err := rows.Err(); err != nil {
			petroutes.Fail(w, err)
			return
		}
		partial, err := tx.Query("SELECT g FROM generate_series(1, 5000) g")
		if err != nil {
			petroutes.Fail(w, err)
			return
		}
		for i := 0; i < 3 && partial.Next(); i++ {
		}
		partial.Close()
		var after int
		if err := tx.QueryRow("SELECT COUNT(*) FROM generate_series(1, 7)").Scan(&after); err != nil {
			petroutes.Fail(w, err)
			return
		}
		fmt.Fprintf(w, "rows=%d sum=%d after-early-close=%d", n, sum, after)
	})
	spinhttp.Serve(mux)
}
