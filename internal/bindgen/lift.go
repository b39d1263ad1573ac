package bindgen

import (
	"fmt"
	"strings"

	"github.com/spin-go/sdk/internal/wit"
	"github.com/spin-go/sdk/internal/wit/abi"
)

// cursor walks the core values a lifted value is read from.
type cursor struct {
	vals []string
	i    int
}

func (c *cursor) next() string {
	v := c.vals[c.i]
	c.i++
	return v
}

// liftFlat emits code building the Go value of type t from core values and
// returns an expression for it.
func (e *emitter) liftFlat(t wit.Type, c *cursor) string {
	if td, ok := outlinable(t); ok {
		name, pinned := e.outline("lift", td)
		args := make([]string, len(abi.Flat(td)))
		for i := range args {
			args[i] = c.next()
		}
		return e.call(name, pinned, args...)
	}
	if isVariantLike(t) {
		return e.liftVariantFlat(t, c)
	}
	switch t := t.(type) {
	case wit.Primitive:
		x := c.next()
		switch t {
		case wit.Bool:
			return "(" + x + " != 0)"
		case wit.S32, wit.S64, wit.F32, wit.F64:
			return x
		case wit.String:
			return e.liftString(x, c.next())
		case wit.ErrorContext:
			return fmt.Sprintf("%s{Handle: %s}", e.g.errorContext(e.p), x)
		}
		return primGo[t] + "(" + x + ")"
	case *wit.TypeDef:
		switch k := t.Kind.(type) {
		case *wit.Alias:
			return e.liftFlat(k.Target, c)
		case *wit.Record:
			var fields []string
			for _, f := range k.Fields {
				val := e.tmp("field")
				e.line("%s := %s", val, e.liftFlat(f.Type, c))
				fields = append(fields, pascal(f.Name)+": "+val)
			}
			return e.g.qualified(e.p, t) + "{" + strings.Join(fields, ", ") + "}"
		case *wit.Flags:
			return e.g.qualified(e.p, t) + "(" + c.next() + ")"
		case *wit.Resource:
			return e.liftOwn(t, c.next())
		}
	case *wit.List:
		if t.Len > 0 {
			var elems []string
			for i := uint32(0); i < t.Len; i++ {
				val := e.tmp("elem")
				e.line("%s := %s", val, e.liftFlat(t.Elem, c))
				elems = append(elems, val)
			}
			return e.g.goType(e.p, t) + "{" + strings.Join(elems, ", ") + "}"
		}
		return e.liftList(t.Elem, c.next(), c.next())
	case *wit.Map:
		return e.liftMap(t, c.next(), c.next())
	case *wit.Tuple:
		var fields []string
		for i, et := range t.Types {
			val := e.tmp("field")
			e.line("%s := %s", val, e.liftFlat(et, c))
			fields = append(fields, fmt.Sprintf("F%d: %s", i, val))
		}
		return e.g.goType(e.p, t) + "{" + strings.Join(fields, ", ") + "}"
	case *wit.Borrow:
		return e.liftBorrow(t.Resource, c.next())
	case *wit.Future, *wit.Stream:
		return fmt.Sprintf("%s(%s)", e.asyncLift(t), c.next())
	}
	panic(fmt.Sprintf("bindgen: cannot lift %T", t))
}

// liftString refers to the bytes in place: they are Go memory handed out
// by cabi_realloc, so the string keeps them alive.
func (e *emitter) liftString(ptr, n string) string {
	return fmt.Sprintf("%s.String((*byte)(%s), uint32(%s))", e.p.use("unsafe"), e.addr(ptr), n)
}

// liftOwn takes ownership of a resource handle.
func (e *emitter) liftOwn(td *wit.TypeDef, h string) string {
	home := e.g.home[td.Underlying()]
	return fmt.Sprintf("%s(%s)", e.g.qualify(e.p, home.pkg, home.res.fromHandle), h)
}

