package build

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"

	"github.com/spin-go/sdk/internal/component"
	"github.com/spin-go/sdk/internal/gowasm"
	"github.com/spin-go/sdk/internal/stdpatch"
	"github.com/spin-go/sdk/internal/wit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPatchRuntime(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(runtime.GOROOT(), "src", "runtime", "lock_wasip1.go"))
	require.NoError(t, err)
	patched, err := PatchRuntime(string(src))
	require.NoError(t, err, "this Go's runtime must be patchable")
	assert.Contains(t, patched, "func wasiOnIdle(fn func() bool)")
	assert.Contains(t, patched, "func wasiOnTimer(fn func(deadline int64) bool)")
	assert.NotContains(t, patched, idleOriginal)

	_, err = PatchRuntime(patched)
	assert.ErrorContains(t, err, "already defines wasiOnIdle")
	_, err = PatchRuntime(strings.Replace(string(src), "return nil, false", "return nil, true", 1))
	assert.ErrorContains(t, err, "does not contain the expected beforeIdle")
}

func TestMakeOverlayNamesTheGoVersion(t *testing.T) {
	goroot := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(goroot, "src", "runtime"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(goroot, "src", "runtime", "lock_wasip1.go"), []byte("package runtime\n"), 0o644))
	_, err := MakeOverlay(goroot, "go1.99.1", t.TempDir(), nil, nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "go1.99.1")
	assert.Contains(t, err.Error(), "supported Go versions are 1.25 and 1.26")
}

// TestOverlayIsKept: a second build with the same inputs reuses the
// overlay directory as it is; other inputs (here the linked packages,
// which choose between the DefaultTransport patches) get their own.
func TestOverlayIsKept(t *testing.T) {
	goroot, cache := runtime.GOROOT(), filepath.Join(t.TempDir(), "not", "made", "yet")
	linked := []string{"fmt", stdpatch.SpinHTTP}
	first, err := MakeOverlay(goroot, runtime.Version(), cache, stdpatch.Patches, linked)
	require.NoError(t, err)
	assert.Equal(t, []string{stdpatch.NetHTTPHookTag, stdpatch.NoFindFuncTabTag}, first.Tags)
	// Mark the kept overlay: rewriting it would lose the mark.
	marked := []byte("{}")
	require.NoError(t, os.WriteFile(first.File, marked, 0o644))

	again, err := MakeOverlay(goroot, runtime.Version(), cache, stdpatch.Patches, linked)
	require.NoError(t, err)
	assert.Equal(t, first, again)
	data, err := os.ReadFile(again.File)
	require.NoError(t, err)
	assert.Equal(t, marked, data, "the kept overlay was rewritten")
	require.NoError(t, os.RemoveAll(filepath.Dir(first.File)))
	again, err = MakeOverlay(goroot, runtime.Version(), cache, stdpatch.Patches, linked)
	require.NoError(t, err)
	assert.Equal(t, first, again, "made again, in the same place")

	other, err := MakeOverlay(goroot, runtime.Version(), cache, stdpatch.Patches, []string{"fmt"})
	require.NoError(t, err)
	assert.NotEqual(t, first.File, other.File)
	assert.Equal(t, []string{stdpatch.NoFindFuncTabTag}, other.Tags)

	// Every file the overlay names is there.
	var ov struct{ Replace map[string]string }
	data, err = os.ReadFile(again.File)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(data, &ov))
	require.NotEmpty(t, ov.Replace)
	for orig, file := range ov.Replace {
		assert.FileExists(t, file, orig)
	}
	entries, err := os.ReadDir(cache)
	require.NoError(t, err)
	assert.Len(t, entries, 2, "no temporary directory left behind")
}

// module writes a small main module into a temp dir.
func module(t *testing.T, files map[string]string) string {
	dir := t.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, name)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(text), 0o644))
	}
	return dir
}

const worldWIT = "package test:app@0.1.0;\nworld app {\n  export run: func() -> string;\n}\n"

