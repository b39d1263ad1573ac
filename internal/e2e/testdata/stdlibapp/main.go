//go:build wasip1

package main

import (
	"io"
	"net/http"

	spinhttp "github.com/spin-go/sdk/http"
)

func init() {
	spinhttp.Handle(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, report())
	})
}

func main() {}
