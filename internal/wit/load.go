package wit

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spin-go/sdk/internal/wit/syntax"
)

// Options control resolution.
type Options struct {
	// Features enables @unstable items of these features.
	Features []string
	// AllFeatures enables every @unstable item.
	AllFeatures bool
}

// srcPackage is a package before resolution: the files or block that define
// it, each with its own scope of top-level `use`s.
type srcPackage struct {
	name  PackageName
	pos   Pos
	docs  string
	units []srcUnit
}

type srcUnit struct {
	uses  []*syntax.TopUse
	items syntax.Items
}

// Load reads WIT from each path (a directory with an optional deps/ folder,
// or a single file) and resolves everything. The first path holds the root
// package, used to look up worlds by short name.
func Load(paths []string, opts Options) (*Resolve, error) {
	if len(paths) == 0 {
		return nil, fmt.Errorf("no WIT path given")
	}
	var all []*srcPackage
	var root *srcPackage
	for i, path := range paths {
		pkgs, r, err := loadPath(path)
		if err != nil {
			return nil, err
		}
		if i == 0 {
			root = r
		}
		all = append(all, pkgs...)
	}
	return resolveAll(all, root, opts)
}

// LoadSource resolves WIT given as in-memory files (name → contents). All
// files without nested blocks form the root package. It is used by tests
// and the fuzzer.
func LoadSource(files map[string]string, opts Options) (*Resolve, error) {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	var parsed []*syntax.File
	for _, n := range names {
		f, err := syntax.Parse(n, []byte(files[n]))
		if err != nil {
			return nil, err
		}
		parsed = append(parsed, f)
	}
	pkgs, root, err := groupDir("", parsed)
	if err != nil {
		return nil, err
	}
	return resolveAll(pkgs, root, opts)
}

func loadPath(path string) ([]*srcPackage, *srcPackage, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, nil, fmt.Errorf("reading WIT: %w", err)
	}
	if !st.IsDir() {
		return loadFile(path)
	}
	files, err := parseDir(path)
	if err != nil {
		return nil, nil, err
	}
	pkgs, root, err := groupDir(path, files)
	if err != nil {
		return nil, nil, err
	}
	deps := filepath.Join(path, "deps")
	entries, err := os.ReadDir(deps)
	if err != nil && !os.IsNotExist(err) {
		return nil, nil, fmt.Errorf("reading WIT dependencies: %w", err)
	}
	for _, e := range entries {
		p := filepath.Join(deps, e.Name())
		var more []*srcPackage
		switch {
		case e.IsDir():
			files, err := parseDir(p)
			if err != nil {
				return nil, nil, err
			}
			if len(files) == 0 {
				continue
			}
			more, _, err = groupDir(p, files)
			if err != nil {
				return nil, nil, err
			}
		case strings.HasSuffix(e.Name(), ".wit"):
			more, _, err = loadFile(p)
			if err != nil {
				return nil, nil, err
			}
		default:
			continue
		}
		pkgs = append(pkgs, more...)
	}
	return pkgs, root, nil
}

// loadFile reads a single file: its leading `package` declaration names the
// root package and nested blocks define further packages.
func loadFile(path string) ([]*srcPackage, *srcPackage, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("reading WIT: %w", err)
	}
	f, err := syntax.Parse(path, src)
	if err != nil {
		return nil, nil, err
	}
	return groupDir("", []*syntax.File{f})
}

func parseDir(dir string) ([]*syntax.File, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("reading WIT directory: %w", err)
	}
	var files []*syntax.File
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".wit") {
			continue
		}
		p := filepath.Join(dir, e.Name())
		src, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("reading WIT: %w", err)
		}
		f, err := syntax.Parse(p, src)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	return files, nil
}

// groupDir forms the package of a directory's files (which must agree on
// its name) plus one package per nested block.
func groupDir(dir string, files []*syntax.File) ([]*srcPackage, *srcPackage, error) {
	var main *srcPackage
	var decl *syntax.File
	var out []*srcPackage
	for _, f := range files {
		if f.Decl == nil {
			continue
		}
		name := pkgName(*f.Decl)
		if main == nil {
			main = &srcPackage{name: name, pos: f.Decl.Pos}
			decl = f
		} else if main.name != name {
			return nil, nil, errorf(f.Decl.Pos, "package %s conflicts with package %s declared in %s; all files of a directory belong to one package", name, main.name, decl.Path)
		}
	}
	for _, f := range files {
		hasItems := len(f.Items.Interfaces)+len(f.Items.Worlds)+len(f.Items.Uses) > 0
		if hasItems {
			if main == nil {
				where := "this file"
				if dir != "" {
					where = "directory " + dir
				}
				return nil, nil, errorf(syntax.Pos{File: f.Path, Line: 1, Col: 1}, "no 'package ns:name;' declaration in %s; add one to a file of the package", where)
			}
			main.units = append(main.units, srcUnit{uses: f.Items.Uses, items: f.Items})
		}
		for _, n := range f.Nested {
			out = append(out, &srcPackage{name: pkgName(n.Name), pos: n.Name.Pos, docs: n.Docs,
				units: []srcUnit{{uses: n.Items.Uses, items: n.Items}}})
		}
	}
	if main != nil {
		out = append([]*srcPackage{main}, out...)
	}
	return out, main, nil
}

func pkgName(n syntax.PackageName) PackageName {
	return PackageName{Namespace: n.Namespace, Name: n.Name, Version: n.Version}
}
