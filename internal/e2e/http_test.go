package e2e

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spin-go/sdk/spintest"
)

// versions are the two Spin targets the same app must pass on.
var versions = []struct {
	name   string
	worlds []string
}{
	{"wasi03", nil}, // the SDK's default: spin:up/http-trigger@4.0.0
	{"wasi02", []string{"fermyon:spin/http-trigger@3.0.0"}},
}

// eachVersion runs a test for WASI 0.3 and WASI 0.2 builds of the app.
func eachVersion(t *testing.T, test func(t *testing.T, opts spintest.UpOptions)) {
	short(t)
	for _, v := range versions {
		t.Run(v.name, func(t *testing.T) {
			test(t, spintest.UpOptions{BuildOptions: spintest.BuildOptions{Worlds: v.worlds}})
		})
	}
}

// wasi02 reports whether the options build for WASI 0.2. The local host
// serves WASI 0.2 components with the preview2 shim's server, which
// lower-cases extension methods, drops trailers and runs the component on
// Node's main thread (so a request to self cannot be answered while the
// component waits for it): those checks run on WASI 0.3 only.
func wasi02(opts spintest.UpOptions) bool { return len(opts.Worlds) > 0 }

// app writes a spin.toml whose components all run testdata/httpapp (built
// once, by the first component) and starts it.
func app(t *testing.T, base string, routes [][2]string, allowed []string, opts spintest.UpOptions) *spintest.Server {
	dir := t.TempDir()
	src, err := filepath.Abs(filepath.Join("testdata", "httpapp"))
	require.NoError(t, err)
	var b strings.Builder
	fmt.Fprintf(&b, "spin_manifest_version = 2\n\n[application]\nname = \"test\"\n\n[application.trigger.http]\nbase = %q\n", base)
	seen := map[string]bool{}
	for _, r := range routes {
		fmt.Fprintf(&b, "\n[[trigger.http]]\nroute = %q\ncomponent = %q\n", r[0], r[1])
	}
	first := true
	for _, r := range routes {
		if seen[r[1]] {
			continue
		}
		seen[r[1]] = true
		q := make([]string, len(allowed))
		for i, a := range allowed {
			q[i] = fmt.Sprintf("%q", a)
		}
		fmt.Fprintf(&b, "\n[component.%s]\nsource = \"app.wasm\"\nallowed_outbound_hosts = [%s]\nenvironment = { GREETING = %q }\n", r[1], strings.Join(q, ", "), r[1])
		if first {
			fmt.Fprintf(&b, "[component.%s.build]\ncommand = \"go tool componentize-go build -o %s\"\nworkdir = %q\n", r[1], filepath.Join(dir, "app.wasm"), src)
			first = false
		}
	}
	require.NoError(t, os.WriteFile(filepath.Join(dir, "spin.toml"), []byte(b.String()), 0o644))
	return spintest.Up(t, dir, opts)
}

type seen struct {
	Method, URL, Path, Query, Host, RequestURI, RemoteAddr, Body, XTest, Trailer, PathInfo, Env string
	TLS                                                                                         bool
	ContentLength                                                                               int64
	Spin                                                                                        map[string]string
}

func inspect(t *testing.T, srv *spintest.Server, path string) (int, seen) {
	resp, body := srv.Get(t, path)
	var s seen
	if resp.StatusCode == 200 && strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		require.NoError(t, json.Unmarshal([]byte(body), &s), body)
	}
	return resp.StatusCode, s
}

var shopRoutes = [][2]string{
	{"/cart", "cart"}, {"/cart/checkout", "checkout"}, {"/users/...", "users"}, {"/users/admin", "admin"}, {"/...", "fallback"},
}

// TestRouting dispatches as Spin documents it, at the root and under a
// base path: exact routes, wildcards, longest prefix, exact over wildcard,
// health, 404.
func TestRouting(t *testing.T) {
	eachVersion(t, testRouting)
}

