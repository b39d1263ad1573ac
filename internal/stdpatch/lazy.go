package stdpatch

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// file is one source being rewritten by offset-based edits.
type file struct {
	name  string
	src   []byte
	ast   *ast.File
	fset  *token.FileSet
	edits []edit
	// removed holds the declarations made lazy, with their var decl.
	removed map[*ast.ValueSpec]*ast.GenDecl
}

type edit struct {
	start, end int
	text       string
	// gen, when set, makes text once every edit is known: the code of a
	// lazy variable copies its initializer, which may use another lazy
	// variable, rewritten later.
	gen func() string
}

func (f *file) off(p token.Pos) int    { return f.fset.Position(p).Offset }
func (f *file) text(n ast.Node) string { return string(f.src[f.off(n.Pos()):f.off(n.End())]) }

// rewritten is n's text with the insertions made inside it (calls of
// other lazy variables).
func (f *file) rewritten(n ast.Node) string {
	start, end := f.off(n.Pos()), f.off(n.End())
	var ins []edit
	for _, e := range f.edits {
		if e.start == e.end && e.start > start && e.start <= end {
			ins = append(ins, e)
		}
	}
	sort.SliceStable(ins, func(i, j int) bool { return ins[i].start < ins[j].start })
	var b strings.Builder
	at := start
	for _, e := range ins {
		b.Write(f.src[at:e.start])
		b.WriteString(e.text)
		at = e.start
	}
	b.Write(f.src[at:end])
	return b.String()
}

// lazify rewrites the package (file name → source) so that each variable
// in vars is computed on first use, and returns the files it changed.
func lazify(srcs map[string][]byte, vars []Lazy) (map[string][]byte, error) {
	fset := token.NewFileSet()
	var files []*file
	for _, name := range slices.Sorted(maps.Keys(srcs)) {
		// Object resolution (no SkipObjectResolution) tells package-level
		// uses from local variables of the same name.
		f, err := parser.ParseFile(fset, name, srcs[name], parser.ParseComments)
		if err != nil {
			return nil, err
		}
		files = append(files, &file{name: name, src: srcs[name], ast: f, fset: fset, removed: map[*ast.ValueSpec]*ast.GenDecl{}})
	}
	for _, v := range vars {
		if err := lazifyVar(files, v); err != nil {
			return nil, fmt.Errorf("lazy %s: %w", v.Name, err)
		}
	}
	out := map[string][]byte{}
	for _, f := range files {
		f.removeDecls()
		if len(f.edits) > 0 {
			src, err := f.apply()
			if err != nil {
				return nil, err
			}
			out[f.name] = src
		}
	}
	return out, nil
}

// lazifyVar rewrites one variable's declaration and, for a plain value,
// its uses.
func lazifyVar(files []*file, v Lazy) error {
	decl, spec, home, err := findVar(files, v.Name)
	if err != nil {
		return err
	}
	home.removed[spec] = decl
	if err := home.importSync(); err != nil {
		return err
	}
	n := v.Name
	state := n + "_lazy"
	if kind, lit := onceCall(spec.Values[0]); lit != nil {
		// var n = sync.OnceValue(func() T {…}): callers already write n().
		results := ""
		if lit.Type.Results != nil {
			results = home.text(lit.Type.Results)
		}
		ret := "return "
		if results == "" {
			ret = ""
		}
		home.appendCode(func() string {
			return fmt.Sprintf(`
// %[1]s is built on first use instead of at package init (componentize-go,
// internal/stdpatch): a program pays for it, in size and start-up time,
// only if it uses it.
func %[1]s() %[2]s {
	%[3]s.once.Do(func() { %[3]s.fn = sync.%[4]s(%[5]s) })
	%[6]s%[3]s.fn()
}

var %[3]s struct {
	once sync.Once
	fn   func() %[2]s
}
`, n, results, state, kind, home.rewritten(lit), ret)
		})
		return nil
	}
	typ := v.Type
	if typ == "" && spec.Type != nil {
		typ = home.text(spec.Type)
	}
	if typ == "" {
		return fmt.Errorf("the declaration states no type: give Lazy.Type")
	}
	assign := state + ".v"
	if len(spec.Names) == 2 {
		assign += ", _" // var name, _ = f()
	}
	home.appendCode(func() string {
		return fmt.Sprintf(`
// %[1]s is computed on first use instead of at package init (componentize-go,
// internal/stdpatch): a program pays for it, in size and start-up time,
// only if it uses it.
func %[1]s() %[2]s {
	%[3]s.once.Do(func() { %[5]s = %[4]s })
	return %[3]s.v
}

var %[3]s struct {
	once sync.Once
	v    %[2]s
}
`, n, typ, state, home.rewritten(spec.Values[0]), assign)
	})
	callUses(files, spec)
	return nil
}

