package bindgen

import (
	"fmt"
	"strings"

	"github.com/spin-go/sdk/internal/wit"
	"github.com/spin-go/sdk/internal/wit/abi"
)

// exportField is the name of f in an Exports struct.
func (p *goPkg) exportField(f *wit.Function) string { return p.funcs[f] }

// goFuncType is `func(params) results` for f, as an Exports field or an
// interface method (methods drop self).
func (g *gen) goFuncType(p *goPkg, f *wit.Function) string {
	_, decl := g.goParams(p, f)
	return "func(" + decl + ") " + g.goResults(p, f)
}

// emitExportsStruct declares `var Exports struct{...}`: one func field per
// exported function, constructor and static, to be filled in by user code
// or an SDK package in init().
func (g *gen) emitExportsStruct(p *goPkg, funcs []*wit.Function) {
	var fields []string
	for _, f := range funcs {
		if f.Kind == wit.Method {
			continue
		}
		fields = append(fields, fmt.Sprintf("%s%s %s", docComment(f.Docs), p.exportField(f), g.goFuncType(p, f)))
	}
	what := p.key
	if what == "" {
		what = "the world " + g.world.ID()
	}
	p.printf("\n// Exports holds the implementation of %s. Set each field in an init\n// function; calling an export whose field is nil traps.\nvar Exports struct {\n%s\n}\n", what, strings.Join(fields, "\n"))
}

// emitExportedResource declares a resource this component implements: an
// interface for its methods, and a table from representations (the i32 the
// host stores) to Go values.
func (g *gen) emitExportedResource(p *goPkg, td *wit.TypeDef, name string, funcs []*wit.Function) {
	rn := g.home[td].res
	var methods []string
	for _, f := range funcs {
		if f.Kind == wit.Method && f.Resource == td {
			methods = append(methods, fmt.Sprintf("%s%s%s", docComment(f.Docs), p.funcs[f], strings.TrimPrefix(g.goFuncType(p, f), "func")))
		}
	}
	id := snake(td.Name)
	p.printf(`type %[1]s interface {
%[2]s
}

// The host refers to each %[1]s by a representation number; the table maps
// them to Go values.
var (
	table_%[3]s = map[int32]%[1]s{}
	next_%[3]s int32
	taking_%[3]s int32
)

// %[4]s registers v and returns a new owned handle to pass to the host.
func %[4]s(v %[1]s) int32 {
	next_%[3]s++
	table_%[3]s[next_%[3]s] = v
	return wasm_resource_new_%[3]s(next_%[3]s)
}

// %[5]s returns the representation of v, registering it if needed.
func %[5]s(v %[1]s) int32 {
	for rep, w := range table_%[3]s {
		if w == v {
			return rep
		}
	}
	next_%[3]s++
	table_%[3]s[next_%[3]s] = v
	return next_%[3]s
}

// %[6]s returns the value behind a representation (a borrow).
func %[6]s(rep int32) %[1]s { return table_%[3]s[rep] }

// %[7]s takes back an owned handle: the handle is dropped and the Go value
// returned without running its Drop method.
func %[7]s(handle int32) %[1]s {
	rep := wasm_resource_rep_%[3]s(handle)
	v := table_%[3]s[rep]
	taking_%[3]s = rep
	wasm_resource_drop_%[3]s(handle)
	taking_%[3]s = 0
	return v
}

// %[8]s is the destructor the host calls when the last handle is dropped;
// it calls Drop() on values that have one.
func %[8]s(rep int32) {
	v := table_%[3]s[rep]
	delete(table_%[3]s, rep)
	if d, ok := v.(interface{ Drop() }); ok && rep != taking_%[3]s {
		d.Drop()
	}
}

//go:wasmimport %[9]s [resource-new]%[10]s
func wasm_resource_new_%[3]s(rep int32) int32

//go:wasmimport %[9]s [resource-rep]%[10]s
func wasm_resource_rep_%[3]s(handle int32) int32

//go:wasmimport %[9]s [resource-drop]%[10]s
func wasm_resource_drop_%[3]s(handle int32)
`, name, strings.Join(methods, "\n"), id, rn.toHandle, rn.rep, rn.fromRep, rn.fromHandle, rn.destroy, p.module, td.Name)
}

