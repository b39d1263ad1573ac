// Package build turns a Go main package into a WebAssembly component with
// the Go toolchain the user already has: `go build` for wasip1 with a
// runtime overlay for the WASI 0.3 scheduler hook, our own encoding of the
// world as the component-type custom section, and a componentization
// backend (wasm-tools, or jco from npm) that applies the WASI preview1
// reactor adapter.
package build

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spin-go/sdk/internal/component"
	"github.com/spin-go/sdk/internal/gowasm"
	"github.com/spin-go/sdk/internal/stdpatch"
	"github.com/spin-go/sdk/internal/toolchain"
	"github.com/spin-go/sdk/internal/wit"
	"github.com/spin-go/sdk/internal/wit/abi"
)

// Options are the inputs of a build; the zero value builds ./ into
// ./main.wasm with the world from componentize-go.toml files or ./wit.
type Options struct {
	Dir         string   // the main package (default: current directory)
	WitPaths    []string // -d
	Worlds      []string // -w
	Features    []string
	AllFeatures bool
	Output      string // -o (default main.wasm in Dir)
	Go          string // --go (default "go")
	TinyGo      string // --tinygo: path of tinygo; empty builds with Go
	WASIP1      bool   // --wasip1: a plain core module, no component
	Adapter     string // --adapt: the wasi_snapshot_preview1 reactor adapter
	Debug       bool   // --debug: keep the symbol table and DWARF (-ldflags=-s -w is the default)
	// Optimize (--optimize) runs wasm-opt -Oz over the core module.
	Optimize bool
	// NoSizePatches (--no-size-patches) builds with the standard library
	// as it is, without internal/stdpatch (the scheduler hook stays).
	NoSizePatches bool
	// Wagi (--wagi) builds a wasi_snapshot_preview1 command (a main that
	// runs once) for Spin's Wagi executor: no world, no component.
	Wagi   bool
	Stderr io.Writer
}

// Result describes a finished build.
type Result struct {
	Output string
	World  *wit.World
	// Worlds are the names of the worlds World merges (one when it is
	// not a union), as the user or componentize-go.toml wrote them.
	Worlds  []string
	Backend string
	Async   bool
}

// WorldName names the world built for: its own name, or the names of the
// worlds merged into it joined with " + ".
func (r *Result) WorldName() string {
	if len(r.Worlds) > 0 {
		return strings.Join(r.Worlds, " + ")
	}
	if r.World != nil {
		return r.World.ID()
	}
	return ""
}