func testRouting(t *testing.T, opts spintest.UpOptions) {
	for _, base := range []string{"/", "/shop"} {
		t.Run(base, func(t *testing.T) {
			srv := app(t, base, shopRoutes, nil, opts)
			b := strings.TrimSuffix(base, "/")
			for _, tc := range []struct{ path, component, pathInfo string }{
				{"/cart", "cart", ""},
				{"/cart/checkout", "checkout", ""},
				{"/cart/other", "fallback", "/cart/other"},
				{"/users", "users", ""},
				{"/users/1/edit", "users", "/1/edit"},
				{"/users/admin", "admin", ""},
				{"/users/admin/x", "users", "/admin/x"},
				{"/elsewhere", "fallback", "/elsewhere"},
			} {
				code, s := inspect(t, srv, b+tc.path)
				require.Equal(t, 200, code, tc.path)
				assert.Equal(t, tc.component, s.Env, "%s%s routed to", b, tc.path)
				assert.Equal(t, tc.pathInfo, s.PathInfo, "%s%s path info", b, tc.path)
			}
			resp, body := srv.Get(t, "/.well-known/spin/health")
			assert.Equal(t, 200, resp.StatusCode)
			assert.Equal(t, "OK", body)
			if b != "" {
				code, _ := inspect(t, srv, "/cart")
				assert.Equal(t, 404, code, "outside the base path")
			}
		})
	}
	srv := app(t, "/", [][2]string{{"/only", "only"}}, nil, opts)
	code, _ := inspect(t, srv, "/nothing-here")
	assert.Equal(t, 404, code)
}

// selfSigned writes a certificate for example.com.
func selfSigned(t *testing.T) (string, string) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "example.com"},
		DNSNames: []string{"example.com"}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	dir := t.TempDir()
	cert, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	require.NoError(t, os.WriteFile(cert, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644))
	kb, err := x509.MarshalECPrivateKey(key)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600))
	return cert, keyFile
}

// TestSpinHeadersAndRequestFields uses Spin's documented example URL over
// HTTPS: https://example.com:8080/shop/users/1/edit?theme=pink with base
// /shop and route /users/....
func TestSpinHeadersAndRequestFields(t *testing.T) {
	eachVersion(t, testSpinHeaders)
}

func testSpinHeaders(t *testing.T, opts spintest.UpOptions) {
	cert, key := selfSigned(t)
	opts.TLSCert, opts.TLSKey = cert, key
	srv := app(t, "/shop", shopRoutes, nil, opts)
	addr := strings.TrimPrefix(srv.URL, "https://")
	client := &http.Client{Transport: &http.Transport{
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true, ServerName: "example.com"},
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, addr)
		},
	}}
	req, err := http.NewRequest("PURGE", "https://example.com:8080/shop/users/1/edit?theme=pink", strings.NewReader("payload"))
	require.NoError(t, err)
	req.Header.Set("X-Test", "yes")
	resp, err := client.Do(req)
	require.NoError(t, err, srv.Output())
	defer resp.Body.Close()
	var s seen
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&s))
	assert.Equal(t, map[string]string{
		"spin-full-url":            "https://example.com:8080/shop/users/1/edit?theme=pink",
		"spin-path-info":           "/1/edit",
		"spin-matched-route":       "/shop/users/...",
		"spin-raw-component-route": "/users/...",
		"spin-component-route":     "/users",
		"spin-base-path":           "/shop",
		"spin-client-addr":         s.Spin["spin-client-addr"],
	}, s.Spin)
	assert.Regexp(t, `^127\.0\.0\.1:[0-9]+$`, s.Spin["spin-client-addr"])
	if wasi02(opts) {
		assert.Equal(t, "purge", s.Method, "the preview2 shim lower-cases extension methods")
	} else {
		assert.Equal(t, "PURGE", s.Method, "extension methods keep their name")
	}
	assert.Equal(t, "https://example.com:8080/shop/users/1/edit?theme=pink", s.URL)
	assert.Equal(t, "theme=pink", s.Query)
	assert.Equal(t, "example.com:8080", s.Host)
	assert.Equal(t, "/shop/users/1/edit?theme=pink", s.RequestURI)
	assert.Equal(t, s.Spin["spin-client-addr"], s.RemoteAddr)
	assert.True(t, s.TLS)
	assert.Equal(t, int64(7), s.ContentLength)
	assert.Equal(t, "payload", s.Body)
	assert.Equal(t, "yes", s.XTest)
	assert.Equal(t, "users", s.Env, "environment from spin.toml")
}

// TestResponses: streaming with Flush, WriteHeader rules, trailers both
// ways, and a panicking handler giving 500 while the next request works.
func TestResponses(t *testing.T) {
	eachVersion(t, testResponses)
}

