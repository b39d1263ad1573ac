package build

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/spin-go/sdk/internal/toolchain"
)

// Backend turns a core module that carries a component-type section into a
// component, adapting its wasi_snapshot_preview1 imports. It is the one
// step spin-go still delegates; a pure-Go encoder replaces it later.
type Backend interface {
	Name() string
	Componentize(ctx context.Context, core []byte, work string) ([]byte, error)
}

// chooseBackend prefers wasm-tools on PATH and falls back to jco, which is
// installed from npm into the tool cache on first use.
func chooseBackend(ctx context.Context, adapter string) (Backend, error) {
	if path, err := exec.LookPath("wasm-tools"); err == nil {
		if adapter == "" {
			return nil, fmt.Errorf("wasm-tools needs the WASI preview1 reactor adapter: pass --adapt wasi_snapshot_preview1.reactor.wasm")
		}
		return &wasmTools{path: path, adapter: adapter}, nil
	}
	tc, err := toolchain.Ensure(ctx)
	if err != nil {
		return nil, fmt.Errorf("no componentization backend: %v (alternatively put wasm-tools on PATH and pass --adapt)", err)
	}
	return &jco{tc: tc, adapter: adapter}, nil
}

type wasmTools struct{ path, adapter string }

func (w *wasmTools) Name() string { return "wasm-tools" }

func (w *wasmTools) Componentize(ctx context.Context, core []byte, work string) ([]byte, error) {
	in, out := filepath.Join(work, "embedded.wasm"), filepath.Join(work, "component.wasm")
	if err := os.WriteFile(in, core, 0o644); err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, w.path, "component", "new", in, "--adapt", "wasi_snapshot_preview1="+w.adapter, "-o", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("wasm-tools component new: %v\n%s", err, b)
	}
	return os.ReadFile(out)
}

type jco struct {
	tc      *toolchain.Toolchain
	adapter string
}

func (j *jco) Name() string { return "jco" }

func (j *jco) Componentize(ctx context.Context, core []byte, work string) ([]byte, error) {
	in, out := filepath.Join(work, "embedded.wasm"), filepath.Join(work, "component.wasm")
	if err := os.WriteFile(in, core, 0o644); err != nil {
		return nil, err
	}
	args := []string{in, out}
	if j.adapter != "" {
		args = append(args, j.adapter)
	}
	if b, err := j.tc.Command(ctx, "componentize.mjs", args...).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("making the component with jco: %v\n%s", err, b)
	}
	return os.ReadFile(out)
}