// liftBorrow wraps a borrowed handle. For an imported resource the handle
// is recorded so that an export can drop it before returning; a borrow of
// one of our own resources arrives as its representation.
func (e *emitter) liftBorrow(td *wit.TypeDef, h string) string {
	home := e.g.home[td.Underlying()]
	if e.g.exportedResource(td) {
		return fmt.Sprintf("%s(%s)", e.g.qualify(e.p, home.pkg, home.res.fromRep), h)
	}
	hv := e.tmp("borrow")
	e.line("%s := %s", hv, h)
	e.borrows = append(e.borrows, borrowed{handle: hv, drop: e.g.qualify(e.p, home.pkg, home.res.dropBorrow)})
	return fmt.Sprintf("%s(%s)", e.g.qualify(e.p, home.pkg, home.res.borrow), hv)
}

// liftList reads a list. Lists of directly representable elements become a
// slice over the received memory; others are copied element by element.
func (e *emitter) liftList(elem wit.Type, ptr, n string) string {
	if direct(elem) {
		return fmt.Sprintf("%s.Slice((*%s)(%s), uint32(%s))", e.p.use("unsafe"), e.g.goType(e.p, elem), e.addr(ptr), n)
	}
	size := abi.Size(elem)
	base, out, i := e.tmp("base"), e.tmp("list"), e.tmp("i")
	e.line("%s := %s", base, e.addr(ptr))
	e.line("%s := make(%s, uint32(%s))", out, e.g.goType(e.p, &wit.List{Elem: elem}), n)
	e.line("for %s := range %s {", i, out)
	e.line("%s[%s] = %s", out, i, e.load(elem, fmt.Sprintf("%s.Add(%s, %s*%d)", e.p.use("unsafe"), base, i, size), 0))
	e.line("}")
	return out
}

func (e *emitter) liftMap(t *wit.Map, ptr, n string) string {
	pair := &wit.Tuple{Types: []wit.Type{t.Key, t.Value}}
	size := abi.Size(pair)
	offs := abi.FieldOffsets(pair)
	base, out, i := e.tmp("base"), e.tmp("map"), e.tmp("i")
	e.line("%s := %s", base, e.addr(ptr))
	e.line("%s := make(%s, uint32(%s))", out, e.g.goType(e.p, t), n)
	e.line("for %s := range uint32(%s) {", i, n)
	at := fmt.Sprintf("%s.Add(%s, %s*%d)", e.p.use("unsafe"), base, i, size)
	k := e.tmp("key")
	e.line("%s := %s", k, e.load(t.Key, at, offs[0]))
	e.line("%s[%s] = %s", out, k, e.load(t.Value, at, offs[1]))
	e.line("}")
	return out
}

// liftVariantFlat reads the discriminant and narrows the joined slots back
// to the case's payload types.
func (e *emitter) liftVariantFlat(t wit.Type, c *cursor) string {
	flat := abi.Flat(t)
	slots := make([]string, len(flat))
	for i := range flat {
		slots[i] = c.next()
	}
	out := e.tmp("variant")
	e.line("var %s %s", out, e.g.goType(e.p, t))
	_, cases := e.cases(t, "")
	e.line("switch uint32(%s) {", slots[0])
	for i, vc := range cases {
		e.line("case %d:", i)
		if vc.typ == nil {
			e.line("%s = %s", out, vc.build(""))
			continue
		}
		var vals []string
		for j, want := range abi.Flat(vc.typ) {
			vals = append(vals, e.narrow(slots[j+1], flat[j+1], want))
		}
		payload := e.liftFlat(vc.typ, &cursor{vals: vals})
		e.line("%s = %s", out, vc.build(payload))
	}
	e.line("default:\npanic(\"bindgen: invalid discriminant for %s\")", wit.TypeString(t))
	e.line("}")
	return out
}