func TestFindConfig(t *testing.T) {
	ctx := context.Background()
	dir := module(t, map[string]string{
		"go.mod":                   "module example.com/app\n\ngo 1.25\n",
		"main.go":                  "package main\n\nfunc main() {}\n",
		"componentize-go.toml":     "worlds = [\"app\"]\nwit_paths = [\"mywit\"]\n",
		"mywit/app.wit":            worldWIT,
		"other/wit/x.wit":          worldWIT,
		"bad/go.mod":               "module example.com/bad\n\ngo 1.25\n",
		"bad/main.go":              "package main\n\nfunc main() {}\n",
		"bad/componentize-go.toml": "world = [\"typo\"]\n",
	})
	cfg, err := findConfig(ctx, Options{Dir: dir, Go: "go"})
	require.NoError(t, err)
	assert.Equal(t, []string{filepath.Join(dir, "mywit")}, cfg.witPaths)
	assert.Equal(t, []string{"app"}, cfg.worlds)

	// Flags win over the file.
	cfg, err = findConfig(ctx, Options{Dir: dir, Go: "go", WitPaths: []string{"other/wit"}, Worlds: []string{"x"}})
	require.NoError(t, err)
	assert.Equal(t, []string{filepath.Join(dir, "other", "wit")}, cfg.witPaths)

	_, err = findConfig(ctx, Options{Dir: filepath.Join(dir, "bad"), Go: "go"})
	assert.ErrorContains(t, err, `componentize-go.toml: unknown key "world"`)
}

func TestNoWITIsAOneLineError(t *testing.T) {
	dir := module(t, map[string]string{
		"go.mod":  "module example.com/app\n\ngo 1.25\n",
		"main.go": "package main\n\nfunc main() {}\n",
	})
	_, err := Build(context.Background(), Options{Dir: dir})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no WIT found")
	assert.NotContains(t, err.Error(), "\n")
}

func TestGoBuildErrorsAreShownAsGoPrintsThem(t *testing.T) {
	dir := module(t, map[string]string{
		"go.mod":      "module example.com/app\n\ngo 1.25\n",
		"main.go":     "package main\n\nfunc main() { undefinedThing() }\n",
		"wit/app.wit": worldWIT,
	})
	var log strings.Builder
	_, err := Build(context.Background(), Options{Dir: dir, Stderr: &log})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "go build failed")
	assert.Contains(t, log.String(), "undefined: undefinedThing")
}

// fakeTool puts an executable that records its arguments on PATH.
func fakeTool(t *testing.T, name, script string) (dir, argsFile string) {
	dir = t.TempDir()
	argsFile = filepath.Join(dir, "args")
	require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte("#!/bin/sh\nprintf '%s\\n' \"$@\" > "+argsFile+"\n"+script), 0o755))
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	return dir, argsFile
}

// TestTinyGoCommandLines checks the exact TinyGo invocations with a fake
// tinygo on PATH (TinyGo cannot be installed on this machine).
func TestTinyGoCommandLines(t *testing.T) {
	_, argsFile := fakeTool(t, "tinygo", "")
	dir := module(t, map[string]string{
		"go.mod":      "module example.com/app\n\ngo 1.25\n",
		"main.go":     "package main\n\nfunc main() {}\n",
		"wit/app.wit": worldWIT,
	})
	out := filepath.Join(t.TempDir(), "app.wasm")
	res, err := Build(context.Background(), Options{Dir: dir, TinyGo: "tinygo", Output: out})
	require.NoError(t, err)
	assert.Equal(t, "tinygo", res.Backend)
	args, _ := os.ReadFile(argsFile)
	lines := strings.Split(strings.TrimSpace(string(args)), "\n")
	require.Len(t, lines, 10)
	assert.Equal(t, []string{"build", "-target=wasip2", "-no-debug", "--wit-package"}, lines[:4])
	assert.True(t, strings.HasSuffix(lines[4], "world.wit"))
	assert.Equal(t, []string{"--wit-world", "app", "-o", out, "."}, lines[5:])

	_, err = Build(context.Background(), Options{Dir: dir, TinyGo: "tinygo", WASIP1: true, Output: out})
	require.NoError(t, err)
	args, _ = os.ReadFile(argsFile)
	assert.Equal(t, "build\n-target=wasip1\n-no-debug\n-buildmode=c-shared\n-o\n"+out+"\n.\n", string(args))

	_, err = Build(context.Background(), Options{Dir: dir, TinyGo: "tinygo", WASIP1: true, Debug: true, Output: out})
	require.NoError(t, err)
	args, _ = os.ReadFile(argsFile)
	assert.Equal(t, "build\n-target=wasip1\n-buildmode=c-shared\n-o\n"+out+"\n.\n", string(args), "--debug keeps debug info")

	_, err = Build(context.Background(), Options{Dir: dir, TinyGo: "/nonexistent/tinygo", Output: out})
	assert.ErrorContains(t, err, "tinygo not found (/nonexistent/tinygo)")
}

