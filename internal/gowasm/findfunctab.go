package gowasm

import (
	"bytes"
	"encoding/binary"
	"fmt"

	"github.com/spin-go/sdk/internal/component"
)

// The Go 1.20+ layout on wasm (8-byte pointers), from runtime/symtab.go and
// cmd/link/internal/ld/{pcln,symtab}.go.
const (
	// pcHeader: magic 0xfffffff1, pad1 = pad2 = 0, minLC = 1, ptrSize = 8.
	pcHeaderStart = "\xf1\xff\xff\xff\x00\x00\x01\x08"

	hdrNfunc          = 8
	hdrFuncnameOffset = 32
	hdrCuOffset       = 40
	hdrFiletabOffset  = 48
	hdrPctabOffset    = 56
	hdrPclnOffset     = 64

	// runtime.moduledata: the pcHeader pointer, six slices (pointer,
	// length, capacity), findfunctab, minpc, maxpc, then 20 addresses of
	// which epclntab is the last.
	mdFuncnametab = 8
	mdCutab       = 32
	mdFiletab     = 56
	mdPctab       = 80
	mdPclntable   = 104
	mdFtab        = 128
	mdFtabLen     = 136
	mdFindfunctab = 152
	mdMinpc       = 160
	mdMaxpc       = 168
	mdEpclntab    = 328

	// findfunctab has one 20-byte bucket (a uint32 index and 16 one-byte
	// deltas) for every bucketSize bytes of PC, with the last bucket cut
	// short to the subbuckets that cover maxpc.
	bucketSize    = 4096
	subbucketSize = bucketSize / 16
)

// Stats says what DropFindFuncTab removed.
type Stats struct {
	// TableBytes is the size of runtime.findfunctab in memory.
	TableBytes int
	// SegmentsBefore and SegmentsAfter count the data segments.
	SegmentsBefore, SegmentsAfter int
}

// DropFindFuncTab returns the module without the initial contents of
// runtime.findfunctab, for a program whose runtime does not read it (the
// findfunc patch in internal/stdpatch, with build tag
// stdpatch.NoFindFuncTabTag). The table's memory then starts zero, like
// any other unused memory.
//
// On wasm the table is most of a Go module's data: a function's PCs are
// its index shifted left by 16, so each function spans 16 buckets, and
// the linker writes nearly every bucket as a data segment of its own
// (the rest of a bucket is zero). The hello-world loses 0.75 MB of
// initialised memory and 37,000 of its 41,000 segments.
//
// The table is found through runtime.firstmoduledata, which points at it:
// the pcHeader (by its magic) gives the address that moduledata starts
// with, and the other pclntab slices in moduledata must agree with the
// pcHeader's offsets, and the table must end where pclntab ends, before
// anything is dropped. A module that does not match is an error, and the
// caller keeps it as it is.
func DropFindFuncTab(wasm []byte) ([]byte, Stats, error) {
	segs, err := component.DataSegments(wasm)
	if err != nil {
		return nil, Stats{}, err
	}
	from, to, err := findFuncTab(memory(component.SortSegments(segs)))
	if err != nil {
		return nil, Stats{}, err
	}
	kept := cut(segs, from, to)
	out, err := component.WithData(wasm, kept)
	if err != nil {
		return nil, Stats{}, err
	}
	return out, Stats{TableBytes: int(to - from), SegmentsBefore: len(segs), SegmentsAfter: len(kept)}, nil
}

