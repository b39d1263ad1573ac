package e2e

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spin-go/sdk/internal/testserver"
	"github.com/spin-go/sdk/spintest"
)

var (
	buildHeader = regexp.MustCompile(`(?m)^\[component\.([a-z0-9-]+)\.build\]\n`)
	workdirLine = regexp.MustCompile(`(?m)^workdir = "([^"]*)"\n`)
	sourceLine  = regexp.MustCompile(`(?m)^source = "([^"]*)"`)
)

// exampleApp copies examples/<name>/spin.toml into a temp folder as it is,
// except that build folders point back at the example, components are
// written to the temp folder (not into the repository), and each
// replacement (old → new) is applied: the test runs the manifest users
// read.
func exampleApp(t *testing.T, name string, replace ...string) string {
	src, err := filepath.Abs(filepath.Join("..", "..", "examples", name))
	require.NoError(t, err)
	data, err := os.ReadFile(filepath.Join(src, "spin.toml"))
	require.NoError(t, err)
	text := workdirLine.ReplaceAllStringFunc(string(data), func(line string) string {
		return fmt.Sprintf("workdir = %q\n", filepath.Join(src, workdirLine.FindStringSubmatch(line)[1]))
	})
	text = buildHeader.ReplaceAllStringFunc(text, func(h string) string {
		id := buildHeader.FindStringSubmatch(h)[1]
		if regexp.MustCompile(`(?m)^\[component\.` + id + `\.build\]\n(?:[a-z_]+ = .*\n)*workdir = `).MatchString(text) {
			return h
		}
		return h + fmt.Sprintf("workdir = %q\n", src)
	})
	text = sourceLine.ReplaceAllStringFunc(text, func(line string) string {
		return fmt.Sprintf("source = %q", strings.ReplaceAll(sourceLine.FindStringSubmatch(line)[1], "/", "-"))
	})
	for i := 0; i+1 < len(replace); i += 2 {
		require.Contains(t, text, replace[i])
		text = strings.ReplaceAll(text, replace[i], replace[i+1])
	}
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "spin.toml"), []byte(text), 0o644))
	return dir
}

func TestExampleHello(t *testing.T) {
	short(t)
	for _, name := range []string{"hello", "raw-hello", "hello-wasi02"} {
		t.Run(name, func(t *testing.T) {
			srv := spintest.Up(t, exampleApp(t, name), spintest.UpOptions{})
			resp, body := srv.Get(t, "/anything")
			assert.Equal(t, 200, resp.StatusCode)
			assert.Equal(t, "Hello, Spin", body)
		})
	}
}

func TestExampleOutboundHTTP(t *testing.T) {
	short(t)
	srv := spintest.Up(t, exampleApp(t, "outbound-http"), spintest.UpOptions{})
	_, body := srv.Get(t, "/fetch")
	assert.Equal(t, "http://self/greeting answered 200: hello from the same app", body)
	resp, body := srv.Get(t, "/fetch?url=https://example.com/")
	assert.Equal(t, 502, resp.StatusCode)
	assert.Contains(t, body, "example.com")
	assert.Contains(t, body, "allowed_outbound_hosts")
}

func TestExampleKVCounter(t *testing.T) {
	short(t)
	srv := spintest.Up(t, exampleApp(t, "kv-counter"), spintest.UpOptions{})
	for i := 1; i <= 3; i++ {
		_, body := srv.Get(t, "/")
		assert.JSONEq(t, fmt.Sprintf(`{"counter":%d}`, i), body)
	}
}

func TestExampleSQLitePets(t *testing.T) {
	short(t)
	srv := spintest.Up(t, exampleApp(t, "sqlite-pets"), spintest.UpOptions{})
	for _, p := range []string{`{"name":"Rover","age":3}`, `{"name":"Tom","age":7}`} {
		resp, err := http.Post(srv.URL+"/pets", "application/json", strings.NewReader(p))
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, 201, resp.StatusCode)
	}
	resp, err := http.Post(srv.URL+"/pets", "application/json", strings.NewReader(`{}`))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 400, resp.StatusCode)
	_, body := srv.Get(t, "/pets")
	var pets []map[string]any
	require.NoError(t, json.Unmarshal([]byte(body), &pets), body)
	assert.Equal(t, []map[string]any{{"id": 1.0, "name": "Rover", "age": 3.0}, {"id": 2.0, "name": "Tom", "age": 7.0}}, pets)
}

