package bindgen

import (
	"fmt"
	"strings"

	"github.com/spin-go/sdk/internal/wit"
	"github.com/spin-go/sdk/internal/wit/abi"
)

// lowerFlat emits code lowering the Go value v of type t and returns one
// expression per core value of abi.Flat(t).
func (e *emitter) lowerFlat(t wit.Type, v string) []string {
	if td, ok := outlinable(t); ok {
		name, pinned := e.outline("lower", td)
		vars := make([]string, len(abi.Flat(td)))
		for i := range vars {
			vars[i] = e.tmp("v")
		}
		e.line("%s := %s", strings.Join(vars, ", "), e.call(name, pinned, v))
		return vars
	}
	if isVariantLike(t) {
		return e.lowerVariantFlat(t, v)
	}
	switch t := t.(type) {
	case wit.Primitive:
		switch t {
		case wit.Bool:
			x := e.tmp("flag")
			e.line("var %s int32", x)
			e.line("if %s {\n%s = 1\n}", v, x)
			return []string{x}
		case wit.S64, wit.U64:
			return []string{"int64(" + v + ")"}
		case wit.F32, wit.F64:
			return []string{v}
		case wit.String:
			return e.lowerString(v)
		case wit.ErrorContext:
			return []string{v + ".Handle"}
		}
		return []string{"int32(" + v + ")"}
	case *wit.TypeDef:
		switch k := t.Kind.(type) {
		case *wit.Alias:
			return e.lowerFlat(k.Target, v)
		case *wit.Record:
			var out []string
			for _, f := range k.Fields {
				out = append(out, e.lowerFlat(f.Type, v+"."+pascal(f.Name))...)
			}
			return out
		case *wit.Flags:
			return []string{"int32(" + v + ")"}
		case *wit.Resource:
			return []string{e.lowerOwn(t, v)}
		}
	case *wit.List:
		if t.Len > 0 {
			var out []string
			for i := uint32(0); i < t.Len; i++ {
				out = append(out, e.lowerFlat(t.Elem, fmt.Sprintf("%s[%d]", v, i))...)
			}
			return out
		}
		return e.lowerList(t.Elem, v)
	case *wit.Map:
		return e.lowerMap(t, v)
	case *wit.Tuple:
		var out []string
		for i, et := range t.Types {
			out = append(out, e.lowerFlat(et, fmt.Sprintf("%s.F%d", v, i))...)
		}
		return out
	case *wit.Borrow:
		return []string{e.lowerBorrow(t.Resource, v)}
	case *wit.Future, *wit.Stream:
		return []string{v + ".TakeHandle()"}
	}
	panic(fmt.Sprintf("bindgen: cannot lower %T", t))
}

// lowerOwn passes ownership of a resource: an imported resource gives up
// its handle; a resource this component implements gets a new handle from
// [resource-new].
func (e *emitter) lowerOwn(td *wit.TypeDef, v string) string {
	if e.g.exportedResource(td) {
		home := e.g.home[td.Underlying()]
		return fmt.Sprintf("%s(%s)", e.g.qualify(e.p, home.pkg, home.res.toHandle), v)
	}
	return v + ".TakeHandle()"
}

// lowerBorrow lends a resource: an imported one by its handle, one of our
// own by its representation (lower_borrow returns the rep when the resource
// is implemented by the lowering component).
func (e *emitter) lowerBorrow(td *wit.TypeDef, v string) string {
	if e.g.exportedResource(td) {
		home := e.g.home[td.Underlying()]
		return fmt.Sprintf("%s(%s)", e.g.qualify(e.p, home.pkg, home.res.rep), v)
	}
	return v + ".Handle()"
}

func (e *emitter) lowerString(v string) []string {
	u := e.p.use("unsafe")
	ptr := e.tmp("str")
	e.line("%s := %s.Pointer(%s.StringData(%s))", ptr, u, u, v)
	e.line("%s.Pin(%s)", e.pin(), ptr)
	return []string{e.ptrInt(ptr), fmt.Sprintf("int32(len(%s))", v)}
}

// lowerList passes a slice's memory directly when Go lays its elements out
// as the canonical ABI does, and copies element by element otherwise.
func (e *emitter) lowerList(elem wit.Type, v string) []string {
	u := e.p.use("unsafe")
	ptr := e.tmp("list")
	if direct(elem) {
		e.line("%s := %s.Pointer(%s.SliceData(%s))", ptr, u, u, v)
		e.line("%s.Pin(%s)", e.pin(), ptr)
		return []string{e.ptrInt(ptr), fmt.Sprintf("int32(len(%s))", v)}
	}
	size, align := abi.Size(elem), abi.Align(elem)
	e.line("%s := %s.Allocate(%s, uintptr(len(%s))*%d, %d)", ptr, e.p.use(pkgRuntime), e.pin(), v, size, align)
	i, x := e.tmp("i"), e.tmp("elem")
	e.line("for %s, %s := range %s {", i, x, v)
	e.store(elem, x, fmt.Sprintf("%s.Add(%s, %s*%d)", u, ptr, i, size), 0)
	e.line("}")
	return []string{e.ptrInt(ptr), fmt.Sprintf("int32(len(%s))", v)}
}

