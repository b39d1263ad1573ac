// Package e2e builds real components with componentize-go on stock Go and
// runs them in the local host (spintest): the seed's raw WASI 0.3 hello,
// a WASI 0.2 hello, a custom timer trigger and the ABI conformance echo.
package e2e

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spin-go/sdk/internal/bindgen"
	"github.com/spin-go/sdk/internal/build"
	"github.com/spin-go/sdk/internal/toolchain"
	"github.com/spin-go/sdk/internal/wit"
	"github.com/spin-go/sdk/spintest"
)

func short(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs components")
	}
}

// userModule copies testdata/<name> into a fresh module (as a user's app
// would be), generates its bindings with componentize-go's generator and
// returns its folder.
func userModule(t *testing.T, name, world string) string {
	return userModuleFrom(t, filepath.Join("testdata", name), name, world)
}

// userModuleFrom is userModule for the folder src.
func userModuleFrom(t *testing.T, src, name, world string) string {
	dir := filepath.Join(t.TempDir(), name)
	require.NoError(t, filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dir, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, rel), data, 0o644)
	}))
	sum, err := os.ReadFile(filepath.Join("..", "..", "go.sum"))
	require.NoError(t, err)
	module := "example.com/" + name
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module "+module+"\n\ngo 1.25\n\nrequire go.bytecodealliance.org/pkg v0.2.1\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.sum"), sum, 0o644))
	res, err := wit.Load([]string{filepath.Join(dir, "wit")}, wit.Options{})
	require.NoError(t, err)
	w, err := res.World(world)
	require.NoError(t, err)
	files, err := bindgen.Generate(w, bindgen.Options{ImportPath: module})
	require.NoError(t, err)
	for _, f := range files {
		p := filepath.Join(dir, f.Path)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, f.Content, 0o644))
	}
	return dir
}

// TestRawWASI03Hello is the seed's raw handler, built with the union of
// wasi:http/service and Spin's platform world.
func TestRawWASI03Hello(t *testing.T) {
	short(t)
	comp := spintest.Build(t, filepath.Join("..", "..", "examples", "raw-hello"), spintest.BuildOptions{
		Worlds: []string{"wasi:http/service@0.3.0-rc-2026-03-15", "platform"},
	})
	srv := spintest.Serve(t, comp)
	for _, path := range []string{"/", "/some/path?q=1"} {
		resp, body := srv.Get(t, path)
		assert.Equal(t, 200, resp.StatusCode)
		assert.Equal(t, "text/plain", resp.Header.Get("content-type"))
		assert.Equal(t, "Hello, Spin", body)
	}
}

func TestWASI02Hello(t *testing.T) {
	short(t)
	comp := spintest.Build(t, filepath.Join("..", "..", "examples", "hello-wasi02"), spintest.BuildOptions{
		Worlds: []string{"fermyon:spin/http-trigger@3.0.0"},
	})
	srv := spintest.Serve(t, comp)
	resp, body := srv.Get(t, "/")
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "text/plain", resp.Header.Get("content-type"))
	assert.Equal(t, "Hello, Spin", body)
}

// TestTimerTrigger runs examples/timer, a custom trigger world: the host
// invokes handle-timer-request on every tick and implements the log
// import.
func TestTimerTrigger(t *testing.T) {
	short(t)
	dir := userModuleFrom(t, filepath.Join("..", "..", "examples", "timer"), "timer", "timer")
	comp := spintest.Build(t, dir, spintest.BuildOptions{WitPaths: []string{filepath.Join(dir, "wit")}, Worlds: []string{"timer"}})
	results, logs := spintest.Invoke(t, comp, "handle-timer-request", []any{"tock"}, 3, 50*time.Millisecond, "log")
	assert.Equal(t, []string{`"handled TOCK"`, `"handled TOCK"`, `"handled TOCK"`}, results)
	assert.Equal(t, []string{`{"log":["tick tock"]}`, `{"log":["tick tock"]}`, `{"log":["tick tock"]}`}, logs)
}

// TestEchoConformance calls every export of the echo world, synchronous
// and async, with many values and checks each echo in the host.
func TestEchoConformance(t *testing.T) {
	short(t)
	dir := userModule(t, "echo", "echo")
	comp := spintest.Build(t, dir, spintest.BuildOptions{WitPaths: []string{filepath.Join(dir, "wit")}, Worlds: []string{"echo"}})
	tc, err := toolchain.Ensure(context.Background())
	require.NoError(t, err)
	driver, err := filepath.Abs(filepath.Join("testdata", "echo", "driver.mjs"))
	require.NoError(t, err)
	cmd := exec.Command(tc.Node, driver, comp)
	cmd.Dir = tc.Dir
	cmd.Env = append(os.Environ(), "SPIN_GO_TOOLS="+tc.Dir, "SPIN_GO_TRANSPILE_CACHE="+filepath.Join(t.TempDir(), "transpiled"))
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	last := strings.TrimSpace(string(out))
	if i := strings.LastIndex(last, "\n"); i >= 0 {
		last = last[i+1:]
	}
	assert.Regexp(t, `^echo: [0-9]+ passed, 0 failed$`, last, "%s", out)
}

