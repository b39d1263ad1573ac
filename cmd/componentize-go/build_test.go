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

// TestBuildWagi: --wagi writes a wasi_snapshot_preview1 command module
// (it exports _start and imports preview1), not a component.
func TestBuildWagi(t *testing.T) {
	out := filepath.Join(t.TempDir(), "wagi.wasm")
	var stdout, stderr bytes.Buffer
	code := run([]string{"-C", filepath.Join("..", "..", "examples", "wagi"), "build", "--wagi", "-o", out}, &stdout, &stderr)
	require.Equal(t, 0, code, stderr.String())
	assert.Contains(t, stdout.String(), "(a Wagi wasip1 command)")
	data, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.Equal(t, []byte{0, 'a', 's', 'm', 1, 0, 0, 0}, data[:8], "a core module, not a component")
	assert.True(t, bytes.Contains(data, []byte("_start")), "a command exports _start")
	assert.True(t, bytes.Contains(data, []byte("wasi_snapshot_preview1")), "it imports WASI preview1")
	assert.False(t, strings.Contains(string(data), "component-type"), "no world is embedded")
}
