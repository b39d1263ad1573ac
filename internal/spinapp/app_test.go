package spinapp

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const shop = `spin_manifest_version = 2
[application]
name = "shop"
[application.trigger.http]
base = "/shop"
[application.trigger.redis]
address = "redis://127.0.0.1:6379"
[variables]
greeting = { default = "hi" }
[[trigger.http]]
route = "/cart/..."
component = "cart"
[[trigger.redis]]
channel = "orders"
component = "worker"
[component.cart]
source = "cart/main.wasm"
allowed_outbound_hosts = ["http://self"]
key_value_stores = ["default"]
variables = { greeting = "{{ greeting }}" }
[component.cart.build]
command = "go tool componentize-go build"
workdir = "cart"
[component.worker]
source = "worker.wasm"
`

// TestReadManifestRelativePath: the host runs in its own folder, so every
// path of a manifest read from a relative path is absolute.
func TestReadManifestRelativePath(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "spin.toml"), []byte(shop), 0o644))
	wd, err := os.Getwd()
	require.NoError(t, err)
	require.NoError(t, os.Chdir(dir))
	defer os.Chdir(wd)
	m, err := ReadManifest("spin.toml")
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(dir, "spin.toml"), m.Path)
	assert.Equal(t, filepath.Join(dir, "cart", "main.wasm"), m.Components["cart"].Source)
	assert.Equal(t, filepath.Join(dir, "cart"), m.Components["cart"].BuildDir)
	assert.Equal(t, filepath.Join(dir, "worker.wasm"), m.Components["worker"].Source)
	assert.Equal(t, []string{"cart", "worker"}, m.ComponentIDs())
}

func TestWriteHostConfig(t *testing.T) {
	t.Setenv("SPIN_TLS_CERT", "")
	t.Setenv("SPIN_TLS_KEY", "")
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "spin.toml"), []byte(shop), 0o644))
	m, err := ReadManifest(filepath.Join(dir, "spin.toml"))
	require.NoError(t, err)
	state := filepath.Join(dir, ".spin")
	file := filepath.Join(dir, "app.json")
	cfg, err := WriteHostConfig(file, m, HostOptions{Listen: "127.0.0.1:3000", StateDir: state})
	require.NoError(t, err)
	assert.Equal(t, "http://127.0.0.1:3000", cfg.URL())
	assert.DirExists(t, state)

	data, err := os.ReadFile(file)
	require.NoError(t, err)
	var got map[string]any
	require.NoError(t, json.Unmarshal(data, &got))
	want := map[string]any{
		"listen":         "127.0.0.1:3000",
		"base":           "/shop",
		"key_value_file": filepath.Join(state, "sqlite_key_value.db"),
		"sqlite_dir":     state,
		"variables":      map[string]any{"greeting": map[string]any{"default": "hi"}},
		"routes":         []any{map[string]any{"route": "/cart/...", "component": "cart"}},
		"redis_address":  "redis://127.0.0.1:6379",
		"redis_triggers": []any{map[string]any{"channel": "orders", "component": "worker"}},
		"instance_reuse": map[string]any{}, // Spin's defaults
		"components": map[string]any{
			"cart": map[string]any{"source": filepath.Join(dir, "cart", "main.wasm"), "allowed_outbound_hosts": []any{"http://self"},
				"environment": nil, "key_value_stores": []any{"default"}, "sqlite_databases": nil, "ai_models": nil,
				"variables": map[string]any{"greeting": "{{ greeting }}"}},
			"worker": map[string]any{"source": filepath.Join(dir, "worker.wasm"), "allowed_outbound_hosts": nil,
				"environment": nil, "key_value_stores": nil, "sqlite_databases": nil, "ai_models": nil, "variables": nil},
		},
	}
	assert.Equal(t, want, got)

	// An application without HTTP routes still has a routes list (the
	// host looks for HTTP components in it).
	m.Routes = nil
	cfg, err = NewHostConfig(m, HostOptions{Listen: "127.0.0.1:1", StateDir: state})
	require.NoError(t, err)
	assert.NotNil(t, cfg.Routes)
	assert.Empty(t, cfg.Routes)

	cfg, err = NewHostConfig(m, HostOptions{Listen: "127.0.0.1:1", StateDir: state, MaxInstanceReuseCount: 1, MaxInstanceConcurrentReuseCount: 4})
	require.NoError(t, err)
	assert.Equal(t, HostReuse{Reuse: 1, Concurrent: 4}, cfg.InstanceReuse)
	_, err = NewHostConfig(m, HostOptions{Listen: "127.0.0.1:1", StateDir: state, MaxInstanceReuseCount: -1})
	assert.ErrorContains(t, err, "negative")
}

func TestHostConfigTLS(t *testing.T) {
	m := &Manifest{Base: "/", Components: map[string]*Component{}}
	t.Setenv("SPIN_TLS_CERT", "")
	t.Setenv("SPIN_TLS_KEY", "")
	cfg, err := NewHostConfig(m, HostOptions{Listen: "127.0.0.1:3000", StateDir: t.TempDir(), TLSCert: "c.pem", TLSKey: "k.pem"})
	require.NoError(t, err)
	assert.Equal(t, &HostTLS{Cert: "c.pem", Key: "k.pem"}, cfg.TLS)
	assert.Equal(t, "https://127.0.0.1:3000", cfg.URL())

	_, err = NewHostConfig(m, HostOptions{Listen: "127.0.0.1:3000", StateDir: t.TempDir(), TLSCert: "c.pem"})
	assert.EqualError(t, err, "spinapp: HTTPS needs both a certificate and a key")

	t.Setenv("SPIN_TLS_CERT", "env-c.pem")
	t.Setenv("SPIN_TLS_KEY", "env-k.pem")
	cfg, err = NewHostConfig(m, HostOptions{Listen: "127.0.0.1:3000", StateDir: t.TempDir()})
	require.NoError(t, err)
	assert.Equal(t, &HostTLS{Cert: "env-c.pem", Key: "env-k.pem"}, cfg.TLS)

	_, err = NewHostConfig(m, HostOptions{StateDir: t.TempDir()})
	assert.EqualError(t, err, "spinapp: no listen address")
	_, err = NewHostConfig(m, HostOptions{Listen: "127.0.0.1:3000"})
	assert.EqualError(t, err, "spinapp: no state folder")
}

// TestBuildError: a component that does not build fails with its ID and
// the build's output; components without a build are not built.
func TestBuildError(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "cart"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "cart", "go.mod"), []byte("module cart\n\ngo 1.25\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "cart", "main.go"), []byte("package main\n\nfunc main() { undefined() }\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "spin.toml"), []byte(shop), 0o644))
	m, err := ReadManifest(filepath.Join(dir, "spin.toml"))
	require.NoError(t, err)
	wit, err := filepath.Abs(filepath.Join("..", "..", "wit"))
	require.NoError(t, err)
	var built []string
	err = Build(context.Background(), m, BuildOptions{
		WitPaths: []string{wit}, Worlds: []string{"spin:up/http-trigger@4.0.0"},
		OnBuild: func(c *Component) { built = append(built, c.ID) },
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "building component cart:")
	assert.Contains(t, err.Error(), "undefined: undefined")
	assert.Equal(t, []string{"cart"}, built, "worker has no [component.worker.build]")
}