// lowerMap lowers map<K, V> as list<tuple<K, V>>. Go maps have no order;
// keys are written in the order range yields them.
func (e *emitter) lowerMap(t *wit.Map, v string) []string {
	pair := &wit.Tuple{Types: []wit.Type{t.Key, t.Value}}
	size, align := abi.Size(pair), abi.Align(pair)
	u := e.p.use("unsafe")
	ptr, i, k, val := e.tmp("map"), e.tmp("i"), e.tmp("key"), e.tmp("value")
	offs := abi.FieldOffsets(pair)
	e.line("%s := %s.Allocate(%s, uintptr(len(%s))*%d, %d)", ptr, e.p.use(pkgRuntime), e.pin(), v, size, align)
	e.line("%s := 0", i)
	e.line("for %s, %s := range %s {", k, val, v)
	base := fmt.Sprintf("%s.Add(%s, %s*%d)", u, ptr, i, size)
	e.store(t.Key, k, base, offs[0])
	e.store(t.Value, val, base, offs[1])
	e.line("%s++", i)
	e.line("}")
	return []string{e.ptrInt(ptr), fmt.Sprintf("int32(len(%s))", v)}
}

// lowerVariantFlat lowers an option, result, enum or variant: the
// discriminant, then the case's payload widened into the joined slots.
func (e *emitter) lowerVariantFlat(t wit.Type, v string) []string {
	flat := abi.Flat(t)
	vars := make([]string, len(flat))
	for i, c := range flat {
		vars[i] = e.tmp("v")
		e.line("var %s %s", vars[i], coreGo(c))
	}
	tag, cases := e.cases(t, v)
	e.line("switch %s {", tag)
	for i, c := range cases {
		e.line("case %s:", c.match)
		e.line("%s = %d", vars[0], i)
		if c.typ == nil {
			continue
		}
		pv := e.tmp("payload")
		e.line("%s := %s", pv, c.payload(v))
		vals := e.lowerFlat(c.typ, pv)
		for j, have := range abi.Flat(c.typ) {
			e.line("%s = %s", vars[j+1], e.widen(vals[j], have, flat[j+1]))
		}
	}
	e.line("}")
	return vars
}

// store emits code writing v of type t at base+off in linear memory.
func (e *emitter) store(t wit.Type, v, base string, off uint32) {
	at := e.at(base, off)
	if td, ok := outlinable(t); ok {
		name, pinned := e.outline("store", td)
		e.line("%s", e.call(name, pinned, v, at))
		return
	}
	if isVariantLike(t) {
		e.storeVariant(t, v, base, off)
		return
	}
	switch t := t.(type) {
	case wit.Primitive:
		switch t {
		case wit.Bool:
			e.line("if %s {\n*(*uint8)(%s) = 1\n} else {\n*(*uint8)(%s) = 0\n}", v, at, at)
		case wit.F32:
			e.line("*(*float32)(%s) = %s", at, v)
		case wit.F64:
			e.line("*(*float64)(%s) = %s", at, v)
		case wit.String:
			vals := e.lowerString(v)
			e.line("*(*uint32)(%s) = uint32(%s)", at, vals[0])
			e.line("*(*uint32)(%s) = uint32(%s)", e.at(base, off+4), vals[1])
		case wit.ErrorContext:
			e.line("*(*int32)(%s) = %s.Handle", at, v)
		default:
			e.line("*(*%s)(%s) = %s(%s)", memWidth(abi.Size(t)), at, memWidth(abi.Size(t)), v)
		}
		return
	case *wit.TypeDef:
		switch k := t.Kind.(type) {
		case *wit.Alias:
			e.store(k.Target, v, base, off)
		case *wit.Record:
			offs := abi.FieldOffsets(t)
			for i, f := range k.Fields {
				e.store(f.Type, v+"."+pascal(f.Name), base, off+offs[i])
			}
		case *wit.Flags:
			w := memWidth(abi.Size(t))
			e.line("*(*%s)(%s) = %s(%s)", w, at, w, v)
		case *wit.Resource:
			e.line("*(*int32)(%s) = %s", at, e.lowerOwn(t, v))
		}
		return
	case *wit.List:
		if t.Len > 0 {
			size := abi.Size(t.Elem)
			for i := uint32(0); i < t.Len; i++ {
				e.store(t.Elem, fmt.Sprintf("%s[%d]", v, i), base, off+i*size)
			}
			return
		}
		vals := e.lowerList(t.Elem, v)
		e.line("*(*uint32)(%s) = uint32(%s)", at, vals[0])
		e.line("*(*uint32)(%s) = uint32(%s)", e.at(base, off+4), vals[1])
		return
	case *wit.Map:
		vals := e.lowerMap(t, v)
		e.line("*(*uint32)(%s) = uint32(%s)", at, vals[0])
		e.line("*(*uint32)(%s) = uint32(%s)", e.at(base, off+4), vals[1])
		return
	case *wit.Tuple:
		offs := abi.FieldOffsets(t)
		for i, et := range t.Types {
			e.store(et, fmt.Sprintf("%s.F%d", v, i), base, off+offs[i])
		}
		return
	case *wit.Borrow:
		e.line("*(*int32)(%s) = %s", at, e.lowerBorrow(t.Resource, v))
		return
	case *wit.Future, *wit.Stream:
		e.line("*(*int32)(%s) = %s.TakeHandle()", at, v)
		return
	}
	panic(fmt.Sprintf("bindgen: cannot store %T", t))
}

func (e *emitter) storeVariant(t wit.Type, v, base string, off uint32) {
	disc := memWidth(abi.Size(abi.DiscriminantType(wit.Dealias(t))))
	payloadOff := off + abi.PayloadOffset(t)
	tag, cases := e.cases(t, v)
	e.line("switch %s {", tag)
	for i, c := range cases {
		e.line("case %s:", c.match)
		e.line("*(*%s)(%s) = %d", disc, e.at(base, off), i)
		if c.typ != nil {
			pv := e.tmp("payload")
			e.line("%s := %s", pv, c.payload(v))
			e.store(c.typ, pv, base, payloadOff)
		}
	}
	e.line("}")
}