// Build runs the whole pipeline.
func Build(ctx context.Context, o Options) (*Result, error) {
	if o.Dir == "" {
		o.Dir = "."
	}
	if o.Go == "" {
		o.Go = "go"
	}
	if o.Stderr == nil {
		o.Stderr = os.Stderr
	}
	if o.Output == "" {
		o.Output = "main.wasm"
	}
	if !filepath.IsAbs(o.Output) {
		o.Output = filepath.Join(o.Dir, o.Output)
	}
	if o.Wagi {
		return &Result{Output: o.Output, Backend: "none"}, wagiBuild(ctx, o)
	}
	cfg, err := findConfig(ctx, o)
	if err != nil {
		return nil, err
	}
	res, err := wit.Load(cfg.witPaths, wit.Options{Features: o.Features, AllFeatures: o.AllFeatures})
	if err != nil {
		return nil, err
	}
	sel, err := cfg.selectWorlds(ctx, o, res)
	if err != nil {
		return nil, err
	}
	world := sel.world
	result := &Result{Output: o.Output, World: world, Worlds: sel.names, Async: abi.WorldNeedsAsync(world)}
	work, err := os.MkdirTemp("", "componentize-go-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(work)
	core := filepath.Join(work, "core.wasm")
	if o.TinyGo != "" {
		// TinyGo writes the component (wasip2) or core module (wasip1) itself.
		result.Backend = "tinygo"
		return result, tinyGoBuild(ctx, o, world, work, result.Async)
	}
	// Packages with a WASI 0.2 and a WASI 0.3 implementation (spinhttp)
	// pick theirs by the tags.
	if err := goBuild(ctx, o, core, sel.tags, sel.pkgs); err != nil {
		return nil, err
	}
	if o.Optimize {
		if err := optimize(ctx, core); err != nil {
			return nil, err
		}
	}
	if o.WASIP1 {
		result.Backend = "none"
		return result, copyFile(core, o.Output)
	}
	module, err := os.ReadFile(core)
	if err != nil {
		return nil, err
	}
	if err := checkExports(module, world, result.WorldName()); err != nil {
		return nil, err
	}
	embedded, err := component.Embed(module, world)
	if err != nil {
		return nil, err
	}
	backend, err := chooseBackend(ctx, o.Adapter)
	if err != nil {
		return nil, err
	}
	result.Backend = backend.Name()
	comp, err := backend.Componentize(ctx, embedded, work)
	if err != nil {
		return nil, err
	}
	return result, os.WriteFile(o.Output, comp, 0o644)
}

// checkExports fails when the program implements none of the functions
// of an interface the world exports, which the backend would report as
// "failed to find export of interface …": typically a world named with -w
// whose trigger the program does not link.
func checkExports(module []byte, w *wit.World, name string) error {
	exports, err := component.Exports(module)
	if err != nil {
		return err
	}
	var missing []string
	for _, it := range w.Exports {
		if it.Interface == nil || len(it.Interface.Functions) == 0 {
			continue // a function of the world itself, or types only
		}
		found := false
		for _, e := range exports {
			// [async-lift]wasi:http/handler@…#handle, wasi:http/incoming-handler@0.2.0#handle
			found = found || strings.Contains(e, it.Key+"#")
		}
		if !found {
			missing = append(missing, it.Key)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("world %s exports %s, which the program does not implement: import the package that does (github.com/spin-go/sdk/http for wasi:http, github.com/spin-go/sdk/redis for a Redis trigger), or name another world with -w",
			name, strings.Join(missing, " and "))
	}
	return nil
}

// goBuild compiles the main package into a wasip1 reactor module. Every
// build gets the scheduler overlay: wit/types links wit/async, which needs
// runtime.wasiOnIdle whether or not the world itself is async.
func goBuild(ctx context.Context, o Options, out string, tags, pkgs []string) error {
	env, err := goEnv(ctx, o)
	if err != nil {
		return err
	}
	cache, err := toolchain.CacheDir()
	if err != nil {
		return err
	}
	if pkgs == nil {
		if _, pkgs, err = moduleDirs(ctx, o); err != nil {
			return err
		}
	}
	patches := stdpatch.Patches
	if o.NoSizePatches {
		patches = nil
	}
	ov, err := MakeOverlay(env.Root, env.Version, cache, patches, pkgs)
	if err != nil {
		return err
	}
	overlay := ov.File
	if !o.NoSizePatches {
		if overlay, err = withModulePatches(ctx, o, env, cache, ov.File, pkgs, filepath.Dir(out)); err != nil {
			return err
		}
	}
	// -checklinkname=0 lets the overlay's linknames through. -s -w drops the
	// wasm "name" section and DWARF: about 2% of a component, and Go's panic
	// traces come from pclntab, so they keep their function names.
	ldflags := "-checklinkname=0 -s -w"
	if o.Debug {
		ldflags = "-checklinkname=0"
	}
	args := []string{"build", "-buildmode=c-shared", "-ldflags=" + ldflags, "-overlay", overlay}
	tags = append(tags, ov.Tags...)
	if len(tags) > 0 {
		args = append(args, "-tags", strings.Join(tags, ","))
	}
	cmd := exec.CommandContext(ctx, o.Go, append(args, "-o", out, ".")...)
	cmd.Dir = o.Dir
	cmd.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm")
	cmd.Stdout = o.Stderr
	cmd.Stderr = o.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go build failed (see its output above)")
	}
	if slices.Contains(ov.Tags, stdpatch.NoFindFuncTabTag) {
		return dropFindFuncTab(out, o.Stderr)
	}
	return nil
}

// dropFindFuncTab leaves runtime.findfunctab out of the module's data:
// the patched runtime does not read it, and on wasm it is about a tenth of
// the file and most of its data segments (see internal/gowasm). A module
// the rewrite does not recognise is kept as it is, which is only bigger.
func dropFindFuncTab(path string, stderr io.Writer) error {
	module, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	smaller, _, err := gowasm.DropFindFuncTab(module)
	if err != nil {
		fmt.Fprintf(stderr, "componentize-go: note: runtime.findfunctab kept in the module (%v); it is unused, so the component only comes out bigger\n", err)
		return nil
	}
	return os.WriteFile(path, smaller, 0o644)
}

// wagiBuild compiles the main package as a plain wasip1 command. Wagi runs
// it once per request, CGI style (environment, stdin, stdout), so it needs
// neither the scheduler overlay nor a world.
func wagiBuild(ctx context.Context, o Options) error {
	var args []string
	if o.TinyGo != "" {
		args = []string{"build", "-target=wasip1", "-o", o.Output, "."}
		if !o.Debug {
			args = append(args[:2:2], append([]string{"-no-debug"}, args[2:]...)...)
		}
	} else {
		args = []string{"build", "-o", o.Output, "."}
		if !o.Debug {
			args = append(args[:1:1], append([]string{"-ldflags=-s -w"}, args[1:]...)...)
		}
	}
	bin := o.Go
	if o.TinyGo != "" {
		bin = o.TinyGo
	}
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = o.Dir
	cmd.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm")
	cmd.Stdout = o.Stderr
	cmd.Stderr = o.Stderr
	if err := cmd.Run(); err != nil {
		if notFound(err) {
			return fmt.Errorf("%s not found: install it or pass --go/--tinygo PATH", bin)
		}
		return fmt.Errorf("%s build failed (see its output above)", filepath.Base(bin))
	}
	return nil
}

// goEnvironment is what `go env` says in the main package's directory.
type goEnvironment struct {
	Root, Version string // GOROOT and the `go version` line
	Mod, Work     string // the main module's go.mod ("" or os.DevNull outside one), and go.work
	Flags         string // GOFLAGS
}

// goEnv runs `go env` for the main package's directory.
func goEnv(ctx context.Context, o Options) (goEnvironment, error) {
	cmd := exec.CommandContext(ctx, o.Go, "env", "GOROOT", "GOVERSION", "GOMOD", "GOWORK", "GOFLAGS")
	cmd.Dir = o.Dir
	out, err := cmd.Output()
	if err != nil {
		if notFound(err) {
			return goEnvironment{}, fmt.Errorf("no Go toolchain found (%s): install Go 1.25 or newer, or pass --go PATH", o.Go)
		}
		return goEnvironment{}, fmt.Errorf("%s env: %v", o.Go, err)
	}
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(lines) != 5 {
		return goEnvironment{}, fmt.Errorf("%s env printed %q", o.Go, out)
	}
	return goEnvironment{Root: lines[0], Version: lines[1], Mod: lines[2], Work: lines[3], Flags: lines[4]}, nil
}

// notFound reports whether running a command failed because it does not
// exist (not on PATH, or no file at the given path).
func notFound(err error) bool {
	var ee *exec.Error
	return errors.As(err, &ee) || errors.Is(err, fs.ErrNotExist)
}

func copyFile(src, dst string) error {
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, data, 0o644)
}

