package build

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/BurntSushi/toml"
)

// ConfigFile is the name of the file that tells componentize-go which WIT
// and worlds a module needs. The SDK ships one at its root naming
// spin:up/http-trigger@4.0.0, so apps that import the SDK need none.
const ConfigFile = "componentize-go.toml"

// fileConfig is the content of componentize-go.toml.
type fileConfig struct {
	Worlds   []string `toml:"worlds"`
	WitPaths []string `toml:"wit_paths"`
}

type config struct {
	witPaths []string
	worlds   []string
}

// findConfig decides which WIT and worlds to use: the flags, else the
// componentize-go.toml files at the roots of the main module and of every
// module whose packages the build uses, else ./wit.
func findConfig(ctx context.Context, o Options) (*config, error) {
	cfg := &config{witPaths: absAll(o.Dir, o.WitPaths), worlds: o.Worlds}
	if len(cfg.witPaths) > 0 && len(cfg.worlds) > 0 {
		return cfg, nil
	}
	dirs, err := moduleDirs(ctx, o)
	if err != nil {
		return nil, err
	}
	var found []string
	for _, dir := range dirs {
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
			return nil, fmt.Errorf("%s: unknown key %q (known: worlds, wit_paths)", p, keys[0].String())
		}
		found = append(found, p)
		if len(o.WitPaths) == 0 {
			if len(fc.WitPaths) == 0 {
				return nil, fmt.Errorf("%s: wit_paths is empty", p)
			}
			cfg.witPaths = append(cfg.witPaths, absAll(dir, fc.WitPaths)...)
		}
		if len(o.Worlds) == 0 {
			cfg.worlds = appendNew(cfg.worlds, fc.Worlds...)
		}
	}
	if len(cfg.witPaths) == 0 {
		local := filepath.Join(o.Dir, "wit")
		if _, err := os.Stat(local); err != nil {
			return nil, fmt.Errorf("no WIT found: no %s in %s or its dependencies, and no wit/ folder; pass -d PATH and -w WORLD", ConfigFile, o.Dir)
		}
		cfg.witPaths = []string{local}
	}
	_ = found
	return cfg, nil
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
// providing packages the build depends on, main module first.
func moduleDirs(ctx context.Context, o Options) ([]string, error) {
	cmd := exec.CommandContext(ctx, o.Go, "list", "-deps", "-f", "{{with .Module}}{{if .Main}}main{{else}}dep{{end}} {{.Dir}}{{end}}", ".")
	cmd.Dir = o.Dir
	cmd.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm")
	out, err := cmd.Output()
	if err != nil {
		msg := err.Error()
		if ee, ok := err.(*exec.ExitError); ok {
			msg = strings.TrimSpace(string(ee.Stderr))
		}
		return nil, fmt.Errorf("go list in %s: %s", o.Dir, msg)
	}
	var main []string
	var deps []string
	seen := map[string]bool{}
	for _, line := range strings.Split(string(out), "\n") {
		kind, dir, ok := strings.Cut(line, " ")
		if !ok || dir == "" || seen[dir] {
			continue
		}
		seen[dir] = true
		if kind == "main" {
			main = append(main, dir)
		} else {
			deps = append(deps, dir)
		}
	}
	return append(main, deps...), nil
}
