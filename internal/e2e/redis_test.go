package e2e

import (
	"bufio"
	"fmt"
	"io"
	"net"
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

// redisApp writes an application with an HTTP component built from
// testdata/<web> (redisroutes' routes on srv) and, with triggers, a
// Redis-triggered component (redislistener, on "messages") and web's own
// Redis handler on "audit". With spin3, the build commands name Spin 3's
// worlds, as a Spin 3 application's spin.toml would.
func redisApp(t *testing.T, srv *testserver.Server, web string, triggers, spin3 bool) string {
	dir := t.TempDir()
	abs := func(name string) string {
		p, err := filepath.Abs(filepath.Join("testdata", name))
		require.NoError(t, err)
		return p
	}
	component := func(name, src, world string) string {
		flags := ""
		if spin3 {
			flags = " -w " + world
		}
		return fmt.Sprintf(`
[component.%[1]s]
source = "%[1]s.wasm"
allowed_outbound_hosts = [%[2]q]
environment = { REDIS_URL = %[2]q }
[component.%[1]s.build]
command = "go tool componentize-go build%[4]s -o %[5]s"
workdir = %[3]q
`, name, srv.URL, abs(src), flags, filepath.Join(dir, name+".wasm"))
	}
	manifest := "spin_manifest_version = 2\n\n[application]\nname = \"redis-demo\"\n\n[[trigger.http]]\nroute = \"/...\"\ncomponent = \"web\"\n" + component("web", web, "fermyon:spin/http-trigger@3.0.0")
	if triggers {
		manifest += fmt.Sprintf(`
[application.trigger.redis]
address = %q

[[trigger.redis]]
channel = "messages"
component = "listener"

[[trigger.redis]]
channel = "audit"
component = "web"
`, srv.URL) + component("listener", "redislistener", "fermyon:spin/redis-trigger@3.0.0")
	}
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
// message is logged and the next one handled. It runs on Spin 4 and, with
// the worlds named in the build commands, on Spin 3, whose components
// export fermyon:spin/inbound-redis.
func TestRedisDemo(t *testing.T) {
	short(t)
	for _, spin3 := range []bool{false, true} {
		t.Run(map[bool]string{false: "wasi03", true: "wasi02"}[spin3], func(t *testing.T) { testRedisDemo(t, spin3) })
	}
}

func testRedisDemo(t *testing.T, spin3 bool) {
	srv := testserver.Redis(t)
	app := spintest.Up(t, redisApp(t, srv, "redisweb", true, spin3), spintest.UpOptions{})

	resp, body := app.Get(t, "/demo?message=hello+from+spin")
	require.Equal(t, 200, resp.StatusCode, body)
	assert.Equal(t, "mykey value was: myvalue", body)
	waitList(t, srv, "received", []string{"hello from spin"}, app)
	app.WaitOutput(t, `redislistener received "hello from spin"`, 10*time.Second)

	for _, m := range []string{"fail", "panic", "after"} {
		resp, body = app.Get(t, "/publish?channel=messages&message="+m)
		require.Equal(t, 200, resp.StatusCode, body)
	}
	waitList(t, srv, "received", []string{"hello from spin", "after"}, app)
	if spin3 {
		// Spin 3's error has no message: the component logs it.
		app.WaitOutput(t, "redis: handling a message failed: told to fail", 10*time.Second)
	} else {
		app.WaitOutput(t, "handling a message on messages failed: told to fail", 10*time.Second)
	}
	app.WaitOutput(t, "handler panicked: told to panic", 10*time.Second)

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
	app := spintest.Up(t, redisApp(t, srv, "redisweb", true, false), spintest.UpOptions{})
	checkRedisClient(t, srv, app)
}

// checkRedisClient runs redisroutes' /ops, /get and /denied.
func checkRedisClient(t *testing.T, srv *testserver.Server, app *spintest.Server) {
	t.Helper()
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
	app := spintest.Up(t, redisApp(t, srv, "redisweb", true, false), spintest.UpOptions{})
	resp, body := app.Get(t, "/demo?message=before")
	require.Equal(t, 200, resp.StatusCode, body)
	waitList(t, srv, "received", []string{"before"}, app)

	checkRedisRecovers(t, srv, app)
	// The trigger resubscribed: messages published now arrive.
	deadline := time.Now().Add(20 * time.Second)
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

// checkRedisRecovers stops the server: requests get errors at once (nothing
// hangs, no trap); and starts it again: the client reconnects. In a reused
// instance (WASI 0.3, as on Spin 4) the first request still holds the old
// connection, so its command fails; after that the client connects afresh
// and the error says so.
func checkRedisRecovers(t *testing.T, srv *testserver.Server, app *spintest.Server) {
	t.Helper()
	srv.Stop()
	for i := 0; i < 3; i++ {
		start := time.Now()
		resp, body := app.Get(t, "/get?key=mykey")
		assert.Equal(t, 500, resp.StatusCode, body)
		assert.Less(t, time.Since(start), 10*time.Second, "a request while Redis is down must fail, not hang")
		if i == 0 && strings.HasPrefix(body, "redis: GET mykey on "+srv.URL+": ") {
			continue // the connection the instance had open
		}
		assert.Contains(t, body, "redis: connecting to "+srv.URL)
	}

	srv.Start() // same port, empty data (no persistence)
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, body := app.Get(t, "/demo?message=after")
		if resp.StatusCode == 200 {
			assert.Equal(t, "mykey value was: myvalue", body)
			break
		}
		require.True(t, time.Now().Before(deadline), "no recovery: %d %s\n%s", resp.StatusCode, body, app.Output())
		time.Sleep(200 * time.Millisecond)
	}
}

// TestRedisClientWASI02 runs the client checks on a Spin 3 (WASI 0.2)
// build, on fermyon:spin/redis@2.0.0, with the world given to up (it
// replaces the build command's; the Redis trigger's Spin 3 world joins it,
// since redisweb links redis). A subscriber of our own sees what it
// publishes, and the client recovers from a server restart.
func TestRedisClientWASI02(t *testing.T) {
	short(t)
	srv := testserver.Redis(t)
	dir := redisApp(t, srv, "redisweb", false, false)
	app := spintest.Up(t, dir, spintest.UpOptions{BuildOptions: spintest.BuildOptions{Worlds: []string{"fermyon:spin/http-trigger@3.0.0"}}})

	checkRedisClient(t, srv, app)

	received := redisSubscribe(t, srv, "messages")
	resp, body := app.Get(t, "/demo?message=hello+from+spin+3")
	require.Equal(t, 200, resp.StatusCode, body)
	assert.Equal(t, "mykey value was: myvalue", body)
	assert.Equal(t, "hello from spin 3", received(10*time.Second))

	checkRedisRecovers(t, srv, app)
	assert.NotContains(t, app.Output(), "RuntimeError", "no trap")
}

// redisSubscribe subscribes to channel with a RESP client of our own and
// returns a function that waits for the next message's payload.
func redisSubscribe(t *testing.T, srv *testserver.Server, channel string) func(timeout time.Duration) string {
	t.Helper()
	c, err := net.Dial("tcp", srv.Addr)
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	fmt.Fprintf(c, "*2\r\n$9\r\nSUBSCRIBE\r\n$%d\r\n%s\r\n", len(channel), channel)
	r := bufio.NewReader(c)
	// next reads one array reply of bulk strings and integers.
	next := func(timeout time.Duration) []string {
		t.Helper()
		require.NoError(t, c.SetReadDeadline(time.Now().Add(timeout)))
		line := func() string {
			l, err := r.ReadString('\n')
			require.NoError(t, err, "reading from the subscription")
			return strings.TrimSuffix(l, "\r\n")
		}
		head := line()
		require.True(t, strings.HasPrefix(head, "*"), "not an array: %q", head)
		n, _ := strconv.Atoi(head[1:])
		var out []string
		for range n {
			item := line()
			if strings.HasPrefix(item, "$") {
				size, _ := strconv.Atoi(item[1:])
				buf := make([]byte, size+2)
				_, err := io.ReadFull(r, buf)
				require.NoError(t, err)
				item = string(buf[:size])
			}
			out = append(out, item)
		}
		return out
	}
	require.Equal(t, []string{"subscribe", channel, ":1"}, next(10*time.Second))
	return func(timeout time.Duration) string {
		m := next(timeout)
		require.Equal(t, []string{"message", channel}, m[:2])
		return m[2]
	}
}