// tinyGoBuild builds with TinyGo: -target=wasip2 with the world written as
// WIT for sync worlds; TinyGo has no WASI 0.3 support, so async worlds are
// refused.
func tinyGoBuild(ctx context.Context, o Options, w *wit.World, work string, async bool) error {
	if async {
		return fmt.Errorf("TinyGo cannot build %s: it needs the WASI 0.3 async ABI, which TinyGo does not support; build with Go instead", w.ID())
	}
	var args []string
	if o.WASIP1 {
		args = []string{"build", "-target=wasip1", "-buildmode=c-shared", "-o", o.Output, "."}
	} else {
		witFile := filepath.Join(work, "world.wit")
		if err := os.WriteFile(witFile, []byte(wit.Printer{}.World(w)), 0o644); err != nil {
			return err
		}
		args = []string{"build", "-target=wasip2", "--wit-package", witFile, "--wit-world", w.Name, "-o", o.Output, "."}
	}
	if !o.Debug {
		args = append(args[:2:2], append([]string{"-no-debug"}, args[2:]...)...)
	}
	cmd := exec.CommandContext(ctx, o.TinyGo, args...)
	cmd.Dir = o.Dir
	var stderr bytes.Buffer
	cmd.Stdout = o.Stderr
	cmd.Stderr = io.MultiWriter(o.Stderr, &stderr)
	if err := cmd.Run(); err != nil {
		if notFound(err) {
			return fmt.Errorf("tinygo not found (%s): install TinyGo or pass --tinygo=PATH", o.TinyGo)
		}
		return fmt.Errorf("tinygo build failed (see its output above)")
	}
	return nil
}
