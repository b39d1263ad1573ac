package abi_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spin-go/sdk/internal/wit"
	"github.com/spin-go/sdk/internal/wit/abi"
)

// Every expected number below was worked out by hand from the rules of
// CanonicalABI.md (elem_size, alignment, flatten_type, flatten_functype).

const (
	i32 = abi.I32
	i64 = abi.I64
	f32 = abi.F32
	f64 = abi.F64
)

// flat is shorthand for an expected flattening.
func flat(ts ...abi.CoreType) []abi.CoreType { return ts }

// rep repeats t n times.
func rep(t abi.CoreType, n int) []abi.CoreType {
	out := make([]abi.CoreType, n)
	for i := range out {
		out[i] = t
	}
	return out
}

// labels returns n WIT identifiers c0, c1, ... joined by commas.
func labels(n int) string {
	ls := make([]string, n)
	for i := range ls {
		ls[i] = fmt.Sprintf("c%d", i)
	}
	return strings.Join(ls, ", ")
}

// typesWIT declares every type under test; anonymous types are given names
// with `type` aliases, which also exercises alias following.
var typesWIT = `package t:t;
interface types {
  resource res;

  record pad { a: u8, b: u32, c: u8 }
  record wide { a: u8, b: u64 }
  record tail { a: u32, b: u8 }
  record one { a: u8 }
  record mixed { a: u16, b: string, c: f64, d: bool }
  record outer { a: u8, b: wide }
  type pad-alias = pad;
  type pad-alias2 = pad-alias;

  type str = string;
  type list-u64 = list<u64>;
  type fixed-u16 = list<u16, 3>;
  type fixed-u64 = list<u64, 2>;
  type fixed-str = list<string, 2>;
  type fixed-pad = list<pad, 2>;
  type map-su = map<string, u32>;

  type tup-a = tuple<u8, u16, u8>;
  type tup-b = tuple<f32, u64>;
  type tup-c = tuple<string, u8>;

  enum e2 { a, b }
  enum e256 { ` + labels(256) + ` }
  enum e257 { ` + labels(257) + ` }

  flags fl1 { ` + labels(1) + ` }
  flags fl8 { ` + labels(8) + ` }
  flags fl9 { ` + labels(9) + ` }
  flags fl16 { ` + labels(16) + ` }
  flags fl17 { ` + labels(17) + ` }
  flags fl32 { ` + labels(32) + ` }

  type opt-u8 = option<u8>;
  type opt-u64 = option<u64>;
  type opt-str = option<string>;
  type opt-f32 = option<f32>;

  type res-none = result;
  type res-ok = result<u32>;
  type res-err = result<_, string>;
  type res-both = result<u8, u64>;
  type res-u32-f32 = result<u32, f32>;
  type res-u64-f32 = result<u64, f32>;
  type res-f32-f64 = result<f32, f64>;
  type res-str-u64 = result<string, u64>;

  variant v-i32-f32 { a(u32), b(f32) }
  variant v-f32-f32 { a(f32), b(f32) }
  variant v-f64-f64 { a(f64), b(f64) }
  variant v-f64-u32 { a(f64), b(u32) }
  variant v-s64-f64 { a(s64), b(f64) }
  variant v-long { a(tuple<u8, f32>), b(f32), c }
  variant v-nested { a(pad), b(wide), c }
  variant v-empty { a, b(u8) }

  type own-res = res;
  type borrow-res = borrow<res>;
  type stream-u8 = stream<u8>;
  type stream-bare = stream;
  type future-str = future<string>;
  type future-bare = future;
  type err-ctx = error-context;
}
`

// load resolves WIT source into its single package.
func load(t *testing.T, src string) *wit.Package {
	t.Helper()
	r, err := wit.LoadSource(map[string]string{"a.wit": src}, wit.Options{})
	require.NoError(t, err)
	for _, p := range r.Packages {
		if p.Name.String() == "t:t" {
			return p
		}
	}
	t.Fatal("package t:t not found")
	return nil
}

