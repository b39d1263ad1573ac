package component

import (
	"errors"
	"fmt"
	"strings"
)

// Section is one section of a core WebAssembly module.
type Section struct {
	ID   byte   // 0 custom, 1 type, 2 import, ... 10 code, 11 data
	Name string // custom sections only
	Body []byte // the contents after the id and size (and, for custom sections, the name)
}

// Sections splits a core module into its sections.
func Sections(module []byte) ([]Section, error) {
	if len(module) < 8 || string(module[:4]) != "\x00asm" || module[4] != 1 {
		return nil, errors.New("not a core WebAssembly module (bad magic or version)")
	}
	r := reader{b: module, off: 8}
	var out []Section
	for r.off < len(r.b) {
		at := r.off
		id := r.byte()
		n := int(r.u32())
		body := r.bytes(n)
		if r.err != nil {
			return nil, fmt.Errorf("section at byte %d: %w", at, r.err)
		}
		s := Section{ID: id, Body: body}
		if id == 0 {
			cr := reader{b: body}
			s.Name = cr.name()
			if cr.err != nil {
				return nil, fmt.Errorf("custom section at byte %d: %w", at, cr.err)
			}
			s.Body = body[cr.off:]
		}
		out = append(out, s)
	}
	return out, nil
}

// CodeSizes attributes a module's bytes to functions: it returns the size
// of each function body keyed by the function's name from the "name"
// custom section ("func[N]" when the module has no name for it), and the
// total size of the data section. GoPackage maps Go's names to packages;
// a module built with -ldflags=-s has no names.
func CodeSizes(module []byte) (funcs map[string]int, data int, err error) {
	secs, err := Sections(module)
	if err != nil {
		return nil, 0, err
	}
	var imported uint32
	names := map[uint32]string{}
	var bodies []int
	for _, s := range secs {
		r := reader{b: s.Body}
		switch {
		case s.ID == 2: // imports: functions among them take the first indices
			for n := r.u32(); n > 0 && r.err == nil; n-- {
				r.name()
				r.name()
				switch kind := r.byte(); kind {
				case 0: // func: type index
					r.u32()
					imported++
				case 1: // table: reftype, limits
					r.byte()
					r.limits()
				case 2: // memory: limits
					r.limits()
				case 3: // global: valtype, mut
					r.byte()
					r.byte()
				default:
					r.fail(fmt.Sprintf("import kind %d", kind))
				}
			}
		case s.ID == 10:
			for n := r.u32(); n > 0 && r.err == nil; n-- {
				size := int(r.u32())
				r.bytes(size)
				bodies = append(bodies, size)
			}
		case s.ID == 11:
			data += len(s.Body)
		case s.ID == 0 && s.Name == "name":
			for r.off < len(r.b) && r.err == nil {
				sub := r.byte()
				sr := reader{b: r.bytes(int(r.u32()))}
				if sub != 1 { // 1 = function names
					continue
				}
				for n := sr.u32(); n > 0 && sr.err == nil; n-- {
					idx := sr.u32()
					names[idx] = sr.name()
				}
				r.err = sr.err
			}
		}
		if r.err != nil {
			return nil, 0, fmt.Errorf("section %d %s: %w", s.ID, s.Name, r.err)
		}
	}
	funcs = make(map[string]int, len(bodies))
	for i, size := range bodies {
		idx := imported + uint32(i)
		name, ok := names[idx]
		if !ok {
			name = fmt.Sprintf("func[%d]", idx)
		}
		funcs[name] += size
	}
	return funcs, data, nil
}

// Exports lists the names a core module exports.
func Exports(module []byte) ([]string, error) {
	secs, err := Sections(module)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, s := range secs {
		if s.ID != 7 {
			continue
		}
		r := reader{b: s.Body}
		for n := r.u32(); n > 0 && r.err == nil; n-- {
			names = append(names, r.name())
			r.byte() // kind
			r.u32()  // index
		}
		if r.err != nil {
			return nil, fmt.Errorf("export section: %w", r.err)
		}
	}
	return names, nil
}

// GoPackage returns the package part of a function name in a Go wasm
// module's name section, where Go writes "net/http.(*Transport).roundTrip"
// as "net_http.__Transport_.roundTrip": every byte other than letters,
// digits and '.' becomes '_'. The package is what precedes the first '.'
// that is not inside a domain name (github.com_..., golang.org_...). It
// returns "" for names that are not Go's (func[N], wasm helpers).
func GoPackage(fn string) string {
	for i := 0; i < len(fn); i++ {
		if fn[i] != '.' {
			continue
		}
		if i == 0 {
			return ""
		}
		rest := fn[i+1:]
		word := rest[:strings.IndexFunc(rest+"_", func(r rune) bool { return r == '_' || r == '.' })]
		if domainWords[word] && len(rest) > len(word) {
			continue
		}
		return fn[:i]
	}
	return ""
}

// domainWords are the name parts after a '.' that continue a module path
// (github.com, golang.org, go.bytecodealliance.org) rather than end it.
var domainWords = map[string]bool{"com": true, "org": true, "io": true, "net": true, "dev": true, "bytecodealliance": true, "in": true}

// MangleGoPath writes an import path the way GoPackage returns it.
func MangleGoPath(path string) string {
	return strings.Map(func(r rune) rune {
		if r == '.' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return '_'
	}, path)
}

// reader decodes the LEB128 and vector encodings of the binary format; the
// first error sticks and later reads return zero values.
type reader struct {
	b   []byte
	off int
	err error
}

func (r *reader) fail(what string) {
	if r.err == nil {
		r.err = fmt.Errorf("malformed %s at offset %d", what, r.off)
	}
}

func (r *reader) byte() byte {
	if r.err != nil || r.off >= len(r.b) {
		r.fail("byte")
		return 0
	}
	r.off++
	return r.b[r.off-1]
}

func (r *reader) u32() uint32 {
	var v uint32
	for shift := 0; shift < 35; shift += 7 {
		c := r.byte()
		if r.err != nil {
			return 0
		}
		v |= uint32(c&0x7f) << shift
		if c&0x80 == 0 {
			return v
		}
	}
	r.fail("u32")
	return 0
}

// s32 reads a signed LEB128 32-bit integer (an i32.const immediate).
func (r *reader) s32() int32 {
	var v int64
	for shift := 0; shift < 35; shift += 7 {
		c := r.byte()
		if r.err != nil {
			return 0
		}
		v |= int64(c&0x7f) << shift
		if c&0x80 == 0 {
			if c&0x40 != 0 {
				v |= -1 << (shift + 7) // sign-extend
			}
			return int32(v)
		}
	}
	r.fail("s32")
	return 0
}

func (r *reader) bytes(n int) []byte {
	if r.err != nil || n < 0 || n > len(r.b)-r.off {
		r.fail("length")
		return nil
	}
	r.off += n
	return r.b[r.off-n : r.off]
}

func (r *reader) name() string { return string(r.bytes(int(r.u32()))) }

func (r *reader) limits() {
	flags := r.byte()
	r.u32()
	if flags&1 != 0 {
		r.u32()
	}
}
