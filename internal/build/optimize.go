package build

import (
	"context"
	"fmt"
	"os/exec"
	"strings"

	"github.com/spin-go/sdk/internal/toolchain"
)

// wasmOptArgs are the features Go's wasm output uses: binaryen assumes
// the MVP for a module without a target_features section and would reject
// sign-extension and non-trapping conversions.
var wasmOptArgs = []string{"-Oz", "--enable-sign-ext", "--enable-nontrapping-float-to-int",
	"--enable-bulk-memory", "--enable-mutable-globals"}

// optimize runs binaryen's wasm-opt -Oz over the core module in place
// (--optimize). It takes about 7% off a component, but a build takes tens
// of seconds longer, so it is opt-in. wasm-opt on PATH is used when there
// is one; otherwise binaryen from the npm toolchain (the same package jco
// depends on), which runs in Node.
func optimize(ctx context.Context, core string) error {
	var cmd *exec.Cmd
	args := append(append([]string{core}, wasmOptArgs...), "-o", core)
	if path, err := exec.LookPath("wasm-opt"); err == nil {
		cmd = exec.CommandContext(ctx, path, args...)
	} else {
		tc, err := toolchain.Ensure(ctx)
		if err != nil {
			return fmt.Errorf("--optimize needs wasm-opt: none on PATH and %v", err)
		}
		cmd = tc.Command(ctx, "node_modules/binaryen/bin/wasm-opt", args...)
	}
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("wasm-opt: %v\n%s", err, strings.TrimSpace(string(out)))
	}
	return nil
}
