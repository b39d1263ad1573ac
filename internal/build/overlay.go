package build

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
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

// Overlay describes the runtime patch for one Go installation.
type Overlay struct {
	// File is the overlay JSON to pass to `go build -overlay`.
	File string
}

// MakeOverlay writes the patched runtime file (and net/http/transport.go,
// see PatchNetHTTP) and the overlay JSON under
// cacheDir for the Go installation at goroot (version is `go version`
// output, for messages). The file names include a hash of the original so
// that a Go upgrade never reuses a stale patch.
func MakeOverlay(goroot, version, cacheDir string) (*Overlay, error) {
	orig := filepath.Join(goroot, "src", "runtime", "lock_wasip1.go")
	src, err := os.ReadFile(orig)
	if err != nil {
		return nil, fmt.Errorf("the WASI 0.3 scheduler hook needs the Go runtime sources (%s): %w", orig, err)
	}
	patched, err := PatchRuntime(string(src))
	if err != nil {
		return nil, fmt.Errorf("%s (%s): %w", strings.TrimSpace(version), orig, err)
	}
	files := map[string]string{orig: patched}
	// The net/http patch only saves size: when this Go's transport.go is
	// not the expected text the build goes on unpatched (and bigger).
	httpOrig := filepath.Join(goroot, "src", "net", "http", "transport.go")
	httpSrc, err := os.ReadFile(httpOrig)
	if err == nil {
		if p, ok := PatchNetHTTP(string(httpSrc)); ok {
			files[httpOrig] = p
		}
	}
	h := sha256.New()
	h.Write(src)
	h.Write(httpSrc)
	dir := filepath.Join(cacheDir, "overlay-"+hex.EncodeToString(h.Sum(nil)[:8]))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	replace := map[string]string{}
	for orig, text := range files {
		file := filepath.Join(dir, filepath.Base(orig))
		if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
			return nil, err
		}
		replace[orig] = file
	}
	data, _ := json.Marshal(map[string]map[string]string{"Replace": replace})
	jsonFile := filepath.Join(dir, "overlay.json")
	if err := os.WriteFile(jsonFile, data, 0o644); err != nil {
		return nil, err
	}
	return &Overlay{File: jsonFile}, nil
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

// transportDecl opens net/http's DefaultTransport declaration, whose
// initializer is a &Transport{} literal ending at the first "\n}\n".
const transportDecl = "var DefaultTransport RoundTripper = &Transport{\n"

// transportReplacement stands in for that initializer in components.
const transportReplacement = `var DefaultTransport RoundTripper = wasiNoTransport{} // replaced by componentize-go

// Added by componentize-go. A wasip1 component has no sockets to dial, and
// the default &Transport{} keeps its whole dialing and TLS client code
// (about 3 MB of wasm) alive as soon as any code touches DefaultTransport,
// which github.com/spin-go/sdk/http does to install the Spin transport.
type wasiNoTransport struct{}

func (wasiNoTransport) RoundTrip(*Request) (*Response, error) {
	return nil, errors.New("net/http: no DefaultTransport in a wasip1 component: import github.com/spin-go/sdk/http, which sends requests through the Spin host")
}
`

// PatchNetHTTP returns net/http/transport.go with DefaultTransport's
// &Transport{} initializer replaced (see transportReplacement), and false
// when the declaration is not there exactly once in the expected form.
func PatchNetHTTP(src string) (string, bool) {
	if strings.Count(src, transportDecl) != 1 || !strings.Contains(src, "\t\"errors\"\n") {
		return "", false
	}
	start := strings.Index(src, transportDecl)
	end := strings.Index(src[start:], "\n}\n")
	if end < 0 {
		return "", false
	}
	end += start + len("\n}\n")
	return src[:start] + transportReplacement + src[end:], true
}