// load emits code reading a value of type t at base+off and returns an
// expression for it.
func (e *emitter) load(t wit.Type, base string, off uint32) string {
	at := e.at(base, off)
	if td, ok := outlinable(t); ok {
		name, pinned := e.outline("load", td)
		return e.call(name, pinned, at)
	}
	if isVariantLike(t) {
		return e.loadVariant(t, base, off)
	}
	switch t := t.(type) {
	case wit.Primitive:
		switch t {
		case wit.Bool:
			return fmt.Sprintf("(*(*uint8)(%s) != 0)", at)
		case wit.F32:
			return fmt.Sprintf("*(*float32)(%s)", at)
		case wit.F64:
			return fmt.Sprintf("*(*float64)(%s)", at)
		case wit.String:
			return e.liftString(fmt.Sprintf("*(*uint32)(%s)", at), fmt.Sprintf("*(*uint32)(%s)", e.at(base, off+4)))
		case wit.ErrorContext:
			return fmt.Sprintf("%s{Handle: *(*int32)(%s)}", e.g.errorContext(e.p), at)
		}
		return fmt.Sprintf("%s(*(*%s)(%s))", primGo[t], memWidth(abi.Size(t)), at)
	case *wit.TypeDef:
		switch k := t.Kind.(type) {
		case *wit.Alias:
			return e.load(k.Target, base, off)
		case *wit.Record:
			offs := abi.FieldOffsets(t)
			var fields []string
			for i, f := range k.Fields {
				val := e.tmp("field")
				e.line("%s := %s", val, e.load(f.Type, base, off+offs[i]))
				fields = append(fields, pascal(f.Name)+": "+val)
			}
			return e.g.qualified(e.p, t) + "{" + strings.Join(fields, ", ") + "}"
		case *wit.Flags:
			return fmt.Sprintf("%s(*(*%s)(%s))", e.g.qualified(e.p, t), memWidth(abi.Size(t)), at)
		case *wit.Resource:
			return e.liftOwn(t, fmt.Sprintf("*(*int32)(%s)", at))
		}
	case *wit.List:
		if t.Len > 0 {
			size := abi.Size(t.Elem)
			var elems []string
			for i := uint32(0); i < t.Len; i++ {
				val := e.tmp("elem")
				e.line("%s := %s", val, e.load(t.Elem, base, off+i*size))
				elems = append(elems, val)
			}
			return e.g.goType(e.p, t) + "{" + strings.Join(elems, ", ") + "}"
		}
		return e.liftList(t.Elem, fmt.Sprintf("*(*uint32)(%s)", at), fmt.Sprintf("*(*uint32)(%s)", e.at(base, off+4)))
	case *wit.Map:
		return e.liftMap(t, fmt.Sprintf("*(*uint32)(%s)", at), fmt.Sprintf("*(*uint32)(%s)", e.at(base, off+4)))
	case *wit.Tuple:
		offs := abi.FieldOffsets(t)
		var fields []string
		for i, et := range t.Types {
			val := e.tmp("field")
			e.line("%s := %s", val, e.load(et, base, off+offs[i]))
			fields = append(fields, fmt.Sprintf("F%d: %s", i, val))
		}
		return e.g.goType(e.p, t) + "{" + strings.Join(fields, ", ") + "}"
	case *wit.Borrow:
		return e.liftBorrow(t.Resource, fmt.Sprintf("*(*int32)(%s)", at))
	case *wit.Future, *wit.Stream:
		return fmt.Sprintf("%s(*(*int32)(%s))", e.asyncLift(t), at)
	}
	panic(fmt.Sprintf("bindgen: cannot load %T", t))
}

func (e *emitter) loadVariant(t wit.Type, base string, off uint32) string {
	disc := memWidth(abi.Size(abi.DiscriminantType(wit.Dealias(t))))
	payloadOff := off + abi.PayloadOffset(t)
	out := e.tmp("variant")
	e.line("var %s %s", out, e.g.goType(e.p, t))
	_, cases := e.cases(t, "")
	e.line("switch *(*%s)(%s) {", disc, e.at(base, off))
	for i, vc := range cases {
		e.line("case %d:", i)
		if vc.typ == nil {
			e.line("%s = %s", out, vc.build(""))
			continue
		}
		e.line("%s = %s", out, vc.build(e.load(vc.typ, base, payloadOff)))
	}
	e.line("default:\npanic(\"bindgen: invalid discriminant for %s\")", wit.TypeString(t))
	e.line("}")
	return out
}
