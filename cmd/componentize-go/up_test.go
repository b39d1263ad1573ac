package main

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spin-go/sdk/internal/spinapp"
)

// TestMain lets a test run the command itself in a child process: with
// COMPONENTIZE_GO_TEST_CLI=1 the test binary is componentize-go.
func TestMain(m *testing.M) {
	if os.Getenv("COMPONENTIZE_GO_TEST_CLI") == "1" {
		os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func freeAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	return l.Addr().String()
}

// TestUpServesTheApplication is the five-minute tour end to end: new,
// go mod tidy, then `componentize-go up` in the application's folder
// builds it, says where it serves, answers on the route, and stops
// (with its host) on an interrupt.
func TestUpServesTheApplication(t *testing.T) {
	dir := newApp(t, "http-go", "tour", "--value", "http-path=/hello/...")
	self, err := os.Executable()
	require.NoError(t, err)
	addr := freeAddr(t)
	cmd := exec.Command(self, "-C", dir, "up", "--listen", addr)
	cmd.Env = append(os.Environ(), "COMPONENTIZE_GO_TEST_CLI=1")
	out := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	require.NoError(t, cmd.Start())
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	})

	deadline := time.Now().Add(3 * time.Minute)
	for !strings.Contains(out.String(), "Available Routes:\n  tour: ") {
		select {
		case err := <-exited:
			t.Fatalf("up exited (%v):\n%s", err, out.String())
		default:
		}
		require.True(t, time.Now().Before(deadline), "up did not serve:\n%s", out.String())
		time.Sleep(100 * time.Millisecond)
	}
	assert.Contains(t, out.String(), "componentize-go: building component tour\n")
	assert.Contains(t, out.String(), fmt.Sprintf("Serving http://%s\nAvailable Routes:\n  tour: http://%s/hello (wildcard)\n", addr, addr))
	assert.NotContains(t, out.String(), "spin-go host: serving", "the banner replaces the host's line")

	get := func(path string) (int, string) {
		resp, err := http.Get("http://" + addr + path)
		require.NoError(t, err, out.String())
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		return resp.StatusCode, string(body)
	}
	code, body := get("/hello/world")
	assert.Equal(t, 200, code)
	assert.Equal(t, "Hello World!\n", body)
	code, _ = get("/elsewhere")
	assert.Equal(t, 404, code)
	assert.FileExists(t, filepath.Join(dir, ".spin", "sqlite_key_value.db"), "state lives in .spin, as with spin up")

	require.NoError(t, cmd.Process.Signal(os.Interrupt))
	select {
	case err := <-exited:
		assert.NoError(t, err, "up exits cleanly on an interrupt:\n%s", out.String())
	case <-time.After(30 * time.Second):
		t.Fatalf("up did not stop on an interrupt:\n%s", out.String())
	}
	// The host went with it: nothing listens any more.
	deadline = time.Now().Add(10 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			break
		}
		c.Close()
		require.True(t, time.Now().Before(deadline), "the host still listens on %s after up stopped", addr)
		time.Sleep(100 * time.Millisecond)
	}
}

func TestUpManifestErrors(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "spin.toml"), []byte("spin_manifest_version = 2\n[component.c]\nsource = \"c.wasm\"\n"), 0o644))
	code, _, stderr := runCLI(t, "-C", dir, "up")
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, filepath.Join(dir, "spin.toml")+": no triggers")

	require.NoError(t, os.WriteFile(filepath.Join(dir, "spin.toml"), []byte("spin_manifest_version = 2\n[[trigger.http]]\nroute = \"/...\"\ncomponent = \"c\"\n[component.c]\nsource = \"c.wasm\"\n"), 0o644))
	code, _, stderr = runCLI(t, "-C", dir, "up")
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "component c: stat "+filepath.Join(dir, "c.wasm")+": no such file or directory (it has no [component.c.build] to make it)")
}

func TestBanner(t *testing.T) {
	m := &spinapp.Manifest{
		Base: "/shop",
		Routes: []spinapp.Route{
			{Route: "/cart", Component: "cart"},
			{Route: "/...", Component: "web"},
			{Route: "/api/...", Component: "api"},
		},
		RedisAddress: "redis://localhost:6379",
		RedisTriggers: []spinapp.RedisTrigger{
			{Channel: "orders", Component: "worker"},
			{Channel: "audit", Component: "auditor", Address: "redis://other:6379"},
		},
	}
	cfg := &spinapp.HostConfig{Listen: "127.0.0.1:3000"}
	assert.Equal(t, `Serving http://127.0.0.1:3000
Available Routes:
  cart: http://127.0.0.1:3000/shop/cart
  web: http://127.0.0.1:3000/shop (wildcard)
  api: http://127.0.0.1:3000/shop/api (wildcard)
Redis Triggers:
  auditor: channel "audit" on redis://other:6379
  worker: channel "orders" on redis://localhost:6379
`, banner(m, cfg))
	m.Routes = nil
	assert.Equal(t, "Redis Triggers:\n  auditor: channel \"audit\" on redis://other:6379\n  worker: channel \"orders\" on redis://localhost:6379\n", banner(m, cfg),
		"no HTTP routes, no Serving line")

	for _, tt := range []struct{ base, route, want string }{
		{"/", "/", "http://h/"},
		{"/", "/...", "http://h (wildcard)"},
		{"/", "/a", "http://h/a"},
		{"/", "/a/...", "http://h/a (wildcard)"},
		{"/b/", "/a", "http://h/b/a"},
	} {
		url, wildcard := routeURL("http://h", tt.base, tt.route)
		if wildcard {
			url += " (wildcard)"
		}
		assert.Equal(t, tt.want, url, "%s + %s", tt.base, tt.route)
	}
}

// TestHostOutput: the host's output passes through, whole lines until the
// serving line, which becomes the banner.
func TestHostOutput(t *testing.T) {
	var b bytes.Buffer
	h := &hostOutput{w: &b, marker: []byte("spin-go host: serving"), banner: "BANNER\n"}
	for _, chunk := range []string{"warn", "ing\nspin-go host: ser", "ving 1 component(s)\nguest ", "says hi\n", "partial"} {
		n, err := h.Write([]byte(chunk))
		require.NoError(t, err)
		assert.Equal(t, len(chunk), n)
	}
	h.flush()
	assert.Equal(t, "warning\nBANNER\nguest says hi\npartial", b.String())
}
