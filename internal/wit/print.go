package wit

import (
	"fmt"
	"strings"

	"github.com/spin-go/sdk/internal/wit/syntax"
)

// Printer writes resolved WIT back as WIT text. Its output parses and
// resolves to the same structure; it is also the canonical form the
// conformance tests compare.
type Printer struct {
	// Docs includes doc comments.
	Docs bool
}

func esc(name string) string {
	if syntax.IsKeyword(name) {
		return "%" + name
	}
	return name
}

type writer struct {
	b      strings.Builder
	indent int
	docs   bool
}

func (w *writer) line(format string, args ...any) {
	if format == "" {
		w.b.WriteString("\n")
		return
	}
	w.b.WriteString(strings.Repeat("  ", w.indent))
	fmt.Fprintf(&w.b, format, args...)
	w.b.WriteString("\n")
}

func (w *writer) doc(d string) {
	if !w.docs || d == "" {
		return
	}
	for _, l := range strings.Split(d, "\n") {
		if l == "" {
			w.line("///")
		} else {
			w.line("/// %s", l)
		}
	}
}

func (w *writer) gate(s Stability) {
	if s.Since != "" {
		w.line("@since(version = %s)", s.Since)
	}
	if s.Unstable != "" {
		w.line("@unstable(feature = %s)", s.Unstable)
	}
	if s.Deprecated != "" {
		w.line("@deprecated(version = %s)", s.Deprecated)
	}
}

// Interface prints a named interface as `interface name { ... }`, with
// paths relative to its own package.
func (p Printer) Interface(i *Interface) string {
	w := &writer{docs: p.Docs}
	w.doc(i.Docs)
	w.gate(i.Stability)
	w.line("interface %s {", esc(i.Name))
	w.indent++
	p.interfaceBody(w, i, i.Package)
	w.indent--
	w.line("}")
	return w.b.String()
}

// interfacePath is how an interface is named from inside package ctx.
func interfacePath(i *Interface, ctx *Package) string {
	if i.Package == ctx {
		return esc(i.Name)
	}
	return i.ID()
}

// writeUses prints the aliases that `use` created, grouped per interface.
func (p Printer) writeUses(w *writer, defs []*TypeDef, ctx *Package, isUse func(*TypeDef) bool) {
	for i := 0; i < len(defs); {
		td := defs[i]
		if !isUse(td) {
			i++
			continue
		}
		src := td.Kind.(*Alias).Target.(*TypeDef)
		j := i
		var names []string
		for ; j < len(defs) && isUse(defs[j]); j++ {
			o := defs[j].Kind.(*Alias).Target.(*TypeDef)
			if o.Interface != src.Interface || defs[j].Stability != td.Stability {
				break
			}
			if defs[j].Name == o.Name {
				names = append(names, esc(o.Name))
			} else {
				names = append(names, esc(o.Name)+" as "+esc(defs[j].Name))
			}
		}
		w.gate(td.Stability)
		w.line("use %s.{%s};", interfacePath(src.Interface, ctx), strings.Join(names, ", "))
		i = j
	}
}

// usedFrom reports whether td is an alias created by `use` in owner: an
// alias of a type that lives in another interface.
func usedFrom(td *TypeDef) bool {
	a, ok := td.Kind.(*Alias)
	if !ok {
		return false
	}
	o, ok := a.Target.(*TypeDef)
	if !ok || o.Interface == nil {
		return false
	}
	if td.Interface != nil {
		return o.Interface != td.Interface
	}
	return true
}

func (p Printer) interfaceBody(w *writer, i *Interface, ctx *Package) {
	p.writeUses(w, i.TypeDefs, ctx, usedFrom)
	for _, td := range i.TypeDefs {
		if !usedFrom(td) {
			p.typeDef(w, td, i.Functions)
		}
	}
	for _, f := range i.Functions {
		if f.Kind == Freestanding {
			w.doc(f.Docs)
			w.gate(f.Stability)
			w.line("%s: %s;", esc(f.Name), funcType(f, false))
		}
	}
}

