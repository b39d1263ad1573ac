//go:build wasip1

package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"time"

	spinhttp "github.com/spin-go/sdk/http"
)

func init() {
	spinhttp.Handle(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, report())
		// Component only: the preview1 adapter keeps stdio blocking (it
		// refuses flags on stdio), with or without syscall's init asking
		// for non-blocking streams (a size patch leaves that out).
		for _, f := range []*os.File{os.Stdin, os.Stdout, os.Stderr} {
			fmt.Fprintf(w, "component %s deadline: %v\n", f.Name(), f.SetDeadline(time.Time{}))
		}
	})
}

func main() {}
