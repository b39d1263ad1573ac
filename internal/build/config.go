package build

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/spin-go/sdk/internal/wit"
	"github.com/spin-go/sdk/internal/wit/abi"
)

// ConfigFile is the name of the file that tells componentize-go which WIT
// and worlds a module needs. The SDK ships one at its root naming
// spin:up/http-trigger@4.0.0, so apps that import the SDK need none.
const ConfigFile = "componentize-go.toml"

// fileConfig is the content of componentize-go.toml.
type fileConfig struct {
	Worlds   []string `toml:"worlds"`
	WitPaths []string `toml:"wit_paths"`
	// ExportWorlds maps the import path of a generated exports folder
	// (exports/<world>) to its world: a build that links any package under
	// it targets that world. This is how one SDK serves HTTP components,
	// Redis components and components that are both without
	// configuration: the packages a program uses decide its exports.
	ExportWorlds map[string]string `toml:"export_worlds"`
}

type config struct {
	witPaths []string
	// worlds are the worlds the build targets before the worlds of the
	// exports it links are added (see selectWorlds).
	worlds []string
	// explicit: worlds were named by -w or by the main module's own file;
	// otherwise they are the files' defaults, which linked exports replace.
	explicit bool
	// exportWorlds are the files' export_worlds, merged; none when -d
	// gives the WIT (their worlds are names in the files' WIT).
	exportWorlds map[string]string
	// pkgs are the import paths the program links, as go list sees them
	// without build tags.
	pkgs []string
}

// findConfig decides which WIT and worlds to use: the flags, else the
// componentize-go.toml files at the roots of the main module and of every
// module whose packages the build uses, else ./wit.
func findConfig(ctx context.Context, o Options) (*config, error) {
	cfg := &config{witPaths: absAll(o.Dir, o.WitPaths), worlds: o.Worlds, explicit: len(o.Worlds) > 0, exportWorlds: map[string]string{}}
	dirs, pkgs, err := moduleDirs(ctx, o)
	if err != nil {
		return nil, err
	}
	cfg.pkgs = pkgs
	for i, dir := range dirs {
		p := filepath.Join(dir, ConfigFile)
		data, err := os.ReadFile(p)
		if os.IsNotExist(err) {
			continue
		} else if err != nil {
			return nil, err
		}
		var fc fileConfig
		md, err := toml.Decode(string(data), &fc)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", p, err)
		}
		if keys := md.Undecoded(); len(keys) > 0 {
			return nil, fmt.Errorf("%s: unknown key %q (known: worlds, wit_paths, export_worlds)", p, keys[0].String())
		}
		if len(o.WitPaths) == 0 {
			if len(fc.WitPaths) == 0 {
				return nil, fmt.Errorf("%s: wit_paths is empty", p)
			}
			cfg.witPaths = append(cfg.witPaths, absAll(dir, fc.WitPaths)...)
			for pkg, world := range fc.ExportWorlds {
				cfg.exportWorlds[pkg] = world
			}
		}
		if len(o.Worlds) == 0 {
			// The main module's own worlds are its choice; the worlds of
			// a file with export_worlds (the SDK's) are defaults.
			if i == 0 && len(fc.Worlds) > 0 && len(fc.ExportWorlds) == 0 {
				cfg.worlds, cfg.explicit = fc.Worlds, true
			} else if !cfg.explicit {
				cfg.worlds = appendNew(cfg.worlds, fc.Worlds...)
			}
		}
	}
	if len(cfg.witPaths) == 0 {
		local := filepath.Join(o.Dir, "wit")
		if _, err := os.Stat(local); err != nil {
			return nil, fmt.Errorf("no WIT found: no %s in %s or its dependencies, and no wit/ folder; pass -d PATH and -w WORLD", ConfigFile, o.Dir)
		}
		cfg.witPaths = []string{local}
	}
	return cfg, nil
}

// selection is the world a build targets, with what selectWorlds learnt
// choosing it.
type selection struct {
	world *wit.World
	names []string // the worlds merged into it
	tags  []string // build tags
	pkgs  []string // the packages the program links, under tags
}

