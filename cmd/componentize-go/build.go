package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spin-go/sdk/internal/build"
)

// optionalPath is a flag that may be given bare (--tinygo) or with a
// value (--tinygo=/opt/tinygo/bin/tinygo).
type optionalPath struct {
	set   bool
	value string
	bare  string
}

func (f *optionalPath) String() string   { return f.value }
func (f *optionalPath) IsBoolFlag() bool { return true }
func (f *optionalPath) Set(v string) error {
	f.set = true
	if v == "true" {
		v = f.bare
	}
	f.value = v
	return nil
}

// cmdBuild builds the main package in the current directory (or -C) into
// a component.
func cmdBuild(o *options, fs *flag.FlagSet, args []string, stdout io.Writer) error {
	out := fs.String("o", "main.wasm", "output `FILE`")
	goBin := fs.String("go", "go", "the go command to build with")
	tinygo := &optionalPath{bare: "tinygo"}
	fs.Var(tinygo, "tinygo", "build with TinyGo (optionally --tinygo=PATH)")
	wasip1 := fs.Bool("wasip1", false, "write a plain wasip1 core module instead of a component")
	debug := fs.Bool("debug", false, "keep the symbol table and DWARF (stripped with -ldflags=-s -w by default)")
	optimize := fs.Bool("optimize", false, "run wasm-opt -Oz over the module: about 7% smaller, but tens of seconds slower to build")
	noPatches := fs.Bool("no-size-patches", false, "build with the standard library as it is: no lazier init tables (bigger; for ruling the patches out)")
	wagi := fs.Bool("wagi", false, "write a wasi_snapshot_preview1 command for Spin's Wagi executor (CGI style, e.g. with net/http/cgi)")
	adapt := fs.String("adapt", "", "the wasi_snapshot_preview1 reactor adapter `FILE` (needed with wasm-tools)")
	if err := parse(fs, args); err != nil {
		return err
	}
	opts := build.Options{
		Dir:           o.dir,
		WitPaths:      o.witPaths,
		Worlds:        o.worlds,
		AllFeatures:   o.allFeatures,
		Output:        *out,
		Go:            *goBin,
		WASIP1:        *wasip1,
		Adapter:       *adapt,
		Debug:         *debug,
		Wagi:          *wagi,
		Optimize:      *optimize,
		NoSizePatches: *noPatches,
		Stderr:        os.Stderr,
	}
	if tinygo.set {
		opts.TinyGo = tinygo.value
	}
	for _, f := range strings.Split(o.features, ",") {
		if f = strings.TrimSpace(f); f != "" {
			opts.Features = append(opts.Features, f)
		}
	}
	res, err := build.Build(context.Background(), opts)
	if err != nil {
		return err
	}
	if res.World == nil {
		fmt.Fprintf(stdout, "componentize-go: built %s (a Wagi wasip1 command)\n", res.Output)
		return nil
	}
	fmt.Fprintf(stdout, "componentize-go: built %s (world %s, backend %s)\n", res.Output, res.World.ID(), res.Backend)
	return nil
}
