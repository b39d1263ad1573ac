// Package abi computes the Component Model canonical ABI of resolved WIT
// types and functions: the memory layout of values (size, alignment, field
// and payload offsets), their flattening into core WebAssembly values, and
// the core signatures of lifted and lowered functions.
//
// The bindings generator uses it to emit glue code whose memory layout and
// core signatures match what the host expects, so every rule here mirrors a
// function of the spec's executable reference, definitions.py in the
// component-model repository (CanonicalABI.md), and is cited as such. Only
// 32-bit memories are supported: a pointer is an i32 of 4 bytes.
package abi

import (
	"fmt"

	"github.com/spin-go/sdk/internal/wit"
)

// CoreType is a core WebAssembly value type.
type CoreType uint8

// The core value types a component-level value can flatten to.
const (
	I32 CoreType = iota
	I64
	F32
	F64
)

var coreNames = [...]string{"i32", "i64", "f32", "f64"}

// String returns the WebAssembly text name of the type, e.g. "i32".
func (c CoreType) String() string {
	if int(c) < len(coreNames) {
		return coreNames[c]
	}
	return fmt.Sprintf("CoreType(%d)", c)
}

// ptrSize is ptr_size(ptr_type) for the only memory type supported, i32.
const ptrSize = 4

// kind classifies a despecialized type.
type kind uint8

const (
	kScalar  kind = iota // one core value of a fixed size; align == size
	kString              // (ptr, len)
	kList                // list<elem> (n == 0) or list<elem, n>
	kRecord              // fields in order
	kVariant             // cases in order; a nil case has no payload
	kFlags               // n flags
)

// shape is a type after despecialize: the few structural kinds that the
// layout and flattening rules are written against.
type shape struct {
	kind  kind
	size  uint32     // kScalar: byte size (also the alignment)
	core  CoreType   // kScalar: the single core value
	elem  wit.Type   // kList: element type
	n     uint32     // kList: fixed length, 0 when variable; kFlags: count
	types []wit.Type // kRecord: field types; kVariant: case payloads
}

func scalar(size uint32, core CoreType) shape {
	return shape{kind: kScalar, size: size, core: core}
}

// despecialize mirrors the spec's despecialize: tuples become records,
// enums, options and results become variants, and map<k, v> becomes
// list<tuple<k, v>>. Aliases are followed first, since an alias has no
// representation of its own. Handles (own, borrow), streams, futures and
// error-context values are all i32 table indices, so they are scalars here.
func despecialize(t wit.Type) shape {
	switch t := wit.Dealias(t).(type) {
	case wit.Primitive:
		switch t {
		case wit.Bool, wit.S8, wit.U8:
			return scalar(1, I32)
		case wit.S16, wit.U16:
			return scalar(2, I32)
		case wit.S32, wit.U32, wit.Char, wit.ErrorContext:
			return scalar(4, I32)
		case wit.S64, wit.U64:
			return scalar(8, I64)
		case wit.F32:
			return scalar(4, F32)
		case wit.F64:
			return scalar(8, F64)
		case wit.String:
			return shape{kind: kString}
		}
	case *wit.TypeDef:
		switch k := t.Kind.(type) {
		case *wit.Record:
			ts := make([]wit.Type, len(k.Fields))
			for i, f := range k.Fields {
				ts[i] = f.Type
			}
			return shape{kind: kRecord, types: ts}
		case *wit.Variant:
			ts := make([]wit.Type, len(k.Cases))
			for i, c := range k.Cases {
				ts[i] = c.Type
			}
			return shape{kind: kVariant, types: ts}
		case *wit.Enum:
			// An enum is a variant whose cases have no payload.
			return shape{kind: kVariant, types: make([]wit.Type, len(k.Cases))}
		case *wit.Flags:
			return shape{kind: kFlags, n: uint32(len(k.Flags))}
		case *wit.Resource:
			// A reference to a resource type is an owned handle.
			return scalar(4, I32)
		}
	case *wit.List:
		return shape{kind: kList, elem: t.Elem, n: t.Len}
	case *wit.Option:
		return shape{kind: kVariant, types: []wit.Type{nil, t.Elem}} // none, some
	case *wit.Result:
		return shape{kind: kVariant, types: []wit.Type{t.Ok, t.Err}} // ok, error
	case *wit.Tuple:
		return shape{kind: kRecord, types: t.Types}
	case *wit.Map:
		return shape{kind: kList, elem: &wit.Tuple{Types: []wit.Type{t.Key, t.Value}}}
	case *wit.Borrow, *wit.Future, *wit.Stream:
		return scalar(4, I32)
	}
	panic(fmt.Sprintf("abi: unsupported type %T %v", t, t))
}

