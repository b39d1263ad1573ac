package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"

	"github.com/spin-go/sdk/internal/build"
	"github.com/spin-go/sdk/internal/toolchain"
)

// cmdUp builds the main package and serves the component on a local
// address until interrupted, like `spin up` for a single component.
func cmdUp(o *options, fs *flag.FlagSet, args []string, stdout io.Writer) error {
	listen := fs.String("listen", "127.0.0.1:3000", "`ADDRESS` to serve on")
	if err := parse(fs, args); err != nil {
		return err
	}
	work, err := os.MkdirTemp("", "componentize-go-up-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	opts := build.Options{Dir: o.dir, WitPaths: o.witPaths, Worlds: o.worlds, AllFeatures: o.allFeatures,
		Output: filepath.Join(work, "app.wasm"), Stderr: os.Stderr}
	for _, f := range strings.Split(o.features, ",") {
		if f = strings.TrimSpace(f); f != "" {
			opts.Features = append(opts.Features, f)
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	res, err := build.Build(ctx, opts)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "componentize-go: built %s for %s\n", filepath.Base(opts.Output), res.World.ID())
	tc, err := toolchain.Ensure(ctx)
	if err != nil {
		return err
	}
	cmd := tc.Command(ctx, "host.mjs", "serve", "--component", opts.Output, "--listen", *listen)
	cmd.Stdout, cmd.Stderr = stdout, os.Stderr
	if err := cmd.Run(); err != nil && ctx.Err() == nil {
		return fmt.Errorf("the host stopped: %v", err)
	}
	return nil
}
