package wit

import (
	"slices"
	"sort"
	"strings"

	"github.com/spin-go/sdk/internal/wit/syntax"
)

// resolver turns source packages into resolved ones.
type resolver struct {
	res      *Resolve
	features map[string]bool
	all      bool
	byName   map[string]*Package // full name → resolved package
	versions map[string][]string // ns:name → versions seen in the input
}

func resolveAll(src []*srcPackage, root *srcPackage, opts Options) (*Resolve, error) {
	r := &resolver{
		res:      &Resolve{Features: map[string]bool{}},
		features: map[string]bool{},
		all:      opts.AllFeatures,
		byName:   map[string]*Package{},
		versions: map[string][]string{},
	}
	for _, f := range opts.Features {
		r.features[f] = true
		r.res.Features[f] = true
	}
	// The first definition of a package wins; a later one must define the
	// same thing and is checked once everything is resolved.
	unique := map[string]*srcPackage{}
	var order []*srcPackage
	var dups []*srcPackage
	for _, p := range src {
		key := p.name.String()
		if _, ok := unique[key]; ok {
			dups = append(dups, p)
			continue
		}
		unique[key] = p
		order = append(order, p)
		nn := p.name.Namespace + ":" + p.name.Name
		r.versions[nn] = append(r.versions[nn], p.name.Version)
	}
	sorted, err := r.sortPackages(order, unique)
	if err != nil {
		return nil, err
	}
	for _, sp := range sorted {
		pkg, err := r.resolvePackage(sp)
		if err != nil {
			return nil, err
		}
		r.byName[pkg.Name.String()] = pkg
		r.res.Packages = append(r.res.Packages, pkg)
		if sp == root {
			r.res.Root = pkg
		}
	}
	for _, d := range dups {
		if err := r.checkDuplicate(d); err != nil {
			return nil, err
		}
	}
	return r.res, nil
}

// enabled reports whether an item with this gate is part of the resolve.
func (r *resolver) enabled(g syntax.Gate) bool {
	return g.Unstable == "" || r.all || r.features[g.Unstable]
}

func stability(g syntax.Gate) Stability {
	return Stability{Since: g.Since, Unstable: g.Unstable, Deprecated: g.Deprecated}
}

// findPackage finds the package a path refers to; a path without a version
// matches the unversioned package when there is one (Spin's fermyon:spin
// lives beside fermyon:spin@2.0.0 and @3.0.0), else the only version
// present.
func (r *resolver) findPackageName(pn syntax.PackageName) (string, error) {
	nn := pn.Namespace + ":" + pn.Name
	versions := r.versions[nn]
	if pn.Version == "" {
		if slices.Contains(versions, "") {
			return nn, nil
		}
		switch len(versions) {
		case 0:
			return "", errorf(pn.Pos, "package %s not found", nn)
		case 1:
			if versions[0] == "" {
				return nn, nil
			}
			return nn + "@" + versions[0], nil
		}
		return "", errorf(pn.Pos, "package %s is ambiguous: versions %s are present; write the version (%s@%s)",
			nn, strings.Join(versions, ", "), nn, versions[0])
	}
	for _, v := range versions {
		if v == pn.Version {
			return pn.String(), nil
		}
	}
	if len(versions) == 0 {
		return "", errorf(pn.Pos, "package %s not found (no version of %s is present)", pn, nn)
	}
	return "", errorf(pn.Pos, "package %s not found; present versions of %s: %s", pn, nn, strings.Join(versions, ", "))
}

