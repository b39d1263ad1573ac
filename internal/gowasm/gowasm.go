// Package gowasm rewrites the data that Go's linker puts into a wasm
// module's memory.
//
// Go's linker writes the initial memory as active data segments and starts
// a new segment wherever more than 8 zero bytes follow each other. The one
// rewrite here, DropFindFuncTab, leaves out runtime.findfunctab, a table
// that the componentize-go runtime patch no longer reads (see
// internal/stdpatch). Every other section is kept byte for byte
// (internal/component reads and writes the data section).
package gowasm

import (
	"encoding/binary"
	"sort"

	"github.com/spin-go/sdk/internal/component"
)

// memory reads the initial contents of linear memory from the segments,
// sorted by address: bytes no segment covers are zero.
type memory []component.Segment

func (mem memory) read(addr uint64, n int) []byte {
	out := make([]byte, n)
	// The first segment that ends after addr.
	i := sort.Search(len(mem), func(i int) bool { return end(mem[i]) > addr })
	for ; i < len(mem) && uint64(mem[i].Addr) < addr+uint64(n); i++ {
		s := mem[i]
		from := max(addr, uint64(s.Addr))
		to := min(addr+uint64(n), end(s))
		copy(out[from-addr:to-addr], s.Data[from-uint64(s.Addr):to-uint64(s.Addr)])
	}
	return out
}

// image returns the whole initialised memory and its start address:
// what a search sees, zero runs and segment boundaries included.
func (mem memory) image() (start uint64, image []byte) {
	if len(mem) == 0 {
		return 0, nil
	}
	start = uint64(mem[0].Addr)
	return start, mem.read(start, int(end(mem[len(mem)-1])-start))
}

func (mem memory) u64(addr uint64) uint64 { return binary.LittleEndian.Uint64(mem.read(addr, 8)) }

func end(s component.Segment) uint64 { return uint64(s.Addr) + uint64(len(s.Data)) }

// cut returns the segments, in their order, without the bytes in [from, to).
func cut(segs []component.Segment, from, to uint64) []component.Segment {
	out := make([]component.Segment, 0, len(segs))
	for _, s := range segs {
		start, stop := uint64(s.Addr), end(s)
		if stop <= from || start >= to {
			out = append(out, s)
			continue
		}
		if start < from {
			out = append(out, component.Segment{Addr: s.Addr, Data: s.Data[:from-start]})
		}
		if stop > to {
			out = append(out, component.Segment{Addr: uint32(to), Data: s.Data[to-start:]})
		}
	}
	return out
}