// emitShims writes wit_exports: one //go:wasmexport per exported function
// (plus post-return, callback and task.return as the ABI needs) and the
// destructors of exported resources.
func (g *gen) emitShims(p *goPkg) {
	p.printf("var exportPinner_ = &%s.Pinner{}\n", p.use("runtime"))
	for _, it := range g.world.Exports {
		switch {
		case it.Function != nil:
			g.emitShim(p, g.rootExp, "", it.Function)
		case it.Interface != nil:
			ep := g.exports[it.Interface]
			if it.Named() {
				ep = g.named[it]
			}
			for _, td := range it.Interface.TypeDefs {
				if _, ok := td.Kind.(*wit.Resource); ok && g.home[td].pkg == ep {
					p.printf("\n//go:wasmexport %s#[dtor]%s\nfunc wasm_export_dtor_%s_%s(rep int32) {\n%s(rep)\n}\n",
						it.Key, td.Name, coreName(ep.name), snake(td.Name), g.qualify(p, ep, g.home[td].res.destroy))
				}
			}
			for _, f := range it.Interface.Functions {
				g.emitShim(p, ep, it.Key+"#", f)
			}
		}
	}
}

// callExport emits the call of the user's implementation and returns the
// expression of its result (a TupleN for tuple results), or "".
func (g *gen) callExport(e *emitter, ep *goPkg, f *wit.Function, args []string, exportName string) string {
	p := e.p
	var call string
	switch f.Kind {
	case wit.Method:
		call = fmt.Sprintf("%s.%s(%s)", args[0], ep.funcs[f], strings.Join(args[1:], ", "))
	default:
		field := g.qualify(p, ep, "Exports."+ep.exportField(f))
		fn := e.tmp("impl")
		e.line("%s := %s", fn, field)
		e.line("if %s == nil {\npanic(%q)\n}", fn, fmt.Sprintf("componentize-go: export %s is not implemented: set %s.Exports.%s in an init function", exportName, ep.name, ep.exportField(f)))
		call = fmt.Sprintf("%s(%s)", fn, strings.Join(args, ", "))
	}
	switch t := f.Result.(type) {
	case nil:
		e.line("%s", call)
		return ""
	case *wit.Tuple:
		var parts, fields []string
		for i := range t.Types {
			v := e.tmp("r")
			parts = append(parts, v)
			fields = append(fields, fmt.Sprintf("F%d: %s", i, v))
		}
		e.line("%s := %s", strings.Join(parts, ", "), call)
		tuple := e.tmp("tuple")
		e.line("%s := %s{%s}", tuple, g.goType(p, t), strings.Join(fields, ", "))
		return tuple
	}
	r := e.tmp("result")
	e.line("%s := %s", r, call)
	return r
}

// liftArgs lifts the core arguments of an export into Go values.
func (g *gen) liftArgs(e *emitter, f *wit.Function, sig abi.Signature) []string {
	var args []string
	if sig.IndirectParams {
		tuple := paramTypes(f)
		offs := abi.FieldOffsets(tuple)
		base := e.tmp("params")
		e.line("%s := %s", base, e.addr("arg0"))
		for i, prm := range f.Params {
			v := e.tmp("arg")
			e.line("%s := %s", v, e.load(prm.Type, base, offs[i]))
			args = append(args, v)
		}
		return args
	}
	var core []string
	for i := range sig.Params {
		core = append(core, fmt.Sprintf("arg%d", i))
	}
	c := &cursor{vals: core}
	for _, prm := range f.Params {
		v := e.tmp("arg")
		e.line("%s := %s", v, e.liftFlat(prm.Type, c))
		args = append(args, v)
	}
	return args
}

func (e *emitter) dropBorrows() {
	for _, b := range e.borrows {
		e.line("%s(%s)", b.drop, b.handle)
	}
}

