//go:build wasip1

package spinhttp

import "net/http"

// In a component, plain net/http clients send through the host.
func init() {
	http.DefaultTransport = Transport{}
}