func TestTinyGoRefusesAsyncWorlds(t *testing.T) {
	dir := module(t, map[string]string{
		"go.mod":      "module example.com/app\n\ngo 1.25\n",
		"main.go":     "package main\n\nfunc main() {}\n",
		"wit/app.wit": "package test:app@0.1.0;\nworld app {\n  export run: async func() -> string;\n}\n",
	})
	_, err := Build(context.Background(), Options{Dir: dir, TinyGo: "tinygo"})
	assert.ErrorContains(t, err, "TinyGo cannot build test:app/app@0.1.0: it needs the WASI 0.3 async ABI")
}

func TestWasmToolsBackendNeedsAnAdapter(t *testing.T) {
	fakeTool(t, "wasm-tools", "")
	_, err := chooseBackend(context.Background(), "")
	assert.ErrorContains(t, err, "wasm-tools needs the WASI preview1 reactor adapter: pass --adapt")
	b, err := chooseBackend(context.Background(), "/some/adapter.wasm")
	require.NoError(t, err)
	assert.Equal(t, "wasm-tools", b.Name())
}

func TestWasmToolsBackendCommandLine(t *testing.T) {
	_, argsFile := fakeTool(t, "wasm-tools", "cp \"$3\" \"$7\"\n")
	b, err := chooseBackend(context.Background(), "/x/adapter.wasm")
	require.NoError(t, err)
	work := t.TempDir()
	out, err := b.Componentize(context.Background(), []byte("core"), work)
	require.NoError(t, err)
	assert.Equal(t, "core", string(out))
	args, _ := os.ReadFile(argsFile)
	assert.Equal(t, "component\nnew\n"+filepath.Join(work, "embedded.wasm")+"\n--adapt\nwasi_snapshot_preview1=/x/adapter.wasm\n-o\n"+filepath.Join(work, "component.wasm")+"\n", string(args))
}

func TestMissingBackendSaysWhatToInstall(t *testing.T) {
	t.Setenv("SPIN_GO_CACHE", t.TempDir())
	t.Setenv("PATH", t.TempDir()) // neither wasm-tools nor npm
	_, err := chooseBackend(context.Background(), "")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "needs npm (Node.js)")
	assert.Contains(t, err.Error(), "wasm-tools on PATH")
}

// BenchmarkBuildHello reports the build time of examples/hello with an
// empty Go build cache (cold) and a warm one, and the component's size.
func BenchmarkBuildHello(b *testing.B) {
	if _, err := exec.LookPath("go"); err != nil {
		b.Skip("no go")
	}
	dir, _ := filepath.Abs(filepath.Join("..", "..", "examples", "hello"))
	gocache, hadCache := os.LookupEnv("GOCACHE")
	for _, mode := range []string{"cold", "warm"} {
		b.Run(mode, func(b *testing.B) {
			out := filepath.Join(b.TempDir(), "hello.wasm")
			var size int64
			for b.Loop() {
				if mode == "cold" {
					b.StopTimer()
					os.Setenv("GOCACHE", b.TempDir())
					b.StartTimer()
				}
				if _, err := Build(context.Background(), Options{Dir: dir, Output: out, Stderr: os.Stderr}); err != nil {
					b.Fatal(err)
				}
				st, err := os.Stat(out)
				if err != nil {
					b.Fatal(err)
				}
				size = st.Size()
			}
			if hadCache {
				os.Setenv("GOCACHE", gocache)
			} else {
				os.Unsetenv("GOCACHE")
			}
			b.ReportMetric(float64(size), "component-bytes")
		})
	}
}