// sortPackages orders packages so that every package comes after those it
// refers to, and reports cycles.
func (r *resolver) sortPackages(order []*srcPackage, byName map[string]*srcPackage) ([]*srcPackage, error) {
	type edge struct {
		to  string
		pos Pos
	}
	deps := map[*srcPackage][]edge{}
	for _, p := range order {
		self := p.name.String()
		var err error
		walkPaths(p, func(u syntax.UsePath) {
			if err != nil || u.Package == nil {
				return
			}
			name, e := r.findPackageName(*u.Package)
			if e != nil {
				err = e
				return
			}
			if name != self {
				deps[p] = append(deps[p], edge{name, u.Pos})
			}
		})
		if err != nil {
			return nil, err
		}
	}
	const (
		unvisited = iota
		visiting
		done
	)
	state := map[*srcPackage]int{}
	var out []*srcPackage
	var stack []string
	var visit func(p *srcPackage, pos Pos) error
	visit = func(p *srcPackage, pos Pos) error {
		switch state[p] {
		case done:
			return nil
		case visiting:
			i := 0
			for stack[i] != p.name.String() {
				i++
			}
			cycle := append(append([]string{}, stack[i:]...), p.name.String())
			return errorf(pos, "package dependency cycle: %s", strings.Join(cycle, " -> "))
		}
		state[p] = visiting
		stack = append(stack, p.name.String())
		for _, e := range deps[p] {
			if err := visit(byName[e.to], e.pos); err != nil {
				return err
			}
		}
		stack = stack[:len(stack)-1]
		state[p] = done
		out = append(out, p)
		return nil
	}
	for _, p := range order {
		if err := visit(p, p.pos); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// walkPaths calls fn for every interface or world path in a package.
func walkPaths(p *srcPackage, fn func(syntax.UsePath)) {
	var items func(is []syntax.InterfaceItem)
	items = func(is []syntax.InterfaceItem) {
		for _, it := range is {
			if u, ok := it.(*syntax.Use); ok {
				fn(u.Path)
			}
		}
	}
	for _, u := range p.units {
		for _, tu := range u.uses {
			fn(tu.Path)
		}
		for _, i := range u.items.Interfaces {
			items(i.Items)
		}
		for _, w := range u.items.Worlds {
			for _, it := range w.Items {
				switch it := it.(type) {
				case *syntax.Use:
					fn(it.Path)
				case *syntax.Include:
					fn(it.Path)
				case *syntax.ImportExport:
					if it.Path != nil {
						fn(*it.Path)
					}
					if it.Ref != nil {
						fn(*it.Ref)
					}
					if it.Inline != nil {
						items(it.Inline.Items)
					}
				}
			}
		}
	}
}

// pkgScope is what one package resolution needs: its shells and the scope of
// each unit's top-level uses.
type pkgScope struct {
	pkg    *Package
	ifaces map[string]*ifaceSrc
	worlds map[string]*worldSrc
	r      *resolver
}

type ifaceSrc struct {
	iface *Interface
	ast   *syntax.Interface
	unit  *unitScope
	state int
}

type worldSrc struct {
	world *World
	ast   *syntax.World
	unit  *unitScope
	state int
}

// unitScope holds the names a file (or nested block) brings in with
// top-level `use ... as ...;`.
type unitScope struct {
	names map[string]*Interface
}

func (r *resolver) resolvePackage(sp *srcPackage) (*Package, error) {
	pkg := &Package{Name: sp.name, Docs: sp.docs, Pos: sp.pos}
	ps := &pkgScope{pkg: pkg, ifaces: map[string]*ifaceSrc{}, worlds: map[string]*worldSrc{}, r: r}
	seen := map[string]Pos{}
	declare := func(name syntax.Ident) error {
		if p, ok := seen[name.Name]; ok {
			return errorf(name.Pos, "'%s' is defined more than once in package %s (first at %s)", name.Name, pkg.Name, p)
		}
		seen[name.Name] = name.Pos
		return nil
	}
	units := make([]*unitScope, len(sp.units))
	for ui, u := range sp.units {
		units[ui] = &unitScope{names: map[string]*Interface{}}
		for _, i := range u.items.Interfaces {
			if !r.enabled(i.Gate) {
				continue
			}
			if err := declare(i.Name); err != nil {
				return nil, err
			}
			iface := &Interface{Name: i.Name.Name, Package: pkg, Docs: i.Docs, Stability: stability(i.Gate), Pos: i.Name.Pos}
			pkg.Interfaces = append(pkg.Interfaces, iface)
			ps.ifaces[i.Name.Name] = &ifaceSrc{iface: iface, ast: i, unit: units[ui]}
		}
		for _, w := range u.items.Worlds {
			if !r.enabled(w.Gate) {
				continue
			}
			if err := declare(w.Name); err != nil {
				return nil, err
			}
			world := &World{Name: w.Name.Name, Package: pkg, Docs: w.Docs, Stability: stability(w.Gate), Pos: w.Name.Pos}
			pkg.Worlds = append(pkg.Worlds, world)
			ps.worlds[w.Name.Name] = &worldSrc{world: world, ast: w, unit: units[ui]}
		}
	}
	// Top-level uses name interfaces for the rest of their file.
	for ui, u := range sp.units {
		for _, tu := range u.uses {
			iface, err := ps.lookupInterface(tu.Path, nil)
			if err != nil {
				return nil, err
			}
			name := tu.Path.Name.Name
			pos := tu.Path.Name.Pos
			if tu.As != nil {
				name, pos = tu.As.Name, tu.As.Pos
			}
			if _, ok := ps.ifaces[name]; ok {
				return nil, errorf(pos, "'use ... as %s' conflicts with interface %s defined in this package", name, name)
			}
			if _, ok := units[ui].names[name]; ok {
				return nil, errorf(pos, "'%s' is already brought in by another top-level use in this file", name)
			}
			units[ui].names[name] = iface
		}
	}
	for _, is := range sortedIfaces(ps.ifaces) {
		if err := ps.resolveInterfaceSrc(is, nil); err != nil {
			return nil, err
		}
	}
	for _, ws := range sortedWorlds(ps.worlds) {
		if err := ps.resolveWorldSrc(ws, nil); err != nil {
			return nil, err
		}
	}
	return pkg, nil
}

func sortedIfaces(m map[string]*ifaceSrc) []*ifaceSrc {
	out := make([]*ifaceSrc, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	sort.Slice(out, func(i, j int) bool { return posLess(out[i].ast.Pos, out[j].ast.Pos) })
	return out
}

func sortedWorlds(m map[string]*worldSrc) []*worldSrc {
	out := make([]*worldSrc, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	sort.Slice(out, func(i, j int) bool { return posLess(out[i].ast.Pos, out[j].ast.Pos) })
	return out
}

func posLess(a, b Pos) bool {
	if a.File != b.File {
		return a.File < b.File
	}
	return a.Offset < b.Offset
}

// lookupInterface finds the interface a path names. A bare name is looked up
// in the unit's top-level uses, then in the package. When the interface is
// in this package it is resolved first (cycles are reported via stack).
func (ps *pkgScope) lookupInterface(path syntax.UsePath, unit *unitScope) (*Interface, error) {
	if path.Package == nil {
		if unit != nil {
			if iface, ok := unit.names[path.Name.Name]; ok {
				return iface, nil
			}
		}
		if is, ok := ps.ifaces[path.Name.Name]; ok {
			return is.iface, nil
		}
		if _, ok := ps.worlds[path.Name.Name]; ok {
			return nil, errorf(path.Name.Pos, "'%s' is a world, not an interface", path.Name.Name)
		}
		return nil, errorf(path.Name.Pos, "interface '%s' is not defined in package %s", path.Name.Name, ps.pkg.Name)
	}
	name, err := ps.r.findPackageName(*path.Package)
	if err != nil {
		return nil, err
	}
	if name == ps.pkg.Name.String() {
		return ps.lookupInterface(syntax.UsePath{Name: path.Name, Pos: path.Pos}, nil)
	}
	pkg := ps.r.byName[name]
	if iface := pkg.Interface(path.Name.Name); iface != nil {
		return iface, nil
	}
	if pkg.World(path.Name.Name) != nil {
		return nil, errorf(path.Name.Pos, "'%s' in package %s is a world, not an interface", path.Name.Name, name)
	}
	return nil, errorf(path.Name.Pos, "interface '%s' is not defined in package %s", path.Name.Name, name)
}

// checkDuplicate resolves a second definition of a package on its own and
// requires it to equal the first.
func (r *resolver) checkDuplicate(sp *srcPackage) error {
	first := r.byName[sp.name.String()]
	// Resolve against everything else, with the duplicate shadowing nothing.
	shadow := &resolver{res: &Resolve{}, features: r.features, all: r.all, byName: r.byName, versions: r.versions}
	pkg, err := shadow.resolvePackage(sp)
	if err != nil {
		return err
	}
	var a, b strings.Builder
	pr := Printer{}
	for _, i := range first.Interfaces {
		a.WriteString(pr.Interface(i))
	}
	for _, i := range pkg.Interfaces {
		b.WriteString(pr.Interface(i))
	}
	if a.String() != b.String() {
		return errorf(sp.pos, "package %s is defined again with different contents (first definition at %s)", sp.name, first.Pos)
	}
	return nil
}

func (ps *pkgScope) cycleError(pos Pos, what, name string) error {
	return errorf(pos, "%s '%s' depends on itself through 'use' or 'include'", what, name)
}

// first returns the first non-nil error: resolution stops at the first
// problem so that every message points at its real cause.
func first(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}
