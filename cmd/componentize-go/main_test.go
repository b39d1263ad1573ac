package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func countLines(text, prefix string) int {
	n := 0
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, prefix) {
			n++
		}
	}
	return n
}

// TestWitPrintsTheSpinWorlds is the "done when": each world prints
// with the number of imports the published world reaches and its export.
func TestWitPrintsTheSpinWorlds(t *testing.T) {
	root := filepath.Join("..", "..")
	tests := []struct {
		world   string
		imports int
		export  string
	}{
		{"spin:up/http-trigger@4.0.0", 101, "wasi:http/handler@0.3.0-rc-2026-03-15"},
		{"spin:up/redis-trigger@4.0.0", 101, "spin:redis/inbound-redis@3.0.0"},
		{"fermyon:spin/http-trigger@3.0.0", 43, "wasi:http/incoming-handler@0.2.0"},
		{"wasi:http/service@0.3.0-rc-2026-03-15", 12, "wasi:http/handler@0.3.0-rc-2026-03-15"},
	}
	for _, tt := range tests {
		t.Run(tt.world, func(t *testing.T) {
			code, out, stderr := runCLI(t, "-C", root, "wit", "-w", tt.world)
			require.Equal(t, 0, code, stderr)
			assert.Equal(t, tt.imports, countLines(out, "  import "))
			assert.Equal(t, 1, countLines(out, "  export "))
			assert.Contains(t, out, "  export "+tt.export+";")
		})
	}
}

func TestWitMergesWorldsAndShortNames(t *testing.T) {
	code, out, stderr := runCLI(t, "-C", filepath.Join("..", ".."), "-w", "wasi:http/service@0.3.0-rc-2026-03-15", "-w", "platform", "wit")
	require.Equal(t, 0, code, stderr)
	assert.True(t, strings.HasPrefix(out, "package root:component;\n"))
	assert.Equal(t, 101, countLines(out, "  import "))
	assert.Contains(t, out, "  export wasi:http/handler@0.3.0-rc-2026-03-15;")
}

func TestWitFeatures(t *testing.T) {
	root := filepath.Join("..", "..")
	_, plain, _ := runCLI(t, "-C", root, "wit", "-w", "platform")
	_, otel, _ := runCLI(t, "-C", root, "wit", "-w", "platform", "--features", "wasi-otel")
	_, all, _ := runCLI(t, "-C", root, "wit", "-w", "platform", "--all-features")
	assert.NotContains(t, plain, "wasi:otel/tracing")
	assert.Contains(t, otel, "import wasi:otel/tracing@0.2.0-rc.2;")
	assert.Contains(t, all, "import wasi:clocks/timezone@0.2.6;")
	assert.NotContains(t, otel, "import wasi:clocks/timezone@0.2.6;")
}

func TestCLIErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.wit")
	require.NoError(t, os.WriteFile(bad, []byte("package a:b;\ninterface i {\n  f: func(x: nope);\n}\n"), 0o644))
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"-C", dir, "wit"}, 1, "no WIT found: " + filepath.Join(dir, "wit") + " does not exist; pass -d PATH"},
		{[]string{"-d", filepath.Join(dir, "missing"), "wit"}, 1, "WIT path " + filepath.Join(dir, "missing") + ": no such file or directory"},
		{[]string{"-d", bad, "wit"}, 1, bad + ":3:14: type 'nope' is not defined in interface i"},
		{[]string{"-C", filepath.Join("..", ".."), "wit", "-w", "nope"}, 1, "no world named 'nope' is loaded"},
		{[]string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{[]string{}, 2, "usage: componentize-go"},
		{[]string{"-C", filepath.Join("..", ".."), "wit", "extra"}, 1, `wit takes no arguments, got ["extra"]`},
		{[]string{"--bogus"}, 2, "flag provided but not defined: -bogus"},
	}
	for _, tt := range tests {
		code, _, stderr := runCLI(t, tt.args...)
		assert.Equal(t, tt.code, code, "%v: %s", tt.args, stderr)
		assert.Contains(t, stderr, tt.want, "%v", tt.args)
	}
}
