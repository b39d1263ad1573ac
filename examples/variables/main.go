//go:build wasip1

// Command variables reads configuration from Spin variables: the
// component's [component.variables.variables] are templates over the
// application's [variables], which the operator sets (for example with
// SPIN_VARIABLE_GREETING=hi).
package main

import (
	"fmt"
	"net/http"

	spinhttp "github.com/spin-go/sdk/http"
	"github.com/spin-go/sdk/variables"
)

func main() {}

func init() {
	spinhttp.HandleFunc(func(w http.ResponseWriter, r *http.Request) {
		message, err := variables.Get("message")
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		fmt.Fprintln(w, message)
	})
}