// selectWorlds picks the world to build for and the tags and packages of
// the build. A program exports what it links: a package under an
// export_worlds folder brings that world's exports, so its world joins
// the chosen ones (spinhttp brings the HTTP trigger's, redis the Redis
// trigger's), or replaces the defaults when none were chosen. A WASI 0.2
// world builds with the spin_wasi02 tag, under which packages such as
// spinhttp link their WASI 0.2 exports: the packages are listed again with
// it.
func (c *config) selectWorlds(ctx context.Context, o Options, res *wit.Resolve) (*selection, error) {
	sel := &selection{names: c.worlds, pkgs: c.pkgs}
	if !c.explicit {
		if linked := linkedWorlds(c.exportWorlds, sel.pkgs); len(linked) > 0 {
			sel.names = linked
		}
	}
	async, err := needsAsync(res, sel.names)
	if err != nil {
		return nil, err
	}
	if !async {
		sel.tags = []string{"spin_wasi02"}
		if len(c.exportWorlds) > 0 {
			if _, sel.pkgs, err = moduleDirs(ctx, o, sel.tags...); err != nil {
				return nil, err
			}
		}
	}
	if c.explicit {
		sel.names = appendNew(append([]string(nil), sel.names...), linkedWorlds(c.exportWorlds, sel.pkgs)...)
	}
	// (One SelectWorlds only: a union of several worlds is a package of
	// its own, which a Resolve holds once.)
	if sel.world, err = res.SelectWorlds(sel.names); err != nil {
		return nil, err
	}
	return sel, nil
}

// needsAsync reports whether any of the named worlds (with none, the root
// package's only world) uses the async ABI: a WASI 0.3 world.
func needsAsync(res *wit.Resolve, names []string) (bool, error) {
	if len(names) == 0 {
		w, err := res.SelectWorlds(nil)
		if err != nil {
			return false, err
		}
		return abi.WorldNeedsAsync(w), nil
	}
	for _, n := range names {
		w, err := res.World(n)
		if err != nil {
			return false, err
		}
		if abi.WorldNeedsAsync(w) {
			return true, nil
		}
	}
	return false, nil
}

// linkedWorlds returns, sorted, the worlds of exportWorlds whose exports
// folder holds one of pkgs.
func linkedWorlds(exportWorlds map[string]string, pkgs []string) []string {
	var out []string
	for prefix, world := range exportWorlds {
		for _, p := range pkgs {
			if p == prefix || strings.HasPrefix(p, prefix+"/") {
				out = appendNew(out, world)
				break
			}
		}
	}
	sort.Strings(out)
	return out
}

func absAll(base string, paths []string) []string {
	var out []string
	for _, p := range paths {
		if !filepath.IsAbs(p) {
			p = filepath.Join(base, p)
		}
		out = append(out, p)
	}
	return out
}

func appendNew(list []string, items ...string) []string {
	for _, it := range items {
		dup := false
		for _, x := range list {
			dup = dup || x == it
		}
		if !dup {
			list = append(list, it)
		}
	}
	return list
}

// moduleDirs lists the root folders of the main module and of the modules
// providing packages the build depends on, main module first, and the
// import paths of all those packages.
func moduleDirs(ctx context.Context, o Options, tags ...string) (dirs, pkgs []string, err error) {
	args := []string{"list", "-deps", "-f", "{{.ImportPath}} {{with .Module}}{{.Dir}}{{end}}"}
	if len(tags) > 0 {
		args = append(args, "-tags", strings.Join(tags, ","))
	}
	out, err := goOutput(ctx, o, "go list", []string{"GOOS=wasip1", "GOARCH=wasm"}, append(args, ".")...)
	if err != nil {
		return nil, nil, err
	}
	// -deps lists dependencies first and the package itself last: the
	// module of the last line is the main module (in a workspace every
	// module is "main" to go list, so .Main cannot tell).
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	seen := map[string]bool{}
	for i := len(lines) - 1; i >= 0; i-- {
		pkg, dir, _ := strings.Cut(lines[i], " ")
		pkgs = append(pkgs, pkg)
		if dir != "" && !seen[dir] {
			seen[dir] = true
			dirs = append(dirs, dir)
		}
	}
	return dirs, pkgs, nil
}

// goOutput runs the go command in the main package's directory, with env
// added to the environment, and returns its standard output. A failure
// says what ran, where, and what the go command printed on stderr.
func goOutput(ctx context.Context, o Options, what string, env []string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, o.Go, args...)
	cmd.Dir = o.Dir
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.Output()
	if err != nil {
		msg := err.Error()
		if ee, ok := err.(*exec.ExitError); ok {
			msg = strings.TrimSpace(string(ee.Stderr))
		}
		return nil, fmt.Errorf("%s in %s: %s", what, o.Dir, msg)
	}
	return out, nil
}
