package wit

import (
	"fmt"
	"strings"

	"github.com/spin-go/sdk/internal/wit/syntax"
)

// worldBuilder collects the items of a world before elaboration.
type worldBuilder struct {
	w       *World
	imports []*WorldItem
	exports []*WorldItem
}

// add puts an item in the import or export list. An interface listed twice
// under its own name is kept once (WIT.md: de-duplication of interfaces);
// any other repeated name is an error.
func (b *worldBuilder) add(export bool, it *WorldItem, pos Pos, via string) error {
	list := &b.imports
	dir := "import"
	if export {
		list, dir = &b.exports, "export"
	}
	for _, prev := range *list {
		if !strings.EqualFold(prev.Key, it.Key) {
			continue
		}
		if prev.Interface != nil && prev.Interface == it.Interface && !it.Named() && !prev.Named() {
			if prev.Implicit && !it.Implicit {
				prev.Implicit, prev.Docs, prev.Stability = false, it.Docs, it.Stability
			}
			return nil
		}
		if via != "" {
			return errorf(pos, "%s '%s' of %s conflicts with an %s of the same name in world %s; rename it with 'with { %s as new-name }'", dir, it.Key, via, dir, b.w.Name, it.Key)
		}
		return errorf(pos, "%s '%s' is defined more than once in world %s", dir, it.Key, b.w.Name)
	}
	*list = append(*list, it)
	return nil
}

// resolveWorldSrc resolves a world of the package, after the local worlds
// it includes.
func (ps *pkgScope) resolveWorldSrc(ws *worldSrc, from *Pos) error {
	switch ws.state {
	case resolved:
		return nil
	case resolving:
		pos := ws.world.Pos
		if from != nil {
			pos = *from
		}
		return ps.cycleError(pos, "world", ws.world.Name)
	}
	ws.state = resolving
	if err := ps.fillWorld(ws.world, ws.ast, ws.unit); err != nil {
		return err
	}
	ws.state = resolved
	return nil
}

func (ps *pkgScope) fillWorld(w *World, ast *syntax.World, unit *unitScope) error {
	b := &worldBuilder{w: w}
	sc := newScope("world " + w.Name)
	// Types first: imports and exports may refer to them in any order.
	var defs []*syntax.TypeDef
	for _, it := range ast.Items {
		switch it := it.(type) {
		case *syntax.Use:
			if !ps.r.enabled(it.Gate) {
				continue
			}
			target, err := ps.useTypes(it, unit, sc, func(td *TypeDef) {
				td.World = w
				w.TypeDefs = append(w.TypeDefs, td)
			})
			if err != nil {
				return err
			}
			if err := b.add(false, &WorldItem{Key: target.ID(), Interface: target, Implicit: true}, it.Pos, ""); err != nil {
				return err
			}
		case *syntax.TypeDef:
			if ps.r.enabled(it.Gate) {
				defs = append(defs, it)
			}
		}
	}
	tds, err := ps.declareTypes(defs, sc)
	if err != nil {
		return err
	}
	for _, td := range tds {
		td.World = w
	}
	w.TypeDefs = append(w.TypeDefs, tds...)
	if err := ps.defineTypes(defs, tds, sc); err != nil {
		return err
	}
	for i, d := range defs {
		if err := b.add(false, &WorldItem{Key: tds[i].Name, Type: tds[i], Stability: tds[i].Stability}, d.Name.Pos, ""); err != nil {
			return err
		}
		fs, err := ps.resourceFuncs(d, tds[i], sc)
		if err != nil {
			return err
		}
		for _, f := range fs {
			if err := b.add(false, &WorldItem{Key: f.Name, Function: f, Stability: f.Stability}, f.Pos, ""); err != nil {
				return err
			}
		}
	}
	for _, it := range ast.Items {
		switch it := it.(type) {
		case *syntax.ImportExport:
			if !ps.r.enabled(it.Gate) {
				continue
			}
			item, err := ps.worldItem(w, it, unit, sc)
			if err != nil {
				return err
			}
			if err := b.add(it.Export, item, it.Name.Pos, ""); err != nil {
				return err
			}
		case *syntax.Include:
			if !ps.r.enabled(it.Gate) {
				continue
			}
			if err := ps.include(b, it); err != nil {
				return err
			}
		}
	}
	elaborate(w, b)
	return nil
}