func typesIface(t *testing.T) *wit.Interface {
	t.Helper()
	i := load(t, typesWIT).Interface("types")
	require.NotNil(t, i)
	return i
}

func typeNamed(t *testing.T, i *wit.Interface, name string) *wit.TypeDef {
	t.Helper()
	td := i.TypeDef(name)
	require.NotNil(t, td, name)
	return td
}

func TestCoreTypeString(t *testing.T) {
	assert.Equal(t, "i32", abi.I32.String())
	assert.Equal(t, "i64", abi.I64.String())
	assert.Equal(t, "f32", abi.F32.String())
	assert.Equal(t, "f64", abi.F64.String())
}

type layout struct {
	size, align uint32
	flat        []abi.CoreType
}

func checkLayout(t *testing.T, typ wit.Type, want layout) {
	t.Helper()
	assert.Equal(t, want.size, abi.Size(typ), "size")
	assert.Equal(t, want.align, abi.Align(typ), "align")
	assert.Equal(t, want.flat, abi.Flat(typ), "flat")
}

func TestPrimitives(t *testing.T) {
	tests := []struct {
		p    wit.Primitive
		want layout
	}{
		{wit.Bool, layout{1, 1, flat(i32)}},
		{wit.S8, layout{1, 1, flat(i32)}},
		{wit.U8, layout{1, 1, flat(i32)}},
		{wit.S16, layout{2, 2, flat(i32)}},
		{wit.U16, layout{2, 2, flat(i32)}},
		{wit.S32, layout{4, 4, flat(i32)}},
		{wit.U32, layout{4, 4, flat(i32)}},
		{wit.S64, layout{8, 8, flat(i64)}},
		{wit.U64, layout{8, 8, flat(i64)}},
		{wit.F32, layout{4, 4, flat(f32)}},
		{wit.F64, layout{8, 8, flat(f64)}},
		{wit.Char, layout{4, 4, flat(i32)}},
		{wit.String, layout{8, 4, flat(i32, i32)}},
		{wit.ErrorContext, layout{4, 4, flat(i32)}},
	}
	for _, tt := range tests {
		t.Run(tt.p.String(), func(t *testing.T) { checkLayout(t, tt.p, tt.want) })
	}
}