// emitShim writes the export of one function, synchronous or async.
func (g *gen) emitShim(p, ep *goPkg, prefix string, f *wit.Function) {
	name := prefix + f.Name
	ident := coreName(prefix + f.Name)
	sig := abi.Lift(f)
	e := g.newEmitter(p, "exportPinner_")
	e.asyncPkg = ep
	args := g.liftArgs(e, f, sig)
	if f.Async {
		g.emitAsyncShim(p, ep, f, name, ident, sig, e, args)
		return
	}
	result := g.callExport(e, ep, f, args, name)
	e.dropBorrows()
	switch {
	case sig.IndirectResult:
		ret := e.tmp("ret")
		e.line("%s := %s.Allocate(exportPinner_, %d, %d)", ret, p.use(pkgRuntime), abi.Size(f.Result), abi.Align(f.Result))
		e.store(f.Result, result, ret, 0)
		g.releaseHostMemory(e)
		e.line("return %s", e.ptrInt(ret))
	case len(sig.Results) == 1:
		vals := e.lowerFlat(f.Result, result)
		g.releaseHostMemory(e)
		e.line("return %s", vals[0])
	default:
		g.releaseHostMemory(e)
	}
	p.printf("\n//go:wasmexport %s\nfunc wasm_export_%s(%s) %s {\n%s}\n", name, ident, coreDecl(sig.Params), coreResult(sig.Results), e.b.String())
	if abi.PostReturn(f) {
		// The host calls post-return once it has copied the result out;
		// only then may the return area go.
		p.printf("\n//go:wasmexport cabi_post_%s\nfunc wasm_export_post_%s(%s) {\nexportPinner_.Unpin()\n}\n", name, ident, coreDecl(sig.Results))
	}
}

// releaseHostMemory unpins what the host allocated through cabi_realloc for
// this call's arguments, once they are lifted. Only worlds without async
// are safe: with async, the host may have written results for other
// pending calls into memory that is not lifted yet.
func (g *gen) releaseHostMemory(e *emitter) {
	if !abi.WorldNeedsAsync(g.world) {
		e.line("%s.Unpin()", e.p.use(pkgRuntime))
	}
}

// emitAsyncShim writes the async-lifted export with its callback and the
// task.return import, following the callback ABI of wit/async: Run starts
// the task in a goroutine and returns to the host when nothing can run.
func (g *gen) emitAsyncShim(p, ep *goPkg, f *wit.Function, name, ident string, sig abi.Signature, lift *emitter, args []string) {
	body := g.newEmitter(p, "pinner_")
	body.asyncPkg = ep
	body.borrows = lift.borrows
	result := g.callExport(body, ep, f, args, name)
	body.dropBorrows()
	tr := abi.TaskReturn(f)
	var trArgs []string
	if f.Result != nil {
		if tr.IndirectParams {
			buf := body.tmp("ret")
			body.line("%s := %s.Allocate(%s, %d, %d)", buf, p.use(pkgRuntime), body.pin(), abi.Size(f.Result), abi.Align(f.Result))
			body.store(f.Result, result, buf, 0)
			trArgs = []string{body.ptrInt(buf)}
		} else {
			trArgs = body.lowerFlat(f.Result, result)
		}
	}
	body.line("wasm_task_return_%s(%s)", ident, strings.Join(trArgs, ", "))
	inner := body.b.String()
	if body.needPinner {
		inner = fmt.Sprintf("pinner_ := &%s.Pinner{}\ndefer pinner_.Unpin()\n", p.use("runtime")) + inner
	}
	wa := p.use(pkgAsync)
	p.printf("\n//go:wasmexport [async-lift]%s\nfunc wasm_export_%s(%s) int32 {\n%sliveTasks_++\ninTask_ = true\nreturn int32(exitTask_(%s.Run(func() {\n%s})))\n}\n",
		name, ident, coreDecl(sig.Params), lift.b.String(), wa, inner)
	p.printf("\n//go:wasmexport [callback][async-lift]%s\nfunc wasm_callback_%s(event0, event1, event2 uint32) uint32 {\ninTask_ = true\nreturn exitTask_(%s.Callback(event0, event1, event2))\n}\n",
		name, ident, wa)
	module := "[export]" + strings.TrimSuffix(strings.TrimSuffix(name, f.Name), "#")
	if module == "[export]" {
		module = "[export]$root"
	}
	p.printf("\n//go:wasmimport %s [task-return]%s\nfunc wasm_task_return_%s(%s)\n", module, f.Name, ident, coreDecl(tr.Params))
	if !p.helpers["exitTask_"] {
		p.helpers["exitTask_"] = true
		fmt.Fprintf(&p.aux, `
// inTask_ is set while an async export or its callback runs guest code;
// the scheduler's timer hook may only start host waits then.
var inTask_ bool

// liveTasks_ counts the async export tasks that have started and not
// exited.
var liveTasks_ int

// exitTask_ runs when guest code hands control back to the host. Memory
// the host allocates through cabi_realloc for strings and lists stays
// pinned (by wit/runtime, all in one Pinner) until it is released here,
// and only once no task is live. A task waiting on an async import or a
// future or stream read may already have its result in such memory: a host
// may lower a result as soon as it is ready (Wasmtime does), while the
// instance runs another task, and the waiting task lifts it only when its
// event is delivered. Released at every task's exit, that memory could be
// collected before it was lifted. When no task is live, nothing is pending.
// Spin 4 gives an instance at most 128 requests, which bounds what is held
// while tasks overlap.
func exitTask_(code uint32) uint32 {
	inTask_ = false
	if code&0xf == %[1]s.CALLBACK_CODE_EXIT {
		if liveTasks_--; liveTasks_ == 0 {
			%[2]s.Unpin()
		}
	}
	return code
}
`, wa, p.use(pkgRuntime))
		g.emitTimerHook(p)
	}
}

