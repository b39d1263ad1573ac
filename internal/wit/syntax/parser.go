package syntax

import (
	"fmt"
	"strconv"
	"strings"
)

// maxDepth bounds the nesting of type expressions so that hostile input
// cannot exhaust the stack.
const maxDepth = 100

// Parse parses one WIT file. The path is used in positions only.
func Parse(path string, src []byte) (*File, error) {
	p := &parser{lex: newLexer(path, string(src))}
	f, err := p.file()
	if err != nil {
		return nil, err
	}
	f.Path = path
	return f, nil
}

type parser struct {
	lex   *lexer
	buf   []Token
	depth int
}

// bail aborts parsing with an error; file() recovers it. Only *Error values
// are thrown this way, so a genuine bug still crashes loudly in tests.
type bail struct{ err *Error }

func (p *parser) fail(pos Pos, format string, args ...any) {
	panic(bail{&Error{Pos: pos, Msg: fmt.Sprintf(format, args...)}})
}

func (p *parser) check(err error) {
	if err == nil {
		return
	}
	if e, ok := err.(*Error); ok {
		panic(bail{e})
	}
	panic(err)
}

func (p *parser) peekN(n int) Token {
	for len(p.buf) <= n {
		t, err := p.lex.next()
		p.check(err)
		p.buf = append(p.buf, t)
	}
	return p.buf[n]
}

func (p *parser) peek() Token { return p.peekN(0) }

func (p *parser) next() Token {
	t := p.peek()
	p.buf = p.buf[1:]
	return t
}

func (p *parser) at(k Kind) bool { return p.peek().Kind == k }

func (p *parser) atKeyword(kw string) bool {
	t := p.peek()
	return t.Kind == Name && t.Keyword && t.Text == kw
}

func (p *parser) eat(k Kind) bool {
	if p.at(k) {
		p.next()
		return true
	}
	return false
}

func (p *parser) eatKeyword(kw string) bool {
	if p.atKeyword(kw) {
		p.next()
		return true
	}
	return false
}

func (p *parser) expect(k Kind, context string) Token {
	t := p.next()
	if t.Kind != k {
		p.fail(t.Pos, "expected %s %s, found %s", k, context, t)
	}
	return t
}

func (p *parser) expectKeyword(kw, context string) Token {
	t := p.next()
	if t.Kind != Name || !t.Keyword || t.Text != kw {
		p.fail(t.Pos, "expected '%s' %s, found %s", kw, context, t)
	}
	return t
}

// ident reads a name; keywords must be escaped with '%' to be used as names.
func (p *parser) ident(context string) Ident {
	t := p.next()
	if t.Kind != Name {
		p.fail(t.Pos, "expected an identifier %s, found %s", context, t)
	}
	if t.Keyword {
		p.fail(t.Pos, "'%s' is a keyword and cannot be used as a name %s; write '%%%s' to use it as an identifier", t.Text, context, t.Text)
	}
	return Ident{Name: t.Text, Pos: t.Pos}
}

// version reads the version after a consumed '@'. The lookahead must be empty
// because versions are lexed directly from the source.
func (p *parser) version() (string, Pos) {
	if len(p.buf) != 0 {
		p.fail(p.buf[0].Pos, "expected a semantic version, found %s", p.buf[0])
	}
	v, pos, err := p.lex.version()
	p.check(err)
	return v, pos
}

func docs(t Token) string { return strings.Join(t.Docs, "\n") }

func (p *parser) file() (f *File, err error) {
	defer func() {
		if r := recover(); r != nil {
			b, ok := r.(bail)
			if !ok {
				panic(r)
			}
			f, err = nil, b.err
		}
	}()
	f = &File{}
	first := true
	for !p.at(EOF) {
		if p.atKeyword("package") {
			kw := p.next()
			name := p.packageName()
			if p.eat(Semicolon) {
				if !first {
					p.fail(kw.Pos, "the 'package %s;' declaration must come before all other items in the file", name)
				}
				f.Decl = &name
			} else {
				p.expect(LBrace, "or ';' after the package name")
				nested := &NestedPackage{Name: name, Docs: docs(kw)}
				p.untilBrace("package "+name.String(), func() {
					if p.atKeyword("package") {
						p.fail(p.peek().Pos, "package blocks cannot be nested inside package %s", name)
					}
					p.packageItem(&nested.Items)
				})
				f.Nested = append(f.Nested, nested)
			}
		} else {
			p.packageItem(&f.Items)
		}
		first = false
	}
	return f, nil
}

