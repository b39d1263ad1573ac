// Command wasmtime times a fresh instance of Go core modules on Wasmtime,
// the engine Spin runs components on: instantiation, then _initialize (the
// Go runtime's start and the package initialisers). The local host runs
// components on V8, whose instantiation costs milliseconds where
// Wasmtime's costs microseconds (Wasmtime maps a module's data segments as
// a copy-on-write image made when it compiles the module; V8 copies every
// segment, and Go's linker writes tens of thousands). This shows what a
// fresh instance costs where it matters.
//
// It lives in its own module so that the SDK's go.mod does not require
// wasmtime-go (a cgo package with a 230 MB module).
//
//	go run . [-runs 3] [-n 300] core.wasm...
//
// It prints JSON: for each module, the median of each run, in microseconds.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sort"
	"time"

	"github.com/bytecodealliance/wasmtime-go/v44"
)

// Timing is the medians of each run for one module.
type Timing struct {
	Module      string    `json:"module"`
	Instantiate []float64 `json:"instantiate_us"`
	Initialize  []float64 `json:"initialize_us"`
}

func main() {
	runs := flag.Int("runs", 3, "runs per module")
	n := flag.Int("n", 300, "fresh instances per run (after as many to warm up)")
	flag.Parse()
	engine := wasmtime.NewEngine()
	var out []Timing
	for _, path := range flag.Args() {
		t, err := measure(engine, path, *runs, *n)
		if err != nil {
			fmt.Fprintf(os.Stderr, "wasmtime: %s: %v\n", path, err)
			os.Exit(1)
		}
		out = append(out, t)
	}
	data, _ := json.Marshal(out)
	fmt.Println(string(data))
}

func measure(engine *wasmtime.Engine, path string, runs, n int) (Timing, error) {
	t := Timing{Module: path}
	wasm, err := os.ReadFile(path)
	if err != nil {
		return t, err
	}
	module, err := wasmtime.NewModule(engine, wasm)
	if err != nil {
		return t, err
	}
	for i := 0; i < n; i++ {
		if _, _, err := fresh(engine, module); err != nil {
			return t, err
		}
	}
	for r := 0; r < runs; r++ {
		inst := make([]float64, n)
		init := make([]float64, n)
		for i := range n {
			a, b, err := fresh(engine, module)
			if err != nil {
				return t, err
			}
			inst[i], init[i] = micros(a), micros(b)
		}
		t.Instantiate = append(t.Instantiate, median(inst))
		t.Initialize = append(t.Initialize, median(init))
	}
	return t, nil
}

// fresh makes one instance in a new store with WASI preview1 and returns
// how long instantiation and _initialize took. The component's own imports
// (spin:*, wasi:http, ...) get stand-ins: initialisation does not call them.
func fresh(engine *wasmtime.Engine, module *wasmtime.Module) (instantiate, initialize time.Duration, err error) {
	store := wasmtime.NewStore(engine)
	defer store.Close()
	store.SetWasi(wasmtime.NewWasiConfig())
	linker := wasmtime.NewLinker(engine)
	if err := linker.DefineWasi(); err != nil {
		return 0, 0, err
	}
	if err := linker.DefineUnknownImportsAsTraps(module); err != nil {
		return 0, 0, err
	}
	t0 := time.Now()
	instance, err := linker.Instantiate(store, module)
	if err != nil {
		return 0, 0, err
	}
	t1 := time.Now()
	start := instance.GetFunc(store, "_initialize")
	if start == nil {
		return 0, 0, fmt.Errorf("the module exports no _initialize: not a reactor")
	}
	if _, err := start.Call(store); err != nil {
		return 0, 0, fmt.Errorf("_initialize: %w", err)
	}
	return t1.Sub(t0), time.Since(t1), nil
}

func micros(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1000 }

func median(xs []float64) float64 {
	sort.Float64s(xs)
	return xs[len(xs)/2]
}
