package build

import (
	"flag"
	"strings"
)

// The flags of `componentize-go build` are defined here, not in the CLI,
// because a spin.toml build command carries them too: `componentize-go up`
// and spintest.Up read that command (see ParseCommand) with the same
// definitions the CLI parses its own command line with.

// StringList is a repeatable string flag.
type StringList []string

func (l *StringList) String() string     { return strings.Join(*l, ",") }
func (l *StringList) Set(v string) error { *l = append(*l, v); return nil }

// CommonFlags are the flags every componentize-go command takes, before or
// after the command name.
type CommonFlags struct {
	Dir         string     // -C
	WitPaths    StringList // -d
	Worlds      StringList // -w
	Features    string     // --features, comma-separated
	AllFeatures bool       // --all-features
}

// Register binds the flags to fs. Values already set are the defaults, so
// that flags given before the command name survive a second parse of the
// flags after it.
func (c *CommonFlags) Register(fs *flag.FlagSet) {
	fs.StringVar(&c.Dir, "C", c.Dir, "change to `DIR` before doing anything")
	fs.Var(&c.WitPaths, "d", "WIT directory or file (repeatable; default ./wit)")
	fs.Var(&c.Worlds, "w", "world to use (repeatable; several are merged)")
	fs.StringVar(&c.Features, "features", c.Features, "comma-separated @unstable features to enable")
	fs.BoolVar(&c.AllFeatures, "all-features", c.AllFeatures, "enable every @unstable feature")
}

// FeatureList splits --features into feature names.
func (c *CommonFlags) FeatureList() []string {
	var out []string
	for _, f := range strings.Split(c.Features, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// ApplyTo sets the build options the common flags give.
func (c *CommonFlags) ApplyTo(o *Options) {
	o.Dir, o.WitPaths, o.Worlds, o.Features, o.AllFeatures = c.Dir, c.WitPaths, c.Worlds, c.FeatureList(), c.AllFeatures
}

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

// RegisterFlags binds the flags of the build command itself to o; call
// the function it returns once fs is parsed.
func RegisterFlags(fs *flag.FlagSet, o *Options) (apply func()) {
	fs.StringVar(&o.Output, "o", "main.wasm", "output `FILE`")
	fs.StringVar(&o.Go, "go", "go", "the go command to build with")
	tinygo := &optionalPath{bare: "tinygo"}
	fs.Var(tinygo, "tinygo", "build with TinyGo (optionally --tinygo=PATH)")
	fs.BoolVar(&o.WASIP1, "wasip1", false, "write a plain wasip1 core module instead of a component")
	fs.BoolVar(&o.Debug, "debug", false, "keep the symbol table and DWARF (stripped with -ldflags=-s -w by default)")
	fs.BoolVar(&o.Optimize, "optimize", false, "run wasm-opt -Oz over the module: about 7% smaller, but tens of seconds slower to build")
	fs.BoolVar(&o.NoSizePatches, "no-size-patches", false, "build with the standard library as it is: no lazier init tables (bigger; for ruling the patches out)")
	fs.BoolVar(&o.Wagi, "wagi", false, "write a wasi_snapshot_preview1 command for Spin's Wagi executor (CGI style, e.g. with net/http/cgi)")
	fs.StringVar(&o.Adapter, "adapt", "", "the wasi_snapshot_preview1 reactor adapter `FILE` (needed with wasm-tools)")
	return func() {
		if tinygo.set {
			o.TinyGo = tinygo.value
		}
	}
}