// findVar finds the one package-level declaration of name: `var name =
// value` or `var name, _ = value`, alone or in a group.
func findVar(files []*file, name string) (*ast.GenDecl, *ast.ValueSpec, *file, error) {
	var (
		decl  *ast.GenDecl
		spec  *ast.ValueSpec
		home  *file
		count int
	)
	for _, f := range files {
		for _, d := range f.ast.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.VAR {
				continue
			}
			for _, s := range g.Specs {
				vs := s.(*ast.ValueSpec)
				for _, id := range vs.Names {
					if id.Name == name {
						decl, spec, home = g, vs, f
						count++
					}
				}
			}
		}
		// The rewrite adds name_lazy next to name.
		if f.ast.Scope.Lookup(name+"_lazy") != nil {
			return nil, nil, nil, fmt.Errorf("%s already declares %s_lazy", f.name, name)
		}
	}
	switch {
	case count == 0:
		return nil, nil, nil, fmt.Errorf("no package-level variable of that name")
	case count > 1:
		return nil, nil, nil, fmt.Errorf("declared %d times (build-tagged files?); not supported", count)
	case len(spec.Values) != 1 || len(spec.Names) > 2 || spec.Names[0].Name != name || len(spec.Names) == 2 && spec.Names[1].Name != "_":
		return nil, nil, nil, fmt.Errorf("%s: only `var name = value` and `var name, _ = value` are supported", home.name)
	}
	return decl, spec, home, nil
}

// onceCall recognises sync.OnceFunc/OnceValue/OnceValues(func literal).
func onceCall(e ast.Expr) (string, *ast.FuncLit) {
	call, ok := e.(*ast.CallExpr)
	if !ok || len(call.Args) != 1 {
		return "", nil
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return "", nil
	}
	pkg, ok := sel.X.(*ast.Ident)
	if !ok || pkg.Name != "sync" {
		return "", nil
	}
	switch sel.Sel.Name {
	case "OnceFunc", "OnceValue", "OnceValues":
	default:
		return "", nil
	}
	lit, ok := call.Args[0].(*ast.FuncLit)
	if !ok {
		return "", nil
	}
	return sel.Sel.Name, lit
}

// callUses turns every use of the variable declared by spec, in every
// file of the package, into a call.
func callUses(files []*file, spec *ast.ValueSpec) {
	name := spec.Names[0].Name
	for _, f := range files {
		// Identifiers that name something else: selected fields and
		// methods, struct fields, functions, labels, and composite
		// literal keys the parser left unresolved. (It resolves a key
		// when it can, but cannot tell a struct field from a map key; an
		// unresolved key is a field. A wrong guess does not compile, which
		// TestVerified and TestStdTests would show.)
		other := map[*ast.Ident]bool{spec.Names[0]: true}
		ast.Inspect(f.ast, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.SelectorExpr:
				other[n.Sel] = true
			case *ast.Field:
				for _, id := range n.Names {
					other[id] = true
				}
			case *ast.FuncDecl:
				other[n.Name] = true
			case *ast.LabeledStmt:
				other[n.Label] = true
			case *ast.BranchStmt:
				if n.Label != nil {
					other[n.Label] = true
				}
			case *ast.KeyValueExpr:
				if id, ok := n.Key.(*ast.Ident); ok && id.Obj == nil {
					other[id] = true
				}
			}
			return true
		})
		ast.Inspect(f.ast, func(n ast.Node) bool {
			id, ok := n.(*ast.Ident)
			if !ok || id.Name != name || other[id] {
				return true
			}
			// In the declaring file the parser resolves uses to the spec;
			// elsewhere package-level names stay unresolved (nil), while
			// a local of the same name resolves to its own declaration.
			if id.Obj != nil && id.Obj.Decl != spec {
				return true
			}
			end := f.off(id.End())
			f.edits = append(f.edits, edit{start: end, end: end, text: "()"})
			return true
		})
	}
}

