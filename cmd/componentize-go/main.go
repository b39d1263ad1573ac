// Command componentize-go turns Go programs into WebAssembly components for
// Spin, using the Go toolchain the user already has.
//
// Usage:
//
//	componentize-go [-C DIR] [-d PATH]... [-w WORLD]... [--features a,b] [--all-features] COMMAND
//
// Commands:
//
//	wit       print the resolved world(s) as WIT
//	bindings  generate Go bindings: [-o DIR] [--pkg-name IMPORTPATH]
//	build     build the main package into a component: [-o main.wasm] [--go PATH]
//	          [--tinygo[=PATH]] [--wasip1] [--adapt FILE]
//	new       create an application from a template: TEMPLATE NAME
//	          [--value KEY=VALUE]... [-o DIR] [--sdk PATH] (templates: http-go, redis-go)
//	up        build, then serve locally: [--listen 127.0.0.1:3000]; with a spin.toml,
//	          the whole application (every component, HTTP and Redis triggers)
//
// WIT is read from each -d path (a directory with an optional deps/ folder,
// or a .wit file); without -d, from ./wit. Worlds are named in full
// (spin:up/http-trigger@4.0.0) or by short name when that is unambiguous
// (platform). Several -w flags merge their worlds into one.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spin-go/sdk/internal/build"
	"github.com/spin-go/sdk/internal/wit"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// options are the flags shared by every command.
type options struct {
	build.CommonFlags
}

const usage = `usage: componentize-go [-C DIR] [-d PATH]... [-w WORLD]... [--features a,b] [--all-features] COMMAND

Commands:
  wit       print the resolved world(s) as WIT
  bindings  [-o DIR] [--pkg-name IMPORTPATH] generate Go bindings
  build     [-o main.wasm] [--go PATH] [--tinygo[=PATH]] [--wasip1] [--adapt FILE]
            build the main package into a component
  new       TEMPLATE NAME [--value KEY=VALUE]... [-o DIR] [--sdk PATH]
            create an application from a template (http-go, redis-go);
            then run go mod tidy in it
  up        [--listen 127.0.0.1:3000] [--state-dir DIR] [--skip-build]
            build, then serve locally: the application of ./spin.toml
            (every component, HTTP and Redis triggers) or the main package

Flags:
`

// run executes the command line and returns the process exit code.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("componentize-go", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o options
	o.Register(fs)
	fs.Usage = func() {
		fmt.Fprint(stderr, usage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	rest := fs.Args()
	if len(rest) == 0 {
		fs.Usage()
		return 2
	}
	cmd, ok := commands[rest[0]]
	if !ok {
		fmt.Fprintf(stderr, "componentize-go: unknown command %q\n", rest[0])
		fs.Usage()
		return 2
	}
	// The shared flags may also follow the command name
	// (`componentize-go wit -w platform`); each command adds its own.
	sub := flag.NewFlagSet("componentize-go "+rest[0], flag.ContinueOnError)
	sub.SetOutput(stderr)
	o.Register(sub)
	err := cmd(&o, sub, rest[1:], stdout)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if errors.Is(err, errUsage) {
		return 2
	}
	if err != nil {
		fmt.Fprintf(stderr, "componentize-go: %v\n", err)
		return 1
	}
	return 0
}

// commands maps each command name to its implementation.
var commands = map[string]func(o *options, fs *flag.FlagSet, args []string, stdout io.Writer) error{
	"wit":      cmdWit,
	"bindings": cmdBindings,
	"build":    cmdBuild,
	"new":      cmdNew,
	"up":       cmdUp,
}

// load reads the WIT the options point at and selects the world(s).
func (o options) load() (*wit.Resolve, *wit.World, error) {
	paths := []string(o.WitPaths)
	if len(paths) == 0 {
		paths = []string{"wit"}
	}
	for i, p := range paths {
		if o.Dir != "" && !filepath.IsAbs(p) {
			paths[i] = filepath.Join(o.Dir, p)
		}
		if _, err := os.Stat(paths[i]); err != nil {
			if len(o.WitPaths) == 0 {
				return nil, nil, fmt.Errorf("no WIT found: %s does not exist; pass -d PATH", paths[i])
			}
			return nil, nil, fmt.Errorf("WIT path %s: %w", paths[i], errors.Unwrap(err))
		}
	}
	res, err := wit.Load(paths, wit.Options{Features: o.FeatureList(), AllFeatures: o.AllFeatures})
	if err != nil {
		return nil, nil, err
	}
	w, err := res.SelectWorlds(o.Worlds)
	if err != nil {
		return nil, nil, err
	}
	return res, w, nil
}

// errUsage reports a flag error the flag package has already printed.
var errUsage = errors.New("usage")

// parse parses a command's flags.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%s takes no arguments, got %q", fs.Name()[len("componentize-go "):], fs.Args())
	}
	return nil
}

func cmdWit(o *options, fs *flag.FlagSet, args []string, stdout io.Writer) error {
	if err := parse(fs, args); err != nil {
		return err
	}
	_, w, err := o.load()
	if err != nil {
		return err
	}
	_, err = io.WriteString(stdout, wit.Printer{Docs: true}.World(w))
	return err
}