// alignTo mirrors align_to: ptr rounded up to a multiple of alignment.
func alignTo(ptr, alignment uint32) uint32 {
	return (ptr + alignment - 1) / alignment * alignment
}

// discriminantSize is the byte size of discriminant_type(cases): the
// smallest of u8, u16 and u32 that can number n cases. The spec computes
// ceil(log2(n)/8), so 256 cases still fit a u8 and 257 need a u16.
func discriminantSize(n int) uint32 {
	switch {
	case n <= 1<<8:
		return 1
	case n <= 1<<16:
		return 2
	}
	return 4
}

// flagsSize mirrors elem_size_flags and alignment_flags, which agree: one
// byte for up to 8 flags, two for up to 16, four for up to 32 (the resolver
// rejects more).
func flagsSize(n uint32) uint32 {
	switch {
	case n <= 8:
		return 1
	case n <= 16:
		return 2
	}
	return 4
}

// Size is the byte size of a value of type t in linear memory, mirroring
// elem_size. It is also the stride between elements of a list of t.
func Size(t wit.Type) uint32 {
	s := despecialize(t)
	switch s.kind {
	case kScalar:
		return s.size
	case kString:
		return 2 * ptrSize
	case kList:
		// elem_size_list: a fixed-length list is stored inline.
		if s.n > 0 {
			return s.n * Size(s.elem)
		}
		return 2 * ptrSize
	case kRecord:
		return recordSize(s.types)
	case kVariant:
		return variantSize(s.types)
	case kFlags:
		return flagsSize(s.n)
	}
	panic("abi: bad shape")
}

// Align is the byte alignment of a value of type t, mirroring alignment.
func Align(t wit.Type) uint32 {
	s := despecialize(t)
	switch s.kind {
	case kScalar:
		return s.size
	case kString:
		return ptrSize
	case kList:
		// alignment_list: a fixed-length list aligns like its element.
		if s.n > 0 {
			return Align(s.elem)
		}
		return ptrSize
	case kRecord:
		return recordAlign(s.types)
	case kVariant:
		return variantAlign(s.types)
	case kFlags:
		return flagsSize(s.n)
	}
	panic("abi: bad shape")
}

// recordAlign mirrors alignment_record: the largest field alignment, at
// least 1.
func recordAlign(fields []wit.Type) uint32 {
	a := uint32(1)
	for _, f := range fields {
		a = max(a, Align(f))
	}
	return a
}

// recordOffsets lays out the fields as elem_size_record does: each field at
// the next offset aligned for it. It returns the offsets and the end of the
// last field, before the final padding.
func recordOffsets(fields []wit.Type) ([]uint32, uint32) {
	offs := make([]uint32, len(fields))
	var s uint32
	for i, f := range fields {
		s = alignTo(s, Align(f))
		offs[i] = s
		s += Size(f)
	}
	return offs, s
}

// recordSize mirrors elem_size_record: the end of the last field, padded to
// the record's alignment so that arrays of records stay aligned.
func recordSize(fields []wit.Type) uint32 {
	_, end := recordOffsets(fields)
	return alignTo(end, recordAlign(fields))
}

// maxCaseAlign mirrors max_case_alignment; payload-less cases count as 1.
func maxCaseAlign(cases []wit.Type) uint32 {
	a := uint32(1)
	for _, c := range cases {
		if c != nil {
			a = max(a, Align(c))
		}
	}
	return a
}

// variantAlign mirrors alignment_variant: the larger of the discriminant's
// and the payloads' alignments.
func variantAlign(cases []wit.Type) uint32 {
	return max(discriminantSize(len(cases)), maxCaseAlign(cases))
}

