// Package spinhttp serves and sends HTTP in Spin components with the
// standard net/http types.
//
// Register a handler in init and leave main empty:
//
//	func init() {
//		spinhttp.Handle(func(w http.ResponseWriter, r *http.Request) {
//			fmt.Fprintln(w, "Hello, Spin")
//		})
//	}
//
//	func main() {}
//
// Any http.Handler works (spinhttp.Serve(mux) with an http.ServeMux and its
// patterns). The *http.Request is complete: method, URL with query, Host,
// RequestURI, RemoteAddr (from spin-client-addr), TLS when the original URL
// was https, headers, a streaming Body and trailers. The response streams:
// headers go out at the first Write or Flush, or when the handler returns,
// and trailers are sent after the body.
//
// Outbound requests go through the host: http.DefaultClient and
// http.DefaultTransport are wired to it, so plain http.Get works; Send,
// Get, Post and NewClient are shortcuts. The host only allows hosts listed
// in the component's allowed_outbound_hosts.
//
// The same code builds for Spin 4 (WASI 0.3, the default) and Spin 3
// (WASI 0.2: -w fermyon:spin/http-trigger@3.0.0); componentize-go selects
// the implementation.
package spinhttp

import (
	"crypto/tls"
	"fmt"
	"io"
	"net/http"
	"net/textproto"
	"net/url"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"unsafe"

	witypes "go.bytecodealliance.org/pkg/wit/types"
)

// Headers Spin sets on every incoming request.
const (
	// HeaderFullURL is the full URL of the request, e.g.
	// https://example.com:8080/shop/users/1/edit?theme=pink.
	HeaderFullURL = "spin-full-url"
	// HeaderPathInfo is the part of the path after the matched route's
	// wildcard, e.g. /1/edit for route /users/... and path /users/1/edit.
	HeaderPathInfo = "spin-path-info"
	// HeaderMatchedRoute is the route that matched, with the base, e.g.
	// /shop/users/...
	HeaderMatchedRoute = "spin-matched-route"
	// HeaderRawComponentRoute is the component's route as written in
	// spin.toml, e.g. /users/...
	HeaderRawComponentRoute = "spin-raw-component-route"
	// HeaderComponentRoute is the route without its wildcard, e.g. /users.
	HeaderComponentRoute = "spin-component-route"
	// HeaderBasePath is the application's base path, e.g. /shop.
	HeaderBasePath = "spin-base-path"
	// HeaderClientAddr is the client's address, host:port.
	HeaderClientAddr = "spin-client-addr"
)

// The registered handler. A function given to Handle is kept as a plain
// func and called directly: converting it to an interface (http.HandlerFunc
// as an http.Handler) would make the linker keep every String method
// reachable from *http.Request's type, through Request.TLS down to
// crypto/x509 and math/big: about 350 kB of wasm in every component.
var (
	handleFn func(http.ResponseWriter, *http.Request)
	handler  http.Handler
)

// Handle registers the function that serves every request.
func Handle(fn func(http.ResponseWriter, *http.Request)) { handleFn, handler = fn, nil }

// HandleFunc is Handle, named like net/http's.
func HandleFunc(fn func(http.ResponseWriter, *http.Request)) { Handle(fn) }

// Serve registers any http.Handler, such as an http.ServeMux.
func Serve(h http.Handler) { handleFn, handler = nil, h }

// Handler returns the registered handler, e.g. to serve it with
// net/http/httptest in native tests.
func Handler() http.Handler {
	switch {
	case handleFn != nil:
		return http.HandlerFunc(handleFn)
	case handler != nil:
		return handler
	}
	return http.HandlerFunc(noHandler)
}

// serve runs the registered handler.
func serve(w http.ResponseWriter, r *http.Request) {
	switch {
	case handleFn != nil:
		handleFn(w, r)
	case handler != nil:
		handler.ServeHTTP(w, r)
	default:
		noHandler(w, r)
	}
}

// finisher is a component's response writer: it knows whether the status
// and headers have gone, and ends the response once the handler returns.
type finisher interface {
	http.ResponseWriter
	headerSent() bool
	// finish sends the headers if none went, ends the body and sends the
	// trailers (none after a panic).
	finish(panicked bool)
}

