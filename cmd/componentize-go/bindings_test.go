package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spin-go/sdk/internal/bindgen"
	"github.com/spin-go/sdk/internal/wit"
)

// TestSDKBindingsAreCurrent regenerates, in memory, every world named by a
// go:generate line in doc.go and requires the checked-in imports/ and
// exports/ to match byte for byte, with no stale files.
func TestSDKBindingsAreCurrent(t *testing.T) {
	root := filepath.Join("..", "..")
	doc, err := os.ReadFile(filepath.Join(root, "doc.go"))
	require.NoError(t, err)
	worlds := regexp.MustCompile(`(?m)^//go:generate go run \./cmd/componentize-go -w (\S+) bindings -o \.$`).FindAllStringSubmatch(string(doc), -1)
	require.NotEmpty(t, worlds)
	res, err := wit.Load([]string{filepath.Join(root, "wit")}, wit.Options{})
	require.NoError(t, err)
	want := map[string][]byte{}
	for _, m := range worlds {
		w, err := res.World(m[1])
		require.NoError(t, err)
		files, err := bindgen.Generate(w, bindgen.Options{ImportPath: "github.com/spin-go/sdk"})
		require.NoError(t, err)
		for _, f := range files {
			if prev, ok := want[f.Path]; ok {
				require.Equal(t, string(prev), string(f.Content), "%s differs between worlds", f.Path)
			}
			want[f.Path] = f.Content
		}
	}
	have := map[string][]byte{}
	for _, dir := range []string{"imports", "exports"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel, _ := filepath.Rel(root, p)
			data, err := os.ReadFile(p)
			have[filepath.ToSlash(rel)] = data
			return err
		})
		require.NoError(t, err)
	}
	assert.Equal(t, sortedKeys(want), sortedKeys(have), "generated file set; run `go generate` at the module root")
	for p, content := range want {
		if string(have[p]) != string(content) {
			t.Errorf("%s is stale; run `go generate` at the module root", p)
		}
	}
}

func sortedKeys(m map[string][]byte) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestBindingsStandaloneTimerWorld generates bindings for a user's custom
// trigger world in the user's own module and compiles them.
func TestBindingsStandaloneTimerWorld(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles generated code")
	}
	dir := t.TempDir()
	write := func(rel, text string) {
		p := filepath.Join(dir, rel)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(text), 0o644))
	}
	sum, err := os.ReadFile(filepath.Join("..", "..", "go.sum"))
	require.NoError(t, err)
	write("go.mod", "module example.com/timer\n\ngo 1.25\n\nrequire go.bytecodealliance.org/pkg v0.2.1\n")
	write("go.sum", string(sum))
	write("wit/timer.wit", `package spin-go:timer@0.1.0;

world timer {
  import log: func(msg: string);
  export handle-timer-request: func(msg: string) -> string;
}
`)
	write("main.go", `package main

import (
	timer "example.com/timer/exports/spin_go_timer_timer_0_1_0/export_spin_go_timer_timer_0_1_0"
	_ "example.com/timer/exports/spin_go_timer_timer_0_1_0/wit_exports"
	"example.com/timer/imports/spin_go_timer_timer_0_1_0"
)

func init() {
	timer.Exports.HandleTimerRequest = func(msg string) string {
		spin_go_timer_timer_0_1_0.Log("tick: " + msg)
		return "handled " + msg
	}
}

func main() {}
`)
	code, out, stderr := runCLI(t, "-C", dir, "bindings")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "spin-go:timer/timer@0.1.0: 6 files")
	for _, env := range [][]string{nil, {"GOOS=wasip1", "GOARCH=wasm"}} {
		cmd := exec.Command("go", "vet", "./...")
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), env...)
		b, err := cmd.CombinedOutput()
		require.NoError(t, err, "%v\n%s", env, b)
	}
}

func TestBindingsErrors(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "wit"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "wit", "w.wit"), []byte("package a:b;\nworld w { export f: func(); }\n"), 0o644))
	code, _, stderr := runCLI(t, "-C", dir, "bindings")
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "no go.mod found at or above")
	code, _, stderr = runCLI(t, "-C", dir, "bindings", "--pkg-name", "example.com/x", "extra")
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, `bindings takes no arguments, got ["extra"]`)
}
