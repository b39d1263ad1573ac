package e2e

import (
	"fmt"
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

// redisApp writes an application with an HTTP component (redisweb, which
// also handles the "audit" channel) and a Redis-triggered component
// (redislistener, on "messages"), both talking to srv.
func redisApp(t *testing.T, srv *testserver.Server) string {
	dir := t.TempDir()
	web, err := filepath.Abs(filepath.Join("testdata", "redisweb"))
	require.NoError(t, err)
	listener, err := filepath.Abs(filepath.Join("testdata", "redislistener"))
	require.NoError(t, err)
	manifest := fmt.Sprintf(`spin_manifest_version = 2

[application]
name = "redis-demo"

[application.trigger.redis]
address = %[1]q

[[trigger.http]]
route = "/..."
component = "web"

[[trigger.redis]]
channel = "messages"
component = "listener"

[[trigger.redis]]
channel = "audit"
component = "web"

[component.web]
source = "web.wasm"
allowed_outbound_hosts = [%[1]q]
environment = { REDIS_URL = %[1]q }
[component.web.build]
command = "go tool componentize-go build -o web.wasm"
workdir = %[2]q

[component.listener]
source = "listener.wasm"
allowed_outbound_hosts = [%[1]q]
environment = { REDIS_URL = %[1]q }
[component.listener.build]
command = "go tool componentize-go build -o listener.wasm"
workdir = %[3]q
`, srv.URL, web, listener)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "spin.toml"), []byte(manifest), 0o644))
	return dir
}

// redisList reads a Redis list with redis-cli, a client of our own.
func redisList(t *testing.T, srv *testserver.Server, key string) []string {
	out, err := exec.Command("redis-cli", "-p", strconv.Itoa(srv.Port()), "--raw", "lrange", key, "0", "-1").CombinedOutput()
	require.NoError(t, err, string(out))
	s := strings.TrimSpace(string(out))
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// waitList waits until the list holds want.
func waitList(t *testing.T, srv *testserver.Server, key string, want []string, app *spintest.Server) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		got := redisList(t, srv, key)
		if assert.ObjectsAreEqual(want, got) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("list %s = %q, want %q\nhost output:\n%s", key, got, want, app.Output())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestRedisDemo is the seed's Redis demo: an HTTP component publishes to
// "messages", sets mykey and reads it back; a Redis-triggered component in
// the same application receives the message. A failing or panicking
// message is logged and the next one handled.
func TestRedisDemo(t *testing.T) {
	short(t)
	srv := testserver.Redis(t)
	app := spintest.Up(t, redisApp(t, srv), spintest.UpOptions{})

	resp, body := app.Get(t, "/demo?message=hello+from+spin")
	require.Equal(t, 200, resp.StatusCode, body)
	assert.Equal(t, "mykey value was: myvalue", body)
	waitList(t, srv, "received", []string{"hello from spin"}, app)
	assert.Contains(t, app.Output(), `redislistener received "hello from spin"`)

	for _, m := range []string{"fail", "panic", "after"} {
		resp, body = app.Get(t, "/publish?channel=messages&message="+m)
		require.Equal(t, 200, resp.StatusCode, body)
	}
	waitList(t, srv, "received", []string{"hello from spin", "after"}, app)
	assert.Contains(t, app.Output(), "handling a message on messages failed: told to fail")
	assert.Contains(t, app.Output(), "handler panicked: told to panic")

	// The HTTP component's own Redis handler (both worlds in one).
	resp, body = app.Get(t, "/publish?channel=audit&message=audited")
	require.Equal(t, 200, resp.StatusCode, body)
	waitList(t, srv, "audit", []string{"audited"}, app)
}

// TestRedisClient covers every client call with typed results, errors that
// say what went wrong, and a denied address.
func TestRedisClient(t *testing.T) {
	short(t)
	srv := testserver.Redis(t)
	app := spintest.Up(t, redisApp(t, srv), spintest.UpOptions{})

	_, body := app.Get(t, "/ops")
	assert.Equal(t, strings.Join([]string{
		"incr 1 2 <nil> <nil>",
		`set binary <nil>`,
		`get binary "\x00\x01\x02\xffx" <nil>`,
		"set empty <nil>",
		`get empty "" nil=false <nil>`,
		"get missing notfound=true",
		"sadd 3 <nil>",
		"smembers 3 <nil>",
		"srem 1 <nil>",
		"del 2 <nil>",
		"incr on a set wrongtype=true",
		"execute set [OK] <nil>",
		"execute incrby [(integer) 9007199254740994] <nil>",
		`execute mget ["9007199254740994" (nil) ""] <nil>`,
		"execute smembers 2 <nil>",
		"execute unknown true",
		"execute float: redis: SET: argument 2: float64 is not a Redis argument: use an integer, a string or []byte",
	}, "\n"), body)

	resp, body := app.Get(t, "/get?key=nothing")
	assert.Equal(t, 404, resp.StatusCode)
	assert.Contains(t, body, `redis: key not found: "nothing" on `+srv.URL)

	_, body = app.Get(t, "/denied")
	assert.Contains(t, body, "invalid=true")
	assert.Contains(t, body, "redis://127.0.0.1:1")
}

// TestRedisServerRestart kills the Redis server mid-test: the guest gets
// errors at once (nothing hangs, no trap), and both the client and the
// trigger recover when the server is back.
func TestRedisServerRestart(t *testing.T) {
	short(t)
	srv := testserver.Redis(t)
	app := spintest.Up(t, redisApp(t, srv), spintest.UpOptions{})
	resp, body := app.Get(t, "/demo?message=before")
	require.Equal(t, 200, resp.StatusCode, body)
	waitList(t, srv, "received", []string{"before"}, app)

	srv.Stop()
	for i := 0; i < 3; i++ {
		start := time.Now()
		resp, body = app.Get(t, "/get?key=mykey")
		assert.Equal(t, 500, resp.StatusCode, body)
		assert.Contains(t, body, "redis: connecting to "+srv.URL)
		assert.Less(t, time.Since(start), 10*time.Second, "a request while Redis is down must fail, not hang")
	}

	srv.Start() // same port, empty data (no persistence)
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, body = app.Get(t, "/demo?message=after")
		if resp.StatusCode == 200 {
			break
		}
		require.True(t, time.Now().Before(deadline), "no recovery: %d %s\n%s", resp.StatusCode, body, app.Output())
		time.Sleep(200 * time.Millisecond)
	}
	assert.Equal(t, "mykey value was: myvalue", body)
	// The trigger resubscribed: messages published now arrive.
	deadline = time.Now().Add(20 * time.Second)
	for i := 0; ; i++ {
		app.Get(t, fmt.Sprintf("/publish?channel=messages&message=after-%d", i))
		if got := redisList(t, srv, "received"); len(got) > 0 {
			assert.Contains(t, got[0], "after")
			break
		}
		require.True(t, time.Now().Before(deadline), "the trigger did not resubscribe\n%s", app.Output())
		time.Sleep(300 * time.Millisecond)
	}
	assert.NotContains(t, app.Output(), "RuntimeError", "no trap")
}
