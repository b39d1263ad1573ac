package bindgen

import (
	"fmt"
	"strings"

	"github.com/spin-go/sdk/internal/wit"
	"github.com/spin-go/sdk/internal/wit/abi"
)

// Go representations of WIT types:
//
//	bool, s8..u64, f32, f64, char, string   bool, int8..uint64, float32, float64, rune, string
//	list<T>, list<T, N>, map<K, V>           []T, [N]T, map[K]V
//	option<T>, result<T, E>, tuple<...>      wit_types.Option[T], wit_types.Result[T, E], wit_types.TupleN[...]
//	record, enum, flags                      struct, named integer with constants
//	variant                                  struct with Tag(), MakeXCase(...) and accessors
//	imported resource / borrow               *R with methods
//	exported resource                        R, an interface the user implements
//	stream<T>, future<T>                     *wit_types.StreamReader[T], *wit_types.FutureReader[T]
//	error-context                            ErrorContext (a handle)
//
// An absent type (result<_, E>, future) is wit_types.Unit.

var primGo = map[wit.Primitive]string{
	wit.Bool: "bool", wit.S8: "int8", wit.U8: "uint8", wit.S16: "int16", wit.U16: "uint16",
	wit.S32: "int32", wit.U32: "uint32", wit.S64: "int64", wit.U64: "uint64",
	wit.F32: "float32", wit.F64: "float64", wit.Char: "rune", wit.String: "string",
}

// exportedResource reports whether td is a resource this component
// implements (defined in an exported interface).
func (g *gen) exportedResource(td *wit.TypeDef) bool {
	h := g.home[td.Underlying()]
	return h != nil && h.pkg.export
}

// goType is the Go type of t as written in package p.
func (g *gen) goType(p *goPkg, t wit.Type) string {
	if t == nil {
		return p.use(pkgTypes) + ".Unit"
	}
	switch t := t.(type) {
	case wit.Primitive:
		if t == wit.ErrorContext {
			return g.errorContext(p)
		}
		return primGo[t]
	case *wit.TypeDef:
		name := g.qualified(p, t)
		if t.IsResource() && !g.exportedResource(t) {
			return "*" + name
		}
		return name
	case *wit.List:
		if t.Len > 0 {
			return fmt.Sprintf("[%d]%s", t.Len, g.goType(p, t.Elem))
		}
		return "[]" + g.goType(p, t.Elem)
	case *wit.Option:
		return p.use(pkgTypes) + ".Option[" + g.goType(p, t.Elem) + "]"
	case *wit.Result:
		return p.use(pkgTypes) + ".Result[" + g.goType(p, t.Ok) + ", " + g.goType(p, t.Err) + "]"
	case *wit.Tuple:
		var parts []string
		for _, e := range t.Types {
			parts = append(parts, g.goType(p, e))
		}
		return fmt.Sprintf("%s.Tuple%d[%s]", p.use(pkgTypes), len(t.Types), strings.Join(parts, ", "))
	case *wit.Borrow:
		if g.exportedResource(t.Resource) {
			return g.qualified(p, t.Resource)
		}
		return "*" + g.qualified(p, t.Resource)
	case *wit.Future:
		return "*" + p.use(pkgTypes) + ".FutureReader[" + g.goType(p, t.Elem) + "]"
	case *wit.Stream:
		return "*" + p.use(pkgTypes) + ".StreamReader[" + g.goType(p, t.Elem) + "]"
	case *wit.Map:
		return "map[" + g.goType(p, t.Key) + "]" + g.goType(p, t.Value)
	}
	panic(fmt.Sprintf("bindgen: unknown type %T", t))
}

// qualified names a type definition from package p.
func (g *gen) qualified(p *goPkg, td *wit.TypeDef) string {
	h := g.home[td]
	if h == nil {
		panic(fmt.Sprintf("bindgen: type %s has no home package", td.Name))
	}
	if h.pkg == p {
		return h.name
	}
	return p.use(h.pkg.path) + "." + h.name
}

// qualify prefixes an identifier of package home for use in p.
func (g *gen) qualify(p, home *goPkg, ident string) string {
	if home == p {
		return ident
	}
	return p.use(home.path) + "." + ident
}

// errorContext declares the ErrorContext handle type in p on first use.
func (g *gen) errorContext(p *goPkg) string {
	if p.errCtx != "" {
		return p.errCtx
	}
	name := p.idents.take("ErrorContext")
	p.errCtx = name
	unsafe := p.use("unsafe")
	rt := p.use(pkgRuntime)
	fmt.Fprintf(&p.aux, `
// %[1]s is a WIT error-context: a handle to a host-side error description.
type %[1]s struct{ Handle int32 }

// DebugMessage returns the host's description of the error.
func (e %[1]s) DebugMessage() string {
	var pinner %[4]s.Pinner
	defer pinner.Unpin()
	ret := %[3]s.Allocate(&pinner, 8, 4)
	wasm_error_context_debug_message(e.Handle, ret)
	return %[2]s.String((*byte)(%[2]s.Add(%[2]s.Pointer(nil), uintptr(*(*uint32)(ret)))), *(*uint32)(%[2]s.Add(ret, 4)))
}

// Drop releases the handle.
func (e %[1]s) Drop() { wasm_error_context_drop(e.Handle) }

//go:wasmimport $root [error-context-debug-message-utf8]
func wasm_error_context_debug_message(handle int32, ret %[2]s.Pointer)

//go:wasmimport $root [error-context-drop]
func wasm_error_context_drop(handle int32)
`, name, unsafe, rt, p.use("runtime"))
	return name
}

// emitTypes declares the named types of an interface or world in p.
func (g *gen) emitTypes(p *goPkg, defs []*wit.TypeDef, funcs []*wit.Function) {
	for _, td := range defs {
		if g.home[td].pkg != p {
			continue
		}
		g.emitTypeDef(p, td, funcs)
	}
}

