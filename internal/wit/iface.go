package wit

import (
	"strings"

	"github.com/spin-go/sdk/internal/wit/syntax"
)

const (
	unresolved = iota
	resolving
	resolved
)

// maxFlags is the largest flags type the canonical ABI accepts
// (CanonicalABI.md: `assert(0 < n <= 32)` in alignment_flags).
const maxFlags = 32

// resolveInterfaceSrc resolves a named interface of the package being
// resolved, after the local interfaces it uses.
func (ps *pkgScope) resolveInterfaceSrc(is *ifaceSrc, from *Pos) error {
	switch is.state {
	case resolved:
		return nil
	case resolving:
		pos := is.iface.Pos
		if from != nil {
			pos = *from
		}
		return ps.cycleError(pos, "interface", is.iface.Name)
	}
	is.state = resolving
	if err := ps.fillInterface(is.iface, is.ast.Items, is.unit); err != nil {
		return err
	}
	is.state = resolved
	return nil
}

// ensure makes sure an interface of this package is resolved before its
// types are used.
func (ps *pkgScope) ensure(iface *Interface, pos Pos) error {
	if iface.Package != ps.pkg || iface.Name == "" {
		return nil
	}
	if is, ok := ps.ifaces[iface.Name]; ok && is.iface == iface {
		return ps.resolveInterfaceSrc(is, &pos)
	}
	return nil
}

// scope maps the type names visible in an interface or world.
type scope struct {
	types map[string]*TypeDef
	names map[string]Pos // every exported name, lower-cased, for collisions
	where string         // "interface x" or "world y", for messages
}

func newScope(where string) *scope {
	return &scope{types: map[string]*TypeDef{}, names: map[string]Pos{}, where: where}
}

// declare reserves a name; names must be unique regardless of case, as
// component-level names are.
func (s *scope) declare(name string, pos Pos) error {
	key := strings.ToLower(name)
	if prev, ok := s.names[key]; ok {
		return errorf(pos, "'%s' is defined more than once in %s (first at %s)", name, s.where, prev)
	}
	s.names[key] = pos
	return nil
}

// useTypes resolves a `use path.{names}` item into alias type definitions.
func (ps *pkgScope) useTypes(u *syntax.Use, unit *unitScope, sc *scope, add func(*TypeDef)) (*Interface, error) {
	target, err := ps.lookupInterface(u.Path, unit)
	if err != nil {
		return nil, err
	}
	if err := ps.ensure(target, u.Path.Pos); err != nil {
		return nil, err
	}
	for _, n := range u.Names {
		orig := target.TypeDef(n.Name.Name)
		if orig == nil {
			return nil, errorf(n.Name.Pos, "type '%s' is not defined in interface %s", n.Name.Name, ifaceLabel(target))
		}
		name, pos := n.Name.Name, n.Name.Pos
		if n.As != nil {
			name, pos = n.As.Name, n.As.Pos
		}
		if err := sc.declare(name, pos); err != nil {
			return nil, err
		}
		td := &TypeDef{Name: name, Kind: &Alias{Target: orig}, Stability: stability(u.Gate), Pos: pos}
		sc.types[name] = td
		add(td)
	}
	return target, nil
}

func ifaceLabel(i *Interface) string {
	if i.Name == "" {
		return "(inline interface)"
	}
	return i.ID()
}

