package component

import (
	"fmt"
	"strings"

	"github.com/spin-go/sdk/internal/wit"
)

// The world's type is a component type whose imports and exports are
// instance types (interfaces), function types and types, as wit-component's
// encode_world writes it: each interface becomes an instance type that
// defines or exports its types, aliases types of other interfaces through
// their instance (`alias export` in the world, `alias outer` inside the
// instance), and exports its functions.

// scope is a component or instance type under construction.
type scope struct {
	decls [][]byte
	types uint32 // size of the type index space so far
	// caches of type indices in this scope
	named map[*wit.TypeDef]uint32
	own   map[*wit.TypeDef]uint32
	anon  map[string]uint32
}

func newScope() *scope {
	return &scope{named: map[*wit.TypeDef]uint32{}, own: map[*wit.TypeDef]uint32{}, anon: map[string]uint32{}}
}

func (s *scope) add(decl []byte, addsType bool) uint32 {
	s.decls = append(s.decls, decl)
	if !addsType {
		return 0
	}
	s.types++
	return s.types - 1
}

type worldEncoder struct {
	outer *scope
	cur   *scope // outer, or the instance type being written
	iface *wit.Interface
	// outerAlias caches the outer index of a type aliased out of an
	// interface's instance.
	outerAlias map[*wit.TypeDef]uint32
	instanceOf map[*wit.Interface]uint32
	instances  uint32
	importing  bool // world-level types are imports
}

// EncodeWorld returns the component type of a world.
func EncodeWorld(w *wit.World) ([]byte, error) {
	e := &worldEncoder{outer: newScope(), outerAlias: map[*wit.TypeDef]uint32{}, instanceOf: map[*wit.Interface]uint32{}}
	e.cur = e.outer
	for _, it := range w.Imports {
		if err := e.item(it, false); err != nil {
			return nil, err
		}
	}
	for _, it := range w.Exports {
		if err := e.item(it, true); err != nil {
			return nil, err
		}
	}
	var out wire
	out.byte(typeComponent)
	out.vec(e.outer.decls)
	return out, nil
}

func (e *worldEncoder) item(it *wit.WorldItem, export bool) (err error) {
	defer func() {
		if r := recover(); r != nil {
			if ee, ok := r.(encodeError); ok {
				err = ee
				return
			}
			panic(r)
		}
	}()
	var extern wire
	switch {
	case it.Type != nil:
		e.importing = true
		e.typeIndex(it.Type)
		e.importing = false
		return nil
	case it.Function != nil:
		extern.byte(externFunc)
		extern.u32(e.funcType(it.Function))
	case it.Interface != nil:
		extern.byte(externInstance)
		extern.u32(e.instance(it.Interface))
	}
	var d wire
	if export {
		d.byte(declExport)
	} else {
		d.byte(declImport)
	}
	d = append(d, nameAttrs(it.Key)...)
	d = append(d, extern...)
	addsType := false
	e.outer.add(d, addsType)
	if it.Interface != nil {
		e.instanceOf[it.Interface] = e.instances
		e.instances++
	}
	return nil
}

type encodeError struct{ error }

func fail(format string, args ...any) {
	panic(encodeError{fmt.Errorf(format, args...)})
}

// instance writes an interface's instance type into the world and returns
// its type index there.
func (e *worldEncoder) instance(i *wit.Interface) uint32 {
	inst := newScope()
	e.cur, e.iface = inst, i
	for _, td := range i.TypeDefs {
		e.typeIndex(td)
	}
	for _, f := range i.Functions {
		idx := e.funcType(f)
		var d wire
		d.byte(declExport)
		d = append(d, nameAttrs(f.Name)...)
		d.byte(externFunc)
		d.u32(idx)
		inst.add(d, false)
	}
	e.cur, e.iface = e.outer, nil
	var t wire
	t.byte(declType, typeInstance)
	t.vec(inst.decls)
	return e.outer.add(t, true)
}

// defineType adds a type definition to the current scope.
func (e *worldEncoder) defineType(def []byte) uint32 {
	d := wire{declType}
	d = append(d, def...)
	return e.cur.add(d, true)
}

// exportType names a type of the current scope: `(export "n" (type (eq i)))`,
// or an import for world-level types.
func (e *worldEncoder) exportType(idx uint32, name string) uint32 {
	var d wire
	if e.cur == e.outer && e.importing {
		d.byte(declImport)
	} else {
		d.byte(declExport)
	}
	d = append(d, nameAttrs(name)...)
	d.byte(externType, boundEq)
	d.u32(idx)
	return e.cur.add(d, true)
}

func (e *worldEncoder) exportResource(name string) uint32 {
	var d wire
	if e.cur == e.outer && e.importing {
		d.byte(declImport)
	} else {
		d.byte(declExport)
	}
	d = append(d, nameAttrs(name)...)
	d.byte(externType, boundSubResource)
	return e.cur.add(d, true)
}

