package component

import (
	"encoding/hex"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spin-go/sdk/internal/wit"
)

func TestLEB(t *testing.T) {
	for _, tc := range []struct {
		v    uint32
		want string
	}{{0, "00"}, {63, "3f"}, {64, "40"}, {127, "7f"}, {128, "8001"}, {624485, "e58e26"}, {0xffffffff, "ffffffff0f"}} {
		var w wire
		w.u32(tc.v)
		assert.Equal(t, tc.want, hex.EncodeToString(w), "u32 %d", tc.v)
	}
	// Value types are s33: indices 64..127 need two bytes so that they are
	// not read as the negative opcodes of primitive types.
	for _, tc := range []struct {
		v    int64
		want string
	}{{0, "00"}, {63, "3f"}, {64, "c000"}, {127, "ff00"}, {128, "8001"}, {-1, "7f"}, {-64, "40"}, {-65, "bf7f"}} {
		var w wire
		w.s33(tc.v)
		assert.Equal(t, tc.want, hex.EncodeToString(w), "s33 %d", tc.v)
	}
}

func world(t *testing.T, src, name string) *wit.World {
	r, err := wit.LoadSource(map[string]string{"w.wit": src}, wit.Options{})
	require.NoError(t, err)
	w, err := r.World(name)
	require.NoError(t, err)
	return w
}

// TestEncodeSmallWorld checks the bytes of a tiny world against Binary.md
// by hand.
func TestEncodeSmallWorld(t *testing.T) {
	w := world(t, "package test:t;\nworld w { export run: func() -> string; }", "w")
	got, err := EncodeWorld(w)
	require.NoError(t, err)
	want := strings.Join([]string{
		"41 02",                 // component type, 2 declarations
		"01 40 00 00 73",        // type: func, no params, result string
		"04 00 03 72756e 01 00", // export "run" (func (type 0))
	}, " ")
	assert.Equal(t, strings.ReplaceAll(want, " ", ""), hex.EncodeToString(got))
}

// TestEncodeInterfaceWithUsedTypes checks the alias structure: a type of
// one interface reaches another through `alias export` in the world and
// `alias outer` in the instance.
func TestEncodeInterfaceWithUsedTypes(t *testing.T) {
	w := world(t, `package test:t;
interface a { record r { x: u32 } }
interface b { use a.{r}; f: func(v: r) -> list<r>; }
world w { import b; }`, "w")
	got, err := EncodeWorld(w)
	require.NoError(t, err)
	h := hex.EncodeToString(got)
	// instance a: (type record (field "x" u32)) (export "r" (type (eq 0)))
	assert.Contains(t, h, "01"+"42"+"02"+"01"+"72"+"01"+"0178"+"79"+"04"+"00"+"0172"+"03"+"00"+"00")
	// the world aliases r out of instance 0, then instance b aliases it in
	assert.Contains(t, h, "02"+"03"+"00"+"00"+"0172") // alias export 0 "r" (type)
	assert.Contains(t, h, "02"+"03"+"02"+"01"+"01")   // alias outer 1 1 (type)
}

func TestTypeSectionHeader(t *testing.T) {
	w := world(t, "package test:t@1.0.0;\nworld w { export run: func(); }", "w")
	sec, err := TypeSection(w)
	require.NoError(t, err)
	assert.Equal(t, preamble, sec[:8])
	assert.Contains(t, string(sec), "wit-component-encoding\x04\x00")
	assert.Contains(t, string(sec), "test:t/w@1.0.0")
	core := []byte{0, 'a', 's', 'm', 1, 0, 0, 0}
	out, err := Embed(core, w)
	require.NoError(t, err)
	assert.Equal(t, core, out[:8])
	assert.Contains(t, string(out), "component-type:spin-go:test:t/w@1.0.0")
}
