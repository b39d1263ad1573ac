package bindgen

import (
	"fmt"
	"strings"

	"github.com/spin-go/sdk/internal/wit"
	"github.com/spin-go/sdk/internal/wit/abi"
)

// asyncType is a stream or future type used by a package's functions. Its
// canonical built-ins (stream.new, stream.read, ...) are imported under the
// names wit-component expects: `[stream-new-N]func` in the module of the
// function's interface, N being the type's index in the function's
// futures-and-streams list (inner types first, params before the result).
type asyncType struct {
	t        wit.Type // *wit.Stream or *wit.Future
	payload  wit.Type // nil for a bare stream or future
	stream   bool
	key      string
	module   string
	function string
	index    int
	id       int
	makeName string // MakeStreamU8
	liftName string // LiftStreamU8
}

// futuresAndStreams lists the stream and future types of f in the order
// wit-parser's Function::find_futures_and_streams gives them.
func futuresAndStreams(f *wit.Function) []wit.Type {
	var out []wit.Type
	var visit func(t wit.Type)
	visit = func(t wit.Type) {
		switch t := t.(type) {
		case *wit.TypeDef:
			switch k := t.Kind.(type) {
			case *wit.Alias:
				visit(k.Target)
			case *wit.Record:
				for _, fl := range k.Fields {
					visit(fl.Type)
				}
			case *wit.Variant:
				for _, c := range k.Cases {
					if c.Type != nil {
						visit(c.Type)
					}
				}
			}
		case *wit.List:
			visit(t.Elem)
		case *wit.Option:
			visit(t.Elem)
		case *wit.Result:
			if t.Ok != nil {
				visit(t.Ok)
			}
			if t.Err != nil {
				visit(t.Err)
			}
		case *wit.Tuple:
			for _, e := range t.Types {
				visit(e)
			}
		case *wit.Map:
			visit(t.Key)
			visit(t.Value)
		case *wit.Future:
			if t.Elem != nil {
				visit(t.Elem)
			}
			out = append(out, t)
		case *wit.Stream:
			if t.Elem != nil {
				visit(t.Elem)
			}
			out = append(out, t)
		}
	}
	for _, p := range f.Params {
		visit(p.Type)
	}
	if f.Result != nil {
		visit(f.Result)
	}
	return out
}

// pkgFuncs lists the functions whose stream and future types live in p.
func (g *gen) pkgFuncs(p *goPkg) []*wit.Function {
	switch {
	case p.iface != nil:
		return p.iface.Functions
	case p == g.rootImp:
		var fs []*wit.Function
		for _, it := range g.world.Imports {
			if it.Function != nil {
				fs = append(fs, it.Function)
			}
		}
		return fs
	case p == g.rootExp:
		var fs []*wit.Function
		for _, it := range g.world.Exports {
			if it.Function != nil {
				fs = append(fs, it.Function)
			}
		}
		return fs
	}
	return nil
}

// collectAsyncTypes finds the distinct stream and future types of p's
// functions and names their constructors.
func (g *gen) collectAsyncTypes(p *goPkg) {
	seen := map[string]bool{}
	for _, f := range g.pkgFuncs(p) {
		for idx, t := range futuresAndStreams(f) {
			at := &asyncType{t: t, module: p.module, function: f.Name, index: idx}
			switch t := t.(type) {
			case *wit.Stream:
				at.payload, at.stream = t.Elem, true
			case *wit.Future:
				at.payload = t.Elem
			}
			kind := "Future"
			if at.stream {
				kind = "Stream"
			}
			at.key = kind + "[" + g.goType(p, at.payload) + "]"
			if seen[at.key] {
				continue
			}
			seen[at.key] = true
			at.id = len(p.streams)
			suffix := g.typeSuffix(p, at.payload)
			at.makeName = p.idents.take("Make" + kind + suffix)
			at.liftName = p.idents.take("Lift" + kind + suffix)
			p.streams = append(p.streams, at)
		}
	}
}

// typeSuffix names a type by concatenating its parts, as in
// MakeFutureResultOptionFieldsErrorCode. Aliases are looked through; types
// from another package are prefixed with their package's words.
func (g *gen) typeSuffix(p *goPkg, t wit.Type) string {
	if t == nil {
		return "Unit"
	}
	switch t := t.(type) {
	case wit.Primitive:
		return pascal(t.String())
	case *wit.TypeDef:
		u := t.Underlying()
		h := g.home[u]
		if h.pkg == p || h.pkg.iface == nil {
			return h.name
		}
		i := h.pkg.iface
		return pascal(i.Package.Name.Namespace) + pascal(i.Package.Name.Name) + pascal(i.Name) + h.name
	case *wit.List:
		if t.Len > 0 {
			return fmt.Sprintf("List%sLen%d", g.typeSuffix(p, t.Elem), t.Len)
		}
		return "List" + g.typeSuffix(p, t.Elem)
	case *wit.Option:
		return "Option" + g.typeSuffix(p, t.Elem)
	case *wit.Result:
		return "Result" + g.typeSuffix(p, t.Ok) + g.typeSuffix(p, t.Err)
	case *wit.Tuple:
		var b strings.Builder
		b.WriteString("Tuple")
		for _, e := range t.Types {
			b.WriteString(g.typeSuffix(p, e))
		}
		return b.String()
	case *wit.Borrow:
		return "Borrow" + g.typeSuffix(p, t.Resource)
	case *wit.Future:
		return "Future" + g.typeSuffix(p, t.Elem)
	case *wit.Stream:
		return "Stream" + g.typeSuffix(p, t.Elem)
	case *wit.Map:
		return "Map" + g.typeSuffix(p, t.Key) + g.typeSuffix(p, t.Value)
	}
	panic(fmt.Sprintf("bindgen: no suffix for %T", t))
}