// TestDebugKeepsNames builds a real wasip1 module both ways: the default
// strips the wasm "name" section (-ldflags=-s -w), --debug keeps it.
func TestDebugKeepsNames(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go build")
	}
	dir := module(t, map[string]string{
		"go.mod":      "module example.com/app\n\ngo 1.25\n",
		"main.go":     "package main\n\nfunc main() {}\n",
		"wit/app.wit": worldWIT,
	})
	hasNames := func(debug bool) bool {
		out := filepath.Join(t.TempDir(), "app.wasm")
		_, err := Build(context.Background(), Options{Dir: dir, WASIP1: true, Debug: debug, Output: out, Stderr: io.Discard})
		require.NoError(t, err)
		module, err := os.ReadFile(out)
		require.NoError(t, err)
		secs, err := component.Sections(module)
		require.NoError(t, err)
		for _, s := range secs {
			if s.ID == 0 && s.Name == "name" {
				return true
			}
		}
		return false
	}
	assert.False(t, hasNames(false), "default build keeps the name section")
	assert.True(t, hasNames(true), "--debug build lost the name section")
}

// sdkWIT has a WASI 0.3-like (async) and a WASI 0.2-like (sync) world
// per trigger.
const sdkWIT = `package test:sdk@0.1.0;
world http { export handle: async func() -> string; }
world redis { export on-message: async func(); }
world http02 { export handle02: func() -> string; }
world redis02 { export on-message02: func(); }
world extra { export ping: async func(); }
`

// TestLinkedExportsChooseTheWorld: a program exports what it links. The
// worlds of the exports folders it links (a dependency's export_worlds)
// replace its default worlds, and join the worlds it names itself, with
// -w or in the main module's file. A sync (WASI 0.2) world builds with the
// spin_wasi02 tag, and the exports linked under it count.
func TestLinkedExportsChooseTheWorld(t *testing.T) {
	ctx := context.Background()
	both := func(pkg, exports02 string) string {
		return "package " + pkg + "\n\nimport _ \"example.com/sdk/exports/" + exports02 + "/x\"\n"
	}
	dir := module(t, map[string]string{
		"go.work":                    "go 1.25\n\nuse (\n\t./app\n\t./own\n\t./sdk\n)\n",
		"sdk/go.mod":                 "module example.com/sdk\n\ngo 1.25\n",
		"sdk/componentize-go.toml":   "worlds = [\"http\"]\nwit_paths = [\"wit\"]\n[export_worlds]\n\"example.com/sdk/exports/redis\" = \"redis\"\n\"example.com/sdk/exports/http\" = \"http\"\n\"example.com/sdk/exports/redis02\" = \"redis02\"\n\"example.com/sdk/exports/http02\" = \"http02\"\n",
		"sdk/wit/w.wit":              sdkWIT,
		"sdk/exports/redis/x/x.go":   "package x\n",
		"sdk/exports/http/x/x.go":    "package x\n",
		"sdk/exports/redis02/x/x.go": "package x\n",
		"sdk/exports/http02/x/x.go":  "package x\n",
		"sdk/redis/redis.go":         "//go:build !spin_wasi02\n\n" + both("redis", "redis"),
		"sdk/redis/redis02.go":       "//go:build spin_wasi02\n\n" + both("redis", "redis02"),
		"sdk/http/http.go":           "//go:build !spin_wasi02\n\n" + both("http", "http"),
		"sdk/http/http02.go":         "//go:build spin_wasi02\n\n" + both("http", "http02"),
		"app/go.mod":                 "module example.com/app\n\ngo 1.25\n",
		"app/redisonly/main.go":      "package main\n\nimport _ \"example.com/sdk/redis\"\n\nfunc main() {}\n",
		"app/both/main.go":           "package main\n\nimport (\n\t_ \"example.com/sdk/http\"\n\t_ \"example.com/sdk/redis\"\n)\n\nfunc main() {}\n",
		"sdk/util/util.go":           "package util\n",
		"app/neither/main.go":        "package main\n\nimport _ \"example.com/sdk/util\"\n\nfunc main() {}\n",
		"own/go.mod":                 "module example.com/own\n\ngo 1.25\n",
		"own/componentize-go.toml":   "worlds = [\"mine\"]\nwit_paths = [\"wit\"]\n",
		"own/wit/own.wit":            "package test:mine@0.1.0;\nworld mine { export run: async func(); }\n",
		"own/main.go":                "package main\n\nimport _ \"example.com/sdk/redis\"\n\nfunc main() {}\n",
	})
	for _, c := range []struct {
		sub    string
		worlds []string // -w
		want   []string // the exports of the world built for
		tags   []string
	}{
		{sub: "app/redisonly", want: []string{"on-message"}},
		{sub: "app/both", want: []string{"handle", "on-message"}},
		{sub: "app/neither", want: []string{"handle"}}, // no exports linked: the default
		{sub: "own", want: []string{"on-message", "run"}},
		// A named world is kept, and the linked exports join it: without
		// them the component would lack what the program exports.
		{sub: "app/redisonly", worlds: []string{"http"}, want: []string{"handle", "on-message"}},
		{sub: "app/redisonly", worlds: []string{"http", "extra"}, want: []string{"handle", "on-message", "ping"}},
		{sub: "app/redisonly", worlds: []string{"http02"}, want: []string{"handle02", "on-message02"}, tags: []string{"spin_wasi02"}},
		{sub: "app/both", worlds: []string{"http02"}, want: []string{"handle02", "on-message02"}, tags: []string{"spin_wasi02"}},
	} {
		name := fmt.Sprint(c.sub, c.worlds)
		o := Options{Dir: filepath.Join(dir, c.sub), Go: "go", Worlds: c.worlds}
		cfg, err := findConfig(ctx, o)
		require.NoError(t, err, name)
		res, err := wit.Load(cfg.witPaths, wit.Options{})
		require.NoError(t, err, name)
		sel, err := cfg.selectWorlds(ctx, o, res)
		require.NoError(t, err, name)
		var exports []string
		for _, e := range sel.world.Exports {
			exports = append(exports, e.Key)
		}
		sort.Strings(exports)
		assert.Equal(t, c.want, exports, name)
		assert.Equal(t, c.tags, sel.tags, name)
	}
}