// removeDecls deletes the declarations made lazy: a whole `var x = …`, or
// a spec of a `var ( … )` group, or the whole group when none is left.
func (f *file) removeDecls() {
	left := map[*ast.GenDecl]int{}
	for _, decl := range f.removed {
		left[decl] = len(decl.Specs)
	}
	for spec, decl := range f.removed {
		left[decl]--
		if decl.Lparen.IsValid() {
			f.edits = append(f.edits, edit{start: f.off(spec.Pos()), end: f.off(spec.End())})
		}
	}
	for decl, n := range left {
		if n > 0 {
			continue
		}
		if decl.Lparen.IsValid() {
			// Drop the spec edits for this decl: the whole decl goes.
			kept := f.edits[:0]
			for _, e := range f.edits {
				if !(e.text == "" && e.gen == nil && e.start >= f.off(decl.Pos()) && e.end <= f.off(decl.End())) {
					kept = append(kept, e)
				}
			}
			f.edits = kept
		}
		start := decl.Pos()
		if decl.Doc != nil {
			start = decl.Doc.Pos()
		}
		f.edits = append(f.edits, edit{start: f.off(start), end: f.off(decl.End())})
	}
}

// importSync makes sure the file imports sync under that name.
func (f *file) importSync() error {
	for _, imp := range f.ast.Imports {
		path, _ := strconv.Unquote(imp.Path.Value)
		if path != "sync" {
			continue
		}
		if imp.Name != nil && imp.Name.Name != "sync" {
			return fmt.Errorf("%s imports sync as %s", f.name, imp.Name.Name)
		}
		return nil
	}
	for _, e := range f.edits {
		if e.text == "\n\nimport \"sync\"" {
			return nil
		}
	}
	end := f.off(f.ast.Name.End())
	f.edits = append(f.edits, edit{start: end, end: end, text: "\n\nimport \"sync\""})
	return nil
}

func (f *file) appendCode(gen func() string) {
	f.edits = append(f.edits, edit{start: len(f.src), end: len(f.src), gen: gen})
}

// apply makes the file's edits, which must not overlap, except that
// insertions inside a removed declaration go with it (its code was copied
// with them, by rewritten).
func (f *file) apply() ([]byte, error) {
	var kept []edit
	for _, e := range f.edits {
		inRemoved := e.start == e.end && slices.ContainsFunc(f.edits, func(r edit) bool {
			return r.text == "" && r.gen == nil && r.start < r.end && r.start < e.start && e.start <= r.end
		})
		if !inRemoved {
			kept = append(kept, e)
		}
	}
	for i, e := range kept {
		if e.gen != nil {
			kept[i].text = e.gen()
		}
	}
	f.edits = kept
	sort.SliceStable(f.edits, func(i, j int) bool { return f.edits[i].start < f.edits[j].start })
	var b strings.Builder
	at := 0
	for _, e := range f.edits {
		if e.start < at {
			return nil, fmt.Errorf("%s: overlapping rewrites at offset %d", f.name, e.start)
		}
		b.Write(f.src[at:e.start])
		b.WriteString(e.text)
		at = e.end
	}
	b.Write(f.src[at:])
	return []byte(b.String()), nil
}
