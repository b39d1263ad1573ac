package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spin-go/sdk/internal/bindgen"
)

// cmdBindings generates Go bindings for the selected world into -o (default
// the current directory). The import path of the output directory comes
// from --pkg-name or from the go.mod above it.
func cmdBindings(o *options, fs *flag.FlagSet, args []string, stdout io.Writer) error {
	out := fs.String("o", ".", "output `DIR`")
	pkgName := fs.String("pkg-name", "", "Go import path of the output directory (default: from go.mod)")
	if err := parse(fs, args); err != nil {
		return err
	}
	dir := *out
	if o.Dir != "" && !filepath.IsAbs(dir) {
		dir = filepath.Join(o.Dir, dir)
	}
	importPath := *pkgName
	if importPath == "" {
		var err error
		if importPath, err = modulePathOf(dir); err != nil {
			return err
		}
	}
	_, w, err := o.load()
	if err != nil {
		return err
	}
	files, err := bindgen.Generate(w, bindgen.Options{ImportPath: importPath})
	if err != nil {
		return err
	}
	written := 0
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f.Path))
		if old, err := os.ReadFile(p); err == nil && bytes.Equal(old, f.Content) {
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, f.Content, 0o644); err != nil {
			return err
		}
		written++
	}
	fmt.Fprintf(stdout, "componentize-go: %s: %d files (%d changed) in %s\n", w.ID(), len(files), written, dir)
	return nil
}

// modulePathOf finds the go.mod at or above dir and returns the import path
// dir has in that module.
func modulePathOf(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for d := abs; ; d = filepath.Dir(d) {
		data, err := os.ReadFile(filepath.Join(d, "go.mod"))
		if err == nil {
			for _, line := range strings.Split(string(data), "\n") {
				if f := strings.Fields(line); len(f) >= 2 && f[0] == "module" {
					rel, _ := filepath.Rel(d, abs)
					return filepath.ToSlash(filepath.Join(strings.Trim(f[1], `"`), rel)), nil
				}
			}
			return "", fmt.Errorf("%s has no module line", filepath.Join(d, "go.mod"))
		} else if !errors.Is(err, os.ErrNotExist) {
			return "", err
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("no go.mod found at or above %s; pass --pkg-name", abs)
		}
	}
}