func (ps *pkgScope) worldItem(w *World, it *syntax.ImportExport, unit *unitScope, sc *scope) (*WorldItem, error) {
	item := &WorldItem{Docs: it.Docs, Stability: stability(it.Gate)}
	switch {
	case it.Path != nil:
		iface, err := ps.lookupInterface(*it.Path, unit)
		if err != nil {
			return nil, err
		}
		if err := ps.ensure(iface, it.Path.Pos); err != nil {
			return nil, err
		}
		item.Key, item.Interface = iface.ID(), iface
	case it.Ref != nil:
		iface, err := ps.lookupInterface(*it.Ref, unit)
		if err != nil {
			return nil, err
		}
		if err := ps.ensure(iface, it.Ref.Pos); err != nil {
			return nil, err
		}
		item.Key, item.Interface = it.Name.Name, iface
	case it.Func != nil:
		fn, err := ps.function(it.Name.Name, *it.Func, sc)
		if err != nil {
			return nil, err
		}
		fn.Docs, fn.Stability, fn.Pos = it.Docs, stability(it.Gate), it.Name.Pos
		item.Key, item.Function = it.Name.Name, fn
	case it.Inline != nil:
		iface := &Interface{Package: w.Package, World: w, Docs: it.Docs, Stability: stability(it.Gate), Pos: it.Name.Pos}
		if err := ps.fillInterface(iface, it.Inline.Items, unit); err != nil {
			return nil, err
		}
		item.Key, item.Interface = it.Name.Name, iface
	}
	return item, nil
}

// include merges an elaborated world into b, renaming plain names per
// `with { a as b }`.
func (ps *pkgScope) include(b *worldBuilder, inc *syntax.Include) error {
	var src *World
	if inc.Path.Package == nil {
		ws, ok := ps.worlds[inc.Path.Name.Name]
		if !ok {
			if _, isIface := ps.ifaces[inc.Path.Name.Name]; isIface {
				return errorf(inc.Path.Pos, "'%s' is an interface; include takes a world", inc.Path.Name.Name)
			}
			return errorf(inc.Path.Pos, "world '%s' is not defined in package %s", inc.Path.Name.Name, ps.pkg.Name)
		}
		if err := ps.resolveWorldSrc(ws, &inc.Path.Pos); err != nil {
			return err
		}
		src = ws.world
	} else {
		name, err := ps.r.findPackageName(*inc.Path.Package)
		if err != nil {
			return err
		}
		if name == ps.pkg.Name.String() {
			local := *inc
			local.Path = syntax.UsePath{Name: inc.Path.Name, Pos: inc.Path.Pos}
			return ps.include(b, &local)
		}
		if src = ps.r.byName[name].World(inc.Path.Name.Name); src == nil {
			return errorf(inc.Path.Name.Pos, "world '%s' is not defined in package %s", inc.Path.Name.Name, name)
		}
	}
	return mergeWorld(b, src, inc.With, inc.Pos)
}

// mergeWorld adds the items of src to b (WIT.md "Union of Worlds").
func mergeWorld(b *worldBuilder, src *World, with []syntax.IncludeName, pos Pos) error {
	rename := map[string]string{}
	for _, n := range with {
		found := false
		for _, it := range append(append([]*WorldItem{}, src.Imports...), src.Exports...) {
			if it.Key == n.From.Name {
				found = true
				if !it.Named() {
					return errorf(n.From.Pos, "'%s' is an interface name and cannot be renamed with 'with'", n.From.Name)
				}
			}
		}
		if !found {
			for _, it := range append(append([]*WorldItem{}, src.Imports...), src.Exports...) {
				if it.Interface != nil && !it.Named() && it.Interface.Name == n.From.Name {
					return errorf(n.From.Pos, "'%s' refers to interface %s, and interface names cannot be renamed with 'with'", n.From.Name, it.Key)
				}
			}
			return errorf(n.From.Pos, "world %s has no import or export named '%s' to rename", src.ID(), n.From.Name)
		}
		rename[n.From.Name] = n.To.Name
	}
	copyItem := func(it *WorldItem) *WorldItem {
		c := *it
		if to, ok := rename[it.Key]; ok {
			c.Key = to
		}
		return &c
	}
	for _, it := range src.Imports {
		if err := b.add(false, copyItem(it), pos, "included world "+src.ID()); err != nil {
			return err
		}
	}
	for _, it := range src.Exports {
		if err := b.add(true, copyItem(it), pos, "included world "+src.ID()); err != nil {
			return err
		}
	}
	for _, td := range src.TypeDefs {
		b.w.TypeDefs = append(b.w.TypeDefs, td)
	}
	return nil
}