func testResponses(t *testing.T, opts spintest.UpOptions) {
	srv := app(t, "/", [][2]string{{"/...", "app"}}, nil, opts)

	resp, body := srv.Get(t, "/status")
	assert.Equal(t, 201, resp.StatusCode)
	assert.Equal(t, "yes", resp.Header.Get("X-Before"))
	assert.Empty(t, resp.Header.Get("X-After"))
	assert.Equal(t, "created", body)

	resp, body = srv.Get(t, "/stream")
	assert.Equal(t, "part 0\npart 1\npart 2\n", body)
	assert.Equal(t, "text/plain; charset=utf-8", resp.Header.Get("Content-Type"), "sniffed from the first write")

	resp, body = srv.Get(t, "/panic")
	assert.Equal(t, 500, resp.StatusCode)
	assert.Equal(t, "Internal Server Error\n", body)
	srv.WaitOutput(t, "handler panicked serving GET", 10*time.Second)
	// The stack names the handler and its line: the runtime finds
	// functions by PC without findfunctab (see internal/gowasm).
	srv.WaitOutput(t, "\nmain.init.", 10*time.Second)
	srv.WaitOutput(t, "httpapp/main.go:65", 10*time.Second)
	code, _ := inspect(t, srv, "/after-panic")
	assert.Equal(t, 200, code, "the next request still works")

	req, _ := http.NewRequest("POST", srv.URL+"/echo", io.MultiReader(strings.NewReader("hello "), strings.NewReader("trailers")))
	req.ContentLength = -1
	req.Trailer = http.Header{"X-Req-Trailer": {"from-client"}}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, "hello trailers", string(b))
	if wasi02(opts) {
		return
	}
	assert.Equal(t, "14", resp.Trailer.Get("X-Echo-Bytes"), "announced trailer")
	assert.Equal(t, "from-client", resp.Trailer.Get("X-Req-Trailer"), "TrailerPrefix trailer carrying the request trailer")
}

// TestOutbound: an allowed local server answers with the query intact, a
// host not in allowed_outbound_hosts is an error naming it, and self
// reaches the application.
func TestOutbound(t *testing.T) {
	eachVersion(t, testOutbound)
}

func testOutbound(t *testing.T, opts spintest.UpOptions) {
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			time.Sleep(3 * time.Second)
		}
		b, _ := io.ReadAll(r.Body)
		fmt.Fprintf(w, "%s %s?%s body=%s", r.Method, r.URL.Path, r.URL.RawQuery, b)
	}))
	defer upstream.Close()
	port := strings.TrimPrefix(upstream.URL, "http://127.0.0.1:")
	srv := app(t, "/", [][2]string{{"/...", "app"}}, []string{"http://127.0.0.1:" + port, "http://self"}, opts)

	_, body := srv.Get(t, "/outbound?url="+upstream.URL+"/path%3Fa%3D1%26b%3Dtwo")
	assert.Equal(t, "200 GET /path?a=1&b=two body=", body)
	_, body = srv.Get(t, "/outbound?client=new&url="+upstream.URL+"/new")
	assert.Equal(t, "200 GET /new? body=", body, "a new http.Client uses http.DefaultTransport, which is the host's")

	resp, err := http.Post(srv.URL+"/post-out?url="+upstream.URL+"/up", "text/plain", strings.NewReader("sent"))
	require.NoError(t, err)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, "200 POST /up? body=sent", string(b))

	if !wasi02(opts) {
		// A client timeout cancels the request (WASI 0.2 calls block).
		_, body = srv.Get(t, "/slow-out?url="+upstream.URL+"/slow")
		assert.Equal(t, "err=true timeout=true fast=true", body)
	}

	resp, body = srv.Get(t, "/outbound?url=http://localhost:"+port+"/x")
	assert.Equal(t, 502, resp.StatusCode)
	assert.Contains(t, body, "http://localhost:"+port+" is not in allowed_outbound_hosts")

	if wasi02(opts) {
		return
	}
	_, body = srv.Get(t, "/outbound?url=http://self/from-self%3Fq%3D1")
	assert.Contains(t, body, `"path":"/from-self"`)
	assert.Contains(t, body, `"query":"q=1"`)
}

// peakMemory asks the host for the largest guest linear memory it saw.
func peakMemory(t *testing.T, srv *spintest.Server) int64 {
	_, body := srv.Get(t, "/.well-known/spin-go/stats")
	var s struct{ PeakMemoryBytes int64 }
	require.NoError(t, json.Unmarshal([]byte(body), &s), body)
	return s.PeakMemoryBytes
}

