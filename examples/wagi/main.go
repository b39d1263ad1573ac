//go:build wasip1

// Command wagi is a Wagi component: a plain WASI command that Spin runs
// once per request, CGI style. net/http/cgi turns the CGI environment into
// an *http.Request, so the handler is ordinary net/http code. Build it
// with `componentize-go build --wagi`; its route says
// `executor = { type = "wagi" }`.
package main

import (
	"fmt"
	"io"
	"net/http"
	"net/http/cgi"
	"os"
	"strings"
)

func main() {
	err := cgi.Serve(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprintf(w, "Hello from Wagi: %s %s\n", r.Method, r.URL.Path)
		for _, name := range []string{"PATH_INFO", "X_FULL_URL", "X_MATCHED_ROUTE", "X_RAW_COMPONENT_ROUTE", "X_COMPONENT_ROUTE", "X_BASE_PATH"} {
			fmt.Fprintf(w, "%s=%s\n", name, os.Getenv(name))
		}
		fmt.Fprintf(w, "args=%s\n", strings.Join(os.Args[1:], ","))
		if body, _ := io.ReadAll(r.Body); len(body) > 0 {
			fmt.Fprintf(w, "body=%s\n", body)
		}
	}))
	if err != nil {
		fmt.Fprintln(os.Stderr, "wagi:", err)
		os.Exit(1)
	}
}