// untilBrace calls item until the closing '}' of what.
func (p *parser) untilBrace(what string, item func()) {
	for !p.eat(RBrace) {
		if p.at(EOF) {
			p.fail(p.peek().Pos, "expected '}' to close %s, found end of file", what)
		}
		item()
	}
}

// packageName reads `ns:name@version`.
func (p *parser) packageName() PackageName {
	ns := p.ident("for the package namespace")
	p.expect(Colon, "between the package namespace and name")
	name := p.ident("for the package name")
	if p.at(Colon) {
		p.fail(p.peek().Pos, "nested namespaces (%s:%s:...) are not supported", ns.Name, name.Name)
	}
	pn := PackageName{Namespace: ns.Name, Name: name.Name, Pos: ns.Pos}
	if p.eat(At) {
		pn.Version, _ = p.version()
	}
	return pn
}

func (p *parser) gates() Gate {
	var g Gate
	for p.at(At) {
		at := p.next()
		name := p.next()
		if name.Kind != Name {
			p.fail(name.Pos, "expected a gate name after '@' (since, unstable, deprecated), found %s", name)
		}
		p.expect(LParen, "after @"+name.Text)
		switch name.Text {
		case "since", "deprecated":
			field := p.next()
			if field.Kind != Name || field.Text != "version" {
				p.fail(field.Pos, "expected 'version' in @%s(version = x.y.z), found %s", name.Text, field)
			}
			p.expect(Equals, "after 'version'")
			v, _ := p.version()
			if name.Text == "since" {
				if g.Since != "" {
					p.fail(at.Pos, "duplicate @since gate")
				}
				g.Since, g.SincePos = v, at.Pos
			} else {
				if g.Deprecated != "" {
					p.fail(at.Pos, "duplicate @deprecated gate")
				}
				g.Deprecated = v
			}
		case "unstable":
			field := p.next()
			if field.Kind != Name || field.Text != "feature" {
				p.fail(field.Pos, "expected 'feature' in @unstable(feature = name), found %s", field)
			}
			p.expect(Equals, "after 'feature'")
			feat := p.next()
			if feat.Kind != Name {
				p.fail(feat.Pos, "expected a feature name, found %s", feat)
			}
			if g.Unstable != "" {
				p.fail(at.Pos, "duplicate @unstable gate")
			}
			g.Unstable, g.UnstablePos = feat.Text, at.Pos
		case "external-id":
			s := p.expect(String, "in @external-id(\"...\")")
			g.ExternalID, g.HasExternal = s.Text, true
		default:
			p.fail(name.Pos, "unknown gate '@%s': expected @since, @unstable, @deprecated or @external-id", name.Text)
		}
		p.expect(RParen, "to close @"+name.Text)
	}
	if g.Since != "" && g.Unstable != "" {
		p.fail(g.UnstablePos, "an item cannot be both @since and @unstable")
	}
	if g.Deprecated != "" && g.Since == "" && g.Unstable == "" {
		// WIT.md: "A @deprecated gate is required to always be paired up
		// with either a @since or @deprecated gate"; wit-parser accepts it
		// alone, and so do we.
		_ = g
	}
	return g
}

func (p *parser) packageItem(items *Items) {
	start := p.peek()
	g := p.gates()
	d := strings.Join(start.Docs, "\n")
	t := p.peek()
	switch {
	case t.Keyword && t.Text == "interface":
		iface := p.interfaceBody(true)
		iface.Docs, iface.Gate = d, g
		items.Interfaces = append(items.Interfaces, iface)
	case t.Keyword && t.Text == "world":
		w := p.world()
		w.Docs, w.Gate = d, g
		items.Worlds = append(items.Worlds, w)
	case t.Keyword && t.Text == "use":
		p.next()
		u := &TopUse{Path: p.usePath(), Pos: t.Pos}
		if p.eatKeyword("as") {
			as := p.ident("after 'as'")
			u.As = &as
		}
		p.expect(Semicolon, "after the use statement")
		items.Uses = append(items.Uses, u)
	default:
		p.fail(t.Pos, "expected 'interface', 'world', 'use' or 'package', found %s", t)
	}
}

// usePath reads `name` or `ns:pkg/name@version`.
func (p *parser) usePath() UsePath {
	first := p.ident("naming an interface or world")
	if !p.at(Colon) {
		return UsePath{Name: first, Pos: first.Pos}
	}
	p.next()
	pkg := p.ident("for the package name")
	if p.at(Colon) {
		p.fail(p.peek().Pos, "nested namespaces (%s:%s:...) are not supported", first.Name, pkg.Name)
	}
	p.expect(Slash, fmt.Sprintf("after package %s:%s (a path is ns:pkg/name)", first.Name, pkg.Name))
	name := p.ident("after '/'")
	if p.at(Slash) {
		p.fail(p.peek().Pos, "nested paths (%s:%s/%s/...) are not supported", first.Name, pkg.Name, name.Name)
	}
	pn := PackageName{Namespace: first.Name, Name: pkg.Name, Pos: first.Pos}
	if p.eat(At) {
		pn.Version, _ = p.version()
	}
	return UsePath{Package: &pn, Name: name, Pos: first.Pos}
}

