package wit_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spin-go/sdk/internal/wit"
)

func load(t *testing.T, files map[string]string, opts wit.Options) *wit.Resolve {
	t.Helper()
	r, err := wit.LoadSource(files, opts)
	require.NoError(t, err)
	return r
}

const depCD = `
package c:d@1.0.0 {
  interface e {
    type t1 = u8;
    resource r;
  }
}
`

func TestResolveErrors(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"unknown type", map[string]string{"a.wit": "package t:t;\ninterface i {\n  f: func(x: nope);\n}"},
			"a.wit:3:14: type 'nope' is not defined in interface i"},
		{"use of missing interface", map[string]string{"a.wit": "package t:t;\ninterface i { use missing.{x}; }"},
			"a.wit:2:19: interface 'missing' is not defined in package t:t"},
		{"use of missing type", map[string]string{"a.wit": "package t:t;\ninterface i { use c:d/e@1.0.0.{nope}; }" + depCD},
			"a.wit:2:32: type 'nope' is not defined in interface c:d/e@1.0.0"},
		{"use of a world", map[string]string{"a.wit": "package t:t;\nworld w {}\ninterface i { use w.{x}; }"},
			"a.wit:3:19: 'w' is a world, not an interface"},
		{"version conflict", map[string]string{"a.wit": "package t:t;\ninterface i { use c:d/e@2.0.0.{t1}; }" + depCD},
			"a.wit:2:19: package c:d@2.0.0 not found; present versions of c:d: 1.0.0"},
		{"unknown package", map[string]string{"a.wit": "package t:t;\nworld w { import x:y/z; }"},
			"a.wit:2:18: package x:y not found"},
		{"ambiguous version", map[string]string{"a.wit": "package t:t;\nworld w { import c:d/e; }" + depCD + "package c:d@1.1.0 { interface e {} }"},
			"a.wit:2:18: package c:d is ambiguous: versions 1.0.0, 1.1.0 are present"},
		{"package cycle", map[string]string{"a.wit": "package t:t;\npackage a:a { interface i { use b:b/j.{x}; type y = u8; } }\npackage b:b { interface j { use a:a/i.{y}; type x = u8; } }"},
			"package dependency cycle: a:a -> b:b -> a:a"},
		{"interface cycle", map[string]string{"a.wit": "package t:t;\ninterface i { use j.{x}; type y = u8; }\ninterface j { use i.{y}; type x = u8; }"},
			"a.wit:3:19: interface 'i' depends on itself through 'use' or 'include'"},
		{"world include cycle", map[string]string{"a.wit": "package t:t;\nworld v { include w; }\nworld w { include v; }"},
			"a.wit:3:19: world 'v' depends on itself through 'use' or 'include'"},
		{"recursive alias", map[string]string{"a.wit": "package t:t;\ninterface i { type t = list<t>; }"},
			"a.wit:2:20: type 't' refers to itself"},
		{"recursive records", map[string]string{"a.wit": "package t:t;\ninterface i {\n  record a { b: option<b> }\n  record b { a: a }\n}"},
			"a.wit:3:10: type 'a' refers to itself"},
		{"duplicate interface", map[string]string{"a.wit": "package t:t;\ninterface i {}", "b.wit": "interface i {}"},
			"b.wit:1:11: 'i' is defined more than once in package t:t (first at a.wit:2:11)"},
		{"interface and world share names", map[string]string{"a.wit": "package t:t;\ninterface i {}\nworld i {}"},
			"a.wit:3:7: 'i' is defined more than once in package t:t"},
		{"duplicate type", map[string]string{"a.wit": "package t:t;\ninterface i { type a = u8; record a { x: u8 } }"},
			"a.wit:2:35: 'a' is defined more than once in interface i (first at a.wit:2:20)"},
		{"names differ only in case", map[string]string{"a.wit": "package t:t;\ninterface i { type a = u8; A: func(); }"},
			"a.wit:2:28: 'A' is defined more than once in interface i"},
		{"duplicate field", map[string]string{"a.wit": "package t:t;\ninterface i { record r { x: u8, x: u16 } }"},
			"a.wit:2:33: field 'x' appears twice in record r"},
		{"duplicate case", map[string]string{"a.wit": "package t:t;\ninterface i { variant v { a, a(u8) } }"},
			"a.wit:2:30: case 'a' appears twice in variant v"},
		{"duplicate param", map[string]string{"a.wit": "package t:t;\ninterface i { f: func(a: u8, a: u8); }"},
			"a.wit:2:30: parameter 'a' appears twice in function f"},
		{"duplicate import", map[string]string{"a.wit": "package t:t;\nworld w { import f: func(); import f: func(); }"},
			"a.wit:2:36: import 'f' is defined more than once in world w"},
		{"borrow of record", map[string]string{"a.wit": "package t:t;\ninterface i { record r { x: u8 } f: func(x: borrow<r>); }"},
			"a.wit:2:52: borrow<r> needs a resource type, but 'r' is not a resource"},
		{"too many flags", map[string]string{"a.wit": "package t:t;\ninterface i { flags f { " + flagList(33) + " } }"},
			"flags f has 33 members; the canonical ABI allows at most 32"},
		{"constructor result", map[string]string{"a.wit": "package t:t;\ninterface i { resource r { constructor() -> u32; } }"},
			"a.wit:2:28: constructor of r must return r or result<r, E>"},
		{"explicit self", map[string]string{"a.wit": "package t:t;\ninterface i { resource r { m: func(self: u32); } }"},
			"a.wit:2:36: method r.m cannot have a parameter named 'self'"},
		{"include plain-name conflict", map[string]string{"a.wit": "package t:t;\nworld a { import f: func(); }\nworld b { import f: func(); }\nworld c { include a; include b; }"},
			"a.wit:4:22: import 'f' of included world t:t/b conflicts with an import of the same name in world c; rename it with 'with { f as new-name }'"},
		{"with names nothing", map[string]string{"a.wit": "package t:t;\nworld a { import f: func(); }\nworld c { include a with { g as h }; }"},
			"a.wit:3:28: world t:t/a has no import or export named 'g' to rename"},
		{"with renames an interface", map[string]string{"a.wit": "package t:t;\ninterface i {}\nworld a { import i; }\nworld c { include a with { i as h }; }"},
			"a.wit:4:28: 'i' refers to interface t:t/i, and interface names cannot be renamed with 'with'"},
		{"include an interface", map[string]string{"a.wit": "package t:t;\ninterface i {}\nworld c { include i; }"},
			"a.wit:3:19: 'i' is an interface; include takes a world"},
		{"directory with two packages", map[string]string{"a.wit": "package t:t;", "b.wit": "package u:u;"},
			"b.wit:1:9: package u:u conflicts with package t:t declared in a.wit"},
		{"items without package", map[string]string{"a.wit": "interface i {}"},
			"a.wit:1:1: no 'package ns:name;' declaration"},
		{"duplicate package differs", map[string]string{"a.wit": "package t:t;\npackage c:d@1.0.0 { interface e { type t1 = u8; } }\npackage c:d@1.0.0 { interface e { type t1 = u16; } }"},
			"a.wit:3:9: package c:d@1.0.0 is defined again with different contents"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := wit.LoadSource(tt.files, wit.Options{})
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

func flagList(n int) string {
	s := ""
	for i := 0; i < n; i++ {
		if i > 0 {
			s += ", "
		}
		s += "f" + string(rune('a'+i%26)) + string(rune('a'+i/26))
	}
	return s
}

func TestDuplicatePackageSameContentsIsAccepted(t *testing.T) {
	r := load(t, map[string]string{"a.wit": "package t:t;\nworld w { import c:d/e@1.0.0; }" + depCD + depCD}, wit.Options{})
	w, err := r.World("w")
	require.NoError(t, err)
	assert.NotNil(t, w.Import("c:d/e@1.0.0"))
}

func TestGates(t *testing.T) {
	src := map[string]string{"a.wit": `package t:t@1.0.0;
@since(version = 1.0.0)
interface i {
  @since(version = 1.0.0)
  a: func();
  @unstable(feature = fancy)
  b: func();
  @since(version = 1.0.0)
  @deprecated(version = 1.0.0)
  c: func();
  @unstable(feature = fancy)
  type t = u8;
}
@unstable(feature = other)
interface j {}
world w {
  import i;
  @unstable(feature = other)
  import j;
}`}
	names := func(r *wit.Resolve) []string {
		var out []string
		for _, f := range r.Packages[0].Interface("i").Functions {
			out = append(out, f.Name)
		}
		return out
	}
	r := load(t, src, wit.Options{})
	assert.Equal(t, []string{"a", "c"}, names(r))
	assert.Nil(t, r.Packages[0].Interface("j"))
	assert.Nil(t, r.Packages[0].Interface("i").TypeDef("t"))
	c := r.Packages[0].Interface("i").Function("c")
	assert.Equal(t, wit.Stability{Since: "1.0.0", Deprecated: "1.0.0"}, c.Stability)

	r = load(t, src, wit.Options{Features: []string{"fancy"}})
	assert.Equal(t, []string{"a", "b", "c"}, names(r))
	assert.NotNil(t, r.Packages[0].Interface("i").TypeDef("t"))
	w, _ := r.World("w")
	assert.Len(t, w.Imports, 1)

	r = load(t, src, wit.Options{AllFeatures: true})
	w, _ = r.World("w")
	require.Len(t, w.Imports, 2)
	assert.Equal(t, "other", w.Imports[1].Stability.Unstable)
}

func TestResourceDesugaring(t *testing.T) {
	r := load(t, map[string]string{"a.wit": `package t:t;
interface i {
  resource r {
    constructor(x: u32);
    get: func() -> u32;
    make: static async func() -> r;
  }
  resource fallible { constructor() -> result<fallible, string>; }
}`}, wit.Options{})
	i := r.Packages[0].Interface("i")
	var got []string
	for _, f := range i.Functions {
		got = append(got, f.Name+" "+f.BaseName())
	}
	assert.Equal(t, []string{"[constructor]r constructor", "[method]r.get get", "[static]r.make make", "[constructor]fallible constructor"}, got)
	res := i.TypeDef("r")
	ctor := i.Function("[constructor]r")
	assert.Equal(t, wit.Type(res), ctor.Result, "an infallible constructor returns its resource")
	get := i.Function("[method]r.get")
	require.Len(t, get.Params, 1)
	assert.Equal(t, "self", get.Params[0].Name)
	assert.Equal(t, res, get.Params[0].Type.(*wit.Borrow).Resource)
	assert.True(t, i.Function("[static]r.make").Async)
	assert.Equal(t, wit.Static, i.Function("[static]r.make").Kind)
}

func TestWorldElaboration(t *testing.T) {
	r := load(t, map[string]string{"a.wit": `package t:t;
interface base { type id = u32; }
interface mid { use base.{id}; get: func() -> id; }
interface top { use mid.{id}; put: func(x: id); }
interface exported-dep { type x = u8; }
interface exported { use exported-dep.{x}; use base.{id}; f: func(a: x, b: id); }
world small { import f: func(); export exported-dep; }
world w {
  import top;
  include small with { f as g };
  export exported;
}`}, wit.Options{})
	w, err := r.World("w")
	require.NoError(t, err)
	var imports, exports []string
	for _, it := range w.Imports {
		imports = append(imports, it.Key)
	}
	for _, it := range w.Exports {
		exports = append(exports, it.Key)
	}
	// Dependencies come right before the import that needs them; an
	// exported interface's dependency is imported unless it is exported.
	assert.Equal(t, []string{"t:t/base", "t:t/mid", "t:t/top", "g"}, imports)
	assert.Equal(t, []string{"t:t/exported-dep", "t:t/exported"}, exports)
	assert.True(t, w.Import("t:t/base").Implicit)
	assert.False(t, w.Import("t:t/top").Implicit)
}

// TestUnversionedPathPrefersUnversionedPackage: beside versions of a
// package, a path without a version names the unversioned one, as with
// Spin's fermyon:spin, fermyon:spin@2.0.0 and fermyon:spin@3.0.0.
func TestUnversionedPathPrefersUnversionedPackage(t *testing.T) {
	r := load(t, map[string]string{"a.wit": "package t:t;\nworld w { export c:d/e; }" + depCD +
		"package c:d { interface e { f: func(); } }\npackage c:d@1.1.0 { interface e {} }"}, wit.Options{})
	w, err := r.World("w")
	require.NoError(t, err)
	require.Len(t, w.Exports, 1)
	assert.Equal(t, "c:d/e", w.Exports[0].Key)
	assert.Len(t, w.Exports[0].Interface.Functions, 1)
}

func TestIncludeDeduplicatesInterfaces(t *testing.T) {
	r := load(t, map[string]string{"a.wit": `package t:t;
interface i {}
world a { import i; }
world b { import i; export i; }
world c { include a; include b; import i; }`}, wit.Options{})
	w, err := r.World("c")
	require.NoError(t, err)
	assert.Len(t, w.Imports, 1)
	assert.Len(t, w.Exports, 1)
}

func TestWorldSelection(t *testing.T) {
	r := load(t, map[string]string{"a.wit": `package t:t@1.0.0;
world root-only {}
world shared {}
package x:y@1.0.0 { world shared {} world only-here {} }
package x:y@2.0.0 { world only-here {} }`}, wit.Options{})
	for name, want := range map[string]string{
		"root-only":            "t:t/root-only@1.0.0",
		"shared":               "t:t/shared@1.0.0", // the root package wins
		"x:y/shared":           "x:y/shared@1.0.0",
		"x:y/only-here@2.0.0":  "x:y/only-here@2.0.0",
		"t:t/root-only@1.0.0":  "t:t/root-only@1.0.0",
		"t:t/root-only":        "t:t/root-only@1.0.0",
		"x:y/only-here@1.0.0":  "x:y/only-here@1.0.0",
		"x:y/shared@1.0.0":     "x:y/shared@1.0.0",
		"t:t/shared":           "t:t/shared@1.0.0",
		"x:y/only-here@1.0.0 ": "",
	} {
		w, err := r.World(name)
		if want == "" {
			assert.Error(t, err, name)
			continue
		}
		require.NoError(t, err, name)
		assert.Equal(t, want, w.ID(), name)
	}
	for name, msg := range map[string]string{
		"only-here":      "world name 'only-here' is ambiguous: x:y/only-here@1.0.0, x:y/only-here@2.0.0; use the full name",
		"x:y/only-here":  "world x:y/only-here is ambiguous: x:y/only-here@1.0.0, x:y/only-here@2.0.0; add the version",
		"x:y/nope":       "no loaded version of x:y has a world 'nope'",
		"nope":           "no world named 'nope' is loaded",
		"x:y/nope@1.0.0": "package x:y@1.0.0 has no world 'nope' (it has: shared, only-here)",
		"q:q/w":          "package q:q is not loaded",
	} {
		_, err := r.World(name)
		require.Error(t, err, name)
		assert.Contains(t, err.Error(), msg)
	}
}

func TestUnionOfWorlds(t *testing.T) {
	r := load(t, map[string]string{"a.wit": `package t:t;
interface i { f: func(); }
interface j { g: func(); }
world a { import i; export j; }
world b { import i; import h: func(); }`}, wit.Options{})
	w, err := r.SelectWorlds([]string{"a", "b"})
	require.NoError(t, err)
	assert.Equal(t, "root:component/root", w.ID())
	assert.Equal(t, []string{"h", "t:t/i"}, itemKeys(w.Imports))
	assert.Equal(t, []string{"t:t/j"}, itemKeys(w.Exports))
}

func TestLoadDirectoryLayout(t *testing.T) {
	dir := t.TempDir()
	write := func(rel, text string) {
		p := filepath.Join(dir, rel)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(text), 0o644))
	}
	write("types.wit", "package app:main@0.1.0;\ninterface types { use dep:one/api@1.0.0.{thing}; }")
	write("world.wit", "world app { import types; import dep:two/api@2.0.0; }")
	write("deps/one/api.wit", "package dep:one@1.0.0;\ninterface api { record thing { x: u8 } }")
	write("deps/two.wit", "package dep:two@2.0.0;\ninterface api { use dep:three/x.{t}; }\npackage dep:three { interface x { type t = u8; } }")
	write("deps/README.md", "not WIT")
	r, err := wit.Load([]string{dir}, wit.Options{})
	require.NoError(t, err)
	assert.Equal(t, "app:main@0.1.0", r.Root.Name.String())
	w, err := r.World("app")
	require.NoError(t, err)
	assert.Equal(t, []string{"app:main/types@0.1.0", "dep:one/api@1.0.0", "dep:three/x", "dep:two/api@2.0.0"}, itemKeys(w.Imports))

	_, err = wit.Load([]string{filepath.Join(dir, "missing")}, wit.Options{})
	assert.ErrorContains(t, err, "reading WIT")
}

