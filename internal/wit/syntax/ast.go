package syntax

// The syntax tree mirrors the grammar of WIT.md closely; names are not
// resolved and desugaring (resource methods, includes) is left to package wit.

// Ident is an identifier with its position. Name has no leading '%'.
type Ident struct {
	Name string
	Pos  Pos
}

// PackageName is `namespace:name@version` as written.
type PackageName struct {
	Namespace string
	Name      string
	Version   string // empty when absent
	Pos       Pos
}

func (n PackageName) String() string {
	s := n.Namespace + ":" + n.Name
	if n.Version != "" {
		s += "@" + n.Version
	}
	return s
}

// File is one parsed .wit file.
type File struct {
	Path string
	// Decl is the leading `package a:b@v;` declaration, or nil.
	Decl *PackageName
	// Items are the top-level items that belong to Decl's package.
	Items Items
	// Nested are `package a:b@v { ... }` blocks.
	Nested []*NestedPackage
}

// NestedPackage is a `package a:b@v { ... }` block.
type NestedPackage struct {
	Name  PackageName
	Docs  string
	Items Items
}

// Items are the definitions that make up (part of) a package.
type Items struct {
	Uses       []*TopUse
	Interfaces []*Interface
	Worlds     []*World
}

// Gate holds the feature gates written before an item.
type Gate struct {
	Since       string // version, empty when absent
	SincePos    Pos
	Unstable    string // feature name, empty when absent
	UnstablePos Pos
	Deprecated  string // version, empty when absent
	ExternalID  string // @external-id("..."), empty when absent
	HasExternal bool
}

// TopUse is a top-level `use path as name;`.
type TopUse struct {
	Path UsePath
	As   *Ident
	Pos  Pos
}

// UsePath names an interface (or, after `include`, a world): a bare name
// in the current package or `ns:pkg/name@version`.
type UsePath struct {
	Package *PackageName // nil for a bare name
	Name    Ident
	Pos     Pos
}

func (u UsePath) String() string {
	if u.Package == nil {
		return u.Name.Name
	}
	s := u.Package.Namespace + ":" + u.Package.Name + "/" + u.Name.Name
	if u.Package.Version != "" {
		s += "@" + u.Package.Version
	}
	return s
}

// Interface is a named interface, or an inline `interface { ... }` in a world
// (then Name.Name is empty).
type Interface struct {
	Name  Ident
	Docs  string
	Gate  Gate
	Items []InterfaceItem
	Pos   Pos
}

// InterfaceItem is a *Use, *TypeDef or *Func.
type InterfaceItem interface{ interfaceItem() }

// Use is `use path.{a, b as c};` inside an interface or world.
type Use struct {
	Path  UsePath
	Names []UseName
	Gate  Gate
	Docs  string
	Pos   Pos
}

// UseName is one name brought in by a Use; As is nil without `as`.
type UseName struct {
	Name Ident
	As   *Ident
}

// TypeDef is a named type definition.
type TypeDef struct {
	Name Ident
	Docs string
	Gate Gate
	Kind TypeDefKind
	Pos  Pos
}

// TypeDefKind is *Record, *Variant, *Enum, *Flags, *Resource or *Alias.
type TypeDefKind interface{ typeDefKind() }

// Record is `record name { fields }`.
type Record struct{ Fields []Field }

// Field is a record field.
type Field struct {
	Name Ident
	Docs string
	Type Type
}

// Variant is `variant name { cases }`.
type Variant struct{ Cases []Case }

// Case is a variant case; Type is nil for a case without payload.
type Case struct {
	Name Ident
	Docs string
	Type Type
}

// Enum is `enum name { cases }`.
type Enum struct{ Cases []Label }

// Flags is `flags name { flags }`.
type Flags struct{ Flags []Label }

// Label is an enum case or a flag.
type Label struct {
	Name Ident
	Docs string
}

// Resource is `resource name;` or `resource name { funcs }`.
type Resource struct{ Funcs []*ResourceFunc }

// ResourceFuncKind says what a function inside a resource is.
type ResourceFuncKind int

const (
	Method ResourceFuncKind = iota
	Static
	Constructor
)

