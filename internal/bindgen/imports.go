package bindgen

import (
	"fmt"
	"strings"

	"github.com/spin-go/sdk/internal/wit"
	"github.com/spin-go/sdk/internal/wit/abi"
)

// emitPackage writes everything that goes into package p.
func (g *gen) emitPackage(p *goPkg) {
	switch {
	case p == g.shims:
		g.emitShims(p)
	case p.iface != nil:
		g.emitTypes(p, p.iface.TypeDefs, p.iface.Functions)
		g.emitAsyncTypes(p)
		if p.export {
			g.emitExportsStruct(p, p.iface.Functions)
			return
		}
		for _, f := range p.iface.Functions {
			g.emitImportFunc(p, f)
		}
	case p == g.rootImp:
		g.emitTypes(p, g.world.TypeDefs, g.pkgFuncs(p))
		g.emitAsyncTypes(p)
		for _, f := range g.pkgFuncs(p) {
			g.emitImportFunc(p, f)
		}
	case p == g.rootExp:
		g.emitAsyncTypes(p)
		g.emitExportsStruct(p, g.pkgFuncs(p))
	}
}

// coreName turns a component-level function name into part of a Go
// identifier: `[method]fields.get` → method_fields_get.
func coreName(name string) string {
	return strings.Trim(strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return '_'
	}, name), "_")
}

// goParams returns the Go parameter names and the parameter list of f as
// seen by callers; a method's `self` becomes the receiver.
func (g *gen) goParams(p *goPkg, f *wit.Function) ([]string, string) {
	var names, decls []string
	for i, prm := range f.Params {
		if i == 0 && f.Kind == wit.Method {
			names = append(names, "self")
			continue
		}
		n := camel(prm.Name)
		names = append(names, n)
		decls = append(decls, n+" "+g.goType(p, prm.Type))
	}
	return names, strings.Join(decls, ", ")
}

// goResults is the result list of f in Go: a tuple result is returned as
// several values, as in `response, send := ResponseNew(...)`.
func (g *gen) goResults(p *goPkg, f *wit.Function) string {
	switch t := f.Result.(type) {
	case nil:
		return ""
	case *wit.Tuple:
		var parts []string
		for _, e := range t.Types {
			parts = append(parts, g.goType(p, e))
		}
		return "(" + strings.Join(parts, ", ") + ")"
	}
	return g.goType(p, f.Result)
}

func paramTypes(f *wit.Function) *wit.Tuple {
	t := &wit.Tuple{}
	for _, prm := range f.Params {
		t.Types = append(t.Types, prm.Type)
	}
	return t
}

// coreDecl is the Go parameter list for core values.
func coreDecl(types []abi.CoreType) string {
	var parts []string
	for i, c := range types {
		parts = append(parts, fmt.Sprintf("arg%d %s", i, coreGo(c)))
	}
	return strings.Join(parts, ", ")
}

func coreResult(types []abi.CoreType) string {
	if len(types) == 0 {
		return ""
	}
	return coreGo(types[0])
}

// emitImportFunc writes the Go wrapper of an imported function: lower the
// arguments (through memory beyond the flat limits), call the core import,
// wait for the subtask if the function is async, and lift the result.
func (g *gen) emitImportFunc(p *goPkg, f *wit.Function) {
	sig := abi.Lower(f)
	e := g.newEmitter(p, "pinner_")
	names, _ := g.goParams(p, f)
	var args []string
	if sig.IndirectParams {
		// Too many flat values: the arguments go in memory laid out as a
		// tuple of the parameters, passed by pointer.
		tuple := paramTypes(f)
		buf := e.tmp("params")
		e.line("%s := %s.Allocate(%s, %d, %d)", buf, p.use(pkgRuntime), e.pin(), abi.Size(tuple), abi.Align(tuple))
		offs := abi.FieldOffsets(tuple)
		for i, prm := range f.Params {
			e.store(prm.Type, names[i], buf, offs[i])
		}
		args = []string{e.ptrInt(buf)}
	} else {
		for i, prm := range f.Params {
			args = append(args, e.lowerFlat(prm.Type, names[i])...)
		}
	}
	g.finishImport(p, f, e, sig, args)
}

