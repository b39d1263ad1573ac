// Package modpatch rewrites packages of dependency modules for a
// component build, as internal/stdpatch does for the standard library.
//
// Go refuses `-overlay` for files in the module cache, so a patched module
// is a copy: Replacement writes one under the cache directory, and the
// build points the module at it with a replace directive in an overlaid
// go.mod (internal/build). The user's go.mod, go.sum and module cache are
// never written. Like stdpatch, a patch applies only to the exact sources
// it was checked against; any other version is built as it is.
package modpatch

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spin-go/sdk/internal/stdpatch"
)

// Patch rewrites one package of a module: Dir is the package's directory
// in the module ("wit/runtime"), and Verified holds digests of that
// package's sources (stdpatch.ReadPackage).
type Patch struct {
	Module string
	stdpatch.Patch
}

// Module is a dependency as the build resolves it.
type Module struct {
	Path, Version string
	Dir           string // its files, normally in the module cache
}

// Replacement writes a copy of mod with every patch for it applied, under
// cacheDir, and returns the copy's directory; "" when no patch is for mod
// or its sources are not the verified ones. key identifies the code doing
// the rewriting (the copy is kept and reused while key, mod and the
// patches are the same).
func Replacement(cacheDir, key string, mod Module, patches []Patch) (string, error) {
	changed := map[string][]byte{} // slash path in the module → contents
	var applied []string
	for _, p := range patches {
		if p.Module != mod.Path {
			continue
		}
		files, digest, err := stdpatch.ReadPackage(filepath.Join(mod.Dir, filepath.FromSlash(p.Dir)))
		if errors.Is(err, fs.ErrNotExist) {
			return "", nil // not this version's layout
		}
		if err != nil {
			return "", fmt.Errorf("modpatch: %s@%s: %w", mod.Path, mod.Version, err)
		}
		if !slices.Contains(p.Verified, digest) {
			return "", nil // some other version: built as it is
		}
		out, err := p.Rewrite(files)
		if err != nil {
			return "", fmt.Errorf("modpatch: %s@%s/%s (verified sources, digest %s): %w", mod.Path, mod.Version, p.Dir, digest, err)
		}
		for name, src := range out {
			changed[path.Join(p.Dir, name)] = src
		}
		applied = append(applied, fmt.Sprintf("%#v\x00%s", p, digest))
	}
	if len(applied) == 0 {
		return "", nil
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s", key, mod.Path, mod.Version, strings.Join(applied, "\x00"))
	dir := filepath.Join(cacheDir, "module-"+hex.EncodeToString(h.Sum(nil)[:8]))
	if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
		return dir, nil
	}
	if err := copyModule(mod.Dir, dir, changed); err != nil {
		return "", fmt.Errorf("modpatch: copying %s@%s: %w", mod.Path, mod.Version, err)
	}
	return dir, nil
}

// copyModule copies the module in src to dst, with the files in changed
// (slash paths) replaced. It writes a directory of its own and renames it
// into place, so that a build running alongside sees a whole copy or none.
func copyModule(src, dst string, changed map[string][]byte) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dst), "module-tmp-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	err = filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		out := filepath.Join(tmp, rel)
		if d.IsDir() {
			return os.MkdirAll(out, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		data, ok := changed[filepath.ToSlash(rel)]
		if !ok {
			if data, err = os.ReadFile(p); err != nil {
				return err
			}
		}
		return os.WriteFile(out, data, 0o644)
	})
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, dst); err != nil {
		if _, statErr := os.Stat(filepath.Join(dst, "go.mod")); statErr == nil {
			return nil // another build got there first, with the same contents
		}
		return err
	}
	return nil
}
