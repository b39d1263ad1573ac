package component

import (
	"encoding/binary"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rawModule builds a core module from sections given as id, body pairs.
func rawModule(sections ...[]byte) []byte {
	out := []byte("\x00asm\x01\x00\x00\x00")
	for i := 0; i < len(sections); i += 2 {
		out = append(out, sections[i][0])
		out = binary.AppendUvarint(out, uint64(len(sections[i+1])))
		out = append(out, sections[i+1]...)
	}
	return out
}

func TestDataSegments(t *testing.T) {
	// A custom section before and after, and two segments, the second at
	// an address whose LEB128 sets the sign bit of its first byte (0x40).
	module := rawModule(
		[]byte{0}, []byte("\x04head"),
		[]byte{11}, []byte{2, 0, 0x41, 0x10, 0x0b, 2, 1, 2, 0, 0x41, 0xc0, 0x00, 0x0b, 1, 9},
		[]byte{0}, []byte("\x04tail!"),
	)
	segs, err := DataSegments(module)
	require.NoError(t, err)
	assert.Equal(t, []Segment{{0x10, []byte{1, 2}}, {0x40, []byte{9}}}, segs)

	// Written back as they are, the module is the same bytes.
	same, err := WithData(module, segs)
	require.NoError(t, err)
	assert.Equal(t, module, same)

	// Replaced: the other sections stay, in place.
	out, err := WithData(module, []Segment{{0x7fff_ffff, []byte{7}}, {0x20, nil}})
	require.NoError(t, err)
	got, err := DataSegments(out)
	require.NoError(t, err)
	assert.Equal(t, []Segment{{0x7fff_ffff, []byte{7}}, {0x20, []byte{}}}, got)
	secs, err := Sections(out)
	require.NoError(t, err)
	require.Len(t, secs, 3)
	assert.Equal(t, "head", secs[0].Name)
	assert.Equal(t, "tail", secs[2].Name)
	assert.Equal(t, []byte("!"), secs[2].Body)

	assert.Equal(t, []Segment{{0x20, nil}, {0x7fff_ffff, []byte{7}}}, SortSegments([]Segment{{0x7fff_ffff, []byte{7}}, {0x20, nil}}))
}

func TestDataSegmentsErrors(t *testing.T) {
	tests := []struct {
		name   string
		module []byte
		want   string
	}{
		{"not wasm", []byte("hello"), "not a core WebAssembly module"},
		{"no data", rawModule(), "no data section"},
		{"passive segment", rawModule([]byte{11}, []byte{1, 1, 0}), "segment 0: mode 1"},
		{"other address expression", rawModule([]byte{11}, []byte{1, 0, 0x23, 0, 0x0b, 0}), "want i32.const"},
		{"longer address expression", rawModule([]byte{11}, []byte{1, 0, 0x41, 0, 0x41, 0x0b, 0}), "more than i32.const"},
		{"overlapping segments", rawModule([]byte{11}, []byte{2, 0, 0x41, 16, 0x0b, 4, 1, 2, 3, 4, 0, 0x41, 14, 0x0b, 4, 1, 1, 1, 1}), "the segment at 0x10 overlaps the one at 0xe"},
		{"truncated", rawModule([]byte{11}, []byte{1, 0, 0x41, 16, 0x0b, 4, 1}), "malformed length"},
		{"bytes after", rawModule([]byte{11}, []byte{0, 5}), "1 stray byte(s) after the last segment"},
		{"data count", rawModule([]byte{12}, []byte{0}, []byte{11}, []byte{0}), "DataCount"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DataSegments(tt.module)
			assert.ErrorContains(t, err, tt.want)
			_, err = WithData(tt.module, nil)
			assert.ErrorContains(t, err, tt.want)
		})
	}
}
