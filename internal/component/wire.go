// Package component writes WebAssembly component-model binaries: the
// `component-type` custom section that carries a world's type inside a core
// module (what wit-component reads to make a component), following
// component-model/design/mvp/Binary.md.
package component

// wire is an append-only byte buffer with the LEB128 and name encodings the
// binary format uses.
type wire []byte

func (w *wire) byte(b ...byte) { *w = append(*w, b...) }

// u32 appends an unsigned LEB128.
func (w *wire) u32(v uint32) {
	for {
		b := byte(v & 0x7f)
		v >>= 7
		if v != 0 {
			b |= 0x80
		}
		*w = append(*w, b)
		if v == 0 {
			return
		}
	}
}

// s33 appends a signed LEB128. Value types are read as s33 so that
// negative values can denote primitives: a type index of 64 or more needs
// an extra byte that an unsigned encoding would not add.
func (w *wire) s33(v int64) {
	for {
		b := byte(v & 0x7f)
		v >>= 7
		done := v == 0 && b&0x40 == 0 || v == -1 && b&0x40 != 0
		if !done {
			b |= 0x80
		}
		*w = append(*w, b)
		if done {
			return
		}
	}
}

// str appends a name: its byte length, then its UTF-8 bytes.
func (w *wire) str(s string) {
	w.u32(uint32(len(s)))
	*w = append(*w, s...)
}

// vec appends a count followed by already-encoded items.
func (w *wire) vec(items [][]byte) {
	w.u32(uint32(len(items)))
	for _, it := range items {
		*w = append(*w, it...)
	}
}

// section appends a section: id, byte size, contents.
func (w *wire) section(id byte, contents []byte) {
	w.byte(id)
	w.u32(uint32(len(contents)))
	*w = append(*w, contents...)
}

// customSection encodes a custom section (id 0) with a name.
func customSection(name string, data []byte) []byte {
	var body wire
	body.str(name)
	body = append(body, data...)
	var w wire
	w.section(0, body)
	return w
}

// Component preamble: magic, the pre-standard version 0x0d and layer 1.
var preamble = []byte{0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00}

// Binary.md opcodes used here.
const (
	secCustom = 0
	secType   = 7
	secExport = 11

	declCoreType = 0x00
	declType     = 0x01
	declAlias    = 0x02
	declImport   = 0x03
	declExport   = 0x04

	sortType = 0x03

	aliasExport = 0x00
	aliasOuter  = 0x02

	externFunc      = 0x01
	externType      = 0x03
	externComponent = 0x04
	externInstance  = 0x05

	boundEq          = 0x00
	boundSubResource = 0x01

	typeRecord    = 0x72
	typeVariant   = 0x71
	typeList      = 0x70
	typeFixedList = 0x67
	typeTuple     = 0x6f
	typeFlags     = 0x6e
	typeEnum      = 0x6d
	typeOption    = 0x6b
	typeResult    = 0x6a
	typeOwn       = 0x69
	typeBorrow    = 0x68
	typeStream    = 0x66
	typeFuture    = 0x65
	typeMap       = 0x63

	typeFunc      = 0x40
	typeFuncAsync = 0x43
	typeComponent = 0x41
	typeInstance  = 0x42
)

// nameAttrs encodes a plain name attribute list (Binary.md nameattributes,
// the 0x00 form every decoder accepts).
func nameAttrs(name string) []byte {
	var w wire
	w.byte(0x00)
	w.str(name)
	return w
}