func (g *gen) finishImport(p *goPkg, f *wit.Function, e *emitter, sig abi.Signature, args []string) {
	ident := coreName(f.Name)
	if f.Async {
		ident = "async_" + ident
	}
	core := "wasm_import_" + ident
	var ret string
	if sig.RetPtr {
		ret = e.tmp("ret")
		e.line("%s := resultArea_(%d)", ret, abi.Size(f.Result))
		g.emitResultArea(p)
		args = append(args, e.ptrInt(ret))
	}
	call := fmt.Sprintf("%s(%s)", core, strings.Join(args, ", "))
	var result string
	switch {
	case f.Async:
		e.line("%s.SubtaskWait(uint32(%s))", p.use(pkgAsync), call)
	case len(sig.Results) == 1:
		r := e.tmp("result")
		e.line("%s := %s", r, call)
		result = e.liftFlat(f.Result, &cursor{vals: []string{r}})
	default:
		e.line("%s", call)
	}
	if sig.RetPtr {
		result = e.load(f.Result, ret, 0)
	}
	if f.Result != nil {
		if tu, ok := f.Result.(*wit.Tuple); ok {
			v := e.tmp("tuple")
			e.line("%s := %s", v, result)
			var parts []string
			for i := range tu.Types {
				parts = append(parts, fmt.Sprintf("%s.F%d", v, i))
			}
			e.line("return %s", strings.Join(parts, ", "))
		} else {
			e.line("return %s", result)
		}
	}

	_, decl := g.goParams(p, f)
	results := g.goResults(p, f)
	p.printf("\n%s", docComment(f.Docs))
	switch f.Kind {
	case wit.Method:
		p.printf("func (self *%s) %s(%s) %s {\n", g.home[f.Resource].name, p.funcs[f], decl, results)
	default:
		p.printf("func %s(%s) %s {\n", p.funcs[f], decl, results)
	}
	if e.needPinner {
		p.printf("pinner_ := &%s.Pinner{}\ndefer pinner_.Unpin()\n", p.use("runtime"))
	}
	p.printf("%s}\n", e.b.String())
	name := f.Name
	if f.Async {
		name = "[async-lower]" + name
	}
	p.printf("\n//go:wasmimport %s %s\nfunc %s(%s) %s\n", p.module, name, core, coreDecl(sig.Params), coreResult(sig.Results))
}

// emitResultArea writes, once per package, the allocator of the memory an
// import writes its results to. Unlike wit/runtime.Allocate it does not
// pin. Go's collector never moves a heap object, and the wrapper reads the
// results through the pointer after the call (after the wait, for an async
// import, where the host writes them while the goroutine is parked), so the
// pointer is live, and the memory reachable, for as long as the host may
// write to it: the same guarantee as for any local used after a blocking
// receive. A Pinner per call cost an allocation (with a finalizer when the
// P's cached pinner was in use), a pin and an unpin. The memory the host
// allocates for strings and lists in the results (cabi_realloc) is still
// pinned by wit/runtime until the lifted values reference it. The area
// must be on the heap (see resultArea_).
func (g *gen) emitResultArea(p *goPkg) {
	if p.helpers["resultArea_"] {
		return
	}
	p.helpers["resultArea_"] = true
	fmt.Fprintf(&p.aux, `
// resultArea_ allocates size bytes, 8-aligned, for an import's results.
// It must not be inlined: inlined, escape analysis would see that the
// memory does not escape the caller and put it on the goroutine stack,
// which moves when Go code the host calls back into (cabi_realloc) grows
// it, and the host's results would land in the old copy.
//
//go:noinline
func resultArea_(size uintptr) %[1]s.Pointer {
	return %[1]s.Pointer(%[1]s.SliceData(make([]uint64, (size+7)/8)))
}
`, p.use("unsafe"))
}
