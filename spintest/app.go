package spintest

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/spin-go/sdk/internal/spinapp"
)

// UpOptions change how Up runs an application.
type UpOptions struct {
	// Worlds and WitPaths are passed to every component build.
	BuildOptions
	// TLSCert and TLSKey serve HTTPS (also from SPIN_TLS_CERT and
	// SPIN_TLS_KEY).
	TLSCert, TLSKey string
	// SkipBuild uses the components' sources as they are.
	SkipBuild bool
	// StateDir keeps the key-value stores; reuse it to keep data across
	// restarts (default: a fresh folder).
	StateDir string
	// MaxInstanceReuseCount and MaxInstanceConcurrentReuseCount are spin
	// up's flags: how many requests one WASI 0.3 instance serves, in all
	// and at once (zero: Spin's defaults, 128 and 16). Set both to 1 to
	// check that a handler does not depend on state left by an earlier
	// request, or leave them to see what Spin does.
	MaxInstanceReuseCount, MaxInstanceConcurrentReuseCount int
}

// Up runs the application of the spin.toml in dir as `spin build && spin
// up` would: it builds every component that has a [component.<id>.build]
// by its command (a componentize-go build in-process, with the command's
// flags, to the component's source path; any other command with sh in the
// workdir), then serves the HTTP trigger with Spin's routing and headers on
// a free loopback port and runs the Redis triggers.
func Up(t testing.TB, dir string, opts UpOptions) *Server {
	t.Helper()
	m, err := spinapp.ReadManifest(filepath.Join(dir, "spin.toml"))
	if err != nil {
		t.Fatalf("spintest: %v", err)
	}
	if !opts.SkipBuild {
		if err := spinapp.Build(context.Background(), m, spinapp.BuildOptions{WitPaths: opts.WitPaths, Worlds: opts.Worlds}); err != nil {
			t.Fatalf("spintest: %v", err)
		}
	}
	port := freePort(t)
	state := opts.StateDir
	if state == "" {
		state = t.TempDir()
	}
	file := filepath.Join(t.TempDir(), "app.json")
	cfg, err := spinapp.WriteHostConfig(file, m, spinapp.HostOptions{
		Listen: fmt.Sprintf("127.0.0.1:%d", port), StateDir: state, TLSCert: opts.TLSCert, TLSKey: opts.TLSKey,
		MaxInstanceReuseCount: opts.MaxInstanceReuseCount, MaxInstanceConcurrentReuseCount: opts.MaxInstanceConcurrentReuseCount,
	})
	if err != nil {
		t.Fatalf("spintest: %v", err)
	}
	srv := startHost(t, port, "app", "--config", file)
	srv.URL = cfg.URL()
	return srv
}
