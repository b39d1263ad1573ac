package e2e

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spin-go/sdk/spintest"
)

// oneComponentApp writes a spin.toml serving testdata/<name> on "/..."
// with the given component settings (TOML lines) and returns its folder.
func oneComponentApp(t *testing.T, name, settings string) string {
	dir := t.TempDir()
	src, err := filepath.Abs(filepath.Join("testdata", name))
	require.NoError(t, err)
	manifest := fmt.Sprintf(`spin_manifest_version = 2
[application]
name = %[1]q
[[trigger.http]]
route = "/..."
component = %[1]q
[component.%[1]s]
source = "%[1]s.wasm"
%[2]s
[component.%[1]s.build]
command = "go tool componentize-go build -o %[4]s"
workdir = %[3]q
`, name, strings.TrimSpace(settings), src, filepath.Join(dir, name+".wasm"))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "spin.toml"), []byte(manifest), 0o644))
	return dir
}

func post(t *testing.T, srv *spintest.Server, path string) (int, string) {
	resp, err := http.Post(srv.URL+path, "text/plain", nil)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestSQLitePets is a pets API on SQLite through database/sql: every
// SQLite type as parameter and column, LastInsertId and RowsAffected, a
// committed and a rolled-back transaction, SQLite's own error messages and
// a denied label; then 10,000 rows stream through Rows.
func TestSQLitePets(t *testing.T) {
	eachVersion(t, testSQLitePets)
}

func testSQLitePets(t *testing.T, opts spintest.UpOptions) {
	dir := oneComponentApp(t, "sqlapp", `sqlite_databases = ["default"]`)
	srv := spintest.Up(t, dir, opts)

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
	assert.Equal(t, map[string]any{"id": 1.0, "name": "Rover", "age": 3.0, "weight": 12.5, "photo": "AAEC/w==", "noteValid": false}, pets[0])

	_, body = post(t, srv, "/birthday")
	assert.Equal(t, "committed", body)
	_, body = post(t, srv, "/oops")
	assert.Equal(t, "rolled back (inside the transaction 0 rows were left)", body)
	_, body = srv.Get(t, "/pets")
	require.NoError(t, json.Unmarshal([]byte(body), &pets))
	require.Len(t, pets, 2, "the rollback kept the rows")
	assert.Equal(t, 4.0, pets[0]["age"], "the committed birthday stayed")

	_, body = srv.Get(t, "/registered")
	assert.Equal(t, "rover=1 err=<nil>", body, "sql.Open with the registered driver name")
	_, body = srv.Get(t, "/bad")
	assert.Contains(t, body, `syntax error`, "SQLite's message reaches the caller")
	_, body = srv.Get(t, "/denied")
	assert.Contains(t, body, `sqlite: opening database "secret": access denied`)

	code, body = post(t, srv, "/bulk?n=10000")
	require.Equal(t, 200, code, body)
	assert.Equal(t, "inserted 10000", body)
	_, body = srv.Get(t, "/count")
	assert.Equal(t, fmt.Sprintf("rows=10002 sum=%d err=<nil>", 4+8+10000*9999/2), body)
	peak := peakMemory(t, srv)
	t.Logf("10,002 rows streamed; peak guest linear memory %.1f MB", float64(peak)/(1<<20))
	assert.Less(t, peak, int64(48<<20), "rows stream instead of being held in guest memory")
	assert.False(t, strings.Contains(srv.Output(), "panicked"))
}