// fillInterface resolves the items of an interface (named or inline).
func (ps *pkgScope) fillInterface(iface *Interface, items []syntax.InterfaceItem, unit *unitScope) error {
	where := "interface " + iface.Name
	if iface.Name == "" {
		where = "inline interface"
	}
	sc := newScope(where)
	addUse := func(target *Interface) {
		for _, u := range iface.Uses {
			if u == target {
				return
			}
		}
		iface.Uses = append(iface.Uses, target)
	}
	for _, it := range items {
		u, ok := it.(*syntax.Use)
		if !ok || !ps.r.enabled(u.Gate) {
			continue
		}
		target, err := ps.useTypes(u, unit, sc, func(td *TypeDef) {
			td.Interface = iface
			iface.TypeDefs = append(iface.TypeDefs, td)
		})
		if err != nil {
			return err
		}
		if target == iface {
			return errorf(u.Path.Pos, "interface %s cannot use types from itself", iface.Name)
		}
		addUse(target)
	}
	var defs []*syntax.TypeDef
	var funcs []*syntax.Func
	for _, it := range items {
		switch it := it.(type) {
		case *syntax.TypeDef:
			if ps.r.enabled(it.Gate) {
				defs = append(defs, it)
			}
		case *syntax.Func:
			if ps.r.enabled(it.Gate) {
				funcs = append(funcs, it)
			}
		}
	}
	tds, err := ps.declareTypes(defs, sc)
	if err != nil {
		return err
	}
	for _, td := range tds {
		td.Interface = iface
	}
	iface.TypeDefs = append(iface.TypeDefs, tds...)
	if err := ps.defineTypes(defs, tds, sc); err != nil {
		return err
	}
	for i, d := range defs {
		fs, err := ps.resourceFuncs(d, tds[i], sc)
		if err != nil {
			return err
		}
		iface.Functions = append(iface.Functions, fs...)
	}
	for _, f := range funcs {
		if err := sc.declare(f.Name.Name, f.Name.Pos); err != nil {
			return err
		}
		fn, err := ps.function(f.Name.Name, f.Type, sc)
		if err != nil {
			return err
		}
		fn.Docs, fn.Stability, fn.Pos = f.Docs, stability(f.Gate), f.Name.Pos
		iface.Functions = append(iface.Functions, fn)
	}
	return nil
}

// declareTypes creates the named types first so that definitions may refer
// to types declared later in the same scope.
func (ps *pkgScope) declareTypes(defs []*syntax.TypeDef, sc *scope) ([]*TypeDef, error) {
	tds := make([]*TypeDef, len(defs))
	for i, d := range defs {
		if err := sc.declare(d.Name.Name, d.Name.Pos); err != nil {
			return nil, err
		}
		tds[i] = &TypeDef{Name: d.Name.Name, Docs: d.Docs, Stability: stability(d.Gate), Pos: d.Name.Pos}
		sc.types[d.Name.Name] = tds[i]
	}
	return tds, nil
}

// defineTypes resolves the bodies of declared types and rejects types that
// contain themselves.
func (ps *pkgScope) defineTypes(defs []*syntax.TypeDef, tds []*TypeDef, sc *scope) error {
	for i, d := range defs {
		kind, err := ps.typeDefKind(d, sc)
		if err != nil {
			return err
		}
		tds[i].Kind = kind
	}
	for _, td := range tds {
		if err := checkRecursion(td, nil); err != nil {
			return err
		}
	}
	return nil
}

func (ps *pkgScope) typeDefKind(d *syntax.TypeDef, sc *scope) (TypeDefKind, error) {
	what := func(kind string) string { return kind + " " + d.Name.Name }
	switch k := d.Kind.(type) {
	case *syntax.Alias:
		t, err := ps.typ(k.Type, sc)
		return &Alias{Target: t}, err
	case *syntax.Record:
		rec := &Record{}
		seen := map[string]bool{}
		for _, f := range k.Fields {
			if seen[f.Name.Name] {
				return nil, errorf(f.Name.Pos, "field '%s' appears twice in %s", f.Name.Name, what("record"))
			}
			seen[f.Name.Name] = true
			t, err := ps.typ(f.Type, sc)
			if err != nil {
				return nil, err
			}
			rec.Fields = append(rec.Fields, Field{Name: f.Name.Name, Type: t, Docs: f.Docs})
		}
		return rec, nil
	case *syntax.Variant:
		v := &Variant{}
		seen := map[string]bool{}
		for _, c := range k.Cases {
			if seen[c.Name.Name] {
				return nil, errorf(c.Name.Pos, "case '%s' appears twice in %s", c.Name.Name, what("variant"))
			}
			seen[c.Name.Name] = true
			var t Type
			if c.Type != nil {
				var err error
				if t, err = ps.typ(c.Type, sc); err != nil {
					return nil, err
				}
			}
			v.Cases = append(v.Cases, Case{Name: c.Name.Name, Type: t, Docs: c.Docs})
		}
		return v, nil
	case *syntax.Enum:
		labels, err := labelsOf(k.Cases, what("enum"), "case")
		return &Enum{Cases: labels}, err
	case *syntax.Flags:
		labels, err := labelsOf(k.Flags, what("flags"), "flag")
		if err == nil && len(labels) > maxFlags {
			err = errorf(k.Flags[maxFlags].Name.Pos, "flags %s has %d members; the canonical ABI allows at most %d", d.Name.Name, len(labels), maxFlags)
		}
		return &Flags{Flags: labels}, err
	case *syntax.Resource:
		return &Resource{}, nil
	}
	panic("wit: unknown type definition kind")
}

