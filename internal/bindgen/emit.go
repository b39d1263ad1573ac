package bindgen

import (
	"fmt"
	"strings"

	"github.com/spin-go/sdk/internal/wit"
	"github.com/spin-go/sdk/internal/wit/abi"
)

// emitter writes the body of one generated function: the statements that
// lower Go values to core values or linear memory and lift them back.
type emitter struct {
	g *gen
	p *goPkg
	b strings.Builder
	// pinner names the *runtime.Pinner variable that keeps lowered memory
	// alive; needPinner is set once it is used.
	pinner     string
	needPinner bool
	// asyncPkg holds the stream and future vtables lifted values use; nil
	// means the package being written.
	asyncPkg *goPkg
	// borrows collects lifted borrow handles of imported resources; an
	// export must drop them before it returns (CanonicalABI.md: a task
	// traps on return while num_borrows > 0).
	borrows []borrowed
}

type borrowed struct {
	handle string
	drop   string // qualified drop function
}

func (g *gen) newEmitter(p *goPkg, pinner string) *emitter {
	return &emitter{g: g, p: p, pinner: pinner}
}

func (e *emitter) line(format string, args ...any) {
	fmt.Fprintf(&e.b, format, args...)
	e.b.WriteByte('\n')
}

func (e *emitter) tmp(prefix string) string { return e.p.fresh(prefix) }

func (e *emitter) pin() string {
	e.needPinner = true
	return e.pinner
}

// coreGo is the Go type a core value is passed as.
func coreGo(c abi.CoreType) string {
	return map[abi.CoreType]string{abi.I32: "int32", abi.I64: "int64", abi.F32: "float32", abi.F64: "float64"}[c]
}

// addr returns an expression turning a linear-memory address (an integer
// expression) into an unsafe.Pointer. unsafe.Add from nil keeps go vet's
// unsafeptr check happy: no uintptr is converted to a pointer.
func (e *emitter) addr(a string) string {
	u := e.p.use("unsafe")
	return fmt.Sprintf("%s.Add(%s.Pointer(nil), uintptr(uint32(%s)))", u, u, a)
}

// ptrInt turns a pointer expression into the i32 core value of its address.
func (e *emitter) ptrInt(ptr string) string {
	return fmt.Sprintf("int32(uintptr(%s))", ptr)
}

func (e *emitter) at(base string, off uint32) string {
	if off == 0 {
		return base
	}
	return fmt.Sprintf("%s.Add(%s, %d)", e.p.use("unsafe"), base, off)
}

// direct reports whether Go stores a slice element of type t exactly as the
// canonical ABI does, so lists of it can be passed without copying.
func direct(t wit.Type) bool {
	switch t := wit.Dealias(t).(type) {
	case wit.Primitive:
		return t != wit.String && t != wit.ErrorContext
	}
	return false
}

// variantCase describes one case of a variant-like type for code that
// switches on it.
type variantCase struct {
	typ     wit.Type
	match   string                // case label for a switch on the tag
	payload func(v string) string // reads the payload from a value
	build   func(x string) string // builds the value from a payload
}