func TestLayout(t *testing.T) {
	iface := typesIface(t)
	tests := []struct {
		name string
		want layout
	}{
		// Records: fields aligned in order, size padded to the alignment.
		{"pad", layout{12, 4, flat(i32, i32, i32)}},
		{"wide", layout{16, 8, flat(i32, i64)}},
		{"tail", layout{8, 4, flat(i32, i32)}},
		{"one", layout{1, 1, flat(i32)}},
		// a@0..2, b@4..12, c@16..24, d@24..25, padded to 32.
		{"mixed", layout{32, 8, flat(i32, i32, i32, f64, i32)}},
		// a@0, b (align 8, size 16) @8 -> 24.
		{"outer", layout{24, 8, flat(i32, i32, i64)}},
		{"pad-alias", layout{12, 4, flat(i32, i32, i32)}},
		{"pad-alias2", layout{12, 4, flat(i32, i32, i32)}},

		// Strings and lists are (ptr, len); fixed lists are inline.
		{"str", layout{8, 4, flat(i32, i32)}},
		{"list-u64", layout{8, 4, flat(i32, i32)}},
		{"fixed-u16", layout{6, 2, flat(i32, i32, i32)}},
		{"fixed-u64", layout{16, 8, flat(i64, i64)}},
		{"fixed-str", layout{16, 4, flat(i32, i32, i32, i32)}},
		{"fixed-pad", layout{24, 4, rep(i32, 6)}},
		{"map-su", layout{8, 4, flat(i32, i32)}},

		// Tuples are records.
		{"tup-a", layout{6, 2, flat(i32, i32, i32)}},
		{"tup-b", layout{16, 8, flat(f32, i64)}},
		{"tup-c", layout{12, 4, flat(i32, i32, i32)}},

		// Enums: u8 discriminant up to 256 cases, u16 from 257.
		{"e2", layout{1, 1, flat(i32)}},
		{"e256", layout{1, 1, flat(i32)}},
		{"e257", layout{2, 2, flat(i32)}},

		// Flags: 1, 2 or 4 bytes; always one i32.
		{"fl1", layout{1, 1, flat(i32)}},
		{"fl8", layout{1, 1, flat(i32)}},
		{"fl9", layout{2, 2, flat(i32)}},
		{"fl16", layout{2, 2, flat(i32)}},
		{"fl17", layout{4, 4, flat(i32)}},
		{"fl32", layout{4, 4, flat(i32)}},

		// Options: u8 discriminant, payload aligned after it.
		{"opt-u8", layout{2, 1, flat(i32, i32)}},
		{"opt-u64", layout{16, 8, flat(i32, i64)}},
		{"opt-str", layout{12, 4, flat(i32, i32, i32)}},
		{"opt-f32", layout{8, 4, flat(i32, f32)}},

		// Results in all four shapes, and the join of ok and error.
		{"res-none", layout{1, 1, flat(i32)}},
		{"res-ok", layout{8, 4, flat(i32, i32)}},
		{"res-err", layout{12, 4, flat(i32, i32, i32)}},
		{"res-both", layout{16, 8, flat(i32, i64)}},
		{"res-u32-f32", layout{8, 4, flat(i32, i32)}},
		{"res-u64-f32", layout{16, 8, flat(i32, i64)}},
		{"res-f32-f64", layout{16, 8, flat(i32, i64)}},
		// ok [i32 i32] over error [i64]: join(i32, i64) = i64, then i32.
		{"res-str-u64", layout{16, 8, flat(i32, i64, i32)}},

		// Variant joins.
		{"v-i32-f32", layout{8, 4, flat(i32, i32)}},
		{"v-f32-f32", layout{8, 4, flat(i32, f32)}},
		{"v-f64-f64", layout{16, 8, flat(i32, f64)}},
		{"v-f64-u32", layout{16, 8, flat(i32, i64)}},
		{"v-s64-f64", layout{16, 8, flat(i32, i64)}},
		// a: [i32 f32], b: [f32] -> [join(i32,f32)=i32, f32]; payload
		// (tuple size 8, align 4) at 4 -> 12.
		{"v-long", layout{12, 4, flat(i32, i32, f32)}},
		// a: pad [i32 i32 i32], b: wide [i32 i64] -> [i32, i64, i32];
		// payload at 8, largest 16 -> 24.
		{"v-nested", layout{24, 8, flat(i32, i32, i64, i32)}},
		{"v-empty", layout{2, 1, flat(i32, i32)}},

		// Handles and async values are i32 indices.
		{"own-res", layout{4, 4, flat(i32)}},
		{"borrow-res", layout{4, 4, flat(i32)}},
		{"stream-u8", layout{4, 4, flat(i32)}},
		{"stream-bare", layout{4, 4, flat(i32)}},
		{"future-str", layout{4, 4, flat(i32)}},
		{"future-bare", layout{4, 4, flat(i32)}},
		{"err-ctx", layout{4, 4, flat(i32)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkLayout(t, typeNamed(t, iface, tt.name), tt.want) })
	}
}