// interfaceBody reads `interface name? { items }`.
func (p *parser) interfaceBody(named bool) *Interface {
	kw := p.expectKeyword("interface", "")
	iface := &Interface{Pos: kw.Pos}
	if named {
		iface.Name = p.ident("after 'interface'")
	}
	p.expect(LBrace, "to open the interface body")
	p.untilBrace("interface "+iface.Name.Name, func() { iface.Items = append(iface.Items, p.interfaceItem()) })
	return iface
}

func (p *parser) interfaceItem() InterfaceItem {
	start := p.peek()
	g := p.gates()
	d := docs(start)
	t := p.peek()
	if t.Keyword && t.Text == "use" {
		u := p.use()
		u.Gate, u.Docs = g, d
		return u
	}
	if t.Keyword && p.peekN(1).Kind == Colon {
		p.fail(t.Pos, "'%s' is a keyword and cannot be used as a name; write '%%%s' to use it as an identifier", t.Text, t.Text)
	}
	if td := p.maybeTypeDef(); td != nil {
		td.Docs, td.Gate = d, g
		return td
	}
	if t.Kind == Name && !t.Keyword {
		name := p.ident("")
		p.expect(Colon, "after the function name "+name.Name)
		f := &Func{Name: name, Docs: d, Gate: g, Type: p.funcType(), Pos: name.Pos}
		p.expect(Semicolon, "after the function "+name.Name)
		return f
	}
	p.fail(t.Pos, "expected a type definition, 'use' or a function, found %s", t)
	return nil
}

func (p *parser) use() *Use {
	kw := p.expectKeyword("use", "")
	u := &Use{Path: p.usePath(), Pos: kw.Pos}
	p.expect(Dot, "after the interface path in 'use' (use path.{names})")
	p.expect(LBrace, "after '.' in 'use'")
	for {
		n := UseName{Name: p.ident("in the use list")}
		if p.eatKeyword("as") {
			as := p.ident("after 'as'")
			n.As = &as
		}
		u.Names = append(u.Names, n)
		if !p.eat(Comma) || p.at(RBrace) {
			break
		}
	}
	p.expect(RBrace, "to close the use list")
	p.expect(Semicolon, "after the use statement")
	return u
}

// maybeTypeDef parses a type definition if one starts here.
func (p *parser) maybeTypeDef() *TypeDef {
	t := p.peek()
	if t.Kind != Name || !t.Keyword {
		return nil
	}
	switch t.Text {
	case "type", "record", "variant", "enum", "flags", "resource":
	default:
		return nil
	}
	p.next()
	td := &TypeDef{Name: p.ident("after '" + t.Text + "'"), Pos: t.Pos}
	what := t.Text + " " + td.Name.Name
	switch t.Text {
	case "type":
		p.expect(Equals, "after 'type "+td.Name.Name+"'")
		td.Kind = &Alias{Type: p.ty()}
		p.expect(Semicolon, "after the type alias "+td.Name.Name)
	case "record":
		r := &Record{}
		p.braceList(what, func(d string) {
			name := p.ident("for a record field")
			p.expect(Colon, "after the field name "+name.Name)
			r.Fields = append(r.Fields, Field{Name: name, Docs: d, Type: p.ty()})
		})
		td.Kind = r
	case "variant":
		v := &Variant{}
		p.braceList(what, func(d string) {
			c := Case{Name: p.ident("for a variant case"), Docs: d}
			if p.eat(LParen) {
				c.Type = p.ty()
				p.expect(RParen, "after the payload of case "+c.Name.Name)
			}
			v.Cases = append(v.Cases, c)
		})
		td.Kind = v
	case "enum":
		e := &Enum{}
		p.braceList(what, func(d string) {
			e.Cases = append(e.Cases, Label{Name: p.ident("for an enum case"), Docs: d})
		})
		td.Kind = e
	case "flags":
		fl := &Flags{}
		p.braceList(what, func(d string) {
			fl.Flags = append(fl.Flags, Label{Name: p.ident("for a flag"), Docs: d})
		})
		td.Kind = fl
	case "resource":
		r := &Resource{}
		if !p.eat(Semicolon) {
			p.expect(LBrace, "or ';' after 'resource "+td.Name.Name+"'")
			p.untilBrace("resource "+td.Name.Name, func() { r.Funcs = append(r.Funcs, p.resourceFunc()) })
		}
		td.Kind = r
	}
	return td
}

