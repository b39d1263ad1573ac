package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"

	"github.com/spin-go/sdk/internal/build"
	"github.com/spin-go/sdk/internal/spinapp"
	"github.com/spin-go/sdk/internal/toolchain"
)

// upFlags are the flags of `componentize-go up`.
type upFlags struct {
	listen          string
	stateDir        string
	skipBuild       bool
	tlsCert, tlsKey string
	// reuse and concurrent are spin up's --max-instance-reuse-count and
	// --max-instance-concurrent-reuse-count (0: Spin's defaults).
	reuse, concurrent int
}

// cmdUp runs an application locally until interrupted, like `spin up`:
// with a spin.toml in the folder, every component of the application is
// built and served with its HTTP and Redis triggers; without one, the main
// package is built and served as a single HTTP component.
func cmdUp(o *options, fs *flag.FlagSet, args []string, stdout io.Writer) error {
	var f upFlags
	fs.StringVar(&f.listen, "listen", "127.0.0.1:3000", "`ADDRESS` to serve on")
	fs.StringVar(&f.stateDir, "state-dir", "", "the `DIR` for key-value stores and SQLite databases (default: .spin next to spin.toml)")
	fs.BoolVar(&f.skipBuild, "skip-build", false, "serve the components' sources as they are (with a spin.toml)")
	fs.StringVar(&f.tlsCert, "tls-cert", "", "serve HTTPS with this certificate `FILE` (with a spin.toml; also SPIN_TLS_CERT)")
	fs.StringVar(&f.tlsKey, "tls-key", "", "the private key `FILE` of --tls-cert (also SPIN_TLS_KEY)")
	fs.IntVar(&f.reuse, "max-instance-reuse-count", 0, "`N` requests per WASI 0.3 instance, as in spin up (default 128)")
	fs.IntVar(&f.concurrent, "max-instance-concurrent-reuse-count", 0, "`N` requests at once per WASI 0.3 instance, as in spin up (default 16)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if f.reuse < 0 || f.concurrent < 0 {
		return errors.New("--max-instance-reuse-count and --max-instance-concurrent-reuse-count cannot be negative (0 keeps Spin's defaults, 128 and 16)")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	dir := o.Dir
	if dir == "" {
		dir = "."
	}
	manifest := filepath.Join(dir, "spin.toml")
	if _, err := os.Stat(manifest); err == nil {
		return upApp(ctx, o, f, manifest, stdout)
	}
	return upComponent(ctx, o, f, stdout)
}

// upComponent builds the main package and serves that one component.
func upComponent(ctx context.Context, o *options, f upFlags, stdout io.Writer) error {
	work, err := os.MkdirTemp("", "componentize-go-up-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	opts := build.Options{Output: filepath.Join(work, "app.wasm"), Stderr: os.Stderr}
	o.ApplyTo(&opts)
	res, err := build.Build(ctx, opts)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "componentize-go: built %s for %s\n", filepath.Base(opts.Output), res.WorldName())
	tc, err := toolchain.Ensure(ctx)
	if err != nil {
		return err
	}
	args := []string{"serve", "--component", opts.Output, "--listen", f.listen}
	if f.reuse > 0 {
		args = append(args, "--max-instance-reuse-count", strconv.Itoa(f.reuse))
	}
	if f.concurrent > 0 {
		args = append(args, "--max-instance-concurrent-reuse-count", strconv.Itoa(f.concurrent))
	}
	cmd := tc.Command(ctx, "host.mjs", args...)
	cmd.Stdout, cmd.Stderr = stdout, os.Stderr
	if err := cmd.Run(); err != nil && ctx.Err() == nil {
		return fmt.Errorf("the host stopped: %v", err)
	}
	return nil
}

// upApp builds the components of the application in manifest and serves
// it through the local host, as spintest.Up does.
func upApp(ctx context.Context, o *options, f upFlags, manifest string, stdout io.Writer) error {
	m, err := spinapp.ReadManifest(manifest)
	if err != nil {
		return err
	}
	appDir := filepath.Dir(m.Path)
	if !f.skipBuild {
		// -d paths are relative to the application's folder, not to
		// each component's.
		var witPaths []string
		for _, p := range o.WitPaths {
			if !filepath.IsAbs(p) {
				p = filepath.Join(appDir, p)
			}
			witPaths = append(witPaths, p)
		}
		err := spinapp.Build(ctx, m, spinapp.BuildOptions{
			WitPaths: witPaths, Worlds: o.Worlds, Features: o.FeatureList(), AllFeatures: o.AllFeatures, Stderr: os.Stderr,
			OnBuild: func(c *spinapp.Component) {
				fmt.Fprintf(stdout, "componentize-go: building component %s\n", c.ID)
			},
		})
		if err != nil {
			return err
		}
	}
	for _, id := range m.ComponentIDs() {
		if _, err := os.Stat(m.Components[id].Source); err != nil {
			return fmt.Errorf("component %s: %v (it has no [component.%s.build] to make it)", id, err, id)
		}
	}
	state := f.stateDir
	if state == "" {
		state = filepath.Join(appDir, ".spin")
	}
	work, err := os.MkdirTemp("", "componentize-go-up-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	file := filepath.Join(work, "app.json")
	cfg, err := spinapp.WriteHostConfig(file, m, spinapp.HostOptions{Listen: f.listen, StateDir: state, TLSCert: f.tlsCert, TLSKey: f.tlsKey,
		MaxInstanceReuseCount: f.reuse, MaxInstanceConcurrentReuseCount: f.concurrent})
	if err != nil {
		return err
	}
	tc, err := toolchain.Ensure(ctx)
	if err != nil {
		return err
	}
	cmd := tc.Command(ctx, "host.mjs", "app", "--config", file)
	out := &hostOutput{w: stdout, marker: []byte("spin-go host: serving"), banner: banner(m, cfg)}
	cmd.Stdout, cmd.Stderr = out, os.Stderr
	err = cmd.Run()
	out.flush()
	if err != nil && ctx.Err() == nil {
		return fmt.Errorf("the host stopped: %v", err)
	}
	if err == nil && ctx.Err() == nil {
		return errors.New("the host stopped")
	}
	return nil
}

// banner is what `up` prints once the host serves m, like spin up: the
// address and each HTTP route with its component (when m has HTTP
// routes), and the Redis triggers.
func banner(m *spinapp.Manifest, cfg *spinapp.HostConfig) string {
	var b strings.Builder
	if len(m.Routes) > 0 {
		fmt.Fprintf(&b, "Serving %s\n", cfg.URL())
		b.WriteString("Available Routes:\n")
		for _, r := range m.Routes {
			url, wildcard := routeURL(cfg.URL(), m.Base, r.Route)
			if wildcard {
				url += " (wildcard)"
			}
			fmt.Fprintf(&b, "  %s: %s\n", r.Component, url)
		}
	}
	if len(m.RedisTriggers) > 0 {
		b.WriteString("Redis Triggers:\n")
		triggers := append([]spinapp.RedisTrigger(nil), m.RedisTriggers...)
		sort.SliceStable(triggers, func(i, j int) bool { return triggers[i].Component < triggers[j].Component })
		for _, t := range triggers {
			address := t.Address
			if address == "" {
				address = m.RedisAddress
			}
			fmt.Fprintf(&b, "  %s: channel %q on %s\n", t.Component, t.Channel, address)
		}
	}
	return b.String()
}

// routeURL is the URL of a route under the application's base path; a
// wildcard route (`/prefix/...`) gives its prefix.
func routeURL(root, base, route string) (string, bool) {
	wildcard := strings.HasSuffix(route, "/...")
	route = strings.TrimSuffix(route, "/...")
	p := strings.TrimSuffix(base, "/") + route
	if p == "" && !wildcard {
		p = "/"
	}
	return root + p, wildcard
}

// hostOutput passes the host's output on, replacing the host's "serving"
// line with the banner. Until that line it forwards whole lines only.
type hostOutput struct {
	mu     sync.Mutex
	w      io.Writer
	marker []byte
	banner string
	buf    []byte
	done   bool
}

func (h *hostOutput) Write(p []byte) (int, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.done {
		return h.w.Write(p)
	}
	h.buf = append(h.buf, p...)
	for {
		i := bytes.IndexByte(h.buf, '\n')
		if i < 0 {
			return len(p), nil
		}
		line := h.buf[:i+1]
		h.buf = h.buf[i+1:]
		if bytes.Contains(line, h.marker) {
			h.done = true
			io.WriteString(h.w, h.banner)
			_, err := h.w.Write(h.buf)
			h.buf = nil
			return len(p), err
		}
		if _, err := h.w.Write(line); err != nil {
			return len(p), err
		}
	}
}

// flush writes what is left of an unfinished line.
func (h *hostOutput) flush() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.w.Write(h.buf)
	h.buf = nil
}
