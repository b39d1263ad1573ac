package build

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/spin-go/sdk/internal/stdpatch"
)

// The WASI 0.3 callback ABI needs to know when every goroutine is blocked,
// so that the export can hand control back to the host. go.bytecodealliance.org
// /pkg/wit/async asks for this through runtime.wasiOnIdle, which stock Go
// lacks (upstream proposal golang/go#76775). We add it with `go build
// -overlay`, replacing runtime/lock_wasip1.go by a copy of the user's own
// file in which beforeIdle consults two registered callbacks:
//
//   - wasiOnTimer(fn): called with the deadline of the earliest timer when
//     nothing can run but a timer is pending; it starts a host-side wait
//     (wasi:clocks wait-for) so that sleeping goroutines wake up.
//   - wasiOnIdle(fn): wit/async's hook, which returns to the host.

// idleOriginal is the exact beforeIdle the overlay replaces. If a Go
// release changes it, the build refuses rather than guess.
const idleOriginal = "func beforeIdle(int64, int64) (*g, bool) {\n\treturn nil, false\n}\n"

const idleReplacement = `// Added by componentize-go (WASI 0.3 scheduler hook, see golang/go#76775).
var (
	wasiIdleHook  func() bool
	wasiTimerHook func(deadline int64) bool
)

// wasiOnIdle registers the function called when no goroutine can run.
func wasiOnIdle(fn func() bool) { wasiIdleHook = fn }

// wasiOnTimer registers the function told about the next timer deadline
// (in nanotime units) when no goroutine can run before it.
func wasiOnTimer(fn func(deadline int64) bool) { wasiTimerHook = fn }

// wasiNanotime exposes the clock timer deadlines are measured with.
func wasiNanotime() int64 { return nanotime() }

func beforeIdle(now, pollUntil int64) (*g, bool) {
	if pollUntil != 0 && wasiTimerHook != nil && wasiTimerHook(pollUntil) {
		return nil, true
	}
	if wasiIdleHook != nil && wasiIdleHook() {
		return nil, true
	}
	return nil, false
}
`

// Overlay describes the patches for one Go installation.
type Overlay struct {
	// File is the overlay JSON to pass to `go build -overlay`.
	File string
	// Tags are build tags the applied patches ask for.
	Tags []string
	// Skipped lists standard packages whose size patches did not apply
	// (sources other than the ones checked; see internal/stdpatch).
	Skipped []string
}

// MakeOverlay writes the patched runtime file and the size patches (from
// internal/stdpatch), with the overlay JSON, under cacheDir for the Go
// installation at goroot (version is `go version` output, for messages),
// for a program linking the packages pkgs (import paths).
//
// Rewriting the standard packages takes a few hundred milliseconds, so the
// result is kept: the directory is named by a hash of everything it
// depends on (the sources of the patched packages, the patches, and this
// executable, whose code does the rewriting), and a later build with the
// same inputs reuses it. A Go or componentize-go upgrade never reuses a
// stale patch.
func MakeOverlay(goroot, version, cacheDir string, patches []stdpatch.Patch, pkgs []string) (*Overlay, error) {
	orig := filepath.Join(goroot, "src", "runtime", "lock_wasip1.go")
	src, err := os.ReadFile(orig)
	if err != nil {
		return nil, fmt.Errorf("the WASI 0.3 scheduler hook needs the Go runtime sources (%s): %w", orig, err)
	}
	patched, err := PatchRuntime(string(src))
	if err != nil {
		return nil, fmt.Errorf("%s (%s): %w", strings.TrimSpace(version), orig, err)
	}
	key, err := stdpatch.Key(goroot, patches, pkgs)
	if err != nil {
		return nil, err
	}
	tool, err := executableDigest()
	if err != nil {
		return nil, err
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s", key, tool, patched)
	dir := filepath.Join(cacheDir, "overlay-"+hex.EncodeToString(h.Sum(nil)[:8]))
	if ov, err := readOverlay(dir); err == nil {
		return ov, nil
	}

	sizes, err := stdpatch.Apply(goroot, patches, pkgs)
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{orig: []byte(patched)}
	for path, text := range sizes.Files {
		files[path] = text
	}
	ov := &Overlay{File: filepath.Join(dir, "overlay.json"), Tags: sizes.Tags, Skipped: sizes.Skipped}
	// Written in a directory of its own and renamed into place, so that
	// a build running alongside sees a whole overlay or none.
	if err := os.MkdirAll(cacheDir, 0o755); err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp(cacheDir, "overlay-tmp-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	replace := map[string]string{}
	for _, path := range slices.Sorted(maps.Keys(files)) {
		rel, err := filepath.Rel(filepath.Join(goroot, "src"), path)
		if err != nil {
			return nil, err
		}
		file := filepath.Join(tmp, "src", rel)
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(file, files[path], 0o644); err != nil {
			return nil, err
		}
		replace[path] = filepath.Join(dir, "src", rel)
	}
	data, _ := json.Marshal(map[string]map[string]string{"Replace": replace})
	meta, _ := json.Marshal(ov)
	if err := os.WriteFile(filepath.Join(tmp, "overlay.json"), data, 0o644); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(tmp, metaFile), meta, 0o644); err != nil {
		return nil, err
	}
	if err := os.Rename(tmp, dir); err != nil {
		if _, err := readOverlay(dir); err == nil {
			return ov, nil // another build got there first, with the same contents
		}
		// Not an overlay this code wrote: replace it.
		if err := os.RemoveAll(dir); err != nil {
			return nil, fmt.Errorf("writing the overlay %s: %w", dir, err)
		}
		if err := os.Rename(tmp, dir); err != nil {
			return nil, fmt.Errorf("writing the overlay %s: %w", dir, err)
		}
	}
	return ov, nil
}

// metaFile holds an overlay directory's Overlay (tags, skipped packages).
const metaFile = "overlay-meta.json"

// readOverlay returns the overlay kept in dir.
func readOverlay(dir string) (*Overlay, error) {
	data, err := os.ReadFile(filepath.Join(dir, metaFile))
	if err != nil {
		return nil, err
	}
	var ov Overlay
	if err := json.Unmarshal(data, &ov); err != nil {
		return nil, err
	}
	if ov.File != filepath.Join(dir, "overlay.json") {
		return nil, fmt.Errorf("%s: an overlay made elsewhere", dir)
	}
	return &ov, nil
}

// executableDigest identifies the running program's code (the rewriting
// is part of it), once per process.
var executableDigest = sync.OnceValues(func() (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("identifying componentize-go for its overlay cache: %w", err)
	}
	digest, err := fileDigest(exe)
	if err != nil {
		return "", fmt.Errorf("identifying componentize-go for its overlay cache: %w", err)
	}
	return digest, nil
})

// fileDigest hashes the file at path.
func fileDigest(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)[:16]), nil
}

// PatchRuntime returns lock_wasip1.go with the scheduler hooks, or an error
// when the file is not the one the patch was written for.
func PatchRuntime(src string) (string, error) {
	if strings.Contains(src, "wasiOnIdle") {
		return "", fmt.Errorf("runtime/lock_wasip1.go already defines wasiOnIdle; this Go has its own scheduler hook, which componentize-go does not support yet")
	}
	if n := strings.Count(src, idleOriginal); n != 1 {
		return "", fmt.Errorf("cannot add the WASI 0.3 scheduler hook: runtime/lock_wasip1.go does not contain the expected beforeIdle (found %d copies); supported Go versions are 1.25 and 1.26", n)
	}
	return strings.Replace(src, idleOriginal, idleReplacement, 1), nil
}