// TestPrintRoundTrip prints every world of wit/ and the published tree,
// parses the text again and requires the same world back.
func TestPrintRoundTrip(t *testing.T) {
	dirs := []string{filepath.Join(repoRoot(t), "wit")}
	if ref := filepath.Join(repoRoot(t), "..", "shared", "wit-reference", "spin-up-4.1.0"); dirExists(ref) {
		dirs = append(dirs, ref)
	}
	for _, dir := range dirs {
		r, err := wit.Load([]string{dir}, wit.Options{AllFeatures: true})
		require.NoError(t, err)
		for _, pkg := range r.Packages {
			for _, w := range pkg.Worlds {
				text := wit.Printer{Docs: true}.World(w)
				r2, err := wit.LoadSource(map[string]string{"printed.wit": text}, wit.Options{AllFeatures: true})
				require.NoError(t, err, w.ID())
				w2, err := r2.World(w.ID())
				require.NoError(t, err)
				assert.Equal(t, text, wit.Printer{Docs: true}.World(w2), w.ID())
				assertSameWorld(t, w2, w)
			}
		}
	}
}

func dirExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

// BenchmarkLoadSDKWit parses and resolves all of wit/ (the issue asks for
// well under a second).
func BenchmarkLoadSDKWit(b *testing.B) {
	dir := filepath.Join(repoRoot(b), "wit")
	for b.Loop() {
		r, err := wit.Load([]string{dir}, wit.Options{AllFeatures: true})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := r.World("spin:up/http-trigger@4.0.0"); err != nil {
			b.Fatal(err)
		}
	}
}

