//go:build wasip1 && !spin_nethttp_hook

package spinhttp

import "net/http"

// In a component, plain net/http clients send through the host. (Builds by
// componentize-go set spin_nethttp_hook and use component_hook.go instead.)
func init() {
	http.DefaultTransport = Transport{}
}
