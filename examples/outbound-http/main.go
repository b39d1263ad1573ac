//go:build wasip1

// Command outbound-http calls other HTTP services with the ordinary
// net/http client: spinhttp routes it through Spin, which allows only the
// hosts in the component's allowed_outbound_hosts. "http://self" is the
// application itself.
package main

import (
	"fmt"
	"io"
	"net/http"

	spinhttp "github.com/spin-go/sdk/http"
)

func main() {}

func init() {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /greeting", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "hello from the same app")
	})
	mux.HandleFunc("GET /fetch", func(w http.ResponseWriter, r *http.Request) {
		// Any URL the manifest allows; try ?url=https://example.com to see
		// the error for a host that is not allowed.
		url := r.URL.Query().Get("url")
		if url == "" {
			url = "http://self/greeting"
		}
		resp, err := http.Get(url)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		fmt.Fprintf(w, "%s answered %d: %s", url, resp.StatusCode, body)
	})
	spinhttp.Handle(mux.ServeHTTP)
}
