package main

import (
	"fmt"
	"path/filepath"
	"reflect"
	"runtime"
	"runtime/debug"
	"strings"
)

// frameChecks exercises what the runtime finds from a PC, which the
// findfunc patch computes by searching ftab (componentize-go drops
// runtime.findfunctab): the functions, files and lines of a call chain,
// a function's name from its PC, a recovered panic's stack, and stack
// scanning by the garbage collector.
func frameChecks(line func(string, any, error)) {
	line("callers", callChain(3), nil)
	line("func for pc", runtime.FuncForPC(reflect.ValueOf(callChain).Pointer()).Name(), nil)
	line("panic stack", panicStack(), nil)
	line("gc with a deep stack", deepGC(300), nil)
}

// callChain calls itself depth times and describes the frames above it.
//
//go:noinline
func callChain(depth int) string {
	if depth > 0 {
		return callChain(depth - 1)
	}
	pcs := make([]uintptr, 16)
	frames := runtime.CallersFrames(pcs[:runtime.Callers(1, pcs)])
	var out []string
	for len(out) < 5 {
		f, more := frames.Next()
		out = append(out, fmt.Sprintf("%s %s:%d", f.Function, filepath.Base(f.File), f.Line))
		if !more {
			break
		}
	}
	return strings.Join(out, ", ")
}

// panicStack recovers from a panic and returns the main package's
// functions on the stack at the recover, up to report.
func panicStack() (stack string) {
	defer func() {
		recover()
		var names []string
		for _, l := range strings.Split(string(debug.Stack()), "\n") {
			if name, _, ok := strings.Cut(l, "("); ok && strings.HasPrefix(name, "main.") {
				names = append(names, name)
				if name == "main.report" {
					break
				}
			}
		}
		stack = strings.Join(names, " < ")
	}()
	panicker()
	return "no panic"
}

//go:noinline
func panicker() { panic("for the stack") }

// deepGC recurses depth times with a heap buffer that only its frame
// points to, collects garbage at the bottom, allocates over anything it
// freed, and checks every buffer afterwards: a frame the stack scan
// missed would lose its buffer.
//
//go:noinline
func deepGC(depth int) bool {
	buf := make([]byte, 64+depth%8) // a size known only at run time: on the heap
	for i := range buf {
		buf[i] = byte(depth)
	}
	ok := true
	if depth == 0 {
		runtime.GC()
		var reuse [][]byte
		for i := 0; i < 1000; i++ {
			b := make([]byte, 64+i%8)
			for j := range b {
				b[j] = 0xee
			}
			reuse = append(reuse, b)
		}
		runtime.GC()
		ok = len(reuse) == 1000
	} else {
		ok = deepGC(depth - 1)
	}
	for _, c := range buf {
		ok = ok && c == byte(depth)
	}
	return ok
}
