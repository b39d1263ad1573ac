//go:build !wasip1

package spinhttp

import (
	"errors"
	"net/http"
)

// Outside a component (GOOS other than wasip1) there is no Spin host:
// handlers can still be registered and tested with net/http/httptest, but
// outbound requests fail with errNoHost.
var errNoHost = errors.New("spinhttp: outbound requests go through the Spin host; build for GOOS=wasip1 with componentize-go")

func roundTrip(*http.Request) (*http.Response, error) { return nil, errNoHost }