// TestSizePatches builds a program that uses net/http without spinhttp:
// the size patches apply (net/http's no-transport variant links, its error
// is in the module) and take the unused TLS client and crypto tables out;
// --no-size-patches builds the standard library as it is.
func TestSizePatches(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go build")
	}
	dir := module(t, map[string]string{
		"go.mod":      "module example.com/app\n\ngo 1.25\n",
		"main.go":     "package main\n\nimport \"net/http\"\n\n//go:wasmexport get\nfunc get() int32 {\n\tresp, err := http.Get(\"https://example.com\")\n\tif err != nil {\n\t\tprintln(err.Error())\n\t\treturn 0\n\t}\n\treturn int32(resp.StatusCode)\n}\n\nfunc main() {}\n",
		"wit/app.wit": worldWIT,
	})
	build := func(noPatches bool) []byte {
		out := filepath.Join(t.TempDir(), "app.wasm")
		_, err := Build(context.Background(), Options{Dir: dir, WASIP1: true, NoSizePatches: noPatches, Output: out, Stderr: io.Discard})
		require.NoError(t, err)
		module, err := os.ReadFile(out)
		require.NoError(t, err)
		return module
	}
	patched, plain := build(false), build(true)
	assert.Contains(t, string(patched), "no DefaultTransport in a wasip1 component: import github.com/spin-go/sdk/http")
	assert.NotContains(t, string(plain), "no DefaultTransport in a wasip1 component")
	assert.Less(t, len(patched), len(plain)-2_000_000, "patched %d bytes, plain %d", len(patched), len(plain))

	// The patched runtime does not read findfunctab, and the build left it
	// out: what is there is zero. The plain build keeps it.
	_, _, err := gowasm.DropFindFuncTab(patched)
	assert.ErrorContains(t, err, "does not reach the last function")
	_, stats, err := gowasm.DropFindFuncTab(plain)
	require.NoError(t, err)
	assert.Greater(t, stats.TableBytes, 100_000)
}

