package wit_test

import (
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spin-go/sdk/internal/wit"
)

// repoRoot is the directory holding go.mod.
func repoRoot(t testing.TB) string {
	dir, err := os.Getwd()
	require.NoError(t, err)
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		require.NotEqual(t, parent, dir, "go.mod not found above the test directory")
		dir = parent
	}
}

// referenceDir finds the published WIT tree in ../shared/wit-reference. CI
// must have it; elsewhere the conformance tests skip without it.
func referenceDir(t testing.TB, name string) string {
	dir := filepath.Join(repoRoot(t), "..", "shared", "wit-reference", name)
	if env := os.Getenv("SPIN_GO_WIT_REFERENCE"); env != "" {
		dir = filepath.Join(env, name)
	}
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("reference WIT %s is missing: %v (CI needs ../shared beside the clone)", dir, err)
		}
		t.Skipf("reference WIT %s not found; skipping conformance check", dir)
	}
	return dir
}

// targetWorlds are the worlds the SDK's wit/ must provide, with the number
// of imports each reaches in the published tree (default features).
var targetWorlds = []struct {
	name    string
	imports int
	export  string
}{
	{"spin:up/http-trigger@4.0.0", 101, "wasi:http/handler@0.3.0-rc-2026-03-15"},
	{"spin:up/redis-trigger@4.0.0", 101, "spin:redis/inbound-redis@3.0.0"},
	{"spin:up/platform@4.0.0", 101, ""},
	{"fermyon:spin/http-trigger@3.0.0", 43, "wasi:http/incoming-handler@0.2.0"},
	{"wasi:http/service@0.3.0-rc-2026-03-15", 12, "wasi:http/handler@0.3.0-rc-2026-03-15"},
}

// TestConformsToReference proves that our hand-written wit/ and the
// published WIT resolve, world by world, to the same imports and exports,
// and that every interface they reach has the same types and functions
// (names, parameter and result types, async, gates).
func TestConformsToReference(t *testing.T) {
	ref := referenceDir(t, "spin-up-4.0.0")
	for _, features := range []wit.Options{{}, {AllFeatures: true}} {
		ours, err := wit.Load([]string{filepath.Join(repoRoot(t), "wit")}, features)
		require.NoError(t, err)
		theirs, err := wit.Load([]string{ref}, features)
		require.NoError(t, err)
		for _, tw := range targetWorlds {
			t.Run(tw.name, func(t *testing.T) {
				a, err := ours.World(tw.name)
				require.NoError(t, err)
				b, err := theirs.World(tw.name)
				require.NoError(t, err)
				if !features.AllFeatures {
					assert.Len(t, b.Imports, tw.imports, "published world")
					if tw.export != "" {
						require.Len(t, b.Exports, 1)
						assert.Equal(t, tw.export, b.Exports[0].Key)
					}
				}
				assertSameWorld(t, a, b)
			})
		}
	}
}

// TestSpin3RedisTriggerConforms: the published WIT has no world for a
// Spin 3 Redis component, which is Spin 3's platform exporting the
// unversioned fermyon:spin/inbound-redis. Ours is checked against that
// world composed from the published packages.
func TestSpin3RedisTriggerConforms(t *testing.T) {
	ref := referenceDir(t, "spin-up-4.0.0")
	compose := filepath.Join(t.TempDir(), "redis3.wit")
	require.NoError(t, os.WriteFile(compose, []byte("package spin-go:check;\n\nworld redis3 {\n  include fermyon:spin/platform@3.0.0;\n  export fermyon:spin/inbound-redis;\n}\n"), 0o644))
	ours, err := wit.Load([]string{filepath.Join(repoRoot(t), "wit")}, wit.Options{})
	require.NoError(t, err)
	theirs, err := wit.Load([]string{ref, compose}, wit.Options{})
	require.NoError(t, err)
	a, err := ours.World("fermyon:spin/redis-trigger@3.0.0")
	require.NoError(t, err)
	b, err := theirs.World("spin-go:check/redis3")
	require.NoError(t, err)
	require.Len(t, b.Exports, 1)
	assert.Equal(t, "fermyon:spin/inbound-redis", b.Exports[0].Key)
	assertSameWorld(t, a, b)
}

func assertSameWorld(t *testing.T, a, b *wit.World) {
	t.Helper()
	assert.Equal(t, itemKeys(b.Imports), itemKeys(a.Imports), "imports")
	assert.Equal(t, itemKeys(b.Exports), itemKeys(a.Exports), "exports")
	compare := func(as, bs []*wit.WorldItem) {
		for _, bi := range bs {
			ai := findKey(as, bi.Key)
			if ai == nil {
				continue // reported by the key comparison
			}
			assert.Equal(t, bi.Stability, ai.Stability, "gate of %s", bi.Key)
			if bi.Interface != nil && assert.NotNil(t, ai.Interface, bi.Key) {
				assert.Equal(t, wit.Printer{}.Interface(bi.Interface), wit.Printer{}.Interface(ai.Interface), "interface %s", bi.Key)
				assert.Equal(t, bi.Interface.Stability, ai.Interface.Stability, "gate of interface %s", bi.Key)
			}
		}
	}
	compare(a.Imports, b.Imports)
	compare(a.Exports, b.Exports)
}

func itemKeys(items []*wit.WorldItem) []string {
	var keys []string
	for _, it := range items {
		keys = append(keys, it.Key)
	}
	sort.Strings(keys)
	return keys
}

func findKey(items []*wit.WorldItem, key string) *wit.WorldItem {
	for _, it := range items {
		if it.Key == key {
			return it
		}
	}
	return nil
}