// elaborate fixes the final import and export lists: every interface an
// import uses is imported before it, and every interface an export uses is
// imported unless it is exported too (WIT.md "Transitive imports").
func elaborate(w *World, b *worldBuilder) {
	var imports []*WorldItem
	seen := map[string]*WorldItem{}
	exported := map[*Interface]bool{}
	// addDeps imports what i uses (dependencies first), skipping interfaces
	// listed in skip.
	var addDeps func(i *Interface, skip map[*Interface]bool)
	addDeps = func(i *Interface, skip map[*Interface]bool) {
		for _, d := range i.Uses {
			if _, ok := seen[d.ID()]; ok || skip[d] {
				continue
			}
			addDeps(d, skip)
			it := &WorldItem{Key: d.ID(), Interface: d, Implicit: true}
			seen[it.Key] = it
			imports = append(imports, it)
		}
	}
	for _, it := range b.imports {
		if it.Interface != nil {
			addDeps(it.Interface, nil)
		}
		if prev, ok := seen[it.Key]; ok {
			if prev.Implicit && !it.Implicit {
				prev.Implicit, prev.Docs, prev.Stability = false, it.Docs, it.Stability
			}
			continue
		}
		seen[it.Key] = it
		imports = append(imports, it)
	}
	for _, it := range b.exports {
		if it.Interface != nil {
			exported[it.Interface] = true
		}
	}
	for _, it := range b.exports {
		if it.Interface != nil {
			addDeps(it.Interface, exported)
		}
	}
	w.Imports, w.Exports = imports, b.exports
}

// World selects a world by full name (`ns:pkg/world@version`, the version
// optional when only one is loaded) or by short name: first in the root
// package, then anywhere when exactly one package has it.
func (r *Resolve) World(name string) (*World, error) {
	if slash := strings.IndexByte(name, '/'); slash >= 0 && strings.Contains(name[:slash], ":") {
		pkgPart, rest := name[:slash], name[slash+1:]
		worldName, version, _ := strings.Cut(rest, "@")
		ns, pkgName, _ := strings.Cut(pkgPart, ":")
		var candidates []*Package
		for _, p := range r.Packages {
			if p.Name.Namespace == ns && p.Name.Name == pkgName && (version == "" || p.Name.Version == version) {
				candidates = append(candidates, p)
			}
		}
		if len(candidates) == 0 {
			return nil, fmt.Errorf("world %s: package %s:%s%s is not loaded", name, ns, pkgName, atVersion(version))
		}
		var found []*World
		for _, p := range candidates {
			if w := p.World(worldName); w != nil {
				found = append(found, w)
			}
		}
		switch {
		case len(found) == 1:
			return found[0], nil
		case len(found) > 1:
			return nil, fmt.Errorf("world %s is ambiguous: %s; add the version", name, worldIDs(found))
		case len(candidates) == 1:
			return nil, fmt.Errorf("world %s: package %s has no world '%s' (it has: %s)", name, candidates[0].Name, worldName, listWorlds(candidates[0]))
		}
		return nil, fmt.Errorf("world %s: no loaded version of %s:%s has a world '%s'", name, ns, pkgName, worldName)
	}
	if r.Root != nil {
		if w := r.Root.World(name); w != nil {
			return w, nil
		}
	}
	var found []*World
	for _, p := range r.Packages {
		if w := p.World(name); w != nil {
			found = append(found, w)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return nil, fmt.Errorf("no world named '%s' is loaded", name)
	}
	return nil, fmt.Errorf("world name '%s' is ambiguous: %s; use the full name", name, worldIDs(found))
}

func atVersion(v string) string {
	if v == "" {
		return ""
	}
	return "@" + v
}

func worldIDs(ws []*World) string {
	var s []string
	for _, w := range ws {
		s = append(s, w.ID())
	}
	return strings.Join(s, ", ")
}

func listWorlds(p *Package) string {
	var s []string
	for _, w := range p.Worlds {
		s = append(s, w.Name)
	}
	if len(s) == 0 {
		return "no worlds"
	}
	return strings.Join(s, ", ")
}

// UnionPackage is the package that holds a world merged from several.
var UnionPackage = PackageName{Namespace: "root", Name: "component"}

// SelectWorlds selects one world, or merges several into one union world
// `root:component/root` as if it included each of them.
func (r *Resolve) SelectWorlds(names []string) (*World, error) {
	switch len(names) {
	case 0:
		if r.Root != nil && len(r.Root.Worlds) == 1 {
			return r.Root.Worlds[0], nil
		}
		return nil, fmt.Errorf("no world given and the root package does not have exactly one world")
	case 1:
		return r.World(names[0])
	}
	var worlds []*World
	for _, n := range names {
		w, err := r.World(n)
		if err != nil {
			return nil, err
		}
		worlds = append(worlds, w)
	}
	return r.Union(worlds)
}

// Union merges worlds into a new world in a package of its own.
func (r *Resolve) Union(worlds []*World) (*World, error) {
	pkg := &Package{Name: UnionPackage}
	for _, p := range r.Packages {
		if p.Name == UnionPackage {
			return nil, fmt.Errorf("package %s is already defined; cannot merge worlds into it", UnionPackage)
		}
	}
	w := &World{Name: "root", Package: pkg}
	pkg.Worlds = []*World{w}
	b := &worldBuilder{w: w}
	for _, src := range worlds {
		if err := mergeWorld(b, src, nil, src.Pos); err != nil {
			return nil, fmt.Errorf("merging worlds: %w", err)
		}
	}
	elaborate(w, b)
	r.Packages = append(r.Packages, pkg)
	return w, nil
}