// importType makes a type of another interface available in the current
// scope: aliased out of that interface's instance into the world, then, in
// an instance type, aliased in with `alias outer 1`.
func (e *worldEncoder) importType(owner *wit.Interface, td *wit.TypeDef) uint32 {
	outerIdx, ok := e.outerAlias[td]
	if !ok {
		inst, found := e.instanceOf[owner]
		if !found {
			fail("type %s of interface %s is used before that interface is imported", td.Name, owner.ID())
		}
		var d wire
		d.byte(declAlias, sortType, aliasExport)
		d.u32(inst)
		d.str(td.Name)
		outerIdx = e.outer.add(d, true)
		e.outerAlias[td] = outerIdx
	}
	if e.cur == e.outer {
		return outerIdx
	}
	var d wire
	d.byte(declAlias, sortType, aliasOuter)
	d.u32(1)
	d.u32(outerIdx)
	return e.cur.add(d, true)
}

// typeIndex returns the index of a named or anonymous type in the current
// scope, defining it first if needed. For a resource this is the resource
// type itself (see valtype for handles).
func (e *worldEncoder) typeIndex(t wit.Type) uint32 {
	td, ok := t.(*wit.TypeDef)
	if !ok {
		key := e.anonKey(t)
		if idx, ok := e.cur.anon[key]; ok {
			return idx
		}
		idx := e.defineType(e.defValType(t))
		e.cur.anon[key] = idx
		return idx
	}
	if idx, ok := e.cur.named[td]; ok {
		return idx
	}
	var idx uint32
	switch {
	case td.Interface != nil && td.Interface != e.iface:
		idx = e.importType(td.Interface, td)
	default:
		switch k := td.Kind.(type) {
		case *wit.Resource:
			idx = e.exportResource(td.Name)
		case *wit.Alias:
			var target uint32
			if p, isPrim := k.Target.(wit.Primitive); isPrim {
				target = e.defineType([]byte{primByte(p)})
			} else {
				target = e.typeIndex(k.Target)
			}
			idx = e.exportType(target, td.Name)
		default:
			idx = e.exportType(e.defineType(e.defValType(td)), td.Name)
		}
	}
	e.cur.named[td] = idx
	return idx
}

// valtype encodes a value type: a primitive opcode or a type index. A
// resource used as a value is an owned handle.
func (e *worldEncoder) valtype(t wit.Type) []byte {
	var w wire
	if p, ok := t.(wit.Primitive); ok {
		w.byte(primByte(p))
		return w
	}
	if td, ok := t.(*wit.TypeDef); ok && td.IsResource() {
		idx, ok := e.cur.own[td]
		if !ok {
			var def wire
			def.byte(typeOwn)
			def.u32(e.typeIndex(td))
			idx = e.defineType(def)
			e.cur.own[td] = idx
		}
		w.s33(int64(idx))
		return w
	}
	w.s33(int64(e.typeIndex(t)))
	return w
}

func (e *worldEncoder) optValtype(w *wire, t wit.Type) {
	if t == nil {
		w.byte(0x00)
		return
	}
	w.byte(0x01)
	*w = append(*w, e.valtype(t)...)
}

// defValType encodes the definition of a record, variant, enum, flags or
// anonymous type. Nested types are defined first, so their indices exist.
func (e *worldEncoder) defValType(t wit.Type) []byte {
	var w wire
	switch t := t.(type) {
	case *wit.TypeDef:
		switch k := t.Kind.(type) {
		case *wit.Record:
			var fields [][]byte
			for _, f := range k.Fields {
				var fw wire
				fw.str(f.Name)
				fw = append(fw, e.valtype(f.Type)...)
				fields = append(fields, fw)
			}
			w.byte(typeRecord)
			w.vec(fields)
		case *wit.Variant:
			var cases [][]byte
			for _, c := range k.Cases {
				var cw wire
				cw.str(c.Name)
				e.optValtype(&cw, c.Type)
				cw.byte(0x00)
				cases = append(cases, cw)
			}
			w.byte(typeVariant)
			w.vec(cases)
		case *wit.Enum:
			w.byte(typeEnum)
			w.vec(labels(k.Cases))
		case *wit.Flags:
			w.byte(typeFlags)
			w.vec(labels(k.Flags))
		default:
			fail("cannot define type %s", t.Name)
		}
	case *wit.List:
		if t.Len > 0 {
			elem := e.valtype(t.Elem)
			w.byte(typeFixedList)
			w = append(w, elem...)
			w.u32(t.Len)
		} else {
			elem := e.valtype(t.Elem)
			w.byte(typeList)
			w = append(w, elem...)
		}
	case *wit.Option:
		elem := e.valtype(t.Elem)
		w.byte(typeOption)
		w = append(w, elem...)
	case *wit.Result:
		var body wire
		e.optValtype(&body, t.Ok)
		e.optValtype(&body, t.Err)
		w.byte(typeResult)
		w = append(w, body...)
	case *wit.Tuple:
		var elems [][]byte
		for _, el := range t.Types {
			elems = append(elems, e.valtype(el))
		}
		w.byte(typeTuple)
		w.vec(elems)
	case *wit.Borrow:
		idx := e.typeIndex(t.Resource)
		w.byte(typeBorrow)
		w.u32(idx)
	case *wit.Future:
		var body wire
		e.optValtype(&body, t.Elem)
		w.byte(typeFuture)
		w = append(w, body...)
	case *wit.Stream:
		var body wire
		e.optValtype(&body, t.Elem)
		w.byte(typeStream)
		w = append(w, body...)
	case *wit.Map:
		k, v := e.valtype(t.Key), e.valtype(t.Value)
		w.byte(typeMap)
		w = append(w, k...)
		w = append(w, v...)
	default:
		fail("cannot define type %T", t)
	}
	return w
}

