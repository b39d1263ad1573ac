package gowasm

import (
	"bytes"
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/spin-go/sdk/internal/component"
)

// goModule builds a small Go wasip1 reactor, the way componentize-go
// links (c-shared, -s -w), once per test run.
var goModule = sync.OnceValues(func() ([]byte, error) {
	dir, err := os.MkdirTemp("", "gowasm-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	src := "package main\n\nimport \"strings\"\n\n//go:wasmexport upper\nfunc upper() int32 { return int32(len(strings.ToUpper(\"abc\"))) }\n\nfunc main() {}\n"
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(src), 0o644); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module probe\n\ngo 1.25\n"), 0o644); err != nil {
		return nil, err
	}
	out := filepath.Join(dir, "m.wasm")
	cmd := exec.Command("go", "build", "-buildmode=c-shared", "-ldflags=-s -w", "-o", out, ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm", "GOFLAGS=")
	if msg, err := cmd.CombinedOutput(); err != nil {
		return nil, &exec.ExitError{Stderr: msg}
	}
	return os.ReadFile(out)
})

func loadGoModule(t *testing.T) []byte {
	t.Helper()
	wasm, err := goModule()
	if ee, ok := err.(*exec.ExitError); ok {
		t.Fatalf("go build: %s", ee.Stderr)
	}
	require.NoError(t, err)
	return wasm
}

// initialMemory is the module's memory after instantiation, up to the
// end of its last segment, and the segments.
func initialMemory(t *testing.T, wasm []byte) (memory, []byte) {
	t.Helper()
	segs, err := component.DataSegments(wasm)
	require.NoError(t, err)
	mem := memory(component.SortSegments(segs))
	_, image := mem.image()
	return mem, mem.read(0, len(image)+int(mem[0].Addr))
}

func TestDropFindFuncTab(t *testing.T) {
	wasm := loadGoModule(t)
	mem, before := initialMemory(t, wasm)
	from, to, err := findFuncTab(mem)
	require.NoError(t, err)

	out, stats, err := DropFindFuncTab(wasm)
	require.NoError(t, err)
	assert.Equal(t, int(to-from), stats.TableBytes)
	// A function spans 64 kB of PC, 16 buckets of 20 bytes: about 320
	// bytes of table a function, most of them segments of their own.
	assert.Greater(t, stats.TableBytes, 200_000)
	assert.Less(t, stats.SegmentsAfter, stats.SegmentsBefore/4, "most segments are the table's")
	assert.Less(t, len(out), len(wasm)-stats.TableBytes/4)

	// Memory is the same except that the table is zero; every other
	// section is the same bytes.
	_, after := initialMemory(t, out)
	require.Len(t, after, len(before))
	assert.Equal(t, before[:from], after[:from])
	assert.Equal(t, before[to:], after[to:])
	assert.Equal(t, make([]byte, to-from), after[from:to])
	assert.NotEqual(t, make([]byte, to-from), before[from:to])
	assert.Equal(t, sectionsBut(t, wasm, 11), sectionsBut(t, out, 11))

	// A second pass finds moduledata again, and a table of zeros.
	_, _, err = DropFindFuncTab(out)
	assert.ErrorContains(t, err, "does not reach the last function")
}

// sectionsBut returns the module's sections other than id.
func sectionsBut(t *testing.T, wasm []byte, id byte) []component.Section {
	secs, err := component.Sections(wasm)
	require.NoError(t, err)
	var out []component.Section
	for _, s := range secs {
		if s.ID != id {
			out = append(out, s)
		}
	}
	return out
}

func TestDropFindFuncTabErrors(t *testing.T) {
	wasm := loadGoModule(t)
	mem, _ := initialMemory(t, wasm)
	from, _, err := findFuncTab(mem)
	require.NoError(t, err)

	// setMemory returns the Go module with the 8 bytes at addr replaced,
	// its memory written as one segment.
	setMemory := func(addr uint64, value uint64) []byte {
		start, image := mem.image()
		binary.LittleEndian.PutUint64(image[addr-start:], value)
		out, err := component.WithData(wasm, []component.Segment{{Addr: uint32(start), Data: image}})
		require.NoError(t, err)
		return out
	}
	base, image := mem.image()
	hdr := base + uint64(bytes.Index(image, []byte(pcHeaderStart)))
	md, err := findModuledata(mem, base, image, hdr)
	require.NoError(t, err)

	tests := []struct {
		name string
		wasm []byte
		want string
	}{
		{"not a module", []byte("hello"), "not a core WebAssembly module"},
		{"not Go", []byte("\x00asm\x01\x00\x00\x00\x0b\x0a\x01\x00\x41\x10\x0b\x04\x01\x02\x03\x04"), "no Go pclntab header"},
		{"moduledata disagrees", setMemory(md+mdFtab, 12345), "no runtime.moduledata matches the pclntab header: pcHeader candidate at"},
		{"table not at the end of pclntab", setMemory(md+mdFindfunctab, from+20), "not where pclntab ends"},
		{"bad bucket", setMemory(from, 1<<31), "bucket 0 holds function index"},
		{"unchanged memory is accepted", setMemory(md, hdr), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := DropFindFuncTab(tt.wasm)
			if tt.want == "" {
				assert.NoError(t, err)
				return
			}
			assert.ErrorContains(t, err, tt.want)
		})
	}
}

func BenchmarkDropFindFuncTab(b *testing.B) {
	wasm, err := goModule()
	require.NoError(b, err)
	b.SetBytes(int64(len(wasm)))
	for b.Loop() {
		if _, _, err := DropFindFuncTab(wasm); err != nil {
			b.Fatal(err)
		}
	}
}
