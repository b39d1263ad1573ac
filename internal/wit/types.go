// Package wit resolves WIT packages into a graph of interfaces, worlds,
// types and functions: the model the bindings generator and the component
// encoder work from.
//
// Loading goes: files are parsed by package syntax, grouped into packages
// (a directory, its deps/ folder, and `package a:b { }` blocks), ordered by
// their dependencies, and resolved; worlds are then elaborated (includes
// expanded, transitively used interfaces imported) as WIT.md describes.
package wit

import (
	"fmt"
	"strings"

	"github.com/spin-go/sdk/internal/wit/syntax"
)

// Pos is a source position.
type Pos = syntax.Pos

// Error is a problem with WIT input, reported at a source position.
type Error = syntax.Error

func errorf(pos Pos, format string, args ...any) *Error {
	return &Error{Pos: pos, Msg: fmt.Sprintf(format, args...)}
}

// PackageName is `namespace:name@version`.
type PackageName struct {
	Namespace string
	Name      string
	Version   string // empty when the package is unversioned
}

func (n PackageName) String() string {
	s := n.Namespace + ":" + n.Name
	if n.Version != "" {
		s += "@" + n.Version
	}
	return s
}

// Stability is the gate of an item: @since, @unstable and @deprecated.
type Stability struct {
	Since      string
	Unstable   string // feature name
	Deprecated string
}

// Resolve is a set of resolved packages.
type Resolve struct {
	// Packages in dependency order: every package comes after the ones it uses.
	Packages []*Package
	// Root is the package of the directory or file that was loaded, if any.
	Root *Package
	// Features are the enabled @unstable features.
	Features map[string]bool
}

// Package is a resolved WIT package.
type Package struct {
	Name       PackageName
	Docs       string
	Interfaces []*Interface // named interfaces, in source order
	Worlds     []*World
	Pos        Pos
}

// Interface returns the named interface or nil.
func (p *Package) Interface(name string) *Interface {
	for _, i := range p.Interfaces {
		if i.Name == name {
			return i
		}
	}
	return nil
}

// World returns the named world or nil.
func (p *Package) World(name string) *World {
	for _, w := range p.Worlds {
		if w.Name == name {
			return w
		}
	}
	return nil
}

// Interface is a resolved interface. Inline interfaces of worlds have an
// empty Name and a non-nil World.
type Interface struct {
	Name      string
	Package   *Package
	World     *World // the world an inline interface is declared in
	Docs      string
	Stability Stability
	// TypeDefs holds the named types in definition order; types brought in
	// by `use` come first, as aliases of the types they name.
	TypeDefs  []*TypeDef
	Functions []*Function
	// Uses lists the interfaces this one takes types from, in order.
	Uses []*Interface
	Pos  Pos
}

// ID is the interface's name as a component import or export:
// `ns:pkg/name@version`.
func (i *Interface) ID() string {
	if i.Name == "" {
		return ""
	}
	s := i.Package.Name.Namespace + ":" + i.Package.Name.Name + "/" + i.Name
	if i.Package.Name.Version != "" {
		s += "@" + i.Package.Name.Version
	}
	return s
}

// TypeDef returns the named type or nil.
func (i *Interface) TypeDef(name string) *TypeDef {
	for _, t := range i.TypeDefs {
		if t.Name == name {
			return t
		}
	}
	return nil
}

// Function returns the function with the given (plain, possibly
// `[method]r.f`) name or nil.
func (i *Interface) Function(name string) *Function {
	for _, f := range i.Functions {
		if f.Name == name {
			return f
		}
	}
	return nil
}

// Type is a WIT type: a Primitive, a *TypeDef (a reference to a named type;
// a reference to a resource means an owned handle), or one of the anonymous
// types *List, *Option, *Result, *Tuple, *Borrow, *Future, *Stream, *Map.
type Type interface{ isType() }

// Primitive is a built-in scalar or string type.
type Primitive int

const (
	Bool Primitive = iota
	S8
	U8
	S16
	U16
	S32
	U32
	S64
	U64
	F32
	F64
	Char
	String
	ErrorContext
)

var primNames = [...]string{"bool", "s8", "u8", "s16", "u16", "s32", "u32", "s64", "u64", "f32", "f64", "char", "string", "error-context"}

func (p Primitive) String() string { return primNames[p] }

// ParsePrimitive maps a WIT keyword to its Primitive.
func ParsePrimitive(s string) (Primitive, bool) {
	for i, n := range primNames {
		if n == s {
			return Primitive(i), true
		}
	}
	return 0, false
}

// List is list<Elem>, or the fixed-length list<Elem, Len> when Len > 0.
type List struct {
	Elem Type
	Len  uint32
}

// Option is option<Elem>.
type Option struct{ Elem Type }

// Result is result<Ok, Err>; either may be nil.
type Result struct{ Ok, Err Type }

// Tuple is tuple<Types...>.
type Tuple struct{ Types []Type }

// Borrow is borrow<Resource>. Resource may be an alias of a resource.
type Borrow struct{ Resource *TypeDef }

// Future is future<Elem>; Elem is nil for a bare future.
type Future struct{ Elem Type }

// Stream is stream<Elem>; Elem is nil for a bare stream.
type Stream struct{ Elem Type }

// Map is map<Key, Value>.
type Map struct{ Key, Value Type }

