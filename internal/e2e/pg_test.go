package e2e

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spin-go/sdk/internal/testserver"
	"github.com/spin-go/sdk/internal/toolchain"
	"github.com/spin-go/sdk/spintest"
)

// TestPostgresPets is a pets API on a real PostgreSQL server through
// database/sql and spin:postgres/postgres@4.2.0: a round trip of every
// value the interface carries (extremes, NULLs, ranges with each bound
// kind and unbounded, arrays with NULL elements, dates BC, microseconds,
// decimals wider than float64) checked field by field, RETURNING and
// RowsAffected, a committed and a rolled-back (serializable) transaction,
// a read-only transaction, the server's errors with their SQLSTATE through
// errors.As, a value without a WIT form, a denied address, thousands of
// rows streamed, and rows left open or closed early on a connection that
// goes on working.
func TestPostgresPets(t *testing.T) {
	short(t)
	pgsrv := testserver.Postgres(t)
	dir := oneComponentApp(t, "pgapp", fmt.Sprintf("allowed_outbound_hosts = [\"postgres://127.0.0.1:%d\"]\nenvironment = { PG_URL = %q }", pgsrv.Port(), pgsrv.URL))
	srv := spintest.Up(t, dir, spintest.UpOptions{})

	code, body := post(t, srv, "/setup")
	require.Equal(t, 200, code, body)
	_, body = post(t, srv, "/pets?name=Rover&age=3&born=2021-05-04")
	assert.Equal(t, "id=1 affected=1", body)
	_, body = post(t, srv, "/pets?name=Tom&age=7&born=1959-12-31")
	assert.Equal(t, "id=2 affected=1", body)
	_, body = srv.Get(t, "/pets")
	var pets []map[string]any
	require.NoError(t, json.Unmarshal([]byte(body), &pets), body)
	require.Len(t, pets, 2)
	assert.Equal(t, map[string]any{"id": 1.0, "name": "Rover", "age": 3.0, "born": "2021-05-04", "photo": "AAEC/w=="}, pets[0])
	assert.Equal(t, "1959-12-31", pets[1]["born"])

	t.Run("types", func(t *testing.T) { testPostgresTypes(t, srv) })

	_, body = post(t, srv, "/birthday")
	assert.Equal(t, "committed", body)
	_, body = post(t, srv, "/oops")
	assert.Equal(t, "rolled back (serializable: inside the transaction 0 rows were left, outside 2)", body)
	_, body = srv.Get(t, "/pets")
	require.NoError(t, json.Unmarshal([]byte(body), &pets), body)
	require.Len(t, pets, 2, "the rollback kept the rows")
	assert.Equal(t, 4.0, pets[0]["age"], "the committed birthday stayed")
	assert.Equal(t, 8.0, pets[1]["age"], "the committed birthday stayed")
	_, body = srv.Get(t, "/readonly")
	assert.Equal(t, `code=25006 err=pg: exec "INSERT INTO pets (name, age) VALUES ('Ghost', 1)": ERROR: cannot execute INSERT in a read-only transaction (SQLSTATE 25006)`, body)

	_, body = post(t, srv, "/dup")
	assert.Equal(t, `severity=ERROR code=23505 constraint=pets_name_key table=pets detail=Key (name)=(Rover) already exists. is-query-failed=true
pg: exec "INSERT INTO pets (name, age) VALUES ($1, $2)": ERROR: duplicate key value violates unique constraint "pets_name_key" (SQLSTATE 23505); DETAIL: Key (name)=(Rover) already exists.`, body)
	_, body = srv.Get(t, "/bad")
	assert.Equal(t, `pg: exec "SELEKT nonsense": ERROR: syntax error at or near "SELEKT" (SQLSTATE 42601)
pg: exec "INSERT INTO pets (name, age) VALUES ($1, $2)": ERROR: column "age" is of type integer but expression is of type text (SQLSTATE 42804); HINT: You will need to rewrite or cast the expression.
pg: reading rows of "SELECT 'empty'::int4range": value conversion failed: column int4range: an empty range has no WIT form true
`, body, "a parameter of the wrong type fails as it does in Spin; a value without a WIT form is a conversion error")
	_, body = srv.Get(t, "/registered")
	assert.Equal(t, "rover=1 err=<nil>", body, "sql.Open with the registered driver name")
	_, body = srv.Get(t, "/denied")
	assert.Equal(t, "pg: connecting to postgres://spin:xxxxx@127.0.0.1:1/spin: connection failed: address postgres://127.0.0.1:1 is not permitted: add it to the component's allowed_outbound_hosts connection-failed=true", body)
	srv.WaitOutput(t, "connection to postgres://127.0.0.1:1 denied", 10*time.Second)

	const n = 3000
	code, body = post(t, srv, fmt.Sprintf("/bulk?n=%d", n))
	require.Equal(t, 200, code, body)
	assert.Equal(t, fmt.Sprintf("inserted %d", n), body)
	_, body = srv.Get(t, "/count")
	assert.Equal(t, fmt.Sprintf("rows=%d sum=%d ordered=true err=<nil>", n+2, 4+8+n*(n-1)/2), body)
	_, body = post(t, srv, "/interleave")
	assert.Equal(t, fmt.Sprintf("rows=5000 sum=%d after-early-close=7", 5000*5001/2), body)
	peak := peakMemory(t, srv)
	t.Logf("%d rows streamed; peak guest linear memory %.1f MB", n+2, float64(peak)/(1<<20))
	assert.Less(t, peak, int64(48<<20), "rows stream instead of being held in guest memory")
	assert.NotContains(t, srv.Output(), "panicked")
}

