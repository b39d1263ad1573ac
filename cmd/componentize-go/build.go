package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/spin-go/sdk/internal/build"
)

// cmdBuild builds the main package in the current directory (or -C) into
// a component.
func cmdBuild(o *options, fs *flag.FlagSet, args []string, stdout io.Writer) error {
	var opts build.Options
	apply := build.RegisterFlags(fs, &opts)
	if err := parse(fs, args); err != nil {
		return err
	}
	apply()
	o.ApplyTo(&opts)
	opts.Stderr = os.Stderr
	res, err := build.Build(context.Background(), opts)
	if err != nil {
		return err
	}
	if res.World == nil {
		fmt.Fprintf(stdout, "componentize-go: built %s (a Wagi wasip1 command)\n", res.Output)
		return nil
	}
	fmt.Fprintf(stdout, "componentize-go: built %s (world %s, backend %s)\n", res.Output, res.WorldName(), res.Backend)
	return nil
}
