package spinapp

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spin-go/sdk/internal/build"
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

// TestComponentOptions: a componentize-go build command's flags are the
// build's; up's own flags replace them; other commands go to sh.
func TestComponentOptions(t *testing.T) {
	m := &Manifest{Path: "/app/spin.toml"}
	comp := func(command string) *Component {
		return &Component{ID: "api", Source: "/app/api/main.wasm", BuildDir: "/app/api", BuildCommand: command}
	}
	for _, c := range []struct {
		name, command string
		o             BuildOptions
		wagi          bool
		check         func(t *testing.T, opts build.Options)
	}{
		{name: "world from the command", command: "go tool componentize-go build -w fermyon:spin/http-trigger@3.0.0 --debug",
			check: func(t *testing.T, opts build.Options) {
				assert.Equal(t, []string{"fermyon:spin/http-trigger@3.0.0"}, opts.Worlds)
				assert.True(t, opts.Debug)
				assert.Equal(t, "/app/api", opts.Dir)
				assert.Equal(t, "/app/api/main.wasm", opts.Output, "the build writes the source")
			}},
		{name: "up's flags replace the command's", command: "go tool componentize-go build -w fermyon:spin/http-trigger@3.0.0 -d wit3",
			o: BuildOptions{Worlds: []string{"spin:up/http-trigger@4.0.0"}, WitPaths: []string{"/wit"}},
			check: func(t *testing.T, opts build.Options) {
				assert.Equal(t, []string{"spin:up/http-trigger@4.0.0"}, opts.Worlds)
				assert.Equal(t, []string{"/wit"}, opts.WitPaths)
			}},
		{name: "-C and -o relative to the workdir", command: "go tool componentize-go -C cmd/api build -o ../../main.wasm",
			check: func(t *testing.T, opts build.Options) {
				assert.Equal(t, "/app/api/cmd/api", opts.Dir)
				assert.Equal(t, "/app/api/main.wasm", opts.Output)
			}},
		{name: "a Wagi route", command: "go tool componentize-go build", wagi: true,
			check: func(t *testing.T, opts build.Options) { assert.True(t, opts.Wagi) }},
		{name: "no command", command: "",
			check: func(t *testing.T, opts build.Options) {
				assert.Equal(t, "/app/api", opts.Dir)
				assert.Nil(t, opts.Worlds)
			}},
	} {
		t.Run(c.name, func(t *testing.T) {
			cc := comp(c.command)
			cc.Wagi = c.wagi
			opts, run, err := componentOptions(m, cc, c.o)
			require.NoError(t, err)
			assert.False(t, run)
			c.check(t, opts)
		})
	}

	_, run, err := componentOptions(m, comp("make wasm"), BuildOptions{})
	require.NoError(t, err)
	assert.True(t, run, "make runs with sh")

	_, _, err = componentOptions(m, comp("go tool componentize-go build -o app.wasm"), BuildOptions{})
	assert.EqualError(t, err, "/app/spin.toml: component api: the build command writes /app/api/app.wasm, but the component's source is /app/api/main.wasm")
	_, _, err = componentOptions(m, comp("go tool componentize-go build --bogus"), BuildOptions{})
	assert.EqualError(t, err, `/app/spin.toml: component api: build command "go tool componentize-go build --bogus": flag provided but not defined: -bogus`)
}

// TestBuildRunsOtherCommands: a build command that is not componentize-go
// runs with sh in the workdir, as in Spin; its failure names the component
// and carries its output.
func TestBuildRunsOtherCommands(t *testing.T) {
	dir := t.TempDir()
	manifest := func(command string) *Manifest {
		toml := "spin_manifest_version = 2\n[application]\nname = \"a\"\n[[trigger.http]]\nroute = \"/...\"\ncomponent = \"api\"\n" +
			"[component.api]\nsource = \"api/out.wasm\"\n[component.api.build]\nworkdir = \"api\"\ncommand = '" + command + "'\n"
		require.NoError(t, os.WriteFile(filepath.Join(dir, "spin.toml"), []byte(toml), 0o644))
		m, err := ReadManifest(filepath.Join(dir, "spin.toml"))
		require.NoError(t, err)
		return m
	}
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "api"), 0o755))

	require.NoError(t, Build(context.Background(), manifest("printf wasm > out.wasm && echo built"), BuildOptions{}))
	got, err := os.ReadFile(filepath.Join(dir, "api", "out.wasm"))
	require.NoError(t, err)
	assert.Equal(t, "wasm", string(got), "ran in the workdir")

	err = Build(context.Background(), manifest("echo no compiler here >&2; exit 3"), BuildOptions{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "building component api:")
	assert.Contains(t, err.Error(), "exit status 3")
	assert.Contains(t, err.Error(), "no compiler here", "the command's output")

	require.NoError(t, os.Remove(filepath.Join(dir, "api", "out.wasm")))
	err = Build(context.Background(), manifest("true"), BuildOptions{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `the build command "true" did not write the component's source `+filepath.Join(dir, "api", "out.wasm"))
}
