//go:build wasip1

// Command pg02app is the pets API of pgapp for a Spin 3 (WASI 0.2) build,
// where pg runs on fermyon:spin/postgres@2.0.0: only the types that
// interface carries (every integer width, floats, text, bytea, bool,
// NULL), and the errors for the others. The server's URL is in PG_URL.
package main

import (
	"database/sql"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"

	spinhttp "github.com/spin-go/sdk/http"
	"github.com/spin-go/sdk/internal/e2e/testdata/petroutes"
	"github.com/spin-go/sdk/pg"
)

func main() {}

func pgURL() string { return os.Getenv("PG_URL") }

var db = sync.OnceValue(func() *sql.DB { return pg.Open(pgURL()) })

// typesTable has a column for every Go integer width (an int8 is
// Postgres's one-byte "char"; unsigned ones go as the next wider signed
// integer), floats, text, bytea and bool.
const typesTable = `CREATE TABLE types (id int4 PRIMARY KEY, c "char", i2 int2, i4 int4, i8 int8,
	u8 int2, u16 int4, u32 int8, f4 float4, f8 float8, t text, vc varchar(40), bp char(3), by bytea, b bool)`

const typeColumns = "c, i2, i4, i8, u8, u16, u32, f4, f8, t, vc, bp, by, b"

// typeRows are inserted by POST /types: the minimums, the maximums and NULLs.
var typeRows = map[int][]any{
	1: {int8(math.MinInt8), int16(math.MinInt16), int32(math.MinInt32), int64(math.MinInt64), uint8(0), uint16(0), uint32(0),
		float32(-math.MaxFloat32), -math.MaxFloat64, "", "", "abc", []byte{}, false},
	2: {int8(math.MaxInt8), int16(math.MaxInt16), int32(math.MaxInt32), int64(math.MaxInt64), uint8(math.MaxUint8), uint16(math.MaxUint16),
		uint32(math.MaxUint32), float32(0.1), math.Pi, "héllo, 世界 🐹", strings.Repeat("z", 40), "xyz", []byte{0, 1, 0, 255, 0}, true},
	3: {nil, sql.NullInt16{}, (*int32)(nil), sql.Null[int64]{}, (*uint8)(nil), nil, nil, sql.NullFloat64{}, (*float64)(nil),
		sql.NullString{}, (*string)(nil), nil, []byte(nil), sql.NullBool{}},
}

// describe formats a scanned value with its Go type.
func describe(v any) string {
	switch x := v.(type) {
	case nil:
		return "nil"
	case []byte:
		return fmt.Sprintf("[]byte %x", x)
	case string:
		return fmt.Sprintf("string %q", x)
	}
	return fmt.Sprintf("%T %v", v, v)
}