func (p Printer) typeDef(w *writer, td *TypeDef, funcs []*Function) {
	w.doc(td.Docs)
	w.gate(td.Stability)
	name := esc(td.Name)
	block := func(kw string, n int, item func(int) (string, string)) {
		w.line("%s %s {", kw, name)
		w.indent++
		for k := 0; k < n; k++ {
			text, d := item(k)
			w.doc(d)
			w.line("%s,", text)
		}
		w.indent--
		w.line("}")
	}
	switch k := td.Kind.(type) {
	case *Alias:
		w.line("type %s = %s;", name, TypeString(k.Target))
	case *Record:
		block("record", len(k.Fields), func(i int) (string, string) {
			return esc(k.Fields[i].Name) + ": " + TypeString(k.Fields[i].Type), k.Fields[i].Docs
		})
	case *Variant:
		block("variant", len(k.Cases), func(i int) (string, string) {
			c := k.Cases[i]
			if c.Type == nil {
				return esc(c.Name), c.Docs
			}
			return esc(c.Name) + "(" + TypeString(c.Type) + ")", c.Docs
		})
	case *Enum:
		block("enum", len(k.Cases), func(i int) (string, string) { return esc(k.Cases[i].Name), k.Cases[i].Docs })
	case *Flags:
		block("flags", len(k.Flags), func(i int) (string, string) { return esc(k.Flags[i].Name), k.Flags[i].Docs })
	case *Resource:
		var own []*Function
		for _, f := range funcs {
			if f.Resource == td {
				own = append(own, f)
			}
		}
		if len(own) == 0 {
			w.line("resource %s;", name)
			return
		}
		w.line("resource %s {", name)
		w.indent++
		for _, f := range own {
			w.doc(f.Docs)
			w.gate(f.Stability)
			switch f.Kind {
			case Constructor:
				s := "constructor(" + params(f.Params) + ")"
				if f.Result != Type(td) {
					s += " -> " + TypeString(f.Result)
				}
				w.line("%s;", s)
			case Static:
				w.line("%s: static %s;", esc(f.BaseName()), funcType(f, false))
			default:
				w.line("%s: %s;", esc(f.BaseName()), funcType(f, true))
			}
		}
		w.indent--
		w.line("}")
	}
}

func params(ps []Param) string {
	var s []string
	for _, p := range ps {
		s = append(s, esc(p.Name)+": "+TypeString(p.Type))
	}
	return strings.Join(s, ", ")
}

// funcType prints `async? func(params) -> result`, leaving out `self` for
// methods.
func funcType(f *Function, method bool) string {
	ps := f.Params
	if method {
		ps = ps[1:]
	}
	s := "func(" + params(ps) + ")"
	if f.Async {
		s = "async " + s
	}
	if f.Result != nil {
		s += " -> " + TypeString(f.Result)
	}
	return s
}

// TypeString prints a type as WIT.
func TypeString(t Type) string {
	opt := func(t Type) string {
		if t == nil {
			return "_"
		}
		return TypeString(t)
	}
	switch t := t.(type) {
	case Primitive:
		return t.String()
	case *TypeDef:
		return esc(t.Name)
	case *List:
		if t.Len > 0 {
			return fmt.Sprintf("list<%s, %d>", TypeString(t.Elem), t.Len)
		}
		return "list<" + TypeString(t.Elem) + ">"
	case *Option:
		return "option<" + TypeString(t.Elem) + ">"
	case *Result:
		switch {
		case t.Ok == nil && t.Err == nil:
			return "result"
		case t.Err == nil:
			return "result<" + TypeString(t.Ok) + ">"
		}
		return "result<" + opt(t.Ok) + ", " + TypeString(t.Err) + ">"
	case *Tuple:
		var s []string
		for _, e := range t.Types {
			s = append(s, TypeString(e))
		}
		return "tuple<" + strings.Join(s, ", ") + ">"
	case *Borrow:
		return "borrow<" + esc(t.Resource.Name) + ">"
	case *Future:
		if t.Elem == nil {
			return "future"
		}
		return "future<" + TypeString(t.Elem) + ">"
	case *Stream:
		if t.Elem == nil {
			return "stream"
		}
		return "stream<" + TypeString(t.Elem) + ">"
	case *Map:
		return "map<" + TypeString(t.Key) + ", " + TypeString(t.Value) + ">"
	}
	panic(fmt.Sprintf("wit: unknown type %T", t))
}

