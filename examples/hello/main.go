//go:build wasip1

// Command hello is the smallest Spin HTTP component with spinhttp: it
// answers every request with "Hello, Spin".
package main

import (
	"fmt"
	"net/http"

	spinhttp "github.com/spin-go/sdk/http"
)

func init() {
	spinhttp.Handle(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprint(w, "Hello, Spin")
	})
}

func main() {}
