// Package spintest runs Spin components in Go tests without Spin: it
// builds a component with componentize-go and serves it from a local host
// (a Node program of ours around jco-transpiled components, with the WASI
// preview2 and preview3 shims), so handlers can be exercised over real
// HTTP on 127.0.0.1.
//
// The host's npm packages (jco, the shims, Node 26) are installed into the
// spin-go cache folder on first use.
package spintest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
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

	"github.com/spin-go/sdk/internal/build"
	"github.com/spin-go/sdk/internal/toolchain"
)

// BuildOptions select the WIT and worlds of a build; empty fields mean the
// componentize-go.toml files of the module (see componentize-go build).
type BuildOptions struct {
	WitPaths []string
	Worlds   []string
}

// Build builds the main package in dir into a component and returns its
// path, in a folder removed when the test ends.
func Build(t testing.TB, dir string, opts BuildOptions) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), filepath.Base(dir)+".wasm")
	var log bytes.Buffer
	_, err := build.Build(context.Background(), build.Options{
		Dir: dir, WitPaths: opts.WitPaths, Worlds: opts.Worlds, Output: out, Stderr: &log,
	})
	if err != nil {
		t.Fatalf("building %s: %v\n%s", dir, err, log.String())
	}
	return out
}

// Server is a running host serving one component.
type Server struct {
	// URL is the base URL, e.g. http://127.0.0.1:41234.
	URL      string
	cmd      *exec.Cmd
	out      *syncBuffer
	exited   chan error
	stopOnce sync.Once
}

// Stop ends the host now (it is also stopped when the test ends).
func (s *Server) Stop() {
	s.stopOnce.Do(func() {
		syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
		<-s.exited
	})
}

// Output returns what the host and the component printed so far.
func (s *Server) Output() string { return s.out.String() }

// WaitOutput waits up to within for the host's output to contain want,
// and fails the test (showing the output) if it does not. What a component
// prints reaches the test through a pipe, so it can arrive after the
// response that followed it.
func (s *Server) WaitOutput(t testing.TB, want string, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !strings.Contains(s.Output(), want) {
		if time.Now().After(deadline) {
			t.Fatalf("the host's output does not contain %q:\n%s", want, s.Output())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Serve starts the host on a free loopback port serving one component's
// wasi:http handler, and waits until it answers. The host process is
// stopped when the test ends.
func Serve(t testing.TB, component string) *Server {
	t.Helper()
	port := freePort(t)
	return startHost(t, port, "serve", "--component", component, "--listen", fmt.Sprintf("127.0.0.1:%d", port))
}

// startHost runs host.mjs with args and waits for it to listen on port.
func startHost(t testing.TB, port int, args ...string) *Server {
	t.Helper()
	tc, err := toolchain.Ensure(context.Background())
	if err != nil {
		t.Fatalf("spintest: %v", err)
	}
	srv := &Server{URL: fmt.Sprintf("http://127.0.0.1:%d", port), out: &syncBuffer{}}
	srv.cmd = tc.Command(context.Background(), "host.mjs", args...)
	srv.cmd.Env = append(os.Environ(), "SPIN_GO_TRANSPILE_CACHE="+filepath.Join(t.TempDir(), "transpiled"))
	srv.cmd.Stdout, srv.cmd.Stderr = srv.out, srv.out
	srv.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := srv.cmd.Start(); err != nil {
		t.Fatalf("spintest: starting the host: %v", err)
	}
	exited := make(chan error, 1)
	srv.exited = exited
	go func() { exited <- srv.cmd.Wait() }()
	// Stop the whole process group when the test ends: Node runs worker
	// threads.
	t.Cleanup(srv.Stop)
	deadline := time.Now().Add(90 * time.Second)
	for {
		select {
		case err := <-exited:
			exited <- err
			t.Fatalf("spintest: the host exited (%v):\n%s", err, srv.out.String())
		default:
		}
		if strings.Contains(srv.out.String(), "spin-go host: serving") {
			if c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), time.Second); err == nil {
				c.Close()
				return srv
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("spintest: the host did not start within 90s:\n%s", srv.out.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Get fetches a path from the server and returns the response with its
// body read.
func (s *Server) Get(t testing.TB, path string) (*http.Response, string) {
	t.Helper()
	resp, err := http.Get(s.URL + path)
	if err != nil {
		t.Fatalf("GET %s: %v\nhost output:\n%s", path, err, s.Output())
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	if _, err := b.ReadFrom(resp.Body); err != nil {
		t.Fatalf("GET %s: reading body: %v", path, err)
	}
	return resp, b.String()
}

// Invoke instantiates the component count times, calling the function
// export each time with args (as JSON), every interval apart, and returns
// the results as JSON, one per call; logImport names a root-level import
// the host implements by printing its arguments, which appear in logs.
func Invoke(t testing.TB, component, export string, args []any, count int, every time.Duration, logImport string) (results []string, logs []string) {
	t.Helper()
	tc, err := toolchain.Ensure(context.Background())
	if err != nil {
		t.Fatalf("spintest: %v", err)
	}
	a, _ := json.Marshal(args)
	cmdArgs := []string{"invoke", "--component", component, "--export", export, "--args", string(a),
		"--count", fmt.Sprint(count), "--every", fmt.Sprint(every.Milliseconds())}
	if logImport != "" {
		cmdArgs = append(cmdArgs, "--log-import", logImport)
	}
	cmd := tc.Command(context.Background(), "host.mjs", cmdArgs...)
	cmd.Env = append(os.Environ(), "SPIN_GO_TRANSPILE_CACHE="+filepath.Join(t.TempDir(), "transpiled"))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("spintest: invoking %s: %v\n%s", export, err, out)
	}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		line := sc.Text()
		if logImport != "" && strings.HasPrefix(line, `{"`+logImport+`":`) {
			logs = append(logs, line)
		} else if line != "" {
			results = append(results, line)
		}
	}
	return results, logs
}

func freePort(t testing.TB) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("spintest: no free port: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
