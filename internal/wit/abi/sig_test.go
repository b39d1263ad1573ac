package abi_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spin-go/sdk/internal/wit"
	"github.com/spin-go/sdk/internal/wit/abi"
)

// funcsWIT declares the functions and worlds under test. tupleOf("u32", n)
// flattens to n i32s, which places parameter counts exactly at the limits.
var funcsWIT = typesWIT + `
interface funcs {
  use types.{wide};
  p16: func(a: string, b: list<u8>, c: ` + tupleOf("u32", 12) + `);
  p17: func(a: string, b: list<u8>, c: ` + tupleOf("u32", 12) + `, d: u8);
  p16-str: func(a: ` + tupleOf("u64", 16) + `) -> string;
  p17-str: func(a: ` + tupleOf("u64", 17) + `) -> string;
  none: func();
  get-u32: func() -> u32;
  get-str: func() -> string;
  get-wide: func() -> wide;
  get-f64: func(x: f32) -> f64;
  resource thing { get: func() -> u32; }
  a0: async func();
  a4: async func(a: u32, b: u32, c: u64, d: f32);
  a5: async func(a: string, b: string, c: u8) -> u32;
  a4-str: async func(a: string, b: u32, c: f64) -> string;
  a17: async func(a: ` + tupleOf("u32", 17) + `);
  ret16: async func() -> ` + tupleOf("u32", 16) + `;
  ret17: async func() -> ` + tupleOf("u32", 17) + `;
}

interface streams {
  use types.{res};
  plain: func(a: string) -> u32;
  takes-stream: func(s: stream<u8>);
  returns-future: func() -> future<string>;
  nested: func(x: option<list<tuple<u8, stream>>>);
  in-result: func() -> result<u32, future>;
  async-plain: async func();
  borrows: func(x: tuple<u32, borrow<res>>, y: option<borrow<res>>, z: res);
}

interface plain-iface { f: func(); }
interface async-iface { g: async func(); }
interface stream-iface { h: func() -> stream<u8>; }

world sync-w {
  import plain-iface;
  import types;
  export run: func(x: string) -> string;
}
world async-export-func { import plain-iface; export run: async func(); }
world async-import-func { import run: async func(); }
world async-import-iface { import async-iface; export plain-iface; }
world stream-export-iface { export stream-iface; }
`

func tupleOf(elem string, n int) string {
	return "tuple<" + strings.TrimSuffix(strings.Repeat(elem+", ", n), ", ") + ">"
}

// norm makes empty slices nil so that expectations need not care.
func norm(s abi.Signature) abi.Signature {
	if len(s.Params) == 0 {
		s.Params = nil
	}
	if len(s.Results) == 0 {
		s.Results = nil
	}
	return s
}

