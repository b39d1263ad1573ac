package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spin-go/sdk/spintest"
)

// kvApp writes the spin.toml of testdata/kvapp into a temp folder.
func kvApp(t *testing.T, wasm string) string {
	dir := t.TempDir()
	src, err := filepath.Abs(filepath.Join("testdata", "kvapp"))
	require.NoError(t, err)
	manifest := fmt.Sprintf(`spin_manifest_version = 2

[application]
name = "kvapp"

[variables]
greeting = { default = "hello" }
who = { default = "world" }

[[trigger.http]]
route = "/..."
component = "kvapp"

[component.kvapp]
source = %q
key_value_stores = ["default", "other"]
ai_models = ["llama2-chat", "all-minilm-l6-v2"]

[component.kvapp.variables]
message = "{{ greeting }}, {{ who }}!"
plain = "constant"

[component.kvapp.build]
command = "go tool componentize-go build"
workdir = %q
`, wasm, src)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "spin.toml"), []byte(manifest), 0o644))
	return dir
}

// TestKeyValueCounterSurvivesRestart is the seed's /bloggo counter: it
// counts 1, 2 and goes on counting after the host restarts, because the
// stores live in a SQLite file.
func TestKeyValueCounterSurvivesRestart(t *testing.T) {
	eachVersion(t, func(t *testing.T, opts spintest.UpOptions) {
		wasm := filepath.Join(t.TempDir(), "kvapp.wasm")
		counterSurvivesRestart(t, kvApp(t, wasm), opts)
	})
}

func counterSurvivesRestart(t *testing.T, dir string, opts spintest.UpOptions) {
	state := t.TempDir()
	opts.StateDir = state
	srv := spintest.Up(t, dir, opts)
	_, body := srv.Get(t, "/bloggo")
	assert.Equal(t, `{"counter":1}`, body)
	_, body = srv.Get(t, "/bloggo")
	assert.Equal(t, `{"counter":2}`, body)
	srv.Stop()

	opts.SkipBuild = true
	srv = spintest.Up(t, dir, opts)
	_, body = srv.Get(t, "/bloggo")
	assert.Equal(t, `{"counter":3}`, body, "the count survives a restart")
	_, err := os.Stat(filepath.Join(state, "sqlite_key_value.db"))
	assert.NoError(t, err)
}

func TestKeyValueOperations(t *testing.T) {
	eachVersion(t, testKeyValueOperations)
}

func testKeyValueOperations(t *testing.T, opts spintest.UpOptions) {
	dir := kvApp(t, filepath.Join(t.TempDir(), "kvapp.wasm"))
	srv := spintest.Up(t, dir, opts)
	resp, body := srv.Get(t, "/kv?store=other")
	require.Equal(t, 200, resp.StatusCode, body)
	assert.Equal(t, "empty=\"\" err=<nil>\nmissing notfound=true\nexists a=true\nkeys=a,b,empty\nafter delete a=false", body)

	resp, body = srv.Get(t, "/kv?store=secret")
	assert.Equal(t, 403, resp.StatusCode)
	assert.Contains(t, body, `kv: opening store "secret": access denied: the label is not in the component's key_value_stores`)
}

func TestVariablesAndLLM(t *testing.T) {
	eachVersion(t, testVariablesAndLLM)
}

func testVariablesAndLLM(t *testing.T, opts spintest.UpOptions) {
	dir := kvApp(t, filepath.Join(t.TempDir(), "kvapp.wasm"))
	srv := spintest.Up(t, dir, opts)
	_, body := srv.Get(t, "/var?name=message")
	assert.Equal(t, "hello, world!", body)
	_, body = srv.Get(t, "/var?name=plain")
	assert.Equal(t, "constant", body)
	resp, body := srv.Get(t, "/var?name=nope")
	assert.Equal(t, 404, resp.StatusCode)
	assert.Contains(t, body, `variables: "nope": undefined variable: no variable "nope" in the component's [variables]`)
	_, body = srv.Get(t, "/var?name=Bad-Name")
	assert.Contains(t, body, `variables: "Bad-Name": invalid variable name`)

	// The LLM host is a test double: these check the ABI round trip of
	// options, usage and embedding shapes, not model quality.
	_, body = srv.Get(t, "/llm?model=llama2-chat&prompt=one+two+three+four+five")
	assert.Equal(t, "[test double llama2-chat max=3 temp=0.50 top-k=7 top-p=0.25 repeat=1.50/9] one two three|prompt=5 generated=3", body)
	_, body = srv.Get(t, "/embed")
	assert.Equal(t, "vectors=3 dims=8 first=1.15 prompt=5", body)
	resp, body = srv.Get(t, "/llm?model=gpt-nope&prompt=hi")
	assert.Equal(t, 400, resp.StatusCode)
	assert.Contains(t, body, "llm: gpt-nope: model not supported")
}
