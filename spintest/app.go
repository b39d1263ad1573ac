package spintest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/spin-go/sdk/internal/build"
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
}

// Up runs the application of the spin.toml in dir as `spin up` would: it
// builds every component that has a [component.<id>.build] (with
// componentize-go, in its workdir, to its source path), then serves the
// HTTP trigger with Spin's routing and headers on a free loopback port.
func Up(t testing.TB, dir string, opts UpOptions) *Server {
	t.Helper()
	m, err := ReadManifest(filepath.Join(dir, "spin.toml"))
	if err != nil {
		t.Fatalf("spintest: %v", err)
	}
	for _, id := range m.componentID {
		c := m.Components[id]
		if opts.SkipBuild || c.BuildDir == "" {
			continue
		}
		var log bytes.Buffer
		if _, err := build.Build(context.Background(), build.Options{
			Dir: c.BuildDir, Output: c.Source, WitPaths: opts.WitPaths, Worlds: opts.Worlds, Stderr: &log,
		}); err != nil {
			t.Fatalf("spintest: building component %s: %v\n%s", id, err, log.String())
		}
	}
	port := freePort(t)
	state := opts.StateDir
	if state == "" {
		state = t.TempDir()
	}
	cfg := map[string]any{"listen": fmt.Sprintf("127.0.0.1:%d", port), "base": m.Base,
		"key_value_file": filepath.Join(state, "sqlite_key_value.db"), "sqlite_dir": state, "variables": m.Variables}
	var routes []map[string]string
	for _, r := range m.Routes {
		routes = append(routes, map[string]string{"route": r.Route, "component": r.Component})
	}
	cfg["routes"] = routes
	comps := map[string]any{}
	for id, c := range m.Components {
		comps[id] = map[string]any{"source": c.Source, "allowed_outbound_hosts": c.AllowedOutboundHosts, "environment": c.Environment,
			"key_value_stores": c.KeyValueStores, "sqlite_databases": c.SQLiteDatabases, "ai_models": c.AIModels, "variables": c.Variables}
	}
	cfg["components"] = comps
	cert, key := opts.TLSCert, opts.TLSKey
	if cert == "" {
		cert, key = os.Getenv("SPIN_TLS_CERT"), os.Getenv("SPIN_TLS_KEY")
	}
	scheme := "http"
	if cert != "" {
		cfg["tls"] = map[string]string{"cert": cert, "key": key}
		scheme = "https"
	}
	data, _ := json.Marshal(cfg)
	file := filepath.Join(t.TempDir(), "app.json")
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
	srv := startHost(t, port, "app", "--config", file)
	srv.URL = fmt.Sprintf("%s://127.0.0.1:%d", scheme, port)
	return srv
}