// emitTimerHook lets sleeping goroutines wake up in async worlds. When no
// goroutine can run but a timer is due, the runtime overlay's beforeIdle
// calls the hook registered here (runtime.wasiOnTimer), which starts a
// host-side wait (wasi:clocks/monotonic-clock wait-for) ending at the
// deadline; the async runtime then returns to the host with that wait
// pending, and the callback resumes the guest when it ends. Worlds that do
// not import a WASI 0.3 monotonic clock get no hook: the Go runtime then
// sleeps in poll_oneoff, blocking the instance until the timer fires.
func (g *gen) emitTimerHook(p *goPkg) {
	var clock *wit.Interface
	for _, it := range g.world.Imports {
		if it.Interface != nil && !it.Named() && strings.HasPrefix(it.Key, "wasi:clocks/monotonic-clock@0.3") {
			clock = it.Interface
			break
		}
	}
	if clock == nil || clock.Function("wait-for") == nil || g.imports[clock] == nil {
		return
	}
	mc := p.use(g.imports[clock].path)
	p.use("unsafe") // for go:linkname
	fmt.Fprintf(&p.aux, `
//go:linkname wasiOnTimer runtime.wasiOnTimer
func wasiOnTimer(fn func(deadline int64) bool)

//go:linkname wasiNanotime runtime.wasiNanotime
func wasiNanotime() int64

var (
	timerWake_    = make(chan int64)
	timerPending_ []int64 // deadlines host waits have been started for
)

func init() {
	go timerDispatch_()
	wasiOnTimer(func(deadline int64) bool {
		if !inTask_ {
			return false
		}
		for _, d := range timerPending_ {
			if d <= deadline {
				return false // a wait ending no later is already pending
			}
		}
		// Called by the scheduler: hand the deadline to the dispatcher
		// without blocking (it is parked receiving when idle).
		select {
		case timerWake_ <- deadline:
			timerPending_ = append(timerPending_, deadline)
			return true
		default:
			return false
		}
	})
}

// timerDispatch_ starts one host wait per deadline it is told about.
func timerDispatch_() {
	for deadline := range timerWake_ {
		go func(deadline int64) {
			delay := deadline - wasiNanotime()
			if delay < 0 {
				delay = 0
			}
			%[1]s.WaitFor(uint64(delay))
			for i, d := range timerPending_ {
				if d == deadline {
					timerPending_ = append(timerPending_[:i], timerPending_[i+1:]...)
					break
				}
			}
		}(deadline)
	}
}
`, mc)
}
