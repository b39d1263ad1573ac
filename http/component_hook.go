//go:build wasip1 && spin_nethttp_hook

package spinhttp

import _ "unsafe" // go:linkname

// In a build by componentize-go, net/http's DefaultTransport calls
// net/http.wasiSpinRoundTrip, a function without a body that its overlay
// adds (internal/stdpatch): roundTrip takes that name here. A reference
// from DefaultTransport's RoundTrip, rather than storing Transport there at
// init, links the client only into components that send requests.
//
//go:linkname roundTrip net/http.wasiSpinRoundTrip