func (g *gen) emitTypeDef(p *goPkg, td *wit.TypeDef, funcs []*wit.Function) {
	name := g.home[td].name
	p.printf("\n%s", docComment(td.Docs))
	switch k := td.Kind.(type) {
	case *wit.Alias:
		target := g.goType(p, k.Target)
		if o, ok := k.Target.(*wit.TypeDef); ok && o.IsResource() {
			target = strings.TrimPrefix(target, "*")
		}
		p.printf("type %s = %s\n", name, target)
	case *wit.Record:
		p.printf("type %s struct {\n", name)
		for _, f := range k.Fields {
			p.printf("%s%s %s\n", docComment(f.Docs), pascal(f.Name), g.goType(p, f.Type))
		}
		p.printf("}\n")
	case *wit.Enum:
		tag := tagType(td)
		p.printf("type %s %s\n\nconst (\n", name, tag)
		for i, c := range k.Cases {
			p.printf("%s%s %s = %d\n", docComment(c.Docs), g.home[td].consts[i], name, i)
		}
		p.printf(")\n")
		p.printf("\n// String returns the WIT name of the case.\nfunc (e %s) String() string {\nswitch e {\n", name)
		for i, c := range k.Cases {
			p.printf("case %d:\nreturn %q\n", i, c.Name)
		}
		p.printf("}\nreturn \"%s(\" + %s.Itoa(int(e)) + \")\"\n}\n", td.Name, p.use("strconv"))
	case *wit.Flags:
		bits := map[uint32]string{1: "uint8", 2: "uint16", 4: "uint32"}[abi.Size(td)]
		p.printf("type %s %s\n\nconst (\n", name, bits)
		for i, f := range k.Flags {
			p.printf("%s%s %s = 1 << %d\n", docComment(f.Docs), g.home[td].consts[i], name, i)
		}
		p.printf(")\n")
	case *wit.Variant:
		g.emitVariant(p, td, name, k)
	case *wit.Resource:
		if g.exportedResource(td) {
			g.emitExportedResource(p, td, name, funcs)
		} else {
			g.emitImportedResource(p, td, name)
		}
	}
}

// tagType is the Go type of a variant or enum discriminant.
func tagType(td *wit.TypeDef) string {
	return primGo[abi.DiscriminantType(td)]
}

func (g *gen) emitVariant(p *goPkg, td *wit.TypeDef, name string, v *wit.Variant) {
	tag := tagType(td)
	p.printf("type %s struct {\ntag %s\nvalue any\n}\n\nconst (\n", name, tag)
	h := g.home[td]
	consts := h.consts
	for i := range v.Cases {
		p.printf("%s %s = %d\n", consts[i], tag, i)
	}
	p.printf(")\n\n// Tag says which case the value holds.\nfunc (v %s) Tag() %s { return v.tag }\n", name, tag)
	for i, c := range v.Cases {
		ctor := h.ctors[i]
		p.printf("\n%s", docComment(c.Docs))
		if c.Type == nil {
			p.printf("func %s() %s { return %s{tag: %s} }\n", ctor, name, name, consts[i])
			continue
		}
		gt := g.goType(p, c.Type)
		p.printf("func %s(value %s) %s { return %s{tag: %s, value: value} }\n", ctor, gt, name, name, consts[i])
		p.printf("\n// %s returns the payload of case %s; it panics if the value holds another case.\n", pascal(c.Name), c.Name)
		p.printf("func (v %s) %s() %s {\nif v.tag != %s {\npanic(\"%s: tag mismatch: want %s\")\n}\nreturn v.value.(%s)\n}\n",
			name, pascal(c.Name), gt, consts[i], td.Name, c.Name, gt)
	}
}

// emitImportedResource declares the handle type of a resource the host
// implements. The handle is dropped when Drop is called or, as a safety
// net, when the Go value becomes unreachable.
func (g *gen) emitImportedResource(p *goPkg, td *wit.TypeDef, name string) {
	rt := p.use(pkgRuntime)
	grt := p.use("runtime")
	drop := "wasm_resource_drop_" + snake(td.Name)
	rn := g.home[td].res
	p.printf(`type %[1]s struct {
	handle *%[2]s.Handle
	borrowed bool
}

// Drop releases the resource now rather than when it is garbage collected.
func (r *%[1]s) Drop() {
	if r.borrowed {
		return
	}
	if h := r.handle.TakeOrNil(); h != 0 {
		%[3]s(h)
	}
}

// TakeHandle gives up ownership and returns the raw handle.
func (r *%[1]s) TakeHandle() int32 { return r.handle.Take() }

// Handle returns the raw handle, keeping ownership.
func (r *%[1]s) Handle() int32 { return r.handle.Use() }

// %[4]s takes ownership of a raw handle.
func %[4]s(handle int32) *%[1]s {
	h := %[2]s.MakeHandle(handle)
	r := &%[1]s{handle: h}
	%[6]s.AddCleanup(r, func(h *%[2]s.Handle) {
		if v := h.TakeOrNil(); v != 0 {
			%[3]s(v)
		}
	}, h)
	return r
}

// %[5]s wraps a borrowed handle; dropping it is the lender's job.
func %[5]s(handle int32) *%[1]s {
	return &%[1]s{handle: %[2]s.MakeHandle(handle), borrowed: true}
}

// %[9]s drops a borrowed handle received by an export.
func %[9]s(handle int32) { %[3]s(handle) }

//go:wasmimport %[7]s [resource-drop]%[8]s
func %[3]s(handle int32)
`, name, rt, drop, rn.fromHandle, rn.borrow, grt, p.module, td.Name, rn.dropBorrow)
}
