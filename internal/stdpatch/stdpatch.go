// Package stdpatch makes parts of Go's standard library lazier in
// components, through `go build -overlay`, so that the linker can drop code
// no request ever runs.
//
// Go keeps every function that a package's initialization refers to. Many
// standard packages set up tables at init (curves for HPKE, reflect types
// for encoding/asn1, FIPS 140 self-tests, MIME and protocol file readers),
// and net/http imports enough of them that a hello-world component carries
// about 1.5 MB of cryptography it never calls. Each Patch here rewrites one
// package so that such a value is computed on first use instead: the
// behaviour is the same, only the unused code goes.
//
// The same initialisers cost time in every fresh instance, and Spin 3 makes
// one per request: net/http's maps and replacers, CRC-32's and base64's
// tables took about 100 µs of the hello-world's 690 µs start on Wasmtime.
// Patches make those lazy too, or turn a computed table into static data
// (tables.go), which a fresh instance maps instead of building.
//
// A patch applies only to the exact sources it was checked against (the
// digests in Verified). With any other Go release the package is compiled
// unpatched: the component is bigger, never different. TestVerified says
// when a Go upgrade needs the patches checked again, and TestStdTests runs
// the standard library's own tests for every patched package.
package stdpatch

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"go/format"
	"go/parser"
	"go/token"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Patch rewrites one standard package.
type Patch struct {
	// Dir is the package directory under $GOROOT/src, e.g. "crypto/hpke".
	Dir string
	// Why says what the patch saves and why behaviour is unchanged.
	Why string
	// Edits are exact text replacements, applied first.
	Edits []Edit
	// Lazy lists package-level variables to compute on first use.
	Lazy []Lazy
	// Tags are build tags to set when the patch applies, so that code
	// outside the package can use what an Edit added.
	Tags []string
	// Verified holds Digest values of the package sources the patch
	// was checked against; any other source is left alone, unless
	// AnyVersion is set.
	Verified []string
	// IfLinked and IfNotLinked make the patch depend on whether the
	// program links the package with that import path.
	IfLinked, IfNotLinked string
	// AnyVersion applies the patch to unverified sources too, when every
	// Edit still finds its text (and it has no Lazy). Only for edits that
	// stand on their own, like replacing one declaration.
	AnyVersion bool
}

// Edit replaces the one occurrence of Old in File by New. With New equal
// to Old it only checks that the text is there, once.
type Edit struct {
	File, Old, New string
}

// Lazy names a package-level variable `var Name = expr` that becomes a
// function `Name()` computing expr once, on first call; every use in the
// package is rewritten to a call. Type is the variable's Go type, needed
// unless the declaration states it. A variable initialised with
// sync.OnceFunc, OnceValue or OnceValues of a function literal is already
// called as a function: only its construction moves out of init, and
// Type is not needed.
type Lazy struct {
	Name, Type string
}

// Result is what Apply produces for one Go installation.
type Result struct {
	// Files maps absolute paths of original sources to patched contents,
	// ready for an overlay.
	Files map[string][]byte
	// Tags are the build tags of the applied patches.
	Tags []string
	// Skipped lists the packages left alone because their sources are
	// not ones the patches were checked against.
	Skipped []string
}

// Apply runs the patches (normally Patches) whose package sources under
// goroot match a verified digest, for a program linking the packages in
// linked (import paths).
func Apply(goroot string, patches []Patch, linked []string) (*Result, error) {
	return apply(goroot, patches, linked, false)
}

// apply runs patches; withTests also rewrites the package's own
// (non-external) test files, for running the standard library's tests.
func apply(goroot string, patches []Patch, linked []string, withTests bool) (*Result, error) {
	res := &Result{Files: map[string][]byte{}}
	for _, p := range patches {
		if !p.appliesTo(linked) {
			continue
		}
		files, digest, err := readPackage(goroot, p.Dir, withTests)
		if errors.Is(err, fs.ErrNotExist) {
			res.Skipped = append(res.Skipped, p.Dir)
			continue
		}
		if err != nil {
			return nil, err
		}
		// Several patches may rewrite one package: each later one works
		// on what the earlier ones made of its files.
		for name := range files {
			if src, ok := res.Files[filepath.Join(goroot, "src", filepath.FromSlash(p.Dir), name)]; ok {
				files[name] = src
			}
		}
		verified := slices.Contains(p.Verified, digest)
		if !verified && (!p.AnyVersion || len(p.Lazy) > 0) {
			res.Skipped = append(res.Skipped, p.Dir)
			continue
		}
		changed, err := p.apply(files)
		if err != nil && !verified {
			res.Skipped = append(res.Skipped, p.Dir)
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("stdpatch: %s (verified sources, digest %s): %w", p.Dir, digest, err)
		}
		for name, src := range changed {
			res.Files[filepath.Join(goroot, "src", filepath.FromSlash(p.Dir), name)] = src
		}
		res.Tags = append(res.Tags, p.Tags...)
	}
	return res, nil
}

