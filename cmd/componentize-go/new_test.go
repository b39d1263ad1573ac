package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spin-go/sdk/internal/testserver"
	"github.com/spin-go/sdk/spintest"
)

// sdkRoot is the SDK's folder, the repository root.
func sdkRoot(t *testing.T) string {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	require.NoError(t, err)
	return root
}

// newApp runs `componentize-go new TEMPLATE NAME --sdk ROOT` into a fresh
// folder, then `go mod tidy` there, as the README's tour does.
func newApp(t *testing.T, template, name string, args ...string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "app")
	code, out, stderr := runCLI(t, append([]string{"new", template, name, "--sdk", sdkRoot(t), "-o", dir}, args...)...)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "go mod tidy")
	tidy := exec.Command("go", "mod", "tidy")
	tidy.Dir = dir
	msg, err := tidy.CombinedOutput()
	require.NoError(t, err, "go mod tidy:\n%s", msg)
	return dir
}

func TestNewCreatesTheApplication(t *testing.T) {
	parent := t.TempDir()
	code, out, stderr := runCLI(t, "-C", parent, "new", "http-go", "Hello World", "--sdk", sdkRoot(t),
		"--value", "http-path=/hello/...", "--value", "project-description=Says hello")
	require.Equal(t, 0, code, stderr)
	dir := filepath.Join(parent, "hello-world")
	assert.Contains(t, out, "created "+dir+" from http-go (5 files)")
	read := func(name string) string {
		data, err := os.ReadFile(filepath.Join(dir, name))
		require.NoError(t, err)
		return string(data)
	}
	manifest := read("spin.toml")
	assert.Contains(t, manifest, "[application]\nname = \"hello-world\"\nversion = \"0.1.0\"\ndescription = \"Says hello\"\n")
	assert.Contains(t, manifest, "[[trigger.http]]\nroute = \"/hello/...\"\ncomponent = \"hello-world\"\n")
	assert.Contains(t, manifest, "[component.hello-world]\nsource = \"main.wasm\"\nallowed_outbound_hosts = []\n")
	assert.Contains(t, manifest, "[component.hello-world.build]\ncommand = \"go tool componentize-go build\"\nwatch = [\"**/*.go\", \"go.mod\"]\n")
	gomod := read("go.mod")
	assert.True(t, strings.HasPrefix(gomod, "module hello-world\n\ngo 1.25\n"), gomod)
	assert.Contains(t, gomod, "\ntool github.com/spin-go/sdk/cmd/componentize-go\n")
	assert.Contains(t, gomod, "\nrequire github.com/spin-go/sdk v0.0.0-00010101000000-000000000000\n")
	assert.Contains(t, gomod, "\nreplace github.com/spin-go/sdk => "+sdkRoot(t)+"\n")
	main := read("main.go")
	assert.Contains(t, main, `spinhttp "github.com/spin-go/sdk/http"`)
	assert.Contains(t, main, "spinhttp.Handle(")
	assert.Contains(t, main, "func main() {}")
	assert.Equal(t, "main.wasm\n.spin/\n", read(".gitignore"))
	assert.Contains(t, read("README.md"), "# Hello World\n\nSays hello\n")
}

func TestNewErrors(t *testing.T) {
	full := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(full, "x"), nil, 0o644))
	out := func() string { return filepath.Join(t.TempDir(), "app") }
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"new", "nope", "app", "-o", out()}, 1, `no template "nope" (templates: http-go, redis-go)`},
		{[]string{"new", "http-go", "app", "-o", out(), "--value", "http-path=hello"}, 1,
			`parameter http-path: value "hello" does not match the pattern ^/\S*$`},
		{[]string{"new", "redis-go", "app", "-o", out(), "--value", "redis-address=localhost:6379"}, 1,
			`parameter redis-address: value "localhost:6379" does not match the pattern ^rediss?://\S+$`},
		{[]string{"new", "redis-go", "app", "-o", out(), "--value", "redis-channel=two words"}, 1,
			`parameter redis-channel: value "two words" does not match the pattern ^\S+$`},
		{[]string{"new", "http-go", "app", "-o", out(), "--value", "route=/x"}, 1,
			`template http-go has no parameter "route" (known: http-path, project-description)`},
		{[]string{"new", "http-go", "app", "-o", full}, 1, full + " already exists and is not empty"},
		{[]string{"new", "http-go", "app", "-o", out(), "--sdk", full}, 1, "--sdk " + full + ": not a module folder"},
		{[]string{"new", "http-go", "app", "-o", out(), "--value", "novalue"}, 2, `"novalue" is not KEY=VALUE`},
		{[]string{"new", "http-go"}, 2, "want TEMPLATE and NAME"},
		{[]string{"new", "http-go", "a", "b"}, 2, "want TEMPLATE and NAME"},
		{[]string{"new", "http-go", "***", "-C", t.TempDir()}, 1, `the name "***" has no letters or digits`},
	}
	for _, tt := range tests {
		code, _, stderr := runCLI(t, tt.args...)
		assert.Equal(t, tt.code, code, "%v: %s", tt.args, stderr)
		assert.Contains(t, stderr, tt.want, "%v", tt.args)
	}
	entries, err := os.ReadDir(full)
	require.NoError(t, err)
	assert.Len(t, entries, 1, "an existing folder is left alone")
}

// TestTemplateHTTPGo is the tour with spintest: new, go mod tidy, then
// the generated application runs and answers on its route.
func TestTemplateHTTPGo(t *testing.T) {
	dir := newApp(t, "http-go", "hello")
	app := spintest.Up(t, dir, spintest.UpOptions{})
	for _, path := range []string{"/", "/any/path"} {
		resp, body := app.Get(t, path)
		assert.Equal(t, 200, resp.StatusCode, path)
		assert.Equal(t, "text/plain", resp.Header.Get("Content-Type"), path)
		assert.Equal(t, "Hello World!\n", body, path)
	}
	assert.FileExists(t, filepath.Join(dir, "main.wasm"))
}

// TestTemplateRedisGo runs the generated Redis application against a
// real Redis server: a message published with redis-cli reaches the
// component, which prints it.
func TestTemplateRedisGo(t *testing.T) {
	srv := testserver.Redis(t)
	dir := newApp(t, "redis-go", "listener", "--value", "redis-address="+srv.URL, "--value", "redis-channel=greetings")
	app := spintest.Up(t, dir, spintest.UpOptions{})
	assert.Equal(t, "1", publish(t, srv, "greetings", "hello from redis-cli"), "the application is subscribed")
	app.WaitOutput(t, "Received: hello from redis-cli\n", 30*time.Second)
	assert.Equal(t, "0", publish(t, srv, "messages", "x"), "nothing listens on other channels")
}

// publish publishes msg on a channel with redis-cli and returns the number
// of subscribers that received it.
func publish(t *testing.T, srv *testserver.Server, channel, msg string) string {
	out, err := exec.Command("redis-cli", "-p", strconv.Itoa(srv.Port()), "publish", channel, msg).CombinedOutput()
	require.NoError(t, err, string(out))
	return strings.TrimSpace(string(out))
}
