package stdpatch

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// program is a small package main whose output must not change when
// its variables are made lazy.
const program = `package main

import (
	"fmt"
	"sync"
)

type table struct{ name string }

var calls int

func build(name string) *table { calls++; return &table{name} }

// first is documented.
var first = build("first")

var (
	second     = build("second")
	kept       = 7
	typed  any = build("typed")
)

var once = sync.OnceValue(func() string { calls++; return "once" })

var onceFunc = sync.OnceFunc(func() { calls++ })

var pair = sync.OnceValues(func() (int, error) { return 2, nil })

func parse(s string) (*table, error) { calls++; return &table{s}, nil }

var parsed, _ = parse("parsed")

// derived uses another lazy variable in its initializer.
var derived = build(first.name + "+" + second.name)

type holder struct{ first int }

func main() {
	fmt.Println("built before main:", calls)
	fmt.Println(first.name, second.name, kept, typed.(*table).name, parsed.name, derived.name)
	first := first.name + "!" // a local of the same name
	fmt.Println(first, holder{first: 1}.first, once(), once())
	onceFunc()
	onceFunc()
	n, err := pair()
	fmt.Println(n, err, calls)
}
`

// helpers lives in a second file of the package and uses the variables.
const helpers = `package main

func describe() string { return first.name + "/" + second.name }
`

func TestLazyKeepsBehaviour(t *testing.T) {
	before := runProgram(t, map[string][]byte{"main.go": []byte(program), "helpers.go": []byte(helpers)})
	out, err := lazify(map[string][]byte{"main.go": []byte(program), "helpers.go": []byte(helpers)}, []Lazy{
		{Name: "derived", Type: "*table"}, // before the variables it uses
		{Name: "first", Type: "*table"},
		{Name: "second", Type: "*table"},
		{Name: "typed"},
		{Name: "once"},
		{Name: "onceFunc"},
		{Name: "pair"},
		{Name: "parsed", Type: "*table"},
	})
	require.NoError(t, err)
	main, helpersOut := string(out["main.go"]), string(out["helpers.go"])
	assert.Contains(t, main, "func first() *table {")
	assert.Contains(t, main, "func typed() any {", "the declared type is used")
	assert.Contains(t, main, "func pair() (int, error) {")
	assert.Contains(t, main, "first := first().name", "the local is left alone, the use becomes a call")
	assert.Contains(t, main, "holder{first: 1}.first", "fields are not the variable")
	assert.Contains(t, main, "kept       = 7", "the rest of the group stays")
	assert.NotContains(t, main, "var first =")
	assert.Contains(t, helpersOut, `return first().name + "/" + second().name`)

	out["helpers.go"] = []byte(helpersOut)
	after := runProgram(t, out)
	// Only the moment of construction moves: at init five tables were
	// built before main; now none until first use.
	assert.Contains(t, main, "parsed_lazy.v, _ = parse(\"parsed\")")
	assert.Contains(t, main, `derived_lazy.v = build(first().name + "+" + second().name)`)
	assert.Contains(t, before, "built before main: 5\n")
	assert.Equal(t, strings.Replace(before, "main: 5", "main: 0", 1), after)
}

func TestLazyErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		src  string
		lazy Lazy
		want string
	}{
		{"missing", "package p\n", Lazy{Name: "x"}, "no package-level variable"},
		{"two names", "package p\nvar x, y = 1, 2\n", Lazy{Name: "x", Type: "int"}, "are supported"},
		{"second name", "package p\nfunc f() (int, error) { return 1, nil }\nvar _, x = f()\n", Lazy{Name: "x", Type: "int"}, "are supported"},
		{"no type", "package p\nfunc f() int { return 1 }\nvar x = f()\n", Lazy{Name: "x"}, "give Lazy.Type"},
		{"sync renamed", "package p\nimport s \"sync\"\nvar _ s.Mutex\nvar x = 1\n", Lazy{Name: "x", Type: "int"}, "imports sync as s"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := lazify(map[string][]byte{"p.go": []byte(tc.src)}, []Lazy{tc.lazy})
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.Contains(t, err.Error(), "lazy "+tc.lazy.Name)
		})
	}
	// A key resolved to the variable is a use; an unresolved key (in
	// another file) is a struct field.
	out, err := lazify(map[string][]byte{
		"a.go": []byte("package p\nvar x = 1\nvar m = map[int]int{x: 1}\n"),
		"b.go": []byte("package p\ntype t struct{ x int }\nvar v = t{x: x}\n"),
	}, []Lazy{{Name: "x", Type: "int"}})
	require.NoError(t, err)
	assert.Contains(t, string(out["a.go"]), "map[int]int{x(): 1}")
	assert.Contains(t, string(out["b.go"]), "t{x: x()}")
}