// Key identifies what Apply would produce from patches for a program
// linking linked, without applying them: each applicable patch as written
// and the digest of its package's sources. (The code that applies them is
// the caller's to identify.) Reading the sources is cheap; rewriting them
// takes a few hundred milliseconds, which a cached overlay saves.
func Key(goroot string, patches []Patch, linked []string) (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00", goroot)
	for _, p := range patches {
		if !p.appliesTo(linked) {
			continue
		}
		digest, err := Digest(goroot, p.Dir)
		if errors.Is(err, fs.ErrNotExist) {
			digest = "missing"
		} else if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%#v\x00%s\x00", p, digest)
	}
	return hex.EncodeToString(h.Sum(nil)[:16]), nil
}

// appliesTo reports whether the patch is for a program linking the
// packages in linked (IfLinked, IfNotLinked).
func (p Patch) appliesTo(linked []string) bool {
	return (p.IfLinked == "" || slices.Contains(linked, p.IfLinked)) &&
		(p.IfNotLinked == "" || !slices.Contains(linked, p.IfNotLinked))
}

// Digest identifies the Go sources of the package in $GOROOT/src/dir:
// the first 16 hex digits of a SHA-256 over their names and contents.
func Digest(goroot, dir string) (string, error) {
	_, d, err := readPackage(goroot, dir, false)
	return d, err
}

// readPackage reads the non-test Go files of a standard package, and with
// withTests its internal test files too; the digest covers the non-test
// files only.
func readPackage(goroot, dir string, withTests bool) (map[string][]byte, string, error) {
	files, digest, err := readDir(filepath.Join(goroot, "src", filepath.FromSlash(dir)), withTests)
	if err != nil {
		return nil, "", fmt.Errorf("stdpatch: reading the standard package %s: %w", dir, err)
	}
	return files, digest, nil
}

// ReadPackage reads the non-test Go files of the package in the directory
// full (any package, not only a standard one) and returns them by name
// with their digest, as Verified holds it.
func ReadPackage(full string) (map[string][]byte, string, error) {
	return readDir(full, false)
}

// Rewrite applies the patch's edits and lazy variables to a package's
// files (by name) and returns the files it changed, gofmt-formatted.
func (p Patch) Rewrite(files map[string][]byte) (map[string][]byte, error) {
	return p.apply(files)
}

func readDir(full string, withTests bool) (map[string][]byte, string, error) {
	entries, err := os.ReadDir(full)
	if err != nil {
		return nil, "", err
	}
	files := map[string][]byte{}
	h := sha256.New()
	for _, e := range entries { // ReadDir sorts by name
		name := e.Name()
		isTest := strings.HasSuffix(name, "_test.go")
		if e.IsDir() || !strings.HasSuffix(name, ".go") || isTest && !withTests {
			continue
		}
		src, err := os.ReadFile(filepath.Join(full, name))
		if err != nil {
			return nil, "", err
		}
		if isTest {
			if f, err := parser.ParseFile(token.NewFileSet(), name, src, parser.PackageClauseOnly); err == nil && !strings.HasSuffix(f.Name.Name, "_test") {
				files[name] = src
			}
			continue
		}
		files[name] = src
		fmt.Fprintf(h, "%s\x00%d\x00", name, len(src))
		h.Write(src)
	}
	return files, hex.EncodeToString(h.Sum(nil))[:16], nil
}

// apply returns the files p changes, gofmt-formatted.
func (p Patch) apply(files map[string][]byte) (map[string][]byte, error) {
	work := maps.Clone(files)
	changed := map[string]bool{}
	for _, e := range p.Edits {
		src, ok := work[e.File]
		if !ok {
			return nil, fmt.Errorf("edit: no file %s", e.File)
		}
		if n := strings.Count(string(src), e.Old); n != 1 {
			return nil, fmt.Errorf("edit %s: the text to replace occurs %d times, want once: %q", e.File, n, firstLine(e.Old))
		}
		work[e.File] = []byte(strings.Replace(string(src), e.Old, e.New, 1))
		changed[e.File] = true
	}
	if len(p.Lazy) > 0 {
		out, err := lazify(work, p.Lazy)
		if err != nil {
			return nil, err
		}
		for name, src := range out {
			work[name] = src
			changed[name] = true
		}
	}
	result := map[string][]byte{}
	for _, name := range slices.Sorted(maps.Keys(changed)) {
		src, err := format.Source(work[name])
		if err != nil {
			return nil, fmt.Errorf("%s after patching: %w", name, err)
		}
		result[name] = src
	}
	return result, nil
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + "…"
	}
	return s
}