// payloadOffset is where every case's payload starts (elem_size_variant):
// after the discriminant, aligned for the most-aligned payload, so all
// cases share one offset.
func payloadOffset(cases []wit.Type) uint32 {
	return alignTo(discriminantSize(len(cases)), maxCaseAlign(cases))
}

// variantSize mirrors elem_size_variant: payload offset plus the largest
// payload, padded to the variant's alignment.
func variantSize(cases []wit.Type) uint32 {
	var cs uint32
	for _, c := range cases {
		if c != nil {
			cs = max(cs, Size(c))
		}
	}
	return alignTo(payloadOffset(cases)+cs, variantAlign(cases))
}

// FieldOffsets returns the byte offset of each field of a record or each
// element of a tuple (following aliases). It panics for other types.
func FieldOffsets(t wit.Type) []uint32 {
	s := despecialize(t)
	if s.kind != kRecord {
		panic(fmt.Sprintf("abi: FieldOffsets of non-record type %T", wit.Dealias(t)))
	}
	offs, _ := recordOffsets(s.types)
	return offs
}

// PayloadOffset returns the byte offset of the payload of a variant,
// option, result or enum (following aliases): the discriminant is at offset
// 0 and every case's payload starts here. For an enum, which has no
// payloads, it is the discriminant's size. It panics for other types.
func PayloadOffset(t wit.Type) uint32 {
	s := despecialize(t)
	if s.kind != kVariant {
		panic(fmt.Sprintf("abi: PayloadOffset of non-variant type %T", wit.Dealias(t)))
	}
	return payloadOffset(s.types)
}

// DiscriminantType returns the type that stores the case index of a
// variant, option, result or enum (following aliases): wit.U8, wit.U16 or
// wit.U32, as discriminant_type chooses. It panics for other types.
func DiscriminantType(t wit.Type) wit.Primitive {
	s := despecialize(t)
	if s.kind != kVariant {
		panic(fmt.Sprintf("abi: DiscriminantType of non-variant type %T", wit.Dealias(t)))
	}
	switch discriminantSize(len(s.types)) {
	case 1:
		return wit.U8
	case 2:
		return wit.U16
	}
	return wit.U32
}

// Flat returns the core values a value of type t flattens to when passed
// directly as parameters or results, mirroring flatten_type.
func Flat(t wit.Type) []CoreType {
	return appendFlat(nil, t)
}

func appendFlat(dst []CoreType, t wit.Type) []CoreType {
	s := despecialize(t)
	switch s.kind {
	case kScalar:
		return append(dst, s.core)
	case kString:
		return append(dst, I32, I32) // ptr, len
	case kList:
		// flatten_list: a fixed-length list flattens to its element's
		// values repeated n times; any other list is (ptr, len).
		if s.n > 0 {
			elem := Flat(s.elem)
			for range s.n {
				dst = append(dst, elem...)
			}
			return dst
		}
		return append(dst, I32, I32)
	case kRecord:
		for _, f := range s.types {
			dst = appendFlat(dst, f)
		}
		return dst
	case kVariant:
		return append(append(dst, I32), flatVariantPayload(s.types)...)
	case kFlags:
		return append(dst, I32)
	}
	panic("abi: bad shape")
}

// flatVariantPayload mirrors the payload part of flatten_variant: the
// cases' flattenings are overlaid position by position, each position taking
// the join of the types found there, so the result is as long as the
// longest case. The discriminant (always an i32, since every discriminant
// type flattens to one) is prepended by the caller.
func flatVariantPayload(cases []wit.Type) []CoreType {
	var flat []CoreType
	for _, c := range cases {
		if c == nil {
			continue
		}
		for i, ft := range Flat(c) {
			if i < len(flat) {
				flat[i] = join(flat[i], ft)
			} else {
				flat = append(flat, ft)
			}
		}
	}
	return flat
}

// join mirrors join: the core type able to carry values of both a and b.
// i32 and f32 share an i32 (the float's bits are reinterpreted); any other
// mix needs an i64, which holds an i32, an f32's or an f64's bits.
func join(a, b CoreType) CoreType {
	switch {
	case a == b:
		return a
	case (a == I32 && b == F32) || (a == F32 && b == I32):
		return I32
	}
	return I64
}