// findFuncTab returns the memory range of runtime.findfunctab.
func findFuncTab(mem memory) (from, to uint64, err error) {
	// Searched in the memory image: Go's linker starts a new segment
	// after 8 zero bytes, so a value may begin or end between segments.
	base, image := mem.image()
	var found []uint64
	var why []string
	for _, hdr := range indexAll(image, []byte(pcHeaderStart)) {
		md, err := findModuledata(mem, base, image, base+hdr)
		if err != nil {
			why = append(why, fmt.Sprintf("pcHeader candidate at %#x: %v", base+hdr, err))
			continue
		}
		found = append(found, md)
	}
	switch {
	case len(found) == 0 && len(why) == 0:
		return 0, 0, fmt.Errorf("no Go pclntab header (magic %x with pointer size 8) in the data: not a module from Go 1.20 or later", pcHeaderStart[:4])
	case len(found) == 0:
		return 0, 0, fmt.Errorf("no runtime.moduledata matches the pclntab header: %s", why[0])
	case len(found) > 1:
		return 0, 0, fmt.Errorf("%d places look like runtime.moduledata; expected one", len(found))
	}
	md := found[0]
	table := mem.u64(md + mdFindfunctab)
	minpc, maxpc := mem.u64(md+mdMinpc), mem.u64(md+mdMaxpc)
	if maxpc <= minpc {
		return 0, 0, fmt.Errorf("runtime.moduledata at %#x: maxpc %#x is not above minpc %#x", md, maxpc, minpc)
	}
	span := maxpc - minpc
	nbuckets := (span + bucketSize - 1) / bucketSize
	size := 4*nbuckets + (span+subbucketSize-1)/subbucketSize
	// The linker places findfunctab last in pclntab.
	if epclntab := mem.u64(md + mdEpclntab); table+size != epclntab {
		return 0, 0, fmt.Errorf("runtime.findfunctab at %#x with %d bytes for PCs %#x-%#x ends at %#x, not where pclntab ends (%#x)",
			table, size, minpc, maxpc, table+size, epclntab)
	}
	// Each bucket starts with the index of its first function: they
	// never decrease and stay below the number of functions. (This also
	// refuses a table that is already gone: all zeros.)
	if table < base || table+size > base+uint64(len(image)) {
		return 0, 0, fmt.Errorf("runtime.findfunctab at %#x (%d bytes) is outside the initialised memory %#x-%#x", table, size, base, base+uint64(len(image)))
	}
	buckets := image[table-base : table-base+size]
	nfunc := mem.u64(md+mdFtabLen) - 1
	prev := uint32(0)
	for b := uint64(0); b < nbuckets; b++ {
		idx := binary.LittleEndian.Uint32(buckets[b*20:])
		if idx < prev || uint64(idx) >= nfunc {
			return 0, 0, fmt.Errorf("runtime.findfunctab at %#x: bucket %d holds function index %d after %d, of %d functions", table, b, idx, prev, nfunc)
		}
		prev = idx
	}
	// On wasm every function spans 16 buckets, so the last bucket starts
	// in the last function.
	if uint64(prev) != nfunc-1 {
		return 0, 0, fmt.Errorf("runtime.findfunctab at %#x: the last bucket holds function index %d, which does not reach the last function (%d)", table, prev, nfunc-1)
	}
	return table, table + size, nil
}

// findModuledata returns the address of the runtime.moduledata whose
// pcHeader pointer is hdr, checking its pclntab slices against the header.
func findModuledata(mem memory, base uint64, image []byte, hdr uint64) (uint64, error) {
	var ptr [8]byte
	binary.LittleEndian.PutUint64(ptr[:], hdr)
	var found []uint64
	var mismatch error
	for _, at := range indexAll(image, ptr[:]) {
		md := base + at
		if md%8 != 0 {
			continue // moduledata is pointer-aligned
		}
		if err := checkModuledata(mem, md, hdr); err != nil {
			mismatch = err
			continue
		}
		found = append(found, md)
	}
	switch {
	case len(found) == 1:
		return found[0], nil
	case len(found) > 1:
		return 0, fmt.Errorf("%d runtime.moduledata candidates point at it", len(found))
	case mismatch != nil:
		return 0, mismatch
	}
	return 0, fmt.Errorf("nothing in the data points at it")
}

// indexAll returns the offsets of every occurrence of sep in b.
func indexAll(b, sep []byte) []uint64 {
	var out []uint64
	for i := 0; ; {
		j := bytes.Index(b[i:], sep)
		if j < 0 {
			return out
		}
		out = append(out, uint64(i+j))
		i += j + 1
	}
}

// checkModuledata compares the pclntab slices of a moduledata candidate
// with the offsets in the pcHeader at hdr.
func checkModuledata(mem memory, md, hdr uint64) error {
	checks := []struct {
		name      string
		field     uint64
		hdrOffset uint64
	}{
		{"funcnametab", mdFuncnametab, hdrFuncnameOffset},
		{"cutab", mdCutab, hdrCuOffset},
		{"filetab", mdFiletab, hdrFiletabOffset},
		{"pctab", mdPctab, hdrPctabOffset},
		{"pclntable", mdPclntable, hdrPclnOffset},
		{"ftab", mdFtab, hdrPclnOffset},
	}
	for _, c := range checks {
		if got, want := mem.u64(md+c.field), hdr+mem.u64(hdr+c.hdrOffset); got != want {
			return fmt.Errorf("moduledata candidate at %#x: %s at %#x, but the pcHeader says %#x", md, c.name, got, want)
		}
	}
	if n, nfunc := mem.u64(md+mdFtabLen), mem.u64(hdr+hdrNfunc); n != nfunc+1 {
		return fmt.Errorf("moduledata candidate at %#x: ftab has %d entries, but the pcHeader counts %d functions (want one more)", md, n, nfunc)
	}
	return nil
}