func labelsOf(ls []syntax.Label, what, noun string) ([]Label, error) {
	seen := map[string]bool{}
	var out []Label
	for _, l := range ls {
		if seen[l.Name.Name] {
			return nil, errorf(l.Name.Pos, "%s '%s' appears twice in %s", noun, l.Name.Name, what)
		}
		seen[l.Name.Name] = true
		out = append(out, Label{Name: l.Name.Name, Docs: l.Docs})
	}
	return out, nil
}

// checkRecursion rejects a type that contains itself. Handles do not count:
// a resource is nominal and has no structure to recurse into.
func checkRecursion(td *TypeDef, stack []*TypeDef) error {
	for _, s := range stack {
		if s == td {
			return errorf(stack[0].Pos, "type '%s' refers to itself; WIT types cannot be recursive", stack[0].Name)
		}
	}
	stack = append(stack, td)
	var walk func(t Type) error
	walk = func(t Type) error {
		switch t := t.(type) {
		case *TypeDef:
			return checkRecursion(t, stack)
		case *List:
			return walk(t.Elem)
		case *Option:
			return walk(t.Elem)
		case *Result:
			return first(walkOpt(walk, t.Ok), walkOpt(walk, t.Err))
		case *Tuple:
			for _, e := range t.Types {
				if err := walk(e); err != nil {
					return err
				}
			}
		case *Map:
			return first(walk(t.Key), walk(t.Value))
		case *Future:
			return walkOpt(walk, t.Elem)
		case *Stream:
			return walkOpt(walk, t.Elem)
		}
		return nil
	}
	switch k := td.Kind.(type) {
	case *Alias:
		return walk(k.Target)
	case *Record:
		for _, f := range k.Fields {
			if err := walk(f.Type); err != nil {
				return err
			}
		}
	case *Variant:
		for _, c := range k.Cases {
			if err := walkOpt(walk, c.Type); err != nil {
				return err
			}
		}
	}
	return nil
}

func walkOpt(walk func(Type) error, t Type) error {
	if t == nil {
		return nil
	}
	return walk(t)
}

// typ resolves a type expression in a scope.
func (ps *pkgScope) typ(t syntax.Type, sc *scope) (Type, error) {
	opt := func(t syntax.Type) (Type, error) {
		if t == nil {
			return nil, nil
		}
		return ps.typ(t, sc)
	}
	switch t := t.(type) {
	case *syntax.Prim:
		p, _ := ParsePrimitive(t.Name)
		return p, nil
	case *syntax.Named:
		td, ok := sc.types[t.Name.Name]
		if !ok {
			return nil, errorf(t.Name.Pos, "type '%s' is not defined in %s", t.Name.Name, sc.where)
		}
		return td, nil
	case *syntax.List:
		e, err := ps.typ(t.Elem, sc)
		return &List{Elem: e, Len: t.Len}, err
	case *syntax.Option:
		e, err := ps.typ(t.Elem, sc)
		return &Option{Elem: e}, err
	case *syntax.Result:
		ok, err := opt(t.Ok)
		if err != nil {
			return nil, err
		}
		e, err := opt(t.Err)
		return &Result{Ok: ok, Err: e}, err
	case *syntax.Tuple:
		tu := &Tuple{}
		for _, e := range t.Types {
			rt, err := ps.typ(e, sc)
			if err != nil {
				return nil, err
			}
			tu.Types = append(tu.Types, rt)
		}
		return tu, nil
	case *syntax.Handle:
		td, ok := sc.types[t.Name.Name]
		if !ok {
			return nil, errorf(t.Name.Pos, "type '%s' is not defined in %s", t.Name.Name, sc.where)
		}
		// The resource may be declared later in this scope, so its kind can
		// still be unknown; an alias is checked once it is resolved.
		if u := td.Underlying(); u.Kind != nil && !td.IsResource() {
			kw := "own"
			if t.Borrow {
				kw = "borrow"
			}
			return nil, errorf(t.Name.Pos, "%s<%s> needs a resource type, but '%s' is not a resource", kw, t.Name.Name, t.Name.Name)
		}
		if t.Borrow {
			return &Borrow{Resource: td}, nil
		}
		return td, nil
	case *syntax.Future:
		e, err := opt(t.Elem)
		return &Future{Elem: e}, err
	case *syntax.Stream:
		e, err := opt(t.Elem)
		return &Stream{Elem: e}, err
	case *syntax.Map:
		k, err := ps.typ(t.Key, sc)
		if err != nil {
			return nil, err
		}
		v, err := ps.typ(t.Value, sc)
		return &Map{Key: k, Value: v}, err
	}
	panic("wit: unknown type expression")
}

