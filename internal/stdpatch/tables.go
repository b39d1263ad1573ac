package stdpatch

import (
	"fmt"
	"hash/crc32"
	"strings"
)

// Some standard packages compute constant tables in their initialisers: a
// loop over 256 entries, written into freshly allocated memory. In a
// component that runs in every fresh instance (Spin 3 makes one per
// request), and it is the allocation that costs: often the first object of
// its size class, so a new span, and page faults for the memory written.
// The patches in patches.go that use these functions replace such a table
// by a composite literal that the compiler lays out as static data,
// computed here when the patch is made. The standard library's own tests
// (TestStdTests) and stdlibapp's comparison (internal/e2e) check the values.

// tableLiteral formats words as the elements of a Go composite literal,
// eight to a line.
func tableLiteral[T uint8 | uint32](words []T, digits int) string {
	var b strings.Builder
	for i, w := range words {
		if i%8 == 0 {
			b.WriteString("\n\t")
		} else {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%#0*x,", digits+2, w)
	}
	b.WriteString("\n")
	return b.String()
}

// crc32IEEETable is hash/crc32's IEEETable as a literal of type *Table.
func crc32IEEETable() string {
	t := crc32.MakeTable(crc32.IEEE)
	return "&Table{" + tableLiteral(t[:], 8) + "}"
}

// base64Encoding is an encoding/base64 Encoding for the alphabet and
// padding (a constant of that package) as a literal of type *Encoding: what
// NewEncoding(alphabet).WithPadding(padding) builds.
func base64Encoding(alphabet, padding string) string {
	decode := make([]uint8, 256)
	for i := range decode {
		decode[i] = 0xff
	}
	for i := range len(alphabet) {
		decode[alphabet[i]] = uint8(i)
	}
	return "&Encoding{\n\tencode: [64]byte{" + tableLiteral([]byte(alphabet), 2) + "},\n" +
		"\tdecodeMap: [256]uint8{" + tableLiteral(decode, 2) + "},\n" +
		"\tpadChar: " + padding + ",\n}"
}

// x509DNSCompareTable is crypto/x509's dnsCompareTable as a [256]byte
// literal: ASCII lower-cased, with '.' mapped to 0 so that it sorts first.
func x509DNSCompareTable() string {
	t := make([]byte, 256)
	for i := range t {
		c := byte(i)
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		t[i] = c
	}
	t['.'] = 0
	return "[256]byte{" + tableLiteral(t, 2) + "}"
}