// braceList reads `{ item, item, ... }` with an optional trailing comma and at
// least one item; each item gets its doc comments.
func (p *parser) braceList(what string, item func(docs string)) {
	p.expect(LBrace, "after '"+what+"'")
	if p.at(RBrace) {
		p.fail(p.peek().Pos, "%s must have at least one member", what)
	}
	for {
		item(docs(p.peek()))
		if !p.eat(Comma) {
			break
		}
		if p.at(RBrace) {
			break
		}
	}
	p.expect(RBrace, "or ',' in "+what)
}

func (p *parser) resourceFunc() *ResourceFunc {
	start := p.peek()
	g := p.gates()
	rf := &ResourceFunc{Docs: docs(start), Gate: g, Pos: p.peek().Pos}
	if p.atKeyword("constructor") {
		kw := p.next()
		rf.Kind, rf.Name = Constructor, Ident{Name: "constructor", Pos: kw.Pos}
		rf.Func = FuncType{Params: p.params(), Pos: kw.Pos}
		if p.eat(Arrow) {
			rf.Func.Result = p.ty()
		}
		p.expect(Semicolon, "after the constructor")
		return rf
	}
	rf.Name = p.ident("for a resource method, 'static' function or 'constructor'")
	p.expect(Colon, "after the method name "+rf.Name.Name)
	if p.eatKeyword("static") {
		rf.Kind = Static
	}
	rf.Func = p.funcType()
	p.expect(Semicolon, "after the method "+rf.Name.Name)
	return rf
}

// funcType reads `async? func(params) (-> ty)?`.
func (p *parser) funcType() FuncType {
	ft := FuncType{Pos: p.peek().Pos}
	ft.Async = p.eatKeyword("async")
	p.expectKeyword("func", "(a function type is 'func(...)' or 'async func(...)')")
	ft.Params = p.params()
	if p.eat(Arrow) {
		if p.at(LParen) {
			p.fail(p.peek().Pos, "named or multiple results are no longer part of WIT; return one type such as a tuple or record")
		}
		ft.Result = p.ty()
	}
	return ft
}

func (p *parser) params() []Param {
	p.expect(LParen, "to open the parameter list")
	var ps []Param
	for !p.eat(RParen) {
		name := p.ident("for a parameter")
		p.expect(Colon, "after the parameter name "+name.Name)
		ps = append(ps, Param{Name: name, Type: p.ty()})
		if !p.eat(Comma) {
			p.expect(RParen, "or ',' in the parameter list")
			break
		}
	}
	return ps
}

// ty reads a type expression.
func (p *parser) ty() Type {
	p.depth++
	defer func() { p.depth-- }()
	t := p.next()
	if p.depth > maxDepth {
		p.fail(t.Pos, "type expression is nested more than %d levels deep", maxDepth)
	}
	if t.Kind != Name {
		p.fail(t.Pos, "expected a type, found %s", t)
	}
	if !t.Keyword {
		return &Named{Name: Ident{Name: t.Text, Pos: t.Pos}}
	}
	switch t.Text {
	case "bool", "s8", "s16", "s32", "s64", "u8", "u16", "u32", "u64", "f32", "f64", "char", "string", "error-context":
		return &Prim{Name: t.Text, Pos: t.Pos}
	case "list":
		p.expect(Less, "after 'list'")
		l := &List{Elem: p.ty(), Pos: t.Pos}
		if p.eat(Comma) {
			n := p.expect(Integer, "for the length of a fixed-length list")
			v, err := strconv.ParseUint(n.Text, 10, 32)
			if err != nil || v == 0 || n.Text[0] == '0' {
				p.fail(n.Pos, "fixed-length list length must be an integer from 1 to %d without leading zeros, found %s", uint32(1<<32-1), n.Text)
			}
			l.Len = uint32(v)
		}
		p.expect(Greater, "to close 'list<'")
		return l
	case "option":
		p.expect(Less, "after 'option'")
		o := &Option{Elem: p.ty(), Pos: t.Pos}
		p.expect(Greater, "to close 'option<'")
		return o
	case "result":
		r := &Result{Pos: t.Pos}
		if !p.eat(Less) {
			return r
		}
		if p.eat(Underscore) {
			p.expect(Comma, "after '_' in result<_, E>")
			r.Err = p.ty()
		} else {
			r.Ok = p.ty()
			if p.eat(Comma) {
				r.Err = p.ty()
			}
		}
		p.expect(Greater, "to close 'result<'")
		return r
	case "tuple":
		p.expect(Less, "after 'tuple'")
		tu := &Tuple{Pos: t.Pos}
		for {
			tu.Types = append(tu.Types, p.ty())
			if !p.eat(Comma) || p.at(Greater) {
				break
			}
		}
		p.expect(Greater, "or ',' in 'tuple<'")
		return tu
	case "borrow", "own":
		p.expect(Less, "after '"+t.Text+"'")
		h := &Handle{Borrow: t.Text == "borrow", Name: p.ident("naming a resource in " + t.Text + "<...>"), Pos: t.Pos}
		p.expect(Greater, "to close '"+t.Text+"<'")
		return h
	case "future", "stream":
		var elem Type
		if p.eat(Less) {
			elem = p.ty()
			p.expect(Greater, "to close '"+t.Text+"<'")
		}
		if t.Text == "future" {
			return &Future{Elem: elem, Pos: t.Pos}
		}
		return &Stream{Elem: elem, Pos: t.Pos}
	case "map":
		p.expect(Less, "after 'map'")
		m := &Map{Key: p.ty(), Pos: t.Pos}
		p.expect(Comma, "between the key and value types of 'map<'")
		m.Value = p.ty()
		p.expect(Greater, "to close 'map<'")
		return m
	}
	p.fail(t.Pos, "expected a type, found keyword '%s'", t.Text)
	return nil
}