func TestExampleVariables(t *testing.T) {
	short(t)
	srv := spintest.Up(t, exampleApp(t, "variables"), spintest.UpOptions{})
	_, body := srv.Get(t, "/")
	assert.Equal(t, "Hello, Spin!\n", body)

	t.Setenv("SPIN_VARIABLE_WHO", "Gophers")
	srv = spintest.Up(t, exampleApp(t, "variables"), spintest.UpOptions{})
	_, body = srv.Get(t, "/")
	assert.Equal(t, "Hello, Gophers!\n", body)
}

func TestExampleRedis(t *testing.T) {
	short(t)
	redis := testserver.Redis(t)
	srv := spintest.Up(t, exampleApp(t, "redis", "redis://127.0.0.1:6379", redis.URL), spintest.UpOptions{})
	resp, err := http.Post(srv.URL+"/", "text/plain", strings.NewReader("hello redis"))
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, 200, resp.StatusCode)
	out, err := exec.Command("redis-cli", "-p", strconv.Itoa(redis.Port()), "get", "mykey").CombinedOutput()
	require.NoError(t, err)
	assert.Equal(t, "myvalue\n", string(out))
	srv.WaitOutput(t, "listener received: hello redis", 15*time.Second)
}

func TestExampleRouter(t *testing.T) {
	short(t)
	srv := spintest.Up(t, exampleApp(t, "router"), spintest.UpOptions{})
	_, body := srv.Get(t, "/users/2")
	assert.JSONEq(t, `{"id":"2","name":"Grace"}`, body)
	resp, _ := srv.Get(t, "/users/9")
	assert.Equal(t, 404, resp.StatusCode)
	resp, err := http.Post(srv.URL+"/users", "application/json", strings.NewReader(`{"id":"3","name":"Linus"}`))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 201, resp.StatusCode)
	_, body = srv.Get(t, "/files/a/b/c.txt")
	assert.Equal(t, "file a/b/c.txt (spin-path-info /files/a/b/c.txt)", body)
	resp, body = srv.Get(t, "/nope")
	assert.Equal(t, 404, resp.StatusCode)
	assert.Equal(t, "no route for GET /nope\n", body)
}

// TestExampleWagi runs examples/wagi with the Wagi executor: a wasip1
// command serving one request through net/http/cgi, with Wagi's
// environment and the query as arguments.
func TestExampleWagi(t *testing.T) {
	short(t)
	srv := spintest.Up(t, exampleApp(t, "wagi"), spintest.UpOptions{})
	resp, body := srv.Get(t, "/wagi/some/path?x=1&name=a+b")
	require.Equal(t, 200, resp.StatusCode, body+srv.Output())
	assert.Equal(t, "text/plain", resp.Header.Get("Content-Type"))
	u := strings.TrimPrefix(srv.URL, "http://")
	assert.Equal(t, strings.Join([]string{
		"Hello from Wagi: GET /wagi/some/path",
		"PATH_INFO=/some/path",
		"X_FULL_URL=http://" + u + "/wagi/some/path?x=1&name=a+b",
		"X_MATCHED_ROUTE=/wagi/...",
		"X_RAW_COMPONENT_ROUTE=/wagi/...",
		"X_COMPONENT_ROUTE=/wagi",
		"X_BASE_PATH=/",
		"args=x=1,name=a b",
		"",
	}, "\n"), body)
	resp2, err := http.Post(srv.URL+"/wagi/form", "text/plain", strings.NewReader("posted"))
	require.NoError(t, err)
	defer resp2.Body.Close()
	b, _ := io.ReadAll(resp2.Body)
	assert.Contains(t, string(b), "Hello from Wagi: POST /wagi/form")
	assert.Contains(t, string(b), "body=posted\n")
	resp, _ = srv.Get(t, "/elsewhere")
	assert.Equal(t, 404, resp.StatusCode)
}