// exportsModule is a core module header and an export section naming
// names (not a valid module otherwise: enough for component.Exports).
func exportsModule(names ...string) []byte {
	var sec []byte
	sec = append(sec, byte(len(names)))
	for _, n := range names {
		sec = append(sec, byte(len(n)))
		sec = append(sec, n...)
		sec = append(sec, 0, 0) // func 0
	}
	m := []byte("\x00asm\x01\x00\x00\x00\x07")
	m = append(m, byte(len(sec)))
	return append(m, sec...)
}

// TestCheckExports: a world whose exported interface the program does not
// implement is an error naming it, not the backend's.
func TestCheckExports(t *testing.T) {
	res, err := wit.LoadSource(map[string]string{"w.wit": `package t:t;
interface handler { handle: func(); }
interface types { type id = u32; }
world w { export handler; export types; export run: func(); }`}, wit.Options{})
	require.NoError(t, err)
	w, err := res.World("w")
	require.NoError(t, err)
	assert.NoError(t, checkExports(exportsModule("t:t/handler#handle", "run", "memory"), w, "w"))
	assert.NoError(t, checkExports(exportsModule("[async-lift]t:t/handler#handle"), w, "w"))
	err = checkExports(exportsModule("run", "memory", "cabi_realloc"), w, "t:t/w")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "world t:t/w exports t:t/handler, which the program does not implement")
}

// TestModulePatches: the raw-bindings hello links fmt only through
// go.bytecodealliance.org/pkg's panics, which internal/modpatch rewrites
// in a copy of the module that an overlaid go.mod points at.
func TestModulePatches(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go build")
	}
	gomod, err := os.ReadFile("../../go.mod")
	require.NoError(t, err)
	packages := func(noPatches bool) map[string]bool {
		out := filepath.Join(t.TempDir(), "app.wasm")
		_, err := Build(context.Background(), Options{Dir: "../../examples/raw-hello", WASIP1: true, Debug: true, NoSizePatches: noPatches, Output: out, Stderr: io.Discard})
		require.NoError(t, err)
		module, err := os.ReadFile(out)
		require.NoError(t, err)
		funcs, _, err := component.CodeSizes(module)
		require.NoError(t, err)
		pkgs := map[string]bool{}
		for fn := range funcs {
			pkgs[component.GoPackage(fn)] = true
		}
		return pkgs
	}
	assert.False(t, packages(false)["fmt"], "fmt linked with the module patches")
	assert.True(t, packages(true)["fmt"], "fmt not linked without them: the patch is no longer needed")
	after, err := os.ReadFile("../../go.mod")
	require.NoError(t, err)
	assert.Equal(t, string(gomod), string(after), "the build wrote go.mod")
}

// TestModulePatchesLeaveWorkspacesAndVendoringAlone: with a go.work, a
// vendor directory or -mod=mod, the build uses the overlay it was given.
func TestModulePatchesLeaveWorkspacesAndVendoringAlone(t *testing.T) {
	pkgs := []string{"go.bytecodealliance.org/pkg/wit/runtime", "main"}
	dir := module(t, map[string]string{"go.mod": "module example.com/app\n", "vendor/modules.txt": ""})
	for name, env := range map[string]goEnvironment{
		"workspace":       {Mod: filepath.Join(dir, "go.mod"), Work: filepath.Join(dir, "go.work")},
		"vendor":          {Mod: filepath.Join(dir, "go.mod")},
		"-mod=vendor":     {Mod: "/elsewhere/go.mod", Flags: "-mod=vendor"},
		"-mod=mod":        {Mod: "/elsewhere/go.mod", Flags: "-trimpath -mod=mod"},
		"outside modules": {Mod: os.DevNull},
	} {
		got, err := withModulePatches(context.Background(), Options{Dir: dir, Go: "go-not-run"}, env, t.TempDir(), "overlay.json", pkgs, t.TempDir())
		require.NoError(t, err, name)
		assert.Equal(t, "overlay.json", got, name)
	}
	assert.False(t, fixedGoMod(goEnvironment{Mod: filepath.Join(dir, "go.mod"), Flags: "-trimpath -mod=readonly"}), "-mod=readonly builds from the module cache")
}