// TestTimersInAsyncExport: time.Sleep and time.After inside a handler and
// in a goroutine streaming the body must resume (the scheduler hook waits
// on the host's clock).
func TestTimersInAsyncExport(t *testing.T) {
	short(t)
	comp := spintest.Build(t, filepath.Join("testdata", "sleepy"), spintest.BuildOptions{
		Worlds: []string{"wasi:http/service@0.3.0-rc-2026-03-15", "platform"},
	})
	srv := spintest.Serve(t, comp)
	start := time.Now()
	resp, body := srv.Get(t, "/")
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "chunk 0\nchunk 1\nchunk 2\nslept true\n", body)
	assert.GreaterOrEqual(t, time.Since(start), 80*time.Millisecond)
}

// TestStreamingBodiesAndTrailers posts a large body with trailers; the
// component streams it back and forwards the trailers.
func TestStreamingBodiesAndTrailers(t *testing.T) {
	short(t)
	comp := spintest.Build(t, filepath.Join("testdata", "echobody"), spintest.BuildOptions{
		Worlds: []string{"wasi:http/service@0.3.0-rc-2026-03-15", "platform"},
	})
	srv := spintest.Serve(t, comp)
	payload := make([]byte, 8<<20)
	for i := range payload {
		payload[i] = byte(i*7 + i>>8)
	}
	req, err := http.NewRequest("POST", srv.URL+"/echo", io.MultiReader(bytes.NewReader(payload)))
	require.NoError(t, err)
	req.ContentLength = -1 // chunked, so that trailers can follow
	req.Trailer = http.Header{"X-Checksum": {"abc123"}}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err, srv.Output())
	got, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode)
	assert.True(t, bytes.Equal(payload, got), "echoed %d bytes of %d", len(got), len(payload))
	assert.Equal(t, "abc123", resp.Trailer.Get("X-Checksum"))
}

// TestConcurrentRequests sends 50 requests at once; each gets its own
// component instance.
func TestConcurrentRequests(t *testing.T) {
	short(t)
	comp := spintest.Build(t, filepath.Join("..", "..", "examples", "hello"), spintest.BuildOptions{})
	srv := spintest.Serve(t, comp)
	var wg sync.WaitGroup
	errs := make(chan error, 50)
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := http.Get(srv.URL + "/")
			if err != nil {
				errs <- err
				return
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || string(b) != "Hello, Spin" {
				errs <- fmt.Errorf("status %d body %q", resp.StatusCode, b)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// TestWASIP1CoreModule: --wasip1 writes a plain core module.
func TestWASIP1CoreModule(t *testing.T) {
	short(t)
	out := filepath.Join(t.TempDir(), "core.wasm")
	_, err := build.Build(context.Background(), build.Options{Dir: filepath.Join("..", "..", "examples", "raw-hello"), WASIP1: true, Output: out})
	require.NoError(t, err)
	data, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.Equal(t, []byte{0, 'a', 's', 'm', 1, 0, 0, 0}, data[:8], "core module header")
}

// TestOptimizedHello: --optimize (wasm-opt -Oz) makes the spinhttp hello
// smaller and it still serves.
func TestOptimizedHello(t *testing.T) {
	short(t)
	dir := filepath.Join("..", "..", "examples", "hello")
	plain, optimized := filepath.Join(t.TempDir(), "plain.wasm"), filepath.Join(t.TempDir(), "optimized.wasm")
	_, err := build.Build(context.Background(), build.Options{Dir: dir, Output: plain})
	require.NoError(t, err)
	_, err = build.Build(context.Background(), build.Options{Dir: dir, Output: optimized, Optimize: true})
	require.NoError(t, err)
	a, err := os.Stat(plain)
	require.NoError(t, err)
	b, err := os.Stat(optimized)
	require.NoError(t, err)
	t.Logf("spinhttp hello: %d bytes, with --optimize %d bytes (%.1f%% smaller)", a.Size(), b.Size(), 100*float64(a.Size()-b.Size())/float64(a.Size()))
	assert.Less(t, b.Size(), a.Size()*97/100, "wasm-opt -Oz takes at least 3% off")
	srv := spintest.Serve(t, optimized)
	resp, body := srv.Get(t, "/")
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "Hello, Spin", body)
}

// TestUserModuleGoTool is the user's path: an app in its own module with a
// `tool` line for componentize-go runs `go tool componentize-go build`; the
// world comes from the SDK's componentize-go.toml.
func TestUserModuleGoTool(t *testing.T) {
	short(t)
	sdk, err := filepath.Abs(filepath.Join("..", ".."))
	require.NoError(t, err)
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte(`module example.com/userapp

go 1.25

require github.com/spin-go/sdk v0.0.0

replace github.com/spin-go/sdk => `+sdk+`

tool github.com/spin-go/sdk/cmd/componentize-go
`), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "main.go"), []byte(`package main

import (
	"fmt"
	"net/http"

	spinhttp "github.com/spin-go/sdk/http"
)

func init() {
	spinhttp.Handle(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "Hello from a user module at %s", r.URL.Path)
	})
}

func main() {}
`), 0o644))
	run := func(args ...string) string {
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod")
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "go %v:\n%s", args, out)
		return string(out)
	}
	run("mod", "tidy")
	out := run("tool", "componentize-go", "build")
	assert.Contains(t, out, "world spin:up/http-trigger@4.0.0")
	srv := spintest.Serve(t, filepath.Join(dir, "main.wasm"))
	_, body := srv.Get(t, "/from/user")
	assert.Equal(t, "Hello from a user module at /from/user", body)
}