// TestAnonymousTypes checks the types built directly, not through aliases.
func TestAnonymousTypes(t *testing.T) {
	iface := typesIface(t)
	res := typeNamed(t, iface, "res")
	pad := typeNamed(t, iface, "pad")
	tests := []struct {
		name string
		typ  wit.Type
		want layout
	}{
		{"resource", res, layout{4, 4, flat(i32)}},
		{"borrow", &wit.Borrow{Resource: res}, layout{4, 4, flat(i32)}},
		{"list", &wit.List{Elem: wit.U8}, layout{8, 4, flat(i32, i32)}},
		{"fixed", &wit.List{Elem: wit.U16, Len: 3}, layout{6, 2, flat(i32, i32, i32)}},
		{"option", &wit.Option{Elem: wit.U64}, layout{16, 8, flat(i32, i64)}},
		{"result", &wit.Result{}, layout{1, 1, flat(i32)}},
		{"tuple", &wit.Tuple{Types: []wit.Type{wit.U8, pad}}, layout{16, 4, flat(i32, i32, i32, i32)}},
		{"map", &wit.Map{Key: wit.String, Value: wit.U32}, layout{8, 4, flat(i32, i32)}},
		{"stream", &wit.Stream{}, layout{4, 4, flat(i32)}},
		{"future", &wit.Future{Elem: wit.String}, layout{4, 4, flat(i32)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkLayout(t, tt.typ, tt.want) })
	}
}

func TestLargeEnums(t *testing.T) {
	enum := func(n int) *wit.TypeDef {
		return &wit.TypeDef{Name: "e", Kind: &wit.Enum{Cases: make([]wit.Label, n)}}
	}
	tests := []struct {
		n    int
		want layout
		disc wit.Primitive
	}{
		{1, layout{1, 1, flat(i32)}, wit.U8},
		{65536, layout{2, 2, flat(i32)}, wit.U16},
		{65537, layout{4, 4, flat(i32)}, wit.U32},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.n), func(t *testing.T) {
			checkLayout(t, enum(tt.n), tt.want)
			assert.Equal(t, tt.disc, abi.DiscriminantType(enum(tt.n)))
		})
	}
}

func TestFieldOffsets(t *testing.T) {
	iface := typesIface(t)
	tests := []struct {
		name string
		want []uint32
	}{
		{"pad", []uint32{0, 4, 8}},
		{"wide", []uint32{0, 8}},
		{"tail", []uint32{0, 4}},
		{"mixed", []uint32{0, 4, 16, 24}},
		{"outer", []uint32{0, 8}},
		{"pad-alias2", []uint32{0, 4, 8}},
		{"tup-a", []uint32{0, 2, 4}},
		{"tup-b", []uint32{0, 8}},
		{"tup-c", []uint32{0, 8}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, abi.FieldOffsets(typeNamed(t, iface, tt.name)))
		})
	}
	assert.Panics(t, func() { abi.FieldOffsets(wit.U32) })
	assert.Panics(t, func() { abi.FieldOffsets(typeNamed(t, iface, "opt-u8")) })
}

func TestPayloadOffset(t *testing.T) {
	iface := typesIface(t)
	tests := []struct {
		name string
		off  uint32
		disc wit.Primitive
	}{
		{"e2", 1, wit.U8},
		{"e256", 1, wit.U8},
		{"e257", 2, wit.U16},
		{"opt-u8", 1, wit.U8},
		{"opt-u64", 8, wit.U8},
		{"opt-str", 4, wit.U8},
		{"res-none", 1, wit.U8},
		{"res-ok", 4, wit.U8},
		{"res-err", 4, wit.U8},
		{"res-both", 8, wit.U8},
		{"v-i32-f32", 4, wit.U8},
		{"v-long", 4, wit.U8},
		{"v-nested", 8, wit.U8},
		{"v-empty", 1, wit.U8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			td := typeNamed(t, iface, tt.name)
			assert.Equal(t, tt.off, abi.PayloadOffset(td))
			assert.Equal(t, tt.disc, abi.DiscriminantType(td))
		})
	}
	assert.Panics(t, func() { abi.PayloadOffset(typeNamed(t, iface, "pad")) })
	assert.Panics(t, func() { abi.DiscriminantType(wit.String) })
}