// function resolves a function type under a component-level name.
func (ps *pkgScope) function(name string, ft syntax.FuncType, sc *scope) (*Function, error) {
	fn := &Function{Name: name, Async: ft.Async}
	seen := map[string]bool{}
	for _, p := range ft.Params {
		if seen[p.Name.Name] {
			return nil, errorf(p.Name.Pos, "parameter '%s' appears twice in function %s", p.Name.Name, name)
		}
		seen[p.Name.Name] = true
		t, err := ps.typ(p.Type, sc)
		if err != nil {
			return nil, err
		}
		fn.Params = append(fn.Params, Param{Name: p.Name.Name, Type: t})
	}
	if ft.Result != nil {
		t, err := ps.typ(ft.Result, sc)
		if err != nil {
			return nil, err
		}
		fn.Result = t
	}
	return fn, nil
}

// resourceFuncs desugars the methods, statics and constructor of a resource
// into functions named `[method]r.f`, `[static]r.f` and `[constructor]r`.
func (ps *pkgScope) resourceFuncs(d *syntax.TypeDef, td *TypeDef, sc *scope) ([]*Function, error) {
	res, ok := d.Kind.(*syntax.Resource)
	if !ok {
		return nil, nil
	}
	var out []*Function
	seen := map[string]syntax.Pos{}
	for _, rf := range res.Funcs {
		if !ps.r.enabled(rf.Gate) {
			continue
		}
		key := strings.ToLower(rf.Name.Name)
		if prev, ok := seen[key]; ok {
			return nil, errorf(rf.Name.Pos, "'%s' is defined more than once in resource %s (first at %s)", rf.Name.Name, td.Name, prev)
		}
		seen[key] = rf.Name.Pos
		var name string
		switch rf.Kind {
		case syntax.Constructor:
			name = "[constructor]" + td.Name
		case syntax.Static:
			name = "[static]" + td.Name + "." + rf.Name.Name
		default:
			name = "[method]" + td.Name + "." + rf.Name.Name
		}
		fn, err := ps.function(name, rf.Func, sc)
		if err != nil {
			return nil, err
		}
		fn.Resource, fn.Docs, fn.Stability, fn.Pos = td, rf.Docs, stability(rf.Gate), rf.Name.Pos
		switch rf.Kind {
		case syntax.Constructor:
			fn.Kind = Constructor
			if rf.Func.Async {
				return nil, errorf(rf.Pos, "constructors cannot be async")
			}
			if fn.Result == nil {
				fn.Result = td
			} else if !constructorResult(fn.Result, td) {
				return nil, errorf(rf.Pos, "constructor of %s must return %s or result<%s, E>", td.Name, td.Name, td.Name)
			}
		case syntax.Static:
			fn.Kind = Static
		default:
			fn.Kind = Method
			fn.Params = append([]Param{{Name: "self", Type: &Borrow{Resource: td}}}, fn.Params...)
			for _, p := range rf.Func.Params {
				if p.Name.Name == "self" {
					return nil, errorf(p.Name.Pos, "method %s.%s cannot have a parameter named 'self'; it is implicit", td.Name, rf.Name.Name)
				}
			}
		}
		out = append(out, fn)
	}
	return out, nil
}

func constructorResult(t Type, res *TypeDef) bool {
	if t == Type(res) {
		return true
	}
	r, ok := t.(*Result)
	return ok && r.Ok == Type(res)
}