func (Primitive) isType() {}
func (*TypeDef) isType()  {}
func (*List) isType()     {}
func (*Option) isType()   {}
func (*Result) isType()   {}
func (*Tuple) isType()    {}
func (*Borrow) isType()   {}
func (*Future) isType()   {}
func (*Stream) isType()   {}
func (*Map) isType()      {}

// TypeDef is a named type. Exactly one of Interface and World owns it.
type TypeDef struct {
	Name      string
	Kind      TypeDefKind
	Interface *Interface
	World     *World
	Docs      string
	Stability Stability
	Pos       Pos
}

// TypeDefKind is *Record, *Variant, *Enum, *Flags, *Resource or *Alias.
type TypeDefKind interface{ isKind() }

// Record is a record type.
type Record struct{ Fields []Field }

// Field is a record field.
type Field struct {
	Name string
	Type Type
	Docs string
}

// Variant is a variant type.
type Variant struct{ Cases []Case }

// Case is a variant case; Type is nil when it has no payload.
type Case struct {
	Name string
	Type Type
	Docs string
}

// Enum is an enum type.
type Enum struct{ Cases []Label }

// Flags is a flags type.
type Flags struct{ Flags []Label }

// Label is an enum case or flag.
type Label struct {
	Name string
	Docs string
}

// Resource is a resource type; its functions live in the owning interface's
// Functions with Kind Method, Static or Constructor.
type Resource struct{}

// Alias is `type name = Target;`, and also what `use` creates.
type Alias struct{ Target Type }

func (*Record) isKind()   {}
func (*Variant) isKind()  {}
func (*Enum) isKind()     {}
func (*Flags) isKind()    {}
func (*Resource) isKind() {}
func (*Alias) isKind()    {}

// Underlying follows aliases to the TypeDef that actually defines a type.
func (t *TypeDef) Underlying() *TypeDef {
	for {
		a, ok := t.Kind.(*Alias)
		if !ok {
			return t
		}
		next, ok := a.Target.(*TypeDef)
		if !ok {
			return t
		}
		t = next
	}
}

// IsResource reports whether t is a resource or an alias of one.
func (t *TypeDef) IsResource() bool {
	_, ok := t.Underlying().Kind.(*Resource)
	return ok
}

// Dealias follows aliases through to a non-alias type.
func Dealias(t Type) Type {
	for {
		td, ok := t.(*TypeDef)
		if !ok {
			return t
		}
		a, ok := td.Kind.(*Alias)
		if !ok {
			return t
		}
		t = a.Target
	}
}

// FunctionKind says whether a function is free or belongs to a resource.
type FunctionKind int

const (
	Freestanding FunctionKind = iota
	Method
	Static
	Constructor
)

// Function is a resolved function. Methods carry their `self: borrow<r>`
// parameter first; constructors return the resource unless a result type is
// written.
type Function struct {
	// Name is the component-level name: `f`, `[method]r.f`, `[static]r.f`
	// or `[constructor]r`.
	Name      string
	Kind      FunctionKind
	Resource  *TypeDef // for methods, statics and constructors
	Params    []Param
	Result    Type // nil when nothing is returned
	Async     bool
	Docs      string
	Stability Stability
	Pos       Pos
}

// Param is a named parameter.
type Param struct {
	Name string
	Type Type
}

// BaseName is the name as written in WIT: `f` for `[method]r.f`,
// `constructor` for constructors.
func (f *Function) BaseName() string {
	switch f.Kind {
	case Constructor:
		return "constructor"
	case Method, Static:
		return strings.TrimPrefix(f.Name, fnPrefix(f)+f.Resource.Name+".")
	}
	return f.Name
}

func fnPrefix(f *Function) string {
	switch f.Kind {
	case Method:
		return "[method]"
	case Static:
		return "[static]"
	case Constructor:
		return "[constructor]"
	}
	return ""
}

// World is a resolved, elaborated world: includes are expanded and every
// interface that an import or export uses is imported.
type World struct {
	Name      string
	Package   *Package
	Docs      string
	Stability Stability
	Imports   []*WorldItem
	Exports   []*WorldItem
	// TypeDefs holds types declared or used at the world level.
	TypeDefs []*TypeDef
	Pos      Pos
}

// ID is `ns:pkg/world@version`.
func (w *World) ID() string {
	s := w.Package.Name.Namespace + ":" + w.Package.Name.Name + "/" + w.Name
	if w.Package.Name.Version != "" {
		s += "@" + w.Package.Name.Version
	}
	return s
}

// WorldItem is one import or export of a world: an interface (by its ID, or
// under a plain Name), a function or a type.
type WorldItem struct {
	// Key is the import/export name: the interface ID for `import a:b/c;`,
	// otherwise the plain name.
	Key       string
	Interface *Interface
	Function  *Function
	Type      *TypeDef
	Stability Stability
	Docs      string
	// Implicit is set for interfaces imported only because another import
	// or export uses types from them.
	Implicit bool
}

// Named reports whether the item is under a plain name rather than an
// interface ID.
func (it *WorldItem) Named() bool {
	return it.Interface == nil || it.Interface.ID() != it.Key
}

// Import returns the import with the given key or nil.
func (w *World) Import(key string) *WorldItem { return findItem(w.Imports, key) }

// Export returns the export with the given key or nil.
func (w *World) Export(key string) *WorldItem { return findItem(w.Exports, key) }

func findItem(items []*WorldItem, key string) *WorldItem {
	for _, it := range items {
		if it.Key == key {
			return it
		}
	}
	return nil
}