// TestPrintRoundTripEveryConstruct covers what the published worlds do not
// use: inline interfaces, named interface imports, world-level types, uses
// and resources, maps, fixed lists and escaped keywords.
func TestPrintRoundTripEveryConstruct(t *testing.T) {
	src := `package t:t@1.0.0;

/// Shared types.
interface types {
  /// A record.
  record %record { %type: u8, fixed: list<u32, 4>, m: map<string, list<u8>> }
  resource r {
    constructor(x: u32);
    m: async func(b: borrow<r>) -> result<_, string>;
    s: static func() -> result<r>;
  }
  variant v { a, b(option<tuple<s8, s16, s32, s64, u64, f32, f64, char, bool>>) }
  enum e { x, y }
  flags f { p, q }
  type s = stream<u8>;
  type fu = future<result<option<string>, error-context>>;
  type bare = tuple<stream, future>;
}

world w {
  use types.{r, e as renamed};
  type local = list<renamed>;
  resource wr { get: func() -> u32; }
  import types;
  import named: types;
  import inline: interface {
    use types.{v};
    get: func() -> v;
  }
  import f: func(x: local, y: borrow<r>) -> own<wr>;
  export run: async func(s: stream<string>) -> future;
  export ex: interface { go: func(); }
}
`
	r := load(t, map[string]string{"a.wit": src}, wit.Options{})
	w, err := r.World("w")
	require.NoError(t, err)
	text := wit.Printer{Docs: true}.World(w)
	r2 := load(t, map[string]string{"printed.wit": text}, wit.Options{})
	w2, err := r2.World("w")
	require.NoError(t, err)
	assert.Equal(t, text, wit.Printer{Docs: true}.World(w2))
	assertSameWorld(t, w2, w)
	assert.Contains(t, text, "record %record {")
	assert.Contains(t, text, "%type: u8,")
	assert.Contains(t, text, "import named: t:t/types@1.0.0;")
	assert.Contains(t, text, "use types.{r, e as renamed};")
	assert.Contains(t, text, "export run: async func(s: stream<string>) -> future;")
}