func init() {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /setup", petroutes.Setup(db,
		`CREATE TABLE pets (id serial PRIMARY KEY, name text UNIQUE NOT NULL, age int4 NOT NULL, weight float8, photo bytea)`,
		typesTable))
	mux.HandleFunc("POST /pets", petroutes.Insert(db, "INSERT INTO pets (name, age, weight, photo) VALUES ($1, $2, $3, $4) RETURNING id", func(q url.Values) ([]any, error) {
		age, _ := strconv.Atoi(q.Get("age"))
		weight, _ := strconv.ParseFloat(q.Get("weight"), 64)
		return []any{q.Get("name"), int32(age), weight, []byte{0, 1, 2, 255}}, nil
	}))
	mux.HandleFunc("GET /pets", petroutes.List(db, "SELECT id, name, age, weight, photo FROM pets ORDER BY id", func(rows *sql.Rows) (map[string]any, error) {
		var id, age int32
		var name string
		var weight float64
		var photo []byte
		err := rows.Scan(&id, &name, &age, &weight, &photo)
		return map[string]any{"id": id, "name": name, "age": age, "weight": weight, "photo": photo}, err
	}))
	mux.HandleFunc("POST /birthday", petroutes.Birthday(db))
	mux.HandleFunc("POST /oops", petroutes.Rollback(db, &sql.TxOptions{Isolation: sql.LevelRepeatableRead}, "SHOW transaction_isolation"))
	mux.HandleFunc("POST /types", func(w http.ResponseWriter, r *http.Request) {
		for id := 1; id <= len(typeRows); id++ {
			marks := make([]string, len(typeRows[id]))
			for i := range marks {
				marks[i] = "$" + strconv.Itoa(i+2)
			}
			args := append([]any{int32(id)}, typeRows[id]...)
			if _, err := db().Exec("INSERT INTO types (id, "+typeColumns+") VALUES ($1, "+strings.Join(marks, ", ")+")", args...); err != nil {
				petroutes.Fail(w, err)
				return
			}
		}
		fmt.Fprint(w, "ok")
	})
	// GET /types?id=N reports row N, the "char" read as int4.
	mux.HandleFunc("GET /types", petroutes.Columns(db, "SELECT c::int4 AS "+typeColumns+" FROM types WHERE id = $1",
		func(id string) any { n, _ := strconv.Atoi(id); return int32(n) }, describe))
	// GET /typed scans row 2 into exact Go types.
	mux.HandleFunc("GET /typed", func(w http.ResponseWriter, r *http.Request) {
		var (
			c         int8
			i2        int16
			i4        int32
			i8        int64
			u8        uint8
			u16       uint16
			u32       uint32
			f4        float32
			f8        float64
			t, vc, bp string
			by        []byte
			b         bool
		)
		err := db().QueryRow("SELECT c::int4, "+typeColumns[3:]+" FROM types WHERE id = 2").Scan(&c, &i2, &i4, &i8, &u8, &u16, &u32, &f4, &f8, &t, &vc, &bp, &by, &b)
		fmt.Fprintf(w, "%d %d %d %d %d %d %d %v %v %q %d %q %x %v %v", c, i2, i4, i8, u8, u16, u32, f4, f8, t, len(vc), bp, by, b, err)
	})
	mux.HandleFunc("POST /dup", func(w http.ResponseWriter, r *http.Request) {
		_, err := db().Exec("INSERT INTO pets (name, age) VALUES ($1, $2)", "Rover", int32(1))
		var pgErr *pg.Error
		fmt.Fprintf(w, "is-query-failed=%v is-pg-error=%v\n%v", errors.Is(err, pg.ErrQueryFailed), errors.As(err, &pgErr), err)
	})
	// GET /bad: a syntax error, a column Spin 3 cannot carry (and its
	// NULL, and the cast that carries it), and a Spin-4-only parameter
	// type (and the cast that takes its text).
	mux.HandleFunc("GET /bad", func(w http.ResponseWriter, r *http.Request) {
		_, err := db().Exec("SELEKT nonsense")
		fmt.Fprintln(w, err)
		var v any
		err = db().QueryRow("SELECT c FROM types WHERE id = 2").Scan(&v)
		fmt.Fprintln(w, err, errors.Is(err, pg.ErrValueConversion))
		err = db().QueryRow("SELECT NULL::date").Scan(&v)
		fmt.Fprintln(w, "null date:", describe(v), err)
		born := pg.Date{Year: 2020, Month: 3, Day: 1}
		_, err = db().Exec("SELECT $1::text, $2::date", "x", born)
		fmt.Fprintln(w, err, errors.Is(err, pg.ErrBadParameter))
		err = db().QueryRow("SELECT ($1::text::date + 1)::text", born.String()).Scan(&v)
		fmt.Fprintln(w, "as text:", describe(v), err)
	})
	mux.HandleFunc("GET /registered", petroutes.Registered(pg.DriverName, pgURL, "SELECT COUNT(*) FROM pets WHERE name = $1"))
	mux.HandleFunc("GET /denied", petroutes.Denied(pg.Open, "postgres://spin:secret@127.0.0.1:1/spin", pg.ErrConnectionFailed))
	mux.HandleFunc("POST /bulk", petroutes.Bulk(db, "INSERT INTO pets (name, age) VALUES ($1, $2)", func(name string, i int) []any {
		return []any{name, int32(i)}
	}))
	mux.HandleFunc("GET /count", petroutes.Count(db, "SELECT id, age FROM pets ORDER BY id"))
	spinhttp.Serve(mux)
}