// ResourceFunc is a method, static function or constructor of a resource.
type ResourceFunc struct {
	Kind ResourceFuncKind
	Name Ident // "constructor" for constructors
	Docs string
	Gate Gate
	Func FuncType
	Pos  Pos
}

// Alias is `type name = ty;`.
type Alias struct{ Type Type }

func (*Record) typeDefKind()   {}
func (*Variant) typeDefKind()  {}
func (*Enum) typeDefKind()     {}
func (*Flags) typeDefKind()    {}
func (*Resource) typeDefKind() {}
func (*Alias) typeDefKind()    {}

// Func is a named function item.
type Func struct {
	Name Ident
	Docs string
	Gate Gate
	Type FuncType
	Pos  Pos
}

// FuncType is `async? func(params) -> result`.
type FuncType struct {
	Async  bool
	Params []Param
	Result Type // nil when the function returns nothing
	Pos    Pos
}

// Param is a named function parameter.
type Param struct {
	Name Ident
	Type Type
}

func (*Use) interfaceItem()     {}
func (*TypeDef) interfaceItem() {}
func (*Func) interfaceItem()    {}

// Type is a type expression: *Prim, *Named, *List, *Option, *Result, *Tuple,
// *Handle, *Future, *Stream or *Map.
type Type interface{ TypePos() Pos }

// Prim is a primitive type: bool, s8..u64, f32, f64, char, string,
// error-context.
type Prim struct {
	Name string
	Pos  Pos
}

// Named refers to a type by name.
type Named struct{ Name Ident }

// List is list<T> or the fixed-length list<T, N> (Len > 0).
type List struct {
	Elem Type
	Len  uint32
	Pos  Pos
}

// Option is option<T>.
type Option struct {
	Elem Type
	Pos  Pos
}

// Result is result, result<T>, result<_, E> or result<T, E>; absent types
// are nil.
type Result struct {
	Ok, Err Type
	Pos     Pos
}

// Tuple is tuple<T...>.
type Tuple struct {
	Types []Type
	Pos   Pos
}

// Handle is borrow<R> or own<R>.
type Handle struct {
	Borrow bool
	Name   Ident
	Pos    Pos
}

// Future is future or future<T> (Elem nil for the bare form).
type Future struct {
	Elem Type
	Pos  Pos
}

// Stream is stream or stream<T>.
type Stream struct {
	Elem Type
	Pos  Pos
}

// Map is map<K, V>.
type Map struct {
	Key, Value Type
	Pos        Pos
}

func (t *Prim) TypePos() Pos   { return t.Pos }
func (t *Named) TypePos() Pos  { return t.Name.Pos }
func (t *List) TypePos() Pos   { return t.Pos }
func (t *Option) TypePos() Pos { return t.Pos }
func (t *Result) TypePos() Pos { return t.Pos }
func (t *Tuple) TypePos() Pos  { return t.Pos }
func (t *Handle) TypePos() Pos { return t.Pos }
func (t *Future) TypePos() Pos { return t.Pos }
func (t *Stream) TypePos() Pos { return t.Pos }
func (t *Map) TypePos() Pos    { return t.Pos }

// World is `world name { items }`.
type World struct {
	Name  Ident
	Docs  string
	Gate  Gate
	Items []WorldItem
	Pos   Pos
}

// WorldItem is *ImportExport, *Use, *TypeDef or *Include.
type WorldItem interface{ worldItem() }

// ImportExport is an import or export in a world. Exactly one of Path (the
// `import a:b/c;` form), Func, Inline and Ref is set; Name is set for all
// but the Path form.
type ImportExport struct {
	Export bool
	Name   Ident
	Path   *UsePath
	Func   *FuncType
	Inline *Interface
	Ref    *UsePath // `import name: a:b/c;`
	Docs   string
	Gate   Gate
	Pos    Pos
}

// Include is `include path with { a as b };`.
type Include struct {
	Path UsePath
	With []IncludeName
	Docs string
	Gate Gate
	Pos  Pos
}

// IncludeName renames one plain name of an included world.
type IncludeName struct {
	From, To Ident
}

func (*ImportExport) worldItem() {}
func (*Use) worldItem()          {}
func (*TypeDef) worldItem()      {}
func (*Include) worldItem()      {}
