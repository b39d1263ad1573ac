package syntax

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func parse(t *testing.T, src string) *File {
	t.Helper()
	f, err := Parse("x.wit", []byte(src))
	require.NoError(t, err)
	return f
}

func TestParseEveryConstruct(t *testing.T) {
	f := parse(t, `
/// The package docs are on the items, not here.
package a:b@1.2.3-rc.1+build;

use c:d/e@2.0.0 as ee;

/// An interface.
@since(version = 1.0.0)
interface types {
  use ee.{t1, t2 as t3};
  /** A block doc
   *  on two lines. */
  type alias = list<u8>;
  type fixed = list<u32, 4>;
  record r { a: u8, b: option<string>, }
  variant v { none, some(tuple<u32, s64>), }
  enum e { x, y }
  flags f { p, q, }
  @unstable(feature = fancy)
  resource res {
    constructor(init: u32);
    get: func() -> u32;
    make: static func(x: borrow<res>) -> res;
    wait: async func();
    later: static async func() -> own<res>;
  }
  resource opaque;
  r1: func() -> result;
  r2: func() -> result<u8>;
  r3: func() -> result<_, string>;
  r4: func() -> result<u8, string>;
  s1: func(a: stream, b: stream<u8>, c: future, d: future<string>);
  m: func(x: map<string, u32>) -> error-context;
  @deprecated(version = 1.1.0)
  @since(version = 1.0.0)
  old: async func(%type: char, f: f32, g: f64, h: bool);
}

world w {
  include other with { a as b, c as d };
  import types;
  import c:d/e@2.0.0;
  import named: func(x: u32) -> u32;
  import inline: interface {
    use types.{r};
    get: func() -> r;
  }
  import aliased: c:d/e@2.0.0;
  export run: async func();
  use types.{e};
  type local = u32;
  @external-id("some/id")
  export types;
}

package c:d@2.0.0 {
  interface e { type t1 = u8; type t2 = u16; }
}
`)
	require.NotNil(t, f.Decl)
	assert.Equal(t, "a:b@1.2.3-rc.1+build", f.Decl.String())
	require.Len(t, f.Items.Uses, 1)
	assert.Equal(t, "c:d/e@2.0.0", f.Items.Uses[0].Path.String())
	assert.Equal(t, "ee", f.Items.Uses[0].As.Name)

	require.Len(t, f.Items.Interfaces, 1)
	iface := f.Items.Interfaces[0]
	assert.Equal(t, "An interface.", iface.Docs)
	assert.Equal(t, "1.0.0", iface.Gate.Since)
	require.Len(t, iface.Items, 16)
	use := iface.Items[0].(*Use)
	assert.Equal(t, "t3", use.Names[1].As.Name)
	alias := iface.Items[1].(*TypeDef)
	assert.Equal(t, "A block doc\non two lines.", alias.Docs)
	assert.Equal(t, uint32(4), iface.Items[2].(*TypeDef).Kind.(*Alias).Type.(*List).Len)
	res := iface.Items[7].(*TypeDef)
	assert.Equal(t, "fancy", res.Gate.Unstable)
	funcs := res.Kind.(*Resource).Funcs
	require.Len(t, funcs, 5)
	assert.Equal(t, Constructor, funcs[0].Kind)
	assert.Equal(t, Static, funcs[2].Kind)
	assert.True(t, funcs[3].Func.Async)
	assert.True(t, funcs[4].Func.Async)
	assert.False(t, funcs[4].Func.Result.(*Handle).Borrow)
	assert.Len(t, iface.Items[8].(*TypeDef).Kind.(*Resource).Funcs, 0)

	results := []*Result{}
	for _, it := range iface.Items[9:13] {
		results = append(results, it.(*Func).Type.Result.(*Result))
	}
	assert.True(t, results[0].Ok == nil && results[0].Err == nil)
	assert.True(t, results[1].Ok != nil && results[1].Err == nil)
	assert.True(t, results[2].Ok == nil && results[2].Err != nil)
	assert.True(t, results[3].Ok != nil && results[3].Err != nil)

	streams := iface.Items[13].(*Func).Type.Params
	assert.Nil(t, streams[0].Type.(*Stream).Elem)
	assert.NotNil(t, streams[1].Type.(*Stream).Elem)
	assert.Nil(t, streams[2].Type.(*Future).Elem)
	assert.Equal(t, "error-context", iface.Items[14].(*Func).Type.Result.(*Prim).Name)
	old := iface.Items[15].(*Func)
	assert.Equal(t, "1.1.0", old.Gate.Deprecated)
	assert.True(t, old.Type.Async)
	assert.Equal(t, "type", old.Type.Params[0].Name.Name, "%type escapes the keyword")

	require.Len(t, f.Items.Worlds, 1)
	w := f.Items.Worlds[0]
	require.Len(t, w.Items, 10)
	inc := w.Items[0].(*Include)
	assert.Equal(t, []IncludeName{{From: Ident{"a", inc.With[0].From.Pos}, To: Ident{"b", inc.With[0].To.Pos}}, {From: Ident{"c", inc.With[1].From.Pos}, To: Ident{"d", inc.With[1].To.Pos}}}, inc.With)
	assert.Equal(t, "types", w.Items[1].(*ImportExport).Path.String())
	assert.Equal(t, "c:d/e@2.0.0", w.Items[2].(*ImportExport).Path.String())
	assert.NotNil(t, w.Items[3].(*ImportExport).Func)
	assert.NotNil(t, w.Items[4].(*ImportExport).Inline)
	assert.Equal(t, "c:d/e@2.0.0", w.Items[5].(*ImportExport).Ref.String())
	assert.True(t, w.Items[6].(*ImportExport).Export)
	assert.True(t, w.Items[6].(*ImportExport).Func.Async)
	assert.Equal(t, "some/id", w.Items[9].(*ImportExport).Gate.ExternalID)

	require.Len(t, f.Nested, 1)
	assert.Equal(t, "c:d@2.0.0", f.Nested[0].Name.String())
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"unterminated comment", "package a:b;\n/* open /* nested */ still open", "x.wit:2:1: unterminated block comment"},
		{"unterminated string", "package a:b;\nworld w { @external-id(\"abc) }", "x.wit:2:24: unterminated string literal"},
		{"bad identifier case", "package a:b;\ninterface i { fooBar: func(); }", "x.wit:2:15: invalid identifier 'fooBar': word 'fooBar' mixes upper and lower case"},
		{"identifier starting with digit word", "package a:b;\ninterface i { type x-- = u8; }", "x.wit:2:20: invalid identifier 'x--': empty word"},
		{"identifier trailing dash", "package a:b;\ninterface foo- {}", "x.wit:2:11: invalid identifier 'foo-'"},
		{"keyword as name", "package a:b;\ninterface i { list: func(); }", "x.wit:2:15: 'list' is a keyword and cannot be used as a name"},
		{"bad semver", "package a:b@1.0;", "x.wit:1:13: invalid version '1.0': want MAJOR.MINOR.PATCH"},
		{"leading zero semver", "package a:b@01.0.0;", "x.wit:1:13: invalid version '01.0.0'"},
		{"missing version", "package a:b@;", "x.wit:1:13: expected a semantic version after '@'"},
		{"package after items", "interface i {}\npackage a:b;", "x.wit:2:1: the 'package a:b;' declaration must come before all other items"},
		{"nested package block inside block", "package a:b { package c:d { } }", "x.wit:1:15: package blocks cannot be nested"},
		{"unclosed interface", "package a:b;\ninterface i {\n  f: func();\n", "x.wit:4:1: expected '}' to close interface i, found end of file"},
		{"missing semicolon", "package a:b;\ninterface i { f: func() }", "x.wit:2:25: expected ';' after the function f, found '}'"},
		{"named results", "package a:b;\ninterface i { f: func() -> (a: u32); }", "x.wit:2:28: named or multiple results are no longer part of WIT"},
		{"empty record", "package a:b;\ninterface i { record r {} }", "x.wit:2:25: record r must have at least one member"},
		{"empty enum", "package a:b;\ninterface i { enum e {} }", "x.wit:2:23: enum e must have at least one member"},
		{"zero-length list", "package a:b;\ninterface i { type t = list<u8, 0>; }", "x.wit:2:33: fixed-length list length must be an integer from 1"},
		{"unknown gate", "package a:b;\n@sometimes(version = 1.0.0)\ninterface i {}", "x.wit:2:2: unknown gate '@sometimes'"},
		{"since and unstable", "package a:b@1.0.0;\n@since(version = 1.0.0)\n@unstable(feature = x)\ninterface i {}", "x.wit:3:1: an item cannot be both @since and @unstable"},
		{"unstable without feature", "package a:b;\n@unstable(version = 1.0.0)\ninterface i {}", "x.wit:2:11: expected 'feature' in @unstable(feature = name)"},
		{"control character", "package a:b;\n\x01", "x.wit:2:1: control character U+0001 is not allowed"},
		{"bidi override in comment", "package a:b;\n// \u202e evil", "x.wit:2:4: bidirectional override character U+202E"},
		{"invalid utf8", "package a:b;\n\xff", "x.wit:2:1: invalid UTF-8 byte 0xff"},
		{"stray character", "package a:b;\ninterface i { f: func() -> u8 $ }", "x.wit:2:31: unexpected character '$'"},
		{"nested namespace", "package a:b:c;", "x.wit:1:12: nested namespaces (a:b:...) are not supported"},
		{"world item junk", "package a:b;\nworld w { func(); }", "x.wit:2:11: expected 'import', 'export', 'include', 'use' or a type definition in a world, found keyword 'func'"},
		{"use without names", "package a:b;\ninterface i { use j; }", "x.wit:2:20: expected '.' after the interface path in 'use'"},
		{"bad type", "package a:b;\ninterface i { f: func(x: func) ; }", "x.wit:2:26: expected a type, found keyword 'func'"},
		{"deep nesting", "package a:b;\ninterface i { type t = " + repeat("list<", 120) + "u8" + repeat(">", 120) + "; }", "type expression is nested more than 100 levels deep"},
		{"constructor result missing type", "package a:b;\ninterface i { resource r { constructor() -> ; } }", "x.wit:2:45: expected a type, found ';'"},
		{"import package only", "package a:b;\nworld w { import a:b; }", "x.wit:2:21: expected '/' after package a:b"},
		{"bad unicode escape", "package a:b;\nworld w { @external-id(\"\\u{zz}\") import f: func(); }", "x.wit:2:25: invalid unicode escape"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("x.wit", []byte(tt.src))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			var perr *Error
			require.ErrorAs(t, err, &perr)
			assert.Equal(t, "x.wit", perr.Pos.File)
			assert.Positive(t, perr.Pos.Line)
			assert.Positive(t, perr.Pos.Col)
		})
	}
}

