package bindgen

import (
	"fmt"
	"strings"

	"github.com/spin-go/sdk/internal/wit"
	"github.com/spin-go/sdk/internal/wit/abi"
)

// Named variants and enums are lifted and lowered by helper functions, one
// per type, direction and form (memory or flat) in each generated package
// that needs them, rather than inline at every use. wasi:http's error-code
// has 39 cases, and it is carried by every future, stream result and
// function result of the HTTP interfaces: inlined, each of those sites cost
// about 9 kB of code, 40 kB in a hello world. A call costs nothing next to
// the host call that produced or consumes the value.

// outlinable reports whether the values of t are lifted and lowered by
// helpers: t must be a named variant or enum whose code keeps no state in
// the emitter. Borrows are left inline because an export records them to
// drop before returning; futures and streams because they are lifted
// through the vtables of the package the emitter was given.
func outlinable(t wit.Type) (*wit.TypeDef, bool) {
	td, ok := wit.Dealias(t).(*wit.TypeDef)
	if !ok {
		return nil, false
	}
	switch td.Kind.(type) {
	case *wit.Variant, *wit.Enum:
		return td, selfContained(td, map[*wit.TypeDef]bool{})
	}
	return nil, false
}

// selfContained reports whether t holds no borrow, future or stream.
func selfContained(t wit.Type, seen map[*wit.TypeDef]bool) bool {
	all := func(ts ...wit.Type) bool {
		for _, t := range ts {
			if t != nil && !selfContained(t, seen) {
				return false
			}
		}
		return true
	}
	switch t := t.(type) {
	case wit.Primitive:
		return true
	case *wit.TypeDef:
		if seen[t] {
			return true
		}
		seen[t] = true
		switch k := t.Kind.(type) {
		case *wit.Alias:
			return all(k.Target)
		case *wit.Record:
			for _, f := range k.Fields {
				if !all(f.Type) {
					return false
				}
			}
			return true
		case *wit.Variant:
			for _, c := range k.Cases {
				if !all(c.Type) {
					return false
				}
			}
			return true
		case *wit.Enum, *wit.Flags, *wit.Resource:
			return true
		}
	case *wit.Option:
		return all(t.Elem)
	case *wit.Result:
		return all(t.Ok, t.Err)
	case *wit.List:
		return all(t.Elem)
	case *wit.Tuple:
		return all(t.Types...)
	case *wit.Map:
		return all(t.Key, t.Value)
	}
	return false
}

// outline returns the name of p's helper for op ("load", "store", "lift"
// or "lower") of td, writing the helper on first use, and whether it takes
// a *runtime.Pinner (only helpers that lower strings or lists do). WIT
// types cannot be recursive, so a helper never needs itself.
func (e *emitter) outline(op string, td *wit.TypeDef) (name string, pinned bool) {
	p := e.p
	key := outlineKey{op, td}
	if h, ok := p.outlined[key]; ok {
		return h.name, h.pinned
	}
	gt := e.g.goType(p, td)
	base := "wasm_" + op + "_" + strings.ReplaceAll(gt, ".", "_")
	name = base
	for n := 2; p.helpers[name]; n++ {
		name = fmt.Sprintf("%s_%d", base, n)
	}
	p.helpers[name] = true
	body := e.g.newEmitter(p, "pinner")
	u := p.use("unsafe")
	var doc, sig, ret string
	switch op {
	case "load":
		v := body.loadVariant(td, "src", 0)
		doc = "reads a value of type %s from linear memory at src"
		sig, ret = fmt.Sprintf("(src %s.Pointer) %s", u, gt), v
	case "lift":
		flat := abi.Flat(td)
		c := &cursor{}
		for i := range flat {
			c.vals = append(c.vals, fmt.Sprintf("arg%d", i))
		}
		v := body.liftVariantFlat(td, c)
		doc = "builds a value of type %s from its core values"
		sig, ret = fmt.Sprintf("(%s) %s", coreDecl(flat), gt), v
	case "store":
		body.storeVariant(td, "value", "dst", 0)
		doc = "writes a value of type %s to linear memory at dst"
		sig = fmt.Sprintf("(value %s, dst %s.Pointer)", gt, u)
	case "lower":
		flat := abi.Flat(td)
		results := make([]string, len(flat))
		for i, c := range flat {
			results[i] = coreGo(c)
		}
		vals := body.lowerVariantFlat(td, "value")
		doc = "returns the core values of a value of type %s"
		sig, ret = fmt.Sprintf("(value %s) (%s)", gt, strings.Join(results, ", ")), strings.Join(vals, ", ")
	default:
		panic("bindgen: unknown outline op " + op)
	}
	doc = fmt.Sprintf(doc, wit.TypeString(td))
	pinned = body.needPinner
	if pinned {
		doc += "; what it lowers stays pinned by pinner"
		sig = fmt.Sprintf("(pinner *%s.Pinner, %s", p.use("runtime"), strings.TrimPrefix(sig, "("))
	}
	if ret != "" {
		ret = "return " + ret + "\n"
	}
	if p.outlined == nil {
		p.outlined = map[outlineKey]outlined{}
	}
	p.outlined[key] = outlined{name: name, pinned: pinned}
	fmt.Fprintf(&p.aux, "\n// %s %s.\nfunc %s%s {\n%s%s}\n", name, doc, name, sig, body.b.String(), ret)
	return name, pinned
}

type outlineKey struct {
	op string
	td *wit.TypeDef
}

type outlined struct {
	name   string
	pinned bool
}

// call returns a call of helper name, passing the emitter's pinner first
// when the helper takes one.
func (e *emitter) call(name string, pinned bool, args ...string) string {
	if pinned {
		args = append([]string{e.pin()}, args...)
	}
	return name + "(" + strings.Join(args, ", ") + ")"
}