func cat(parts ...[]abi.CoreType) []abi.CoreType {
	var out []abi.CoreType
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func TestSignatures(t *testing.T) {
	iface := load(t, funcsWIT).Interface("funcs")
	require.NotNil(t, iface)
	type S = abi.Signature
	ptr := flat(i32)
	tests := []struct {
		name       string
		lower      S
		lift       S
		taskReturn *S // checked for async functions only
		postReturn bool
	}{
		// 16 flat params stay flat; 17 go through one pointer.
		{name: "p16", lower: S{Params: rep(i32, 16)}, lift: S{Params: rep(i32, 16)}},
		{name: "p17",
			lower: S{Params: ptr, IndirectParams: true},
			lift:  S{Params: ptr, IndirectParams: true}},
		// A sync import returning a string gets a retptr after the 16
		// flat params; a sync export returns a pointer.
		{name: "p16-str",
			lower:      S{Params: cat(rep(i64, 16), ptr), RetPtr: true},
			lift:       S{Params: rep(i64, 16), Results: ptr, IndirectResult: true},
			postReturn: true},
		{name: "p17-str",
			lower:      S{Params: flat(i32, i32), IndirectParams: true, RetPtr: true},
			lift:       S{Params: ptr, IndirectParams: true, Results: ptr, IndirectResult: true},
			postReturn: true},
		{name: "none"},
		{name: "get-u32", lower: S{Results: flat(i32)}, lift: S{Results: flat(i32)}},
		{name: "get-str",
			lower:      S{Params: ptr, RetPtr: true},
			lift:       S{Results: ptr, IndirectResult: true},
			postReturn: true},
		{name: "get-wide",
			lower:      S{Params: ptr, RetPtr: true},
			lift:       S{Results: ptr, IndirectResult: true},
			postReturn: true},
		{name: "get-f64", lower: S{Params: flat(f32), Results: flat(f64)}, lift: S{Params: flat(f32), Results: flat(f64)}},
		// Methods take self (a borrow, one i32) first.
		{name: "[method]thing.get", lower: S{Params: ptr, Results: flat(i32)}, lift: S{Params: ptr, Results: flat(i32)}},

		// Async lower: at most 4 flat params, result via retptr, one
		// i32 status. Async lift (callback): one i32 result.
		{name: "a0", lower: S{Results: flat(i32)}, lift: S{Results: flat(i32)}, taskReturn: &S{}},
		{name: "a4",
			lower:      S{Params: flat(i32, i32, i64, f32), Results: flat(i32)},
			lift:       S{Params: flat(i32, i32, i64, f32), Results: flat(i32)},
			taskReturn: &S{}},
		{name: "a5",
			lower:      S{Params: flat(i32, i32), IndirectParams: true, RetPtr: true, Results: flat(i32)},
			lift:       S{Params: rep(i32, 5), Results: flat(i32)},
			taskReturn: &S{Params: flat(i32)}},
		{name: "a4-str",
			lower:      S{Params: flat(i32, i32, i32, f64, i32), RetPtr: true, Results: flat(i32)},
			lift:       S{Params: flat(i32, i32, i32, f64), Results: flat(i32)},
			taskReturn: &S{Params: flat(i32, i32)}},
		{name: "a17",
			lower:      S{Params: ptr, IndirectParams: true, Results: flat(i32)},
			lift:       S{Params: ptr, IndirectParams: true, Results: flat(i32)},
			taskReturn: &S{}},
		// task.return takes up to 16 flat values, else one pointer.
		{name: "ret16",
			lower:      S{Params: ptr, RetPtr: true, Results: flat(i32)},
			lift:       S{Results: flat(i32)},
			taskReturn: &S{Params: rep(i32, 16)}},
		{name: "ret17",
			lower:      S{Params: ptr, RetPtr: true, Results: flat(i32)},
			lift:       S{Results: flat(i32)},
			taskReturn: &S{Params: ptr, IndirectParams: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := iface.Function(tt.name)
			require.NotNil(t, f)
			assert.Equal(t, tt.lower, norm(abi.Lower(f)), "lower")
			assert.Equal(t, tt.lift, norm(abi.Lift(f)), "lift")
			if tt.taskReturn != nil {
				assert.Equal(t, *tt.taskReturn, norm(abi.TaskReturn(f)), "task.return")
			}
			assert.Equal(t, tt.postReturn, abi.PostReturn(f), "post-return")
		})
	}
}

func TestNeedsAsync(t *testing.T) {
	iface := load(t, funcsWIT).Interface("streams")
	require.NotNil(t, iface)
	tests := []struct {
		name string
		want bool
	}{
		{"plain", false},
		{"takes-stream", true},
		{"returns-future", true},
		{"nested", true},
		{"in-result", true},
		{"async-plain", true},
		{"borrows", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := iface.Function(tt.name)
			require.NotNil(t, f)
			assert.Equal(t, tt.want, abi.NeedsAsync(f))
		})
	}
}

func TestContains(t *testing.T) {
	types := typesIface(t)
	streams := load(t, funcsWIT).Interface("streams")
	require.NotNil(t, streams)
	nested := streams.Function("nested").Params[0].Type
	borrows := streams.Function("borrows")

	for _, name := range []string{"stream-u8", "stream-bare", "future-str", "future-bare"} {
		assert.True(t, abi.ContainsAsyncValue(typeNamed(t, types, name)), name)
	}
	assert.True(t, abi.ContainsAsyncValue(nested))
	assert.True(t, abi.ContainsAsyncValue(&wit.Map{Key: wit.String, Value: &wit.Stream{}}))
	for _, name := range []string{"pad", "v-nested", "res-str-u64", "own-res", "borrow-res", "err-ctx", "fl9", "e2"} {
		assert.False(t, abi.ContainsAsyncValue(typeNamed(t, types, name)), name)
	}

	assert.True(t, abi.ContainsBorrow(typeNamed(t, types, "borrow-res")))
	assert.True(t, abi.ContainsBorrow(borrows.Params[0].Type), "tuple")
	assert.True(t, abi.ContainsBorrow(borrows.Params[1].Type), "option")
	assert.False(t, abi.ContainsBorrow(borrows.Params[2].Type), "own")
	assert.False(t, abi.ContainsBorrow(typeNamed(t, types, "own-res")))
	assert.False(t, abi.ContainsBorrow(nested))
}

func TestWorldNeedsAsync(t *testing.T) {
	pkg := load(t, funcsWIT)
	tests := []struct {
		world string
		want  bool
	}{
		{"sync-w", false},
		{"async-export-func", true},
		{"async-import-func", true},
		{"async-import-iface", true},
		{"stream-export-iface", true},
	}
	for _, tt := range tests {
		t.Run(tt.world, func(t *testing.T) {
			w := pkg.World(tt.world)
			require.NotNil(t, w)
			assert.Equal(t, tt.want, abi.WorldNeedsAsync(w))
		})
	}
}
