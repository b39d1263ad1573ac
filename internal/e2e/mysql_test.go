package e2e

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spin-go/sdk/internal/testserver"
	"github.com/spin-go/sdk/spintest"
)

// TestMySQLPets is a pets API on a real MariaDB server through
// database/sql and fermyon:spin/mysql@2.0.0: typed round trips of every
// type the interface has (extremes of every integer width, floats, UTF-8
// text, binary with zero bytes, NULLs, booleans), the Result methods'
// error (the interface reports no counts) and the SQL way to get them, a
// committed and a rolled-back transaction, isolation levels and read-only
// transactions, the server's error messages, a column type the interface
// cannot carry, and a denied address.
func TestMySQLPets(t *testing.T) {
	eachVersion(t, testMySQLPets)
}

func testMySQLPets(t *testing.T, opts spintest.UpOptions) {
	db := testserver.MySQL(t)
	dir := oneComponentApp(t, "mysqlapp", fmt.Sprintf("allowed_outbound_hosts = [\"mysql://127.0.0.1:%d\"]\nenvironment = { MYSQL_URL = %q }", db.Port(), db.URL))
	srv := spintest.Up(t, dir, opts)

	code, body := post(t, srv, "/setup")
	require.Equal(t, 200, code, body)
	unavailable := "unavailable=true,true: mysql: fermyon:spin/mysql@2.0.0 does not report the last insert id or the rows affected"
	_, body = post(t, srv, "/pets?name=Rover&age=3&weight=12.5")
	assert.Equal(t, "id=1 affected=1; Result: n=0 "+unavailable, firstSentence(body))
	_, body = post(t, srv, "/pets?name=Tom&age=7&weight=4.25")
	assert.Equal(t, "id=2 affected=1; Result: n=0 "+unavailable, firstSentence(body))

	_, body = srv.Get(t, "/pets")
	var pets []map[string]any
	require.NoError(t, json.Unmarshal([]byte(body), &pets), body)
	require.Len(t, pets, 2)
	assert.Equal(t, map[string]any{"id": 1.0, "name": "Rover", "age": 3.0, "weight": 12.5, "photo": "AAEC/w==", "noteValid": false, "vaccinated": false}, pets[0])
	assert.Equal(t, map[string]any{"id": 2.0, "name": "Tom", "age": 7.0, "weight": 4.25, "photo": "AAEC/w==", "noteValid": false, "vaccinated": true}, pets[1])

	_, body = post(t, srv, "/birthday")
	assert.Equal(t, "committed", body)
	_, body = post(t, srv, "/oops")
	assert.Equal(t, "rolled back (inside the transaction 0 rows were left, outside 2)", body)
	_, body = srv.Get(t, "/pets")
	require.NoError(t, json.Unmarshal([]byte(body), &pets), body)
	require.Len(t, pets, 2, "the rollback kept the rows")
	assert.Equal(t, 4.0, pets[0]["age"], "the committed birthday stayed")
	assert.Equal(t, 8.0, pets[1]["age"], "the committed birthday stayed")

	_, body = srv.Get(t, "/isolation")
	assert.Equal(t, "serializable: <nil>\nsnapshot: mysql: MySQL has no isolation level Snapshot\n", body[:strings.Index(body, "read-only")])
	assert.Contains(t, body, "read-only insert: mysql: execute \"INSERT INTO pets (name) VALUES ('Ghost')\": query failed: Cannot execute statement in a READ ONLY transaction")

	code, body = post(t, srv, "/types")
	require.Equal(t, 200, code, body)
	names := []string{"i8 TINYINT", "u8 UNSIGNED TINYINT", "i16 SMALLINT", "u16 UNSIGNED SMALLINT", "i24 INT", "u24 UNSIGNED INT",
		"i32 INT", "u32 UNSIGNED INT", "i64 BIGINT", "u64 UNSIGNED BIGINT", "f32 FLOAT", "f64 DOUBLE",
		"s TEXT", "t TEXT", "vb BLOB", "bl BLOB", "flag TINYINT", "ch TEXT"}
	lines := func(vals ...string) string {
		var b strings.Builder
		for i, v := range vals {
			fmt.Fprintf(&b, "%s: %s\n", names[i], v)
		}
		return b.String()
	}
	_, body = srv.Get(t, "/types?id=1")
	assert.Equal(t, lines(
		fmt.Sprint("int64 ", math.MinInt8), "int64 0", fmt.Sprint("int64 ", math.MinInt16), "int64 0",
		"int64 -8388608", "int64 0", fmt.Sprint("int64 ", math.MinInt32), "int64 0",
		fmt.Sprint("int64 ", math.MinInt64), "uint64 0", fmt.Sprint("float32 ", float32(-math.MaxFloat32)), fmt.Sprint("float64 ", -math.MaxFloat64),
		`string ""`, `string ""`, "[]uint8 ", "[]uint8 ", "int64 0", `string "abc"`), body, "minimums")
	_, body = srv.Get(t, "/types?id=2")
	assert.Equal(t, lines(
		fmt.Sprint("int64 ", math.MaxInt8), fmt.Sprint("int64 ", math.MaxUint8), fmt.Sprint("int64 ", math.MaxInt16), fmt.Sprint("int64 ", math.MaxUint16),
		"int64 8388607", "int64 16777215", fmt.Sprint("int64 ", math.MaxInt32), fmt.Sprint("int64 ", uint32(math.MaxUint32)),
		fmt.Sprint("int64 ", math.MaxInt64), fmt.Sprint("uint64 ", uint64(math.MaxUint64)), "float32 0.1", fmt.Sprint("float64 ", math.Pi),
		`string "héllo, 世界 🐹"`, fmt.Sprintf("string %q", strings.Repeat("long text ", 100)), "[]uint8 000100ff00", "[]uint8 000000", "int64 1", `string "xyz"`), body, "maximums")
	_, body = srv.Get(t, "/types?id=3")
	assert.Equal(t, lines(strings.Split(strings.Repeat("nil,", len(names)-1)+"nil", ",")...), body, "NULLs")
	_, body = srv.Get(t, "/typed")
	assert.Equal(t, fmt.Sprintf("%d %d %d %d 8388607 16777215 %d %d %d %d 0.1 %v %q 1000 000100ff00 000000 true \"xyz\"",
		math.MaxInt8, math.MaxUint8, math.MaxInt16, math.MaxUint16, math.MaxInt32, uint32(math.MaxUint32), math.MaxInt64, uint64(math.MaxUint64),
		math.Pi, "héllo, 世界 🐹"), body, "Scan into exact Go types")
	_, body = srv.Get(t, "/params")
	assert.Equal(t, fmt.Sprintf("int64 1 | uint64 %d | []uint8 0007 | float32 1.5 | nil | <nil>", uint64(math.MaxUint64)), body)

	_, body = srv.Get(t, "/datetime")
	assert.Contains(t, body, "as text: \"2024-02-29 12:14:15.123456\" <nil>\n", "time.Time is sent in UTC")
	assert.Contains(t, body, `raw: mysql: query "SELECT dt FROM types WHERE id = 2": value conversion failed: cannot convert the value in column "dt" (MySQL type DATETIME)`)
	assert.Contains(t, body, "conversion=true\n")
	assert.Contains(t, body, "null: <nil> <nil>\n", "a NULL of such a column is fine")

	_, body = srv.Get(t, "/dup")
	assert.Contains(t, body, `mysql: execute "INSERT INTO pets (name) VALUES (?)": query failed: Duplicate entry 'Rover' for key 'name'`, "the server's message reaches the guest")
	assert.Contains(t, body, "is query-failed: true; op: execute")
	_, body = srv.Get(t, "/bad")
	assert.Contains(t, body, `mysql: query "SELEKT nonsense": query failed: You have an error in your SQL syntax`)
	_, body = srv.Get(t, "/registered")
	assert.Equal(t, "rover=1 err=<nil>", body, "sql.Open with the registered driver name")
	_, body = srv.Get(t, "/denied")
	assert.Equal(t, "mysql: open mysql://spin:xxxxx@127.0.0.1:1/spin: connection failed: address mysql://127.0.0.1:1 is not permitted: add it to the component's allowed_outbound_hosts\nis connection-failed: true", body)
	assert.NotContains(t, body, "secret", "the password is redacted")
	srv.WaitOutput(t, "connection to mysql://127.0.0.1:1 denied", 10*time.Second)

	// A server that goes away: connections fail with the client's reason
	// (and the host survives the lost connections), then work again once
	// it is back.
	db.Stop()
	_, body = srv.Get(t, "/registered")
	assert.Contains(t, body, fmt.Sprintf("mysql: open mysql://spin:xxxxx@%s/spin: connection failed: connect ECONNREFUSED %s", db.Addr, db.Addr))
	db.Start()
	_, body = srv.Get(t, "/registered")
	// (The kill may lose the last commits: the test server does not flush
	// each one.)
	assert.Regexp(t, `^rover=[01] err=<nil>$`, body, "the server is back")
	assert.False(t, strings.Contains(srv.Output(), "panicked"))
}

// firstSentence cuts a Result error message after its first clause.
func firstSentence(s string) string {
	if i := strings.Index(s, ";"); i >= 0 {
		if j := strings.Index(s[i+1:], ";"); j >= 0 {
			return s[:i+1+j]
		}
	}
	return s
}