func repeat(s string, n int) string {
	out := ""
	for i := 0; i < n; i++ {
		out += s
	}
	return out
}

func TestDocComments(t *testing.T) {
	f := parse(t, `package a:b;
// plain comment, not docs
/// first
/// second
//// four slashes are a plain comment
/* plain block */
interface i {
  /**/
  f: func();
}`)
	assert.Equal(t, "first\nsecond", f.Items.Interfaces[0].Docs)
	assert.Equal(t, "", f.Items.Interfaces[0].Items[0].(*Func).Docs)
}

func TestVersionedUseBeforeDot(t *testing.T) {
	// The version's trailing '.' belongs to `.{`, not to the version.
	f := parse(t, "package a:b;\ninterface i { use c:d/e@0.3.0-rc-2026-03-15.{x}; }")
	u := f.Items.Interfaces[0].Items[0].(*Use)
	assert.Equal(t, "0.3.0-rc-2026-03-15", u.Path.Package.Version)
	assert.Equal(t, "x", u.Names[0].Name.Name)
}

func TestStringEscapes(t *testing.T) {
	f := parse(t, `package a:b;
world w { @external-id("tab\there \u{2603} \41 \"q\"") import f: func(); }`)
	assert.Equal(t, "tab\there \u2603 A \"q\"", f.Items.Worlds[0].Items[0].(*ImportExport).Gate.ExternalID)
}
