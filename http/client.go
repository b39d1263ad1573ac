package spinhttp

import (
	"io"
	"net/http"
)

// Transport sends requests through the Spin host. In a component it is
// installed as http.DefaultTransport, so http.Get and http.DefaultClient
// work.
type Transport struct{}

// RoundTrip implements http.RoundTripper.
func (Transport) RoundTrip(req *http.Request) (*http.Response, error) { return roundTrip(req) }

// NewTransport returns a RoundTripper that sends through the host.
func NewTransport() http.RoundTripper { return Transport{} }

// NewClient returns an http.Client that sends through the host.
func NewClient() *http.Client { return &http.Client{Transport: Transport{}} }

// Send sends a request through the host.
func Send(req *http.Request) (*http.Response, error) { return NewClient().Do(req) }

// Get is http.Get through the host.
func Get(url string) (*http.Response, error) { return NewClient().Get(url) }

// Post is http.Post through the host.
func Post(url, contentType string, body io.Reader) (*http.Response, error) {
	return NewClient().Post(url, contentType, body)
}
