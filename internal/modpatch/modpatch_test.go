package modpatch

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spin-go/sdk/internal/stdpatch"
)

// pkgDir is the module cache directory of the go.bytecodealliance.org/pkg
// this repository requires.
func pkgDir(t *testing.T) Module {
	t.Helper()
	// go mod download first: go list -m names no directory for a module
	// that is not in the module cache yet.
	out, err := exec.Command("go", "mod", "download", PkgModule).CombinedOutput()
	require.NoError(t, err, "%s", out)
	out, err = exec.Command("go", "list", "-m", "-f", "{{.Version}} {{.Dir}}", PkgModule).Output()
	require.NoError(t, err)
	version, dir, _ := strings.Cut(strings.TrimSpace(string(out)), " ")
	require.NotEmpty(t, dir, "no module cache directory for %s", PkgModule)
	return Module{Path: PkgModule, Version: version, Dir: dir}
}

// TestVerified checks every patch against the version this repository
// requires: its digest is a verified one, it applies, and no fmt is left.
// After an upgrade of go.bytecodealliance.org/pkg this fails with the new
// digest: check the patch and add it.
func TestVerified(t *testing.T) {
	mod := pkgDir(t)
	for _, p := range Patches {
		files, digest, err := stdpatch.ReadPackage(filepath.Join(mod.Dir, p.Dir))
		require.NoError(t, err)
		assert.Contains(t, p.Verified, digest, "%s/%s@%s", p.Module, p.Dir, mod.Version)
		changed, err := p.Rewrite(files)
		require.NoError(t, err, p.Dir)
		require.NotEmpty(t, changed, p.Dir)
		assert.NotEmpty(t, p.Why, p.Dir)
		for name, src := range changed {
			assert.NotContains(t, string(src), "fmt.", "%s/%s", p.Dir, name)
		}
	}
}

// TestPanicMessagesUnchanged evaluates each replaced panic argument and
// its replacement in one program, with the variables they use at several
// values: the messages must be equal.
func TestPanicMessagesUnchanged(t *testing.T) {
	panicArg := regexp.MustCompile(`^panic\((.*)\)$`)
	var checks []string
	for _, p := range Patches {
		for _, e := range p.Edits {
			old, replacement := panicArg.FindStringSubmatch(e.Old), panicArg.FindStringSubmatch(e.New)
			if old == nil {
				continue
			}
			require.NotNil(t, replacement, "%s: %s", p.Dir, e.New)
			checks = append(checks, fmt.Sprintf("\tcheck(%s, %s)", old[1], replacement[1]))
		}
	}
	require.Len(t, checks, 4)
	program := `package main

import (
	"fmt"
	"os"
	"strconv"
)

func check(old, replacement string) {
	if old != replacement {
		fmt.Printf("%q != %q\n", old, replacement)
		os.Exit(1)
	}
}

func main() {
	for _, n := range []uint64{0, 1, 3, 8, 12345, 1<<32 - 1} {
		size, align := uintptr(n), uintptr(n+1)
		event2, status := uint32(n), uint32(n)
		_ = strconv.Itoa
` + strings.Join(checks, "\n") + `
	}
}
`
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "main.go"), []byte(program), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module check\n\ngo 1.25\n"), 0o644))
	cmd := exec.Command("go", "run", ".")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	assert.NoError(t, err, "%s\n%s", out, program)
}

// fakeModule writes a module with one package p holding a.go.
func fakeModule(t *testing.T, src string) Module {
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "p"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/m\n"), 0o444))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "p", "a.go"), []byte(src), 0o444))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "LICENSE"), []byte("license\n"), 0o444))
	return Module{Path: "example.com/m", Version: "v1.0.0", Dir: dir}
}

func TestReplacement(t *testing.T) {
	mod := fakeModule(t, "package p\n\nconst X = 1\n")
	_, digest, err := stdpatch.ReadPackage(filepath.Join(mod.Dir, "p"))
	require.NoError(t, err)
	patch := Patch{Module: "example.com/m", Patch: stdpatch.Patch{
		Dir:      "p",
		Edits:    []stdpatch.Edit{{File: "a.go", Old: "X = 1", New: "X = 2"}},
		Verified: []string{digest},
	}}
	cache := t.TempDir()

	dir, err := Replacement(cache, "tool", mod, []Patch{patch})
	require.NoError(t, err)
	require.NotEmpty(t, dir)
	got, err := os.ReadFile(filepath.Join(dir, "p", "a.go"))
	require.NoError(t, err)
	assert.Equal(t, "package p\n\nconst X = 2\n", string(got))
	for _, name := range []string{"go.mod", "LICENSE"} {
		want, _ := os.ReadFile(filepath.Join(mod.Dir, name))
		got, err := os.ReadFile(filepath.Join(dir, name))
		require.NoError(t, err)
		assert.Equal(t, want, got, name)
	}

	// Kept: a second build reuses the copy (the mark survives).
	require.NoError(t, os.WriteFile(filepath.Join(dir, "mark"), nil, 0o644))
	again, err := Replacement(cache, "tool", mod, []Patch{patch})
	require.NoError(t, err)
	assert.Equal(t, dir, again)
	assert.FileExists(t, filepath.Join(again, "mark"))
	// Another tool or version gets its own copy.
	other, err := Replacement(cache, "tool2", mod, []Patch{patch})
	require.NoError(t, err)
	assert.NotEqual(t, dir, other)
	entries, err := os.ReadDir(cache)
	require.NoError(t, err)
	assert.Len(t, entries, 2, "no temporary directory left behind")

	// Nothing to do: another module, other sources, no such package.
	for name, tt := range map[string]struct {
		mod   Module
		patch Patch
	}{
		"other module":    {mod, Patch{Module: "example.com/other", Patch: patch.Patch}},
		"other sources":   {fakeModule(t, "package p\n\nconst X = 1 // changed\n"), patch},
		"no such package": {mod, Patch{Module: "example.com/m", Patch: stdpatch.Patch{Dir: "q", Verified: []string{digest}}}},
	} {
		dir, err := Replacement(cache, "tool", tt.mod, []Patch{tt.patch})
		assert.NoError(t, err, name)
		assert.Empty(t, dir, name)
	}

	// Verified sources the edit does not fit: an error, not a silent skip.
	broken := patch
	broken.Edits = []stdpatch.Edit{{File: "a.go", Old: "Y = 1", New: "Y = 2"}}
	_, err = Replacement(t.TempDir(), "tool", mod, []Patch{broken})
	assert.ErrorContains(t, err, "modpatch: example.com/m@v1.0.0/p (verified sources, digest "+digest+")")
}