func labels(ls []wit.Label) [][]byte {
	var out [][]byte
	for _, l := range ls {
		var w wire
		w.str(l.Name)
		out = append(out, w)
	}
	return out
}

// funcType defines a function type in the current scope.
func (e *worldEncoder) funcType(f *wit.Function) uint32 {
	var params [][]byte
	for _, p := range f.Params {
		var pw wire
		pw.str(p.Name)
		pw = append(pw, e.valtype(p.Type)...)
		params = append(params, pw)
	}
	var w wire
	if f.Async {
		w.byte(typeFuncAsync)
	} else {
		w.byte(typeFunc)
	}
	w.vec(params)
	if f.Result == nil {
		w.byte(0x01, 0x00)
	} else {
		w.byte(0x00)
		w = append(w, e.valtype(f.Result)...)
	}
	return e.defineType(w)
}

// anonKey identifies an anonymous type structurally within a scope.
func (e *worldEncoder) anonKey(t wit.Type) string {
	switch t := t.(type) {
	case nil:
		return "_"
	case wit.Primitive:
		return t.String()
	case *wit.TypeDef:
		return fmt.Sprintf("%p", t)
	case *wit.List:
		return fmt.Sprintf("list<%s,%d>", e.anonKey(t.Elem), t.Len)
	case *wit.Option:
		return "option<" + e.anonKey(t.Elem) + ">"
	case *wit.Result:
		return "result<" + e.anonKey(t.Ok) + "," + e.anonKey(t.Err) + ">"
	case *wit.Tuple:
		var parts []string
		for _, el := range t.Types {
			parts = append(parts, e.anonKey(el))
		}
		return "tuple<" + strings.Join(parts, ",") + ">"
	case *wit.Borrow:
		return "borrow<" + e.anonKey(t.Resource) + ">"
	case *wit.Future:
		return "future<" + e.anonKey(t.Elem) + ">"
	case *wit.Stream:
		return "stream<" + e.anonKey(t.Elem) + ">"
	case *wit.Map:
		return "map<" + e.anonKey(t.Key) + "," + e.anonKey(t.Value) + ">"
	}
	return fmt.Sprintf("%T", t)
}

func primByte(p wit.Primitive) byte {
	return map[wit.Primitive]byte{
		wit.Bool: 0x7f, wit.S8: 0x7e, wit.U8: 0x7d, wit.S16: 0x7c, wit.U16: 0x7b,
		wit.S32: 0x7a, wit.U32: 0x79, wit.S64: 0x78, wit.U64: 0x77, wit.F32: 0x76,
		wit.F64: 0x75, wit.Char: 0x74, wit.String: 0x73, wit.ErrorContext: 0x64,
	}[p]
}

// TypeSection returns the contents of the custom section wit-component
// reads (metadata.rs): a component with a `wit-component-encoding` custom
// section (format 4, UTF-8 strings) and a type export `world-name` of a
// component type that exports `ns:pkg/world@version` as the world's type.
func TypeSection(w *wit.World) ([]byte, error) {
	worldTy, err := EncodeWorld(w)
	if err != nil {
		return nil, err
	}
	// (component (type $w (component ...)) (export "ns:pkg/world" (component (type $w))))
	var outer wire
	outer.byte(typeComponent)
	var tdecl wire
	tdecl.byte(declType)
	tdecl = append(tdecl, worldTy...)
	var edecl wire
	edecl.byte(declExport)
	edecl = append(edecl, nameAttrs(w.ID())...)
	edecl.byte(externComponent)
	edecl.u32(0)
	outer.vec([][]byte{tdecl, edecl})

	var types wire
	types.vec([][]byte{outer})
	var exports wire
	var ex wire
	ex = append(ex, nameAttrs(w.Name)...)
	ex.byte(sortType)
	ex.u32(0)
	ex.byte(0x00) // no explicit extern type
	exports.vec([][]byte{ex})

	out := wire(append([]byte{}, preamble...))
	out = append(out, customSection("wit-component-encoding", []byte{0x04, 0x00})...)
	out.section(secType, types)
	out.section(secExport, exports)
	return out, nil
}

// Embed appends the `component-type:...` custom section for w to a core
// module.
func Embed(core []byte, w *wit.World) ([]byte, error) {
	data, err := TypeSection(w)
	if err != nil {
		return nil, err
	}
	name := "component-type:spin-go:" + w.ID()
	out := append([]byte{}, core...)
	return append(out, customSection(name, data)...), nil
}
