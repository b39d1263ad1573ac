package spintest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func writeManifest(t *testing.T, text string) string {
	p := filepath.Join(t.TempDir(), "spin.toml")
	require.NoError(t, os.WriteFile(p, []byte(text), 0o644))
	return p
}

func TestReadManifest(t *testing.T) {
	p := writeManifest(t, `spin_manifest_version = 2
[application]
name = "shop"
[application.trigger.http]
base = "/shop"
[[trigger.http]]
route = "/cart"
component = "cart"
[[trigger.http]]
route = "/..."
component = "web"
[component.cart]
source = "cart/main.wasm"
allowed_outbound_hosts = ["https://example.com", "http://self"]
environment = { KEY = "value" }
[component.cart.build]
command = "go tool componentize-go build"
workdir = "cart"
[component.web]
source = "/abs/web.wasm"
`)
	m, err := ReadManifest(p)
	require.NoError(t, err)
	dir := filepath.Dir(p)
	assert.Equal(t, "shop", m.Name)
	assert.Equal(t, "/shop", m.Base)
	assert.Equal(t, []Route{{Route: "/cart", Component: "cart"}, {Route: "/...", Component: "web"}}, m.Routes)
	cart := m.Components["cart"]
	assert.Equal(t, filepath.Join(dir, "cart", "main.wasm"), cart.Source)
	assert.Equal(t, filepath.Join(dir, "cart"), cart.BuildDir)
	assert.Equal(t, []string{"https://example.com", "http://self"}, cart.AllowedOutboundHosts)
	assert.Equal(t, map[string]string{"KEY": "value"}, cart.Environment)
	assert.Equal(t, "/abs/web.wasm", m.Components["web"].Source)
	assert.Empty(t, m.Components["web"].BuildDir)
}

func TestReadManifestErrors(t *testing.T) {
	const comp = "\n[component.c]\nsource = \"c.wasm\"\n"
	for _, tc := range []struct{ text, want string }{
		{"spin_manifest_version = 1\n", "spin_manifest_version must be 2 (found 1)"},
		{"spin_manifest_version = 2\n[[trigger.http]]\nroute = \"/x\"\ncomponent = \"missing\"\n" + comp, `route /x names component "missing", which is not defined`},
		{"spin_manifest_version = 2\n[[trigger.http]]\nroute = \"x\"\ncomponent = \"c\"\n" + comp, `route "x" must start with '/'`},
		{"spin_manifest_version = 2\n[[trigger.http]]\nroute = \"/a/.../b\"\ncomponent = \"c\"\n" + comp, "'...' may only end a route"},
		{"spin_manifest_version = 2\n[[trigger.http]]\nroute = \"/x\"\ncomponent = \"c\"\nexecutor = { type = \"cgi\" }\n" + comp, `route /x: executor type "cgi" is not one Spin knows (spin, wagi)`},
		{"spin_manifest_version = 2\n" + comp, "no triggers: add [[trigger.http]] routes or [[trigger.redis]] channels"},
		{"spin_manifest_version = 2\n[[trigger.redis]]\nchannel = \"m\"\ncomponent = \"c\"\n" + comp, "trigger.redis[0]: no Redis address"},
		{"spin_manifest_version = 2\n[application.trigger.redis]\naddress = \"redis://localhost\"\n[[trigger.redis]]\ncomponent = \"c\"\n" + comp, "trigger.redis[0]: no channel"},
		{"spin_manifest_version = 2\n[application.trigger.redis]\naddress = \"redis://localhost\"\n[[trigger.redis]]\nchannel = \"m\"\ncomponent = \"x\"\n" + comp, `channel m names component "x", which is not defined`},
		{"spin_manifest_version = 2\n[component.c]\n", `component "c" has no source`},
		{"spin_manifest_version = 2\n[application.trigger.http]\nbase = \"shop\"\n", `base "shop" must start with '/'`},
		{"spin_manifest_version = = 2\n", "spin.toml:"},
	} {
		_, err := ReadManifest(writeManifest(t, tc.text))
		require.Error(t, err, tc.text)
		assert.Contains(t, err.Error(), tc.want)
		assert.Contains(t, err.Error(), "spin.toml")
	}
}