func testPostgresTypes(t *testing.T, srv *spintest.Server) {
	types := map[string]string{
		"b": "BOOL", "c": "CHAR", "i2": "INT2", "i4": "INT4", "i8": "INT8", "f4": "FLOAT4", "f8": "FLOAT8",
		"t": "TEXT", "vc": "TEXT", "by": "BYTEA", "d": "DATE", "tm": "TIME", "ts": "TIMESTAMP",
		"tz": "TIMESTAMP", "tzus": "TIMESTAMP", // Spin reports timestamptz as datetime
		"u": "UUID", "j": "JSONB", "doc": "JSONB", "n": "NUMERIC", "r4": "INT4RANGE", "r8": "INT8RANGE",
		"rn": "NUMRANGE", "a4": "_INT4", "a8": "_INT8", "an": "_NUMERIC", "at": "_TEXT", "iv": "INTERVAL",
		"ip": "INET", "d2": "DATE", "tm2": "TIME", "j2": "JSONB", "n2": "NUMERIC", "i4any": "INT4",
	}
	utc := func(t time.Time) string { return "time " + t.UTC().Format(time.RFC3339Nano) + " UTC" }
	want := map[string]map[string]string{
		"typical": {
			"b": "bool true", "c": "int8 65", "i2": "int16 12345", "i4": "int32 123456789", "i8": "int64 1234567890123",
			"f4": "float32 1.1", "f8": "float64 3.141592653589793",
			"t": "string Rover, the good boy ✓", "vc": "string héllo", "by": "bytes 000102feff",
			"d": "pg.Date 2024-02-29", "tm": "pg.Time 12:34:56.123457", // Postgres rounds to microseconds
			"ts":   "time 2024-03-01T13:14:15.123456Z UTC",
			"tz":   utc(time.Unix(1700000000, 0)),
			"tzus": "time 2024-03-01T12:14:15.987654Z UTC",
			"u":    "pg.UUID a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
			"j":    `jsonb {"a": "é", "b": [1, 2, {"c": null}]}`,
			"doc":  "json {Name:Rex Tags:[x y]}",
			"n":    "pg.Decimal 12345678901234567890.123456789012345678",
			"r4":   "pg.Range[int32] [1,10)", "r8": "pg.Range[int64] (,5000000001)", "rn": "pg.Range[github.com/spin-go/sdk/pg.Decimal] [1.5,2.25]",
			"a4": "pg.Int32Array {1,2,3}", "a8": "pg.Int64Array {9223372036854775807,NULL}",
			"an": "pg.DecimalArray {0.10,NULL,-99999999999999999999.99}",
			"at": `pg.StringArray {"a \"quoted\", \\ one",NULL,"NULL","","{x}"}`,
			"iv": "pg.Interval 1 year 2 mons 3 days 04:05:06.000007",
			"ip": "bytes " + hex.EncodeToString([]byte("192.168.0.1/24")),
			"d2": "time 2024-02-29T00:00:00Z UTC", "tm2": "pg.Time 12:34:56.123457",
			"j2": `string {"a": "é", "b": [1, 2, {"c": null}]}`, "n2": "float64 1.2345678901234567e+19", "i4any": "int64 123456789",
		},
		"extremes": {
			"b": "bool false", "c": "int8 -128", "i2": "int16 -32768", "i4": "int32 -2147483648", "i8": "int64 -9223372036854775808",
			"f4": "float32 -3.4028235e+38", "f8": "float64 -Inf",
			"t": "string ", "vc": "string " + strings.Repeat("z", 40), "by": "bytes ",
			"d": "pg.Date 0044-03-15 BC", "tm": "pg.Time 23:59:59.999999",
			"ts":   "time 1901-12-13T20:45:52.000001Z UTC",
			"tz":   "time 1900-01-01T00:00:00Z UTC",
			"tzus": "time 1969-12-31T23:59:59.999999Z UTC",
			"u":    "pg.UUID 00000000-0000-0000-0000-000000000000",
			"j":    "jsonb []",
			"doc":  `json {Name:"odd" name Tags:[]}`,
			"n":    "pg.Decimal -0.000000000000000000000000000000001",
			"r4":   "pg.Range[int32] [2,6)", "r8": "pg.Range[int64] [-9223372036854775808,)", "rn": "pg.Range[github.com/spin-go/sdk/pg.Decimal] (,)",
			"a4": "pg.Int32Array {}", "a8": "pg.Int64Array {NULL}", "an": "pg.DecimalArray {}", "at": `pg.StringArray {"only"}`,
			"iv": "pg.Interval -1 mons +2 days -26:00:00.000001",
			"ip": "bytes " + hex.EncodeToString([]byte("::1")),
			"d2": "time " + time.Date(-43, 3, 15, 0, 0, 0, 0, time.UTC).Format(time.RFC3339Nano) + " UTC", "tm2": "pg.Time 23:59:59.999999",
			"j2": "string []", "n2": "float64 -1e-33", "i4any": "int64 -2147483648",
		},
	}
	nulls := map[string]string{}
	for col := range types {
		nulls[col] = "NULL"
	}
	want["nulls"] = nulls
	for _, name := range []string{"typical", "extremes", "nulls"} {
		t.Run(name, func(t *testing.T) {
			code, body := post(t, srv, "/types/"+name)
			require.Equal(t, 200, code, body)
			var got map[string]string
			require.NoError(t, json.Unmarshal([]byte(body), &got), body)
			for col, typ := range types {
				assert.Equal(t, want[name][col], got[col], "column %s", col)
				assert.Equal(t, typ, got[col+":type"], "type of column %s", col)
			}
			assert.Len(t, got, 2*len(types))
		})
	}
}

