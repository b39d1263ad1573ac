package component

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testModule encodes a module with one imported function, one imported
// memory, two function bodies (3 and 5 bytes), a data section and a name
// section that names the import and the first body only.
func testModule() []byte {
	var imports wire
	imports.u32(2)
	imports.str("env")
	imports.str("f")
	imports.byte(0)
	imports.u32(0)
	imports.str("env")
	imports.str("mem")
	imports.byte(2, 1)
	imports.u32(1)
	imports.u32(2)
	var code wire
	code.u32(2)
	code.u32(3)
	code.byte(0, 0x01, 0x0b)
	code.u32(5)
	code.byte(0, 0x01, 0x01, 0x01, 0x0b)
	var fnames wire
	fnames.u32(2)
	fnames.u32(0)
	fnames.str("env.f")
	fnames.u32(1)
	fnames.str("net_http.__Transport_.roundTrip")
	var names wire
	names.byte(0) // module name subsection, skipped
	names.u32(2)
	names.str("m")
	names.byte(1)
	names.u32(uint32(len(fnames)))
	names = append(names, fnames...)

	m := wire("\x00asm\x01\x00\x00\x00")
	m.section(2, imports)
	m.section(10, code)
	m.section(11, []byte{0, 1, 2, 3})
	m = append(m, customSection("name", names)...)
	return m
}

func TestCodeSizes(t *testing.T) {
	funcs, data, err := CodeSizes(testModule())
	require.NoError(t, err)
	assert.Equal(t, map[string]int{"net_http.__Transport_.roundTrip": 3, "func[2]": 5}, funcs)
	assert.Equal(t, 4, data)

	secs, err := Sections(testModule())
	require.NoError(t, err)
	require.Len(t, secs, 4)
	assert.Equal(t, "name", secs[3].Name)
}

func TestExports(t *testing.T) {
	var exports wire
	exports.u32(2)
	exports.str("wasi:http/handler@0.3.0#handle")
	exports.byte(0)
	exports.u32(1)
	exports.str("memory")
	exports.byte(2)
	exports.u32(0)
	m := wire("\x00asm\x01\x00\x00\x00")
	m.section(7, exports)
	names, err := Exports(m)
	require.NoError(t, err)
	assert.Equal(t, []string{"wasi:http/handler@0.3.0#handle", "memory"}, names)

	_, err = Exports(m[:len(m)-3])
	assert.Error(t, err, "truncated")
}

func TestCodeSizesRejectsTruncatedModules(t *testing.T) {
	m := testModule()
	for _, cut := range []int{0, 4, 9, 20, len(m) - 1} {
		_, _, err := CodeSizes(m[:cut])
		assert.Error(t, err, "cut at %d", cut)
	}
}

func TestGoPackage(t *testing.T) {
	for fn, want := range map[string]string{
		"net_http.__Transport_.roundTrip":                               "net_http",
		"runtime.mallocgc":                                              "runtime",
		"github.com_spin_go_sdk_http.Handle":                            "github.com_spin_go_sdk_http",
		"go.bytecodealliance.org_pkg_wit_types.Result_go.shape.int_":    "go.bytecodealliance.org_pkg_wit_types",
		"internal_sync.__HashTrieMap_go.shape._internal_abi.Type_.init": "internal_sync",
		"vendor_golang.org_x_crypto_cryptobyte.__String_.ReadASN1":      "vendor_golang.org_x_crypto_cryptobyte",
		"type_.eq.sync.poolLocal":                                       "type_",
		"func[12]":                                                      "",
		"wasm_pc_f_loop":                                                "",
	} {
		assert.Equal(t, want, GoPackage(fn), fn)
	}
	assert.Equal(t, "github.com_spin_go_sdk_imports", MangleGoPath("github.com/spin-go/sdk/imports"))
	assert.Equal(t, "net_http", MangleGoPath("net/http"))
}