// World prints an elaborated world as a self-contained WIT document: the
// world's package with the world and the package's interfaces it reaches,
// then one `package ... { }` block per other package it reaches.
func (p Printer) World(wd *World) string {
	w := &writer{docs: p.Docs}
	pkgs, reach := reachable(wd)
	w.line("package %s;", wd.Package.Name)
	for _, i := range reach[wd.Package] {
		w.line("")
		w.b.WriteString(indentText(p.Interface(i), 0))
	}
	w.line("")
	w.doc(wd.Docs)
	w.gate(wd.Stability)
	w.line("world %s {", esc(wd.Name))
	w.indent++
	isUse := func(td *TypeDef) bool { return usedFrom(td) }
	p.writeUses(w, wd.TypeDefs, wd.Package, isUse)
	for _, td := range wd.TypeDefs {
		if !isUse(td) {
			var funcs []*Function
			for _, it := range wd.Imports {
				if it.Function != nil {
					funcs = append(funcs, it.Function)
				}
			}
			p.typeDef(w, td, funcs)
		}
	}
	for _, dir := range []struct {
		kw    string
		items []*WorldItem
	}{{"import", wd.Imports}, {"export", wd.Exports}} {
		for _, it := range dir.items {
			p.worldItem(w, wd, dir.kw, it)
		}
	}
	w.indent--
	w.line("}")
	for _, pkg := range pkgs {
		if pkg == wd.Package {
			continue
		}
		w.line("")
		w.doc(pkg.Docs)
		w.line("package %s {", pkg.Name)
		for k, i := range reach[pkg] {
			if k > 0 {
				w.line("")
			}
			w.b.WriteString(indentText(p.Interface(i), 1))
		}
		w.line("}")
	}
	return w.b.String()
}

func (p Printer) worldItem(w *writer, wd *World, kw string, it *WorldItem) {
	switch {
	case it.Type != nil:
		return // printed with the world's types
	case it.Function != nil:
		if it.Function.Kind != Freestanding {
			return // printed inside its resource
		}
		w.doc(it.Docs)
		w.gate(it.Stability)
		w.line("%s %s: %s;", kw, esc(it.Key), funcType(it.Function, false))
	case it.Interface.Name == "":
		w.doc(it.Docs)
		w.gate(it.Stability)
		w.line("%s %s: interface {", kw, esc(it.Key))
		w.indent++
		p.interfaceBody(w, it.Interface, wd.Package)
		w.indent--
		w.line("}")
	case it.Named():
		w.doc(it.Docs)
		w.gate(it.Stability)
		w.line("%s %s: %s;", kw, esc(it.Key), it.Interface.ID())
	default:
		// Full names, as the component will import or export them.
		w.doc(it.Docs)
		w.gate(it.Stability)
		w.line("%s %s;", kw, it.Interface.ID())
	}
}

func indentText(s string, n int) string {
	if n == 0 {
		return s
	}
	pad := strings.Repeat("  ", n)
	lines := strings.SplitAfter(s, "\n")
	var b strings.Builder
	for _, l := range lines {
		if l != "" && l != "\n" {
			b.WriteString(pad)
		}
		b.WriteString(l)
	}
	return b.String()
}

// reachable lists the named interfaces a world reaches, per package, and
// the packages in the order they are first needed.
func reachable(wd *World) ([]*Package, map[*Package][]*Interface) {
	seen := map[*Interface]bool{}
	var pkgs []*Package
	var visit func(i *Interface)
	visit = func(i *Interface) {
		if i == nil || seen[i] {
			return
		}
		seen[i] = true
		for _, d := range i.Uses {
			visit(d)
		}
		if i.Name == "" {
			return
		}
		found := false
		for _, p := range pkgs {
			found = found || p == i.Package
		}
		if !found {
			pkgs = append(pkgs, i.Package)
		}
	}
	for _, it := range append(append([]*WorldItem{}, wd.Imports...), wd.Exports...) {
		visit(it.Interface)
	}
	for _, td := range wd.TypeDefs {
		if usedFrom(td) {
			visit(td.Kind.(*Alias).Target.(*TypeDef).Interface)
		}
	}
	reach := map[*Package][]*Interface{}
	for _, p := range pkgs {
		for _, i := range p.Interfaces {
			if seen[i] {
				reach[p] = append(reach[p], i)
			}
		}
	}
	return pkgs, reach
}