func TestEditsMustMatchOnce(t *testing.T) {
	p := Patch{Edits: []Edit{{File: "a.go", Old: "x", New: "y"}}}
	_, err := p.apply(map[string][]byte{"a.go": []byte("package p\nvar x, x2 = 1, 2\n")})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "occurs 2 times")
	_, err = p.apply(map[string][]byte{"b.go": []byte("package p\n")})
	assert.ErrorContains(t, err, "no file a.go")
}

// TestVerified checks every patch against this Go's own sources: the
// digest must be one the patch was checked against, and it must apply.
// After a Go upgrade this fails with the new digest: check the patch
// (TestStdTests, the e2e stdlib test, bench/) and add it to Verified.
func TestVerified(t *testing.T) {
	goroot := runtime.GOROOT()
	for _, p := range Patches {
		digest, err := Digest(goroot, p.Dir)
		require.NoError(t, err)
		if !assert.Contains(t, p.Verified, digest, "%s: sources of %s (digest %s) differ from the verified ones", p.Dir, runtime.Version(), digest) {
			continue
		}
		files, _, err := readPackage(goroot, p.Dir, false)
		require.NoError(t, err)
		changed, err := p.apply(files)
		require.NoError(t, err, p.Dir)
		assert.NotEmpty(t, changed, p.Dir)
		assert.NotEmpty(t, p.Why, p.Dir)
	}
	res, err := Apply(goroot, Patches, []string{"fmt", SpinHTTP})
	require.NoError(t, err)
	assert.Empty(t, res.Skipped)
	assert.Equal(t, []string{NetHTTPHookTag, NoFindFuncTabTag}, res.Tags)
	assert.Contains(t, string(res.Files[filepath.Join(goroot, "src", "net", "http", "transport.go")]), "wasiSpinRoundTrip(req)")

	res, err = Apply(goroot, Patches, []string{"fmt"})
	require.NoError(t, err)
	assert.Equal(t, []string{NoFindFuncTabTag}, res.Tags, "without spinhttp")
	assert.Contains(t, string(res.Files[filepath.Join(goroot, "src", "net", "http", "transport.go")]), "import github.com/spin-go/sdk/http")
}

func TestUnverifiedSourcesAreLeftAlone(t *testing.T) {
	goroot := t.TempDir()
	write := func(dir, name, src string) {
		require.NoError(t, os.MkdirAll(filepath.Join(goroot, "src", dir), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(goroot, "src", dir, name), []byte(src), 0o644))
	}
	write("lazy", "a.go", "package lazy\nvar x = f()\nfunc f() int { return 1 }\n")
	write("edit", "a.go", "package edit\nvar y = 1\n")
	write("gone", "a.go", "package gone\nvar z = 1\n")
	res, err := apply(goroot, []Patch{
		{Dir: "lazy", Lazy: []Lazy{{Name: "x", Type: "int"}}, AnyVersion: true},
		{Dir: "edit", Edits: []Edit{{File: "a.go", Old: "var y = 1", New: "var y = 2"}}, AnyVersion: true, Tags: []string{"t"}},
		{Dir: "gone", Edits: []Edit{{File: "a.go", Old: "var q = 1", New: ""}}, AnyVersion: true},
		{Dir: "missing", Edits: []Edit{{File: "a.go", Old: "a", New: "b"}}},
	}, nil, false)
	require.NoError(t, err)
	assert.Equal(t, []string{"lazy", "gone", "missing"}, res.Skipped, "lazy patches need verified sources; failed edits skip")
	assert.Equal(t, []string{"t"}, res.Tags)
	require.Len(t, res.Files, 1)
	assert.Contains(t, string(res.Files[filepath.Join(goroot, "src", "edit", "a.go")]), "var y = 2")
}