// countingReader produces n bytes of a pattern without holding them.
type countingReader struct{ n, off int64 }

func (r *countingReader) Read(p []byte) (int, error) {
	if r.off >= r.n {
		return 0, io.EOF
	}
	if int64(len(p)) > r.n-r.off {
		p = p[:r.n-r.off]
	}
	for i := range p {
		p[i] = byte((r.off + int64(i)) % 251)
	}
	r.off += int64(len(p))
	return len(p), nil
}

// TestLargeBodiesStreamInBoundedMemory streams 100 MB through /echo and
// reports the peak guest linear memory.
func TestLargeBodiesStreamInBoundedMemory(t *testing.T) {
	short(t)
	srv := app(t, "/", [][2]string{{"/...", "app"}}, nil, spintest.UpOptions{})
	const size = 100 << 20
	req, _ := http.NewRequest("POST", srv.URL+"/echo", &countingReader{n: size})
	req.ContentLength = size
	start := time.Now()
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	check := &countingReader{n: size}
	want := make([]byte, 64<<10)
	got := make([]byte, 64<<10)
	var total int64
	for {
		n, err := io.ReadFull(resp.Body, got)
		if n > 0 {
			check.Read(want[:n])
			require.Equal(t, want[:n], got[:n], "byte %d", total)
			total += int64(n)
		}
		if err != nil {
			break
		}
	}
	resp.Body.Close()
	assert.Equal(t, int64(size), total)
	peak := peakMemory(t, srv)
	t.Logf("100 MB echoed in %v; peak guest linear memory %.1f MB", time.Since(start), float64(peak)/(1<<20))
	assert.Less(t, peak, int64(64<<20), "guest memory must stay bounded while streaming")
}

// TestConcurrentSpinHTTP sends 50 requests at once to a spinhttp app.
func TestConcurrentSpinHTTP(t *testing.T) {
	short(t)
	srv := app(t, "/", [][2]string{{"/...", "app"}}, nil, spintest.UpOptions{})
	errs := make(chan error, 50)
	for i := 0; i < 50; i++ {
		go func(i int) {
			resp, err := http.Get(fmt.Sprintf("%s/item/%d?i=%d", srv.URL, i, i))
			if err != nil {
				errs <- err
				return
			}
			var s seen
			err = json.NewDecoder(resp.Body).Decode(&s)
			resp.Body.Close()
			if err == nil && s.Query != fmt.Sprintf("i=%d", i) {
				err = fmt.Errorf("request %d saw query %q", i, s.Query)
			}
			errs <- err
		}(i)
	}
	for i := 0; i < 50; i++ {
		assert.NoError(t, <-errs)
	}
}

// TestBuildCommandWorld: the world a spin.toml build command names is the
// one the local host runs, as with spin build: here Spin 3's, whose
// instances serve one request each.
func TestBuildCommandWorld(t *testing.T) {
	short(t)
	dir := t.TempDir()
	src, err := filepath.Abs(filepath.Join("testdata", "httpapp"))
	require.NoError(t, err)
	out := filepath.Join(dir, "app.wasm")
	manifest := fmt.Sprintf("spin_manifest_version = 2\n[application]\nname = \"spin3\"\n[[trigger.http]]\nroute = \"/...\"\ncomponent = \"app\"\n"+
		"[component.app]\nsource = \"app.wasm\"\n[component.app.build]\nworkdir = %q\n"+
		"command = \"go tool componentize-go build -w fermyon:spin/http-trigger@3.0.0 -o %s\"\n", src, out)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "spin.toml"), []byte(manifest), 0o644))
	srv := spintest.Up(t, dir, spintest.UpOptions{})
	for i := 0; i < 2; i++ {
		resp, body := srv.Get(t, "/instance")
		require.Equal(t, 200, resp.StatusCode, body)
		assert.Equal(t, "1", body, "a fresh WASI 0.2 instance per request")
	}
}