// TestPostgresPetsWASI02 is the pets API on a WASI 0.2 (Spin 3) build,
// where pg runs on fermyon:spin/postgres@2.0.0 (testdata/pg02app): every
// integer width, floats, UTF-8 text, bytea with zero bytes, NULLs and
// booleans round trip; a committed and a rolled-back transaction; the
// server's unique-violation message; a column and a parameter type the
// interface cannot carry; a denied address; rows returned whole.
func TestPostgresPetsWASI02(t *testing.T) {
	short(t)
	pgsrv := testserver.Postgres(t)
	dir := oneComponentApp(t, "pg02app", fmt.Sprintf("allowed_outbound_hosts = [\"postgres://127.0.0.1:%d\"]\nenvironment = { PG_URL = %q }", pgsrv.Port(), pgsrv.URL))
	srv := spintest.Up(t, dir, spintest.UpOptions{BuildOptions: spintest.BuildOptions{Worlds: []string{"fermyon:spin/http-trigger@3.0.0"}}})

	code, body := post(t, srv, "/setup")
	require.Equal(t, 200, code, body)
	_, body = post(t, srv, "/pets?name=Rover&age=3&weight=12.5")
	assert.Equal(t, "id=1 affected=1", body)
	_, body = post(t, srv, "/pets?name=Tom&age=7&weight=4.25")
	assert.Equal(t, "id=2 affected=1", body)
	_, body = srv.Get(t, "/pets")
	var pets []map[string]any
	require.NoError(t, json.Unmarshal([]byte(body), &pets), body)
	require.Len(t, pets, 2)
	assert.Equal(t, map[string]any{"id": 1.0, "name": "Rover", "age": 3.0, "weight": 12.5, "photo": "AAEC/w=="}, pets[0])

	code, body = post(t, srv, "/types")
	require.Equal(t, 200, code, body)
	names := []string{"c INT4", "i2 INT2", "i4 INT4", "i8 INT8", "u8 INT2", "u16 INT4", "u32 INT8", "f4 FLOAT4", "f8 FLOAT8",
		"t TEXT", "vc TEXT", "bp TEXT", "by BYTEA", "b BOOL"}
	lines := func(vals ...string) string {
		var b strings.Builder
		for i, v := range vals {
			fmt.Fprintf(&b, "%s: %s\n", names[i], v)
		}
		return b.String()
	}
	i64 := func(v any) string { return fmt.Sprint("int64 ", v) }
	_, body = srv.Get(t, "/types?id=1")
	assert.Equal(t, lines(i64(math.MinInt8), i64(math.MinInt16), i64(math.MinInt32), i64(math.MinInt64), i64(0), i64(0), i64(0),
		fmt.Sprint("float64 ", float64(float32(-math.MaxFloat32))), fmt.Sprint("float64 ", -math.MaxFloat64),
		`string ""`, `string ""`, `string "abc"`, "[]byte ", "bool false"), body, "minimums")
	_, body = srv.Get(t, "/types?id=2")
	assert.Equal(t, lines(i64(math.MaxInt8), i64(math.MaxInt16), i64(math.MaxInt32), i64(math.MaxInt64), i64(math.MaxUint8),
		i64(math.MaxUint16), i64(uint32(math.MaxUint32)), fmt.Sprint("float64 ", float64(float32(0.1))), fmt.Sprint("float64 ", math.Pi),
		`string "héllo, 世界 🐹"`, fmt.Sprintf("string %q", strings.Repeat("z", 40)), `string "xyz"`, "[]byte 000100ff00", "bool true"), body, "maximums")
	_, body = srv.Get(t, "/types?id=3")
	assert.Equal(t, lines(strings.Split(strings.Repeat("nil,", len(names)-1)+"nil", ",")...), body, "NULLs")
	_, body = srv.Get(t, "/typed")
	assert.Equal(t, fmt.Sprintf("%d %d %d %d %d %d %d 0.1 %v %q 40 \"xyz\" 000100ff00 true <nil>",
		math.MaxInt8, math.MaxInt16, math.MaxInt32, math.MaxInt64, math.MaxUint8, math.MaxUint16, uint32(math.MaxUint32),
		math.Pi, "héllo, 世界 🐹"), body, "Scan into exact Go types")

	_, body = post(t, srv, "/birthday")
	assert.Equal(t, "committed", body)
	_, body = post(t, srv, "/oops")
	assert.Equal(t, "rolled back (repeatable read: inside the transaction 0 rows were left, outside 2)", body)
	_, body = srv.Get(t, "/pets")
	require.NoError(t, json.Unmarshal([]byte(body), &pets), body)
	require.Len(t, pets, 2, "the rollback kept the rows")
	assert.Equal(t, 4.0, pets[0]["age"], "the committed birthday stayed")
	assert.Equal(t, 8.0, pets[1]["age"], "the committed birthday stayed")

	_, body = post(t, srv, "/dup")
	assert.Equal(t, `is-query-failed=true is-pg-error=false
pg: exec "INSERT INTO pets (name, age) VALUES ($1, $2)": query failed: ERROR:  duplicate key value violates unique constraint "pets_name_key"
DETAIL:  Key (name)=(Rover) already exists.`, body, "the server's message reaches the guest as text")
	_, body = srv.Get(t, "/bad")
	assert.Equal(t, `pg: exec "SELEKT nonsense": query failed: ERROR:  syntax error at or near "SELEKT"
pg: reading rows of "SELECT c FROM types WHERE id = 2": value conversion failed: column c: its type has no form in this Spin 3 (WASI 0.2) build's fermyon:spin/postgres@2.0.0 (only bool, integers, floats, text and bytea); cast it in SQL (::text) or build for Spin 4 true
null date: nil <nil>
sql: converting argument $2 type: pg: parameter $2: bad parameter: pg.Date needs Spin 4 (spin:postgres/postgres@4.2.0): this Spin 3 (WASI 0.2) build's fermyon:spin/postgres@2.0.0 carries only bool, integers, floats, string, []byte and NULL; send its text as a string and cast it in SQL ($2::text::date) true
as text: string "2020-03-02" <nil>
`, body)
	_, body = srv.Get(t, "/registered")
	assert.Equal(t, "rover=1 err=<nil>", body, "sql.Open with the registered driver name")
	_, body = srv.Get(t, "/denied")
	assert.Equal(t, "pg: connecting to postgres://spin:xxxxx@127.0.0.1:1/spin: connection failed: address postgres://127.0.0.1:1 is not permitted: add it to the component's allowed_outbound_hosts connection-failed=true", body)
	srv.WaitOutput(t, "connection to postgres://127.0.0.1:1 denied", 10*time.Second)

	const n = 500
	code, body = post(t, srv, fmt.Sprintf("/bulk?n=%d", n))
	require.Equal(t, 200, code, body)
	_, body = srv.Get(t, "/count")
	assert.Equal(t, fmt.Sprintf("rows=%d sum=%d ordered=true err=<nil>", n+2, 4+8+n*(n-1)/2), body, "a row set returned whole")
	assert.NotContains(t, srv.Output(), "panicked")
}

// TestPostgresHostSync drives the local host's implementation directly
// (testdata/pgapp/host_driver.mjs) for what a Go component does not call:
// the synchronous functions, which block on a worker thread, a statement
// while rows stream on the same connection, the connection builder,
// key=value addresses and the 3.0.0 shapes.
func TestPostgresHostSync(t *testing.T) {
	short(t)
	pgsrv := testserver.Postgres(t)
	tc, err := toolchain.Ensure(context.Background())
	require.NoError(t, err)
	driver, err := filepath.Abs(filepath.Join("testdata", "pgapp", "host_driver.mjs"))
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, tc.Node, driver, pgsrv.URL)
	cmd.Dir = tc.Dir
	cmd.Env = append(os.Environ(), "SPIN_GO_TOOLS="+tc.Dir)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	assert.Contains(t, string(out), "pg host: 8 passed, 0 failed", "%s", out)
}