func (p *parser) world() *World {
	kw := p.expectKeyword("world", "")
	w := &World{Name: p.ident("after 'world'"), Pos: kw.Pos}
	p.expect(LBrace, "to open the world body")
	p.untilBrace("world "+w.Name.Name, func() { w.Items = append(w.Items, p.worldItem()) })
	return w
}

func (p *parser) worldItem() WorldItem {
	start := p.peek()
	g := p.gates()
	d := docs(start)
	t := p.peek()
	switch {
	case t.Keyword && (t.Text == "import" || t.Text == "export"):
		p.next()
		ie := p.importExport(t.Text == "export")
		ie.Docs, ie.Gate, ie.Pos = d, g, t.Pos
		return ie
	case t.Keyword && t.Text == "use":
		u := p.use()
		u.Gate, u.Docs = g, d
		return u
	case t.Keyword && t.Text == "include":
		p.next()
		inc := &Include{Path: p.usePath(), Docs: d, Gate: g, Pos: t.Pos}
		if p.eatKeyword("with") {
			p.expect(LBrace, "after 'with'")
			for !p.eat(RBrace) {
				from := p.ident("naming an import or export to rename")
				p.expectKeyword("as", "in 'with { a as b }'")
				inc.With = append(inc.With, IncludeName{From: from, To: p.ident("after 'as'")})
				if !p.eat(Comma) {
					p.expect(RBrace, "or ',' in 'with { ... }'")
					break
				}
			}
		}
		p.expect(Semicolon, "after the include statement")
		return inc
	}
	if td := p.maybeTypeDef(); td != nil {
		td.Docs, td.Gate = d, g
		return td
	}
	p.fail(t.Pos, "expected 'import', 'export', 'include', 'use' or a type definition in a world, found %s", t)
	return nil
}

// importExport reads what follows `import` or `export`.
func (p *parser) importExport(export bool) *ImportExport {
	ie := &ImportExport{Export: export}
	first := p.peek()
	// `a:b` written without spaces is a package path, `a: b` a named item
	// (WIT.md lexes `a:b` as one token to settle this ambiguity).
	colon, after := p.peekN(1), p.peekN(2)
	isPath := colon.Kind == Colon && colon.Pos.Offset == first.End && after.Pos.Offset == colon.End
	if first.Kind == Name && colon.Kind == Colon && !isPath {
		ie.Name = p.ident("for the import or export name")
		p.next()
		switch {
		case p.atKeyword("interface"):
			ie.Inline = p.interfaceBody(false)
			ie.Inline.Name = Ident{Pos: ie.Name.Pos}
			return ie
		case p.atKeyword("func") || p.atKeyword("async"):
			ft := p.funcType()
			ie.Func = &ft
		default:
			ref := p.usePath()
			ie.Ref = &ref
		}
		p.expect(Semicolon, "after the "+map[bool]string{true: "export", false: "import"}[export])
		return ie
	}
	path := p.usePath()
	ie.Path = &path
	ie.Name = path.Name
	p.expect(Semicolon, "after the "+map[bool]string{true: "export", false: "import"}[export])
	return ie
}