// TestInstanceReuse: as in Spin 4, a WASI 0.3 instance serves request after
// request (package state carries over) until it crashes, and with
// MaxInstanceReuseCount 1 every request gets a fresh one. A WASI 0.2
// instance serves one request.
func TestInstanceReuse(t *testing.T) {
	counts := func(t *testing.T, srv *spintest.Server) []string {
		var out []string
		for i := 0; i < 3; i++ {
			resp, body := srv.Get(t, "/instance")
			require.Equal(t, 200, resp.StatusCode, body)
			out = append(out, body)
		}
		return out
	}
	eachVersion(t, func(t *testing.T, opts spintest.UpOptions) {
		srv := app(t, "/", [][2]string{{"/...", "app"}}, nil, opts)
		if wasi02(opts) {
			assert.Equal(t, []string{"1", "1", "1"}, counts(t, srv))
			return
		}
		assert.Equal(t, []string{"1", "2", "3"}, counts(t, srv))
		resp, _ := srv.Get(t, "/crash")
		assert.Equal(t, 500, resp.StatusCode)
		assert.Equal(t, []string{"1", "2", "3"}, counts(t, srv), "a crashed instance is not reused")
	})
	t.Run("single use", func(t *testing.T) {
		srv := app(t, "/", [][2]string{{"/...", "app"}}, nil, spintest.UpOptions{MaxInstanceReuseCount: 1})
		assert.Equal(t, []string{"1", "1", "1"}, counts(t, srv))
	})
}

// TestInstanceFailure checks what a failing instance takes down with it:
// its own request, and (WASI 0.3, where an instance serves several at once)
// the requests still in flight on it, which fail at once with a 500 rather
// than when their next event re-enters the dead instance. The host and the
// other instances go on, as in Spin.
func TestInstanceFailure(t *testing.T) {
	eachVersion(t, func(t *testing.T, opts spintest.UpOptions) {
		srv := app(t, "/", [][2]string{{"/...", "app"}}, nil, opts)
		resp, body := srv.Get(t, "/exit?code=3")
		assert.Equal(t, 500, resp.StatusCode)
		assert.Contains(t, body, "component exited with an error status", "os.Exit(3) reaches wasi:cli/exit as err")
		resp, body = srv.Get(t, "/instance")
		require.Equal(t, 200, resp.StatusCode, "the host serves on after an os.Exit: %s", body)

		// An error code is an answer, not a failure: spinhttp cannot make
		// an *http.Request of a URL with a bad escape and says so.
		req, err := http.NewRequest("GET", srv.URL+"/", nil)
		require.NoError(t, err)
		req.URL.Opaque = "/%zz" // sent as it is
		resp, err = http.DefaultClient.Do(req)
		require.NoError(t, err)
		bad, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		assert.Equal(t, 500, resp.StatusCode)
		assert.Contains(t, string(bad), "bad request URL")
		if !wasi02(opts) {
			_, next := srv.Get(t, "/instance")
			assert.Equal(t, fmt.Sprint(atoi(t, body)+1), next, "the instance that answered with an error code serves on")
		}
		if wasi02(opts) {
			// One request per instance: nothing else is in flight on it.
			resp, _ = srv.Get(t, "/crash")
			assert.Equal(t, 500, resp.StatusCode)
			resp, body = srv.Get(t, "/instance")
			assert.Equal(t, 200, resp.StatusCode, "the host serves on after a trap: %s", body)
			return
		}

		type result struct {
			code int
			body string
			err  error
		}
		done := make(chan result, 1)
		go func() {
			resp, err := http.Get(srv.URL + "/sleep?ms=60000")
			if err != nil {
				done <- result{err: err}
				return
			}
			defer resp.Body.Close()
			b, err := io.ReadAll(resp.Body)
			done <- result{resp.StatusCode, string(b), err}
		}()
		// /sleeping runs in the same instance as the sleeper (Spin 4 serves
		// up to 16 requests at once with one instance).
		require.Eventually(t, func() bool {
			_, body := srv.Get(t, "/sleeping")
			return body == "1"
		}, 10*time.Second, 20*time.Millisecond, "the sleeper never started")
		resp, _ = srv.Get(t, "/crash")
		assert.Equal(t, 500, resp.StatusCode)
		select {
		case r := <-done:
			require.NoError(t, r.err)
			assert.Equal(t, 500, r.code)
			assert.Contains(t, r.body, "the instance failed while serving another request")
		case <-time.After(20 * time.Second):
			t.Fatalf("the request in flight on the crashed instance did not fail with it\nhost output:\n%s", srv.Output())
		}
		_, body = srv.Get(t, "/instance")
		assert.Equal(t, "1", body, "a fresh instance serves the next request")
	})
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(strings.TrimSpace(s))
	require.NoError(t, err, "not a number: %q", s)
	return n
}