// TestStdTests runs the standard library's own tests of the patched
// packages with the patches applied (natively: the patches are plain Go).
// Not net/http's DefaultTransport patches, which replace it by design, and
// for net only the lookups the patch touches (protocols, RFC 6724) and the
// DNS code that uses dnsmessage; the FIPS 140 patch is the original code
// off wasm, so its package is only compiled.
func TestStdTests(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the standard library's tests (a few minutes)")
	}
	goroot := runtime.GOROOT()
	var patches []Patch
	for _, p := range Patches {
		if p.IfLinked == "" && p.IfNotLinked == "" { // all but the DefaultTransport ones
			patches = append(patches, p)
		}
	}
	res, err := apply(goroot, patches, nil, true)
	require.NoError(t, err)
	dir := t.TempDir()
	replace := map[string]string{}
	for path, src := range res.Files {
		file := filepath.Join(dir, strings.ReplaceAll(strings.TrimPrefix(path, goroot), string(filepath.Separator), "_"))
		require.NoError(t, os.WriteFile(file, src, 0o644))
		replace[path] = file
	}
	data, err := json.Marshal(map[string]any{"Replace": replace})
	require.NoError(t, err)
	overlay := filepath.Join(dir, "overlay.json")
	require.NoError(t, os.WriteFile(overlay, data, 0o644))

	run := func(args ...string) {
		cmd := exec.Command("go", append([]string{"test", "-short", "-count=1", "-overlay", overlay}, args...)...)
		// In GOROOT/src, not in this module: the main module's go version
		// sets the tests' default GODEBUG (with go 1.25, tlssecpmlkem=0, which
		// crypto/tls's TestHandshakeMLKEM does not expect).
		cmd.Dir = filepath.Join(goroot, "src")
		cmd.Env = append(os.Environ(), "GOFLAGS=")
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "go test %s:\n%s", strings.Join(args, " "), out)
		t.Logf("go test %s:\n%s", strings.Join(args, " "), out)
	}
	run("crypto/hpke", "crypto/ecdsa", "crypto/ecdh", "crypto/x509", "encoding/asn1", "mime", "compress/flate", "compress/gzip", "net/netip", "crypto/ed25519", "crypto/internal/fips140/edwards25519",
		"hash/crc32", "encoding/base64", "crypto/rsa", "crypto/cipher", "crypto/tls",
		"crypto/internal/fips140/edwards25519/field")
	run("-run", "Protocol|LookupPort|Services|RFC6724|DNS", "net")
	// findfunc searches ftab (natively too, where findfunctab would still
	// be there): the runtime's own tests of PCs, tracebacks and stacks.
	run("-run", "Callers|Traceback|FuncForPC|Stack|Frames|GC", "runtime")
	run("-run", "^$", "crypto/internal/fips140/...")
	// The vendored packages (HPACK, httpproxy, dnsmessage) have no tests
	// here: net/http's tests (proxies, HTTP/2) and net's DNS tests use them.
	run("net/http")

	// The runtime patch is in mem_sbrk.go, which only wasm (and plan9)
	// compile: build it for wasip1 here; internal/e2e's
	// TestPatchedStdlibBehavesTheSame runs it.
	cmd := exec.Command("go", "build", "-overlay", overlay, "runtime")
	cmd.Env = append(os.Environ(), "GOFLAGS=", "GOOS=wasip1", "GOARCH=wasm")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "GOOS=wasip1 go build runtime:\n%s", out)
}

func runProgram(t *testing.T, files map[string][]byte) string {
	t.Helper()
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module lazytest\n\ngo 1.25\n"), 0o644))
	for name, src := range files {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), src, 0o644))
	}
	cmd := exec.Command("go", "run", ".")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	return string(out)
}
