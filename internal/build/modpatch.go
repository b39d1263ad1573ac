package build

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spin-go/sdk/internal/modpatch"
)

// withModulePatches returns the overlay to build with: overlayFile itself,
// or, when the program links a dependency that internal/modpatch patches
// and its sources are the verified ones, a copy written in work that also
// gives the main module's go.mod a replace directive pointing the
// dependency at its patched copy. The user's go.mod is not written.
//
// A workspace (go.work), vendor mode and -mod=mod build as they are: a
// workspace has no one go.mod to extend, vendor mode reads dependencies
// from vendor/, and -mod=mod may need to update go.mod.
func withModulePatches(ctx context.Context, o Options, env goEnvironment, cache, overlayFile string, pkgs []string, work string) (string, error) {
	linked := false
	for _, p := range pkgs {
		linked = linked || p == modpatch.PkgModule || strings.HasPrefix(p, modpatch.PkgModule+"/")
	}
	if !linked || env.Mod == "" || env.Mod == os.DevNull || env.Work != "" && env.Work != "off" || fixedGoMod(env) {
		return overlayFile, nil
	}
	mod, replaced, err := listModule(ctx, o, modpatch.PkgModule)
	if err != nil || replaced || mod.Dir == "" { // "": not downloaded, which go build reports
		return overlayFile, err
	}
	tool, err := executableDigest()
	if err != nil {
		return "", err
	}
	dir, err := modpatch.Replacement(cache, tool, mod, modpatch.Patches)
	if err != nil || dir == "" {
		return overlayFile, err
	}
	gomod, err := os.ReadFile(env.Mod)
	if err != nil {
		return "", err
	}
	gomod = fmt.Appendf(gomod, "\n// Added for this build by componentize-go (internal/modpatch).\nreplace %s => %s\n", mod.Path, strconv.Quote(dir))
	var ov struct{ Replace map[string]string }
	data, err := os.ReadFile(overlayFile)
	if err != nil {
		return "", err
	}
	if err := json.Unmarshal(data, &ov); err != nil {
		return "", fmt.Errorf("%s: %w", overlayFile, err)
	}
	if ov.Replace == nil {
		ov.Replace = map[string]string{}
	}
	ov.Replace[env.Mod] = filepath.Join(work, "go.mod")
	data, _ = json.Marshal(ov)
	file := filepath.Join(work, "overlay.json")
	if err := os.WriteFile(ov.Replace[env.Mod], gomod, 0o644); err != nil {
		return "", err
	}
	return file, os.WriteFile(file, data, 0o644)
}

// fixedGoMod reports whether the go command builds from the main module's
// vendor directory (-mod=vendor, or a vendor/modules.txt without another
// -mod in GOFLAGS), or may rewrite go.mod (-mod=mod), which it refuses to
// do to an overlaid one.
func fixedGoMod(env goEnvironment) bool {
	for _, f := range strings.Fields(env.Flags) {
		if strings.HasPrefix(f, "-mod=") {
			return f == "-mod=vendor" || f == "-mod=mod"
		}
	}
	_, err := os.Stat(filepath.Join(filepath.Dir(env.Mod), "vendor", "modules.txt"))
	return err == nil
}

// listModule asks the go command which version of the module at path the
// main module uses, and whether a replace directive already names it.
func listModule(ctx context.Context, o Options, path string) (modpatch.Module, bool, error) {
	out, err := goOutput(ctx, o, "go list -m "+path, nil, "list", "-m", "-f", "{{.Path}}\t{{.Version}}\t{{.Dir}}\t{{if .Replace}}replaced{{end}}", path)
	if err != nil {
		return modpatch.Module{}, false, err
	}
	f := strings.Split(strings.TrimSuffix(string(out), "\n"), "\t")
	if len(f) != 4 {
		return modpatch.Module{}, false, fmt.Errorf("go list -m %s printed %q", path, out)
	}
	return modpatch.Module{Path: f[0], Version: f[1], Dir: f[2]}, f[3] == "replaced", nil
}