// cases returns the tag expression and cases of an option, result or
// variant value v.
func (e *emitter) cases(t wit.Type, v string) (string, []variantCase) {
	wt := e.p.use(pkgTypes)
	switch t := wit.Dealias(t).(type) {
	case *wit.Option:
		gt := e.g.goType(e.p, t.Elem)
		return v + ".Tag()", []variantCase{
			{match: wt + ".OptionNone", build: func(string) string { return fmt.Sprintf("%s.None[%s]()", wt, gt) }},
			{typ: t.Elem, match: wt + ".OptionSome", payload: func(v string) string { return v + ".Some()" },
				build: func(x string) string { return fmt.Sprintf("%s.Some[%s](%s)", wt, gt, x) }},
		}
	case *wit.Result:
		ok, er := e.g.goType(e.p, t.Ok), e.g.goType(e.p, t.Err)
		mk := func(ctor string, typ wit.Type) func(string) string {
			return func(x string) string {
				if typ == nil {
					x = wt + ".Unit{}"
				}
				return fmt.Sprintf("%s.%s[%s, %s](%s)", wt, ctor, ok, er, x)
			}
		}
		return v + ".Tag()", []variantCase{
			{typ: t.Ok, match: wt + ".ResultOk", payload: func(v string) string { return v + ".Ok()" }, build: mk("Ok", t.Ok)},
			{typ: t.Err, match: wt + ".ResultErr", payload: func(v string) string { return v + ".Err()" }, build: mk("Err", t.Err)},
		}
	case *wit.TypeDef:
		switch k := t.Kind.(type) {
		case *wit.Variant:
			h := e.g.home[t]
			var out []variantCase
			for i, c := range k.Cases {
				cn := pascal(c.Name)
				vc := variantCase{typ: c.Type, match: e.g.qualify(e.p, h.pkg, h.consts[i])}
				ctor := e.g.qualify(e.p, h.pkg, h.ctors[i])
				if c.Type == nil {
					vc.build = func(string) string { return ctor + "()" }
				} else {
					vc.payload = func(v string) string { return v + "." + cn + "()" }
					vc.build = func(x string) string { return ctor + "(" + x + ")" }
				}
				out = append(out, vc)
			}
			return v + ".Tag()", out
		case *wit.Enum:
			var out []variantCase
			q := e.g.qualified(e.p, t)
			for i := range k.Cases {
				i := i
				out = append(out, variantCase{match: fmt.Sprintf("%d", i), build: func(string) string { return fmt.Sprintf("%s(%d)", q, i) }})
			}
			return v, out
		}
	}
	panic(fmt.Sprintf("bindgen: %T is not variant-like", t))
}

// isVariantLike reports whether t lowers as a canonical-ABI variant.
func isVariantLike(t wit.Type) bool {
	switch t := wit.Dealias(t).(type) {
	case *wit.Option, *wit.Result:
		return true
	case *wit.TypeDef:
		switch t.Kind.(type) {
		case *wit.Variant, *wit.Enum:
			return true
		}
	}
	return false
}

// widen converts a payload core value into a joined variant slot
// (CanonicalABI.md lower_flat_variant: f32→i32 by bits, i32→i64 zero-extended,
// f32/f64→i64 by bits).
func (e *emitter) widen(x string, have, want abi.CoreType) string {
	if have == want {
		return x
	}
	if have == abi.I32 && want == abi.I64 {
		return fmt.Sprintf("int64(uint32(%s))", x)
	}
	m := e.p.use("math")
	switch {
	case have == abi.F32 && want == abi.I32:
		return fmt.Sprintf("int32(%s.Float32bits(%s))", m, x)
	case have == abi.F32 && want == abi.I64:
		return fmt.Sprintf("int64(%s.Float32bits(%s))", m, x)
	case have == abi.F64 && want == abi.I64:
		return fmt.Sprintf("int64(%s.Float64bits(%s))", m, x)
	}
	panic(fmt.Sprintf("bindgen: cannot widen %s to %s", have, want))
}

// narrow is the inverse of widen (lift_flat_variant).
func (e *emitter) narrow(x string, have, want abi.CoreType) string {
	if have == want {
		return x
	}
	if have == abi.I64 && want == abi.I32 {
		return fmt.Sprintf("int32(%s)", x)
	}
	m := e.p.use("math")
	switch {
	case have == abi.I32 && want == abi.F32:
		return fmt.Sprintf("%s.Float32frombits(uint32(%s))", m, x)
	case have == abi.I64 && want == abi.F32:
		return fmt.Sprintf("%s.Float32frombits(uint32(%s))", m, x)
	case have == abi.I64 && want == abi.F64:
		return fmt.Sprintf("%s.Float64frombits(uint64(%s))", m, x)
	}
	panic(fmt.Sprintf("bindgen: cannot narrow %s to %s", have, want))
}

// memWidth is the Go type used to access an integer of n bytes in memory.
func memWidth(n uint32) string {
	return map[uint32]string{1: "uint8", 2: "uint16", 4: "uint32", 8: "uint64"}[n]
}
