//go:build wasip1

// Command allocs-hello is examples/hello with one header more: the number
// of heap allocations and bytes the instance has made so far, which the
// bench reads twice to get the allocations of a request.
package main

import (
	"fmt"
	"net/http"
	"runtime"
	"strconv"

	spinhttp "github.com/spin-go/sdk/http"
)

var stats runtime.MemStats

func init() {
	spinhttp.Handle(func(w http.ResponseWriter, r *http.Request) {
		runtime.ReadMemStats(&stats)
		w.Header()["Allocs"] = []string{strconv.FormatUint(stats.Mallocs, 10) + " " + strconv.FormatUint(stats.TotalAlloc, 10)}
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprint(w, "Hello, Spin")
	})
}

func main() {}