// serveAndFinish runs the registered handler and ends the response. A
// panic does not cross the WebAssembly boundary: it is logged and, if no
// headers have gone yet, answered with a 500 as net/http does.
func serveAndFinish(w finisher, r *http.Request) {
	defer func() {
		p := recover()
		if p != nil {
			logf("handler panicked serving %s %s: %v\n%s", r.Method, r.URL, p, debug.Stack())
			if !w.headerSent() {
				h := w.Header()
				clear(h)
				h["Content-Type"] = []string{"text/plain; charset=utf-8"}
				w.WriteHeader(http.StatusInternalServerError)
				io.WriteString(w, "Internal Server Error\n")
			}
		}
		w.finish(p != nil)
	}()
	serve(w, r)
}

func noHandler(w http.ResponseWriter, _ *http.Request) {
	http.Error(w, "spinhttp: no handler registered: call spinhttp.Handle in an init function", http.StatusInternalServerError)
}

// PathInfo returns the part of the request path after the matched
// wildcard route (the spin-path-info header).
func PathInfo(r *http.Request) string {
	return headerValue(r.Header, canonicalKey(HeaderPathInfo))
}

// headerValue is h.Get(key) for a key already in canonical form: Get would
// canonicalise the lower-case Header* names again, an allocation each time.
func headerValue(h http.Header, key string) string {
	if v := h[key]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// incoming holds the parts of a request as the host gives them.
type incoming struct {
	method string
	// parts asks the host for the request's scheme ("http", "https" or
	// another; "" when unknown, which is "http"), its authority and its
	// path with query. It is called only when spin-full-url is missing:
	// Spin always sends that header, built as scheme://authority/path?query
	// from the same parts, so under Spin a request costs three host calls
	// fewer (about 11 µs each under jco).
	parts  func() (scheme, authority, pathQuery string)
	header http.Header
	body   io.ReadCloser
	// trailers is called after the body reached EOF and returns the
	// request trailers.
	trailers func() http.Header
}

// newRequest builds the *http.Request a handler sees.
func newRequest(in incoming) (*http.Request, error) {
	full := headerValue(in.header, canonicalKey(HeaderFullURL))
	authority, target, ok := splitFullURL(full)
	if !ok {
		var scheme string
		if in.parts != nil {
			scheme, authority, target = in.parts()
		}
		if scheme == "" {
			scheme = "http"
		}
		if target == "" {
			target = "/"
		}
		full = scheme + "://" + authority + target
	}
	u, err := url.Parse(full)
	if err != nil {
		return nil, fmt.Errorf("spinhttp: bad request URL %q: %w", full, err)
	}
	r := &http.Request{
		Method:     in.method,
		URL:        u,
		Proto:      "HTTP/1.1",
		ProtoMajor: 1,
		ProtoMinor: 1,
		Header:     in.header,
		Host:       authority,
		RequestURI: target,
		RemoteAddr: headerValue(in.header, canonicalKey(HeaderClientAddr)),
	}
	if r.Host == "" {
		r.Host = u.Host
	}
	if u.Scheme == "https" {
		r.TLS = tlsState(u.Hostname())
	}
	r.ContentLength = contentLength(in.header)
	// As in net/http, Trailer is nil unless the request announces trailers
	// (trailers that arrive unannounced are still added at EOF).
	for _, k := range in.header["Trailer"] {
		for _, name := range strings.Split(k, ",") {
			if name = strings.TrimSpace(name); name != "" {
				if r.Trailer == nil {
					r.Trailer = http.Header{}
				}
				r.Trailer[http.CanonicalHeaderKey(name)] = nil
			}
		}
	}
	r.Body = &trailerBody{ReadCloser: in.body, trailer: &r.Trailer, trailers: in.trailers}
	if r.ContentLength == 0 {
		r.Body = http.NoBody
	}
	return r, nil
}

// splitFullURL takes the authority and the path with query out of a
// spin-full-url value, scheme://authority/path?query, as Spin builds it
// from the request's own parts. It reports false for a value of another
// shape, and the parts are then asked of the host.
func splitFullURL(full string) (authority, pathQuery string, ok bool) {
	_, rest, ok := strings.Cut(full, "://")
	if !ok {
		return "", "", false
	}
	i := strings.IndexAny(rest, "/?")
	if i < 0 {
		return rest, "/", true
	}
	authority, pathQuery = rest[:i], rest[i:]
	if pathQuery[0] == '?' {
		pathQuery = "/" + pathQuery
	}
	return authority, pathQuery, true
}

// trailerBody fills in Request.Trailer when the body reaches EOF, as
// net/http does.
type trailerBody struct {
	io.ReadCloser
	// trailer points at the Trailer field rather than holding the
	// *http.Request: a *http.Request field in a type stored in an interface
	// makes the linker keep every String method reachable from Request's
	// type (Request.TLS down to crypto/x509 and math/big), about 350 kB.
	trailer  *http.Header
	trailers func() http.Header
	done     bool
}

func (b *trailerBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err == io.EOF && !b.done {
		b.done = true
		setTrailers(b.trailer, b.trailers())
	}
	return n, err
}

// setTrailers adds trailers that arrived at the end of a body to the
// Trailer field of its request or response.
func setTrailers(dst *http.Header, trailers http.Header) {
	if len(trailers) == 0 {
		return
	}
	if *dst == nil {
		*dst = http.Header{}
	}
	for k, v := range trailers {
		(*dst)[k] = v
	}
}

// responseTrailers collects the trailers a handler set: keys announced in
// the Trailer header, and keys with the http.TrailerPrefix.
// It is nil when there are none, as for most responses.
func responseTrailers(h http.Header, announced []string) http.Header {
	var t http.Header
	set := func(k string, v []string) {
		if t == nil {
			t = http.Header{}
		}
		t[k] = v
	}
	for _, k := range announced {
		if v, ok := h[k]; ok {
			set(k, v)
		}
	}
	for k, v := range h {
		if strings.HasPrefix(k, http.TrailerPrefix) {
			set(http.CanonicalHeaderKey(strings.TrimPrefix(k, http.TrailerPrefix)), v)
		}
	}
	return t
}

// fieldList is the argument of fields.from-list (WASI 0.2 and 0.3 alike)
// for header pairs. The values are the strings' own bytes, not copies: the
// call only reads them, and the host copies what it keeps.
func fieldList(pairs [][2]string) []witypes.Tuple2[string, []uint8] {
	list := make([]witypes.Tuple2[string, []uint8], 0, len(pairs))
	for _, kv := range pairs {
		list = append(list, witypes.Tuple2[string, []uint8]{F0: kv[0], F1: unsafe.Slice(unsafe.StringData(kv[1]), len(kv[1]))})
	}
	return list
}

// announcedTrailers lists the keys a handler declared in its Trailer
// header before the headers were sent.
func announcedTrailers(h http.Header) []string {
	var keys []string
	for _, v := range h.Values("Trailer") {
		for _, k := range strings.Split(v, ",") {
			if k = strings.TrimSpace(k); k != "" {
				keys = append(keys, http.CanonicalHeaderKey(k))
			}
		}
	}
	return keys
}

// wireHeaders lists the headers to send, leaving out trailer declarations
// of prefixed trailers and hop-by-hop headers the host manages.
func wireHeaders(h http.Header) [][2]string {
	out := make([][2]string, 0, len(h))
	for k, vs := range h {
		if strings.HasPrefix(k, http.TrailerPrefix) {
			continue
		}
		name := wireName(k)
		switch name {
		case "connection", "keep-alive", "transfer-encoding", "upgrade", "proxy-connection":
			continue
		}
		for _, v := range vs {
			out = append(out, [2]string{name, v})
		}
	}
	return out
}

// wireName is the lower-case name a header goes to the host with, without
// an allocation for the common response headers.
func wireName(k string) string {
	switch k {
	case "Content-Type":
		return "content-type"
	case "Content-Length":
		return "content-length"
	case "Cache-Control":
		return "cache-control"
	case "Location":
		return "location"
	case "Set-Cookie":
		return "set-cookie"
	}
	return strings.ToLower(k)
}

// headerBuilder makes a request's http.Header from the host's (name, value)
// pairs, which come in lower case. The values share one backing array, and
// the names every Spin request carries are canonicalised without an
// allocation (see canonicalKey). It is given the pairs just lifted from a
// fields copy: no one else holds their bytes, so each value becomes a
// string over its own bytes instead of a copy of them.
type headerBuilder struct {
	h    http.Header
	vals []string
}

func newHeaderBuilder(n int) headerBuilder {
	return headerBuilder{h: make(http.Header, n), vals: make([]string, 0, n)}
}

func (b *headerBuilder) add(name string, value []byte) {
	k := canonicalKey(name)
	n := len(b.vals)
	// The lifted bytes are a Go allocation of their own (the host asked
	// cabi_realloc for them) that nothing writes to again: a string over
	// them saves a copy and an allocation per header.
	b.vals = append(b.vals, unsafe.String(unsafe.SliceData(value), len(value)))
	if old, ok := b.h[k]; ok {
		b.h[k] = append(old, b.vals[n])
	} else {
		b.h[k] = b.vals[n : n+1 : n+1] // capped: an append copies instead of overwriting the next value
	}
}

// canonicalKey is textproto.CanonicalMIMEHeaderKey, with the spin-* names
// Spin adds to every request and the most common client headers spelled
// out, so that they cost no allocation.
func canonicalKey(name string) string {
	switch name {
	case HeaderFullURL:
		return "Spin-Full-Url"
	case HeaderPathInfo:
		return "Spin-Path-Info"
	case HeaderMatchedRoute:
		return "Spin-Matched-Route"
	case HeaderRawComponentRoute:
		return "Spin-Raw-Component-Route"
	case HeaderComponentRoute:
		return "Spin-Component-Route"
	case HeaderBasePath:
		return "Spin-Base-Path"
	case HeaderClientAddr:
		return "Spin-Client-Addr"
	case "user-agent":
		return "User-Agent"
	case "accept":
		return "Accept"
	case "accept-encoding":
		return "Accept-Encoding"
	case "content-type":
		return "Content-Type"
	case "content-length":
		return "Content-Length"
	}
	return textproto.CanonicalMIMEHeaderKey(name)
}

// logf writes one line, prefixed "spinhttp: ", to stderr, which Spin keeps
// as the component's log. (A log.Logger would add its time formatting to
// every component for a prefix.)
func logf(format string, args ...any) {
	msg := "spinhttp: " + fmt.Sprintf(format, args...)
	if !strings.HasSuffix(msg, "\n") {
		msg += "\n"
	}
	os.Stderr.WriteString(msg)
}

// mayHaveBody reports whether a request can carry a body worth telling the
// host about: anything but a GET or HEAD, or one with a Content-Length.
func mayHaveBody(method string, h http.Header) bool {
	return method != http.MethodGet && method != http.MethodHead || contentLength(h) > 0
}

// contentLength is the Content-Length header's value, or -1 (unknown) when
// it is missing or not a non-negative decimal number. A missing header is
// the common case (GET) and returns before ParseInt: its *NumError would be
// two allocations on every such request.
func contentLength(h http.Header) int64 {
	v := headerValue(h, "Content-Length")
	if v == "" {
		return -1
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return -1
	}
	return n
}

// standardMethods lists the methods WASI names, in the order of the cases
// of wasi:http's `method` variant (the same in WASI 0.2 and 0.3); any other
// method is the `other` case.
var standardMethods = [...]string{
	http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodDelete,
	http.MethodConnect, http.MethodOptions, http.MethodTrace, http.MethodPatch,
}

// methodName is the Go name of a WASI method case.
func methodName(tag uint8, other func() string) string {
	if int(tag) < len(standardMethods) {
		return standardMethods[tag]
	}
	return other()
}

// wasiScheme is the scheme variant of WASI 0.2 and 0.3 alike.
type wasiScheme interface {
	Tag() uint8
	Other() string
}

// schemeOf names the scheme a host gives for a request; "" when it gives
// none.
func schemeOf[S wasiScheme](s witypes.Option[S]) string {
	if s.IsNone() {
		return ""
	}
	return schemeName(s.Some().Tag(), s.Some().Other)
}

// schemeName names a WASI scheme from its case (http, https, other, in
// WIT order, the same in WASI 0.2 and 0.3) and the other case's text.
func schemeName(tag uint8, other func() string) string {
	switch tag {
	case 0:
		return "http"
	case 1:
		return "https"
	}
	return strings.ToLower(other())
}

// methodCase returns the WASI case index of a Go method, or -1 for `other`.
func methodCase(m string) int {
	if m == "" {
		return 0
	}
	for i, s := range standardMethods {
		if s == m {
			return i
		}
	}
	return -1
}

func headerNames(pairs [][2]string) []string {
	var names []string
	for _, kv := range pairs {
		names = append(names, kv[0])
	}
	return names
}

// tlsState marks a request that arrived over HTTPS.
func tlsState(host string) *tls.ConnectionState {
	return &tls.ConnectionState{HandshakeComplete: true, ServerName: host}
}
