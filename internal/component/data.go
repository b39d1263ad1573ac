package component

import (
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
)

// Segment is an active data segment of memory 0: Data placed at Addr when
// the module is instantiated.
type Segment struct {
	Addr uint32
	Data []byte
}

// DataSegments returns the segments of a core module's data section. They
// must be what Go's linker writes: active, in memory 0, at an i32.const
// address, none overlapping; anything else is an error naming the segment.
// The segments share memory with module.
func DataSegments(module []byte) ([]Segment, error) {
	secs, err := Sections(module)
	if err != nil {
		return nil, err
	}
	for _, s := range secs {
		switch s.ID {
		case 12:
			// DataCount would have to change with the segments; Go's
			// linker writes none (it uses no passive segments).
			return nil, errors.New("the module has a DataCount section, which Go's linker does not write")
		case 11:
			segs, err := parseData(s.Body)
			if err != nil {
				return nil, fmt.Errorf("data section: %w", err)
			}
			return segs, nil
		}
	}
	return nil, errors.New("the module has no data section")
}

func parseData(body []byte) ([]Segment, error) {
	r := reader{b: body}
	n := r.u32()
	segs := make([]Segment, 0, min(n, uint32(len(body))))
	for i := uint32(0); i < n && r.err == nil; i++ {
		if mode := r.u32(); mode != 0 {
			return nil, fmt.Errorf("segment %d: mode %d; only active segments in memory 0 (mode 0) are supported", i, mode)
		}
		// The address is a constant expression: i32.const N, end.
		if op := r.byte(); op != 0x41 {
			return nil, fmt.Errorf("segment %d: address expression starts with opcode %#x, want i32.const", i, op)
		}
		addr := uint32(r.s32())
		if op := r.byte(); op != 0x0b {
			return nil, fmt.Errorf("segment %d: address expression has more than i32.const (opcode %#x)", i, op)
		}
		data := r.bytes(int(r.u32()))
		segs = append(segs, Segment{addr, data})
	}
	if r.err != nil {
		return nil, r.err
	}
	if r.off != len(body) {
		return nil, fmt.Errorf("%d stray byte(s) after the last segment", len(body)-r.off)
	}
	// Go writes each of its sections' segments in address order, but not
	// the sections (pclntab comes after data): check that none overlap.
	sorted := SortSegments(segs)
	for i := 1; i < len(sorted); i++ {
		prev, s := sorted[i-1], sorted[i]
		if end := uint64(prev.Addr) + uint64(len(prev.Data)); uint64(s.Addr) < end {
			return nil, fmt.Errorf("the segment at %#x overlaps the one at %#x (which ends at %#x)", s.Addr, prev.Addr, end)
		}
	}
	return segs, nil
}

// SortSegments returns a copy of segs in address order.
func SortSegments(segs []Segment) []Segment {
	out := append([]Segment(nil), segs...)
	slices.SortStableFunc(out, func(a, b Segment) int { return cmp.Compare(a.Addr, b.Addr) })
	return out
}

// WithData returns module with its data section holding segs instead;
// every other section is kept byte for byte.
func WithData(module []byte, segs []Segment) ([]byte, error) {
	if _, err := DataSegments(module); err != nil {
		return nil, err
	}
	var body []byte
	body = binary.AppendUvarint(body, uint64(len(segs)))
	for _, s := range segs {
		body = append(body, 0, 0x41) // active in memory 0, i32.const
		body = appendS32(body, int32(s.Addr))
		body = append(body, 0x0b)
		body = binary.AppendUvarint(body, uint64(len(s.Data)))
		body = append(body, s.Data...)
	}
	out := append(make([]byte, 0, len(module)), module[:8]...)
	r := reader{b: module, off: 8}
	for r.off < len(module) {
		start := r.off
		id := r.byte()
		r.bytes(int(r.u32()))
		if id != 11 {
			out = append(out, module[start:r.off]...)
			continue
		}
		out = append(out, 11)
		out = binary.AppendUvarint(out, uint64(len(body)))
		out = append(out, body...)
	}
	return out, r.err
}

func appendS32(b []byte, v int32) []byte {
	x := int64(v)
	for {
		c := byte(x & 0x7f)
		x >>= 7
		if x == 0 && c&0x40 == 0 || x == -1 && c&0x40 != 0 {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}