// asyncLift returns the function of package p (or the package holding the
// vtables of the export being generated) that wraps a received handle.
func (e *emitter) asyncLift(t wit.Type) string {
	src := e.asyncPkg
	if src == nil {
		src = e.p
	}
	kind := "Future"
	var payload wit.Type
	switch t := t.(type) {
	case *wit.Stream:
		kind, payload = "Stream", t.Elem
	case *wit.Future:
		payload = t.Elem
	}
	key := kind + "[" + e.g.goType(src, payload) + "]"
	for _, at := range src.streams {
		if at.key == key {
			return e.g.qualify(e.p, src, at.liftName)
		}
	}
	panic(fmt.Sprintf("bindgen: no vtable for %s in %s", key, src.dir))
}

// emitAsyncTypes writes, per stream or future type, the imported
// built-ins, the vtable the wit/types runtime drives, and the Make and Lift
// constructors.
func (g *gen) emitAsyncTypes(p *goPkg) {
	for _, at := range p.streams {
		g.emitAsyncType(p, at)
	}
}

func (g *gen) emitAsyncType(p *goPkg, at *asyncType) {
	wt := p.use(pkgTypes)
	u := p.use("unsafe")
	elem := g.goType(p, at.payload)
	kind, lk := "Future", "future"
	if at.stream {
		kind, lk = "Stream", "stream"
	}
	pre := fmt.Sprintf("wasm_%s_%d_", lk, at.id)
	intr := func(name string, async bool) string {
		s := fmt.Sprintf("[%s-%s-%d]%s", lk, name, at.index, at.function)
		if async {
			s = "[async-lower]" + s
		}
		return fmt.Sprintf("//go:wasmimport %s %s\n", p.module, s)
	}
	var size, align uint32 = 0, 1
	if at.payload != nil {
		size, align = abi.Size(at.payload), abi.Align(at.payload)
	}
	p.printf("\n%sfunc %snew() int64\n", intr("new", false), pre)
	if at.stream {
		p.printf("\n%sfunc %sread(handle int32, items %s.Pointer, length uint32) uint32\n", intr("read", true), pre, u)
		p.printf("\n%sfunc %swrite(handle int32, items %s.Pointer, length uint32) uint32\n", intr("write", true), pre, u)
	} else {
		p.printf("\n%sfunc %sread(handle int32, item %s.Pointer) uint32\n", intr("read", true), pre, u)
		p.printf("\n%sfunc %swrite(handle int32, item %s.Pointer) uint32\n", intr("write", true), pre, u)
	}
	p.printf("\n%sfunc %scancel_read(handle int32) uint32\n", intr("cancel-read", false), pre)
	p.printf("\n%sfunc %scancel_write(handle int32) uint32\n", intr("cancel-write", false), pre)
	p.printf("\n%sfunc %sdrop_readable(handle int32)\n", intr("drop-readable", false), pre)
	p.printf("\n%sfunc %sdrop_writable(handle int32)\n", intr("drop-writable", false), pre)

	lift, lower := "nil", "nil"
	if at.payload != nil && !direct(at.payload) {
		lift, lower = pre+"lift", pre+"lower"
		e := g.newEmitter(p, "pinner")
		v := e.load(at.payload, "src", 0)
		p.printf("\nfunc %s(src %s.Pointer) %s {\n%sreturn %s\n}\n", lift, u, elem, e.b.String(), v)
		e = g.newEmitter(p, "pinner")
		e.store(at.payload, "value", "dst", 0)
		p.printf("\nfunc %s(pinner *%s.Pinner, value %s, dst %s.Pointer) func() {\n%sreturn func() {}\n}\n",
			lower, p.use("runtime"), elem, u, e.b.String())
	}
	p.printf(`
var %[1]svtable = %[2]s.%[3]sVtable[%[4]s]{
	Size: %[5]d, Align: %[6]d,
	Read: %[1]sread, Write: %[1]swrite,
	CancelRead: %[1]scancel_read, CancelWrite: %[1]scancel_write,
	DropReadable: %[1]sdrop_readable, DropWritable: %[1]sdrop_writable,
	Lift: %[7]s, Lower: %[8]s,
}

// %[9]s creates a %[11]s<%[12]s>: the writer end to produce values and the
// reader end to hand to the host.
func %[9]s() (*%[2]s.%[3]sWriter[%[4]s], *%[2]s.%[3]sReader[%[4]s]) {
	// stream.new and future.new return both handles in one i64: the
	// readable end in the low 32 bits, the writable end in the high ones.
	pair := %[1]snew()
	return %[2]s.Make%[3]sWriter(&%[1]svtable, int32(pair>>32)), %[2]s.Make%[3]sReader(&%[1]svtable, int32(pair))
}

// %[10]s wraps a received %[11]s handle.
func %[10]s(handle int32) *%[2]s.%[3]sReader[%[4]s] {
	return %[2]s.Make%[3]sReader(&%[1]svtable, handle)
}
`, pre, wt, kind, elem, size, align, lift, lower, at.makeName, at.liftName, lk, typeLabel(at.payload))
}

func typeLabel(t wit.Type) string {
	if t == nil {
		return "_"
	}
	return wit.TypeString(t)
}
