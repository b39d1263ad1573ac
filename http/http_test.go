package spinhttp

import (
	"io"
	"net/http"
	"net/textproto"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	witypes "go.bytecodealliance.org/pkg/wit/types"
)

func TestMethods(t *testing.T) {
	for i, m := range standardMethods {
		assert.Equal(t, m, methodName(uint8(i), func() string { return "unused" }))
		assert.Equal(t, i, methodCase(m))
	}
	assert.Equal(t, "PURGE", methodName(9, func() string { return "PURGE" }))
	assert.Equal(t, -1, methodCase("PURGE"))
	assert.Equal(t, "http", schemeName(0, nil))
	assert.Equal(t, "https", schemeName(1, nil))
	assert.Equal(t, "ftp", schemeName(2, func() string { return "FTP" }))
	assert.Equal(t, "", schemeOf(witypes.None[testScheme]()), "no scheme from the host")
	assert.Equal(t, "https", schemeOf(witypes.Some(testScheme{tag: 1})))
	assert.Equal(t, "ws", schemeOf(witypes.Some(testScheme{tag: 2, other: "WS"})))
	assert.Equal(t, 0, methodCase(""), "an empty method is GET, as in net/http")
}

func TestNewRequest(t *testing.T) {
	h := http.Header{}
	h.Set(HeaderFullURL, "https://example.com:8080/shop/users/1/edit?theme=pink")
	h.Set(HeaderClientAddr, "10.0.0.1:5555")
	h.Set("Content-Length", "5")
	h.Set("Trailer", "X-Sum, x-other")
	body := io.NopCloser(strings.NewReader("hello"))
	noParts := func() (string, string, string) {
		t.Error("the URL's parts were asked of the host although spin-full-url has them")
		return "", "", ""
	}
	r, err := newRequest(incoming{method: "PATCH", parts: noParts, header: h, body: body,
		trailers: func() http.Header { return http.Header{"X-Sum": {"42"}} }})
	require.NoError(t, err)
	assert.Equal(t, "PATCH", r.Method)
	assert.Equal(t, "https://example.com:8080/shop/users/1/edit?theme=pink", r.URL.String())
	assert.Equal(t, "example.com:8080", r.Host)
	assert.Equal(t, "/shop/users/1/edit?theme=pink", r.RequestURI)
	assert.Equal(t, "10.0.0.1:5555", r.RemoteAddr)
	require.NotNil(t, r.TLS)
	assert.Equal(t, "example.com", r.TLS.ServerName)
	assert.Equal(t, int64(5), r.ContentLength)
	assert.Contains(t, r.Trailer, "X-Sum")
	assert.Contains(t, r.Trailer, "X-Other")
	b, err := io.ReadAll(r.Body)
	require.NoError(t, err)
	assert.Equal(t, "hello", string(b))
	assert.Equal(t, "42", r.Trailer.Get("X-Sum"), "trailers arrive at EOF")

	// Without spin-full-url the URL comes from scheme, authority and path.
	// An unknown scheme ("") is http.
	parts := func(scheme, authority, pathQuery string) func() (string, string, string) {
		return func() (string, string, string) { return scheme, authority, pathQuery }
	}
	r, err = newRequest(incoming{method: "GET", parts: parts("", "localhost:3000", "/a?b=c"), header: http.Header{},
		body: http.NoBody, trailers: func() http.Header { return nil }})
	require.NoError(t, err)
	assert.Equal(t, "http://localhost:3000/a?b=c", r.URL.String())
	assert.Equal(t, "localhost:3000", r.Host)
	assert.Equal(t, "/a?b=c", r.RequestURI)
	assert.Nil(t, r.TLS)
	assert.Nil(t, r.Trailer, "no trailers announced: nil, as in net/http")
	r, err = newRequest(incoming{method: "GET", parts: parts("https", "localhost:3000", ""), header: http.Header{},
		body: http.NoBody, trailers: func() http.Header { return nil }})
	require.NoError(t, err)
	assert.Equal(t, "https://localhost:3000/", r.URL.String())
	assert.Equal(t, "/", r.RequestURI)
	assert.NotNil(t, r.TLS)
	assert.Equal(t, int64(-1), r.ContentLength)

	// A spin-full-url of another shape: the parts come from the host.
	h = http.Header{}
	h.Set(HeaderFullURL, "not a URL")
	r, err = newRequest(incoming{method: "GET", parts: parts("http", "h:1", "/x"), header: h,
		body: http.NoBody, trailers: func() http.Header { return nil }})
	require.NoError(t, err)
	assert.Equal(t, "http://h:1/x", r.URL.String())
}

func TestSplitFullURL(t *testing.T) {
	for _, c := range []struct {
		full, authority, pathQuery string
		ok                         bool
	}{
		{"http://localhost:3000/a/b?c=d", "localhost:3000", "/a/b?c=d", true},
		{"https://[::1]:8443/%2Fraw//path", "[::1]:8443", "/%2Fraw//path", true},
		{"http://example.com", "example.com", "/", true},
		{"http://example.com?q=1", "example.com", "/?q=1", true},
		{"http://h/%zz", "h", "/%zz", true}, // url.Parse rejects it later, with the URL in the error
		{"/just/a/path", "", "", false},
		{"", "", "", false},
	} {
		authority, pathQuery, ok := splitFullURL(c.full)
		assert.Equal(t, c.ok, ok, c.full)
		assert.Equal(t, c.authority, authority, c.full)
		assert.Equal(t, c.pathQuery, pathQuery, c.full)
	}
}

func TestResponseTrailersAndWireHeaders(t *testing.T) {
	h := http.Header{}
	h.Set("Trailer", "X-Count")
	h.Set("Content-Type", "text/plain")
	h.Set("Connection", "close")
	announced := announcedTrailers(h)
	assert.Equal(t, []string{"X-Count"}, announced)
	h.Set("X-Count", "3")
	h.Set(http.TrailerPrefix+"X-Late", "yes")
	assert.Equal(t, http.Header{"X-Count": {"3"}, "X-Late": {"yes"}}, responseTrailers(h, announced))
	assert.Nil(t, responseTrailers(http.Header{"Content-Type": {"text/plain"}}, nil), "no trailers, no map")
	wire := wireHeaders(h)
	for _, kv := range wire {
		assert.NotEqual(t, "connection", kv[0], "hop-by-hop headers are left to the host")
		assert.False(t, strings.HasPrefix(kv[0], strings.ToLower(http.TrailerPrefix)))
	}
	assert.Contains(t, wire, [2]string{"content-type", "text/plain"})
}

func TestHeaderBuilder(t *testing.T) {
	for _, name := range []string{HeaderFullURL, HeaderPathInfo, HeaderMatchedRoute, HeaderRawComponentRoute,
		HeaderComponentRoute, HeaderBasePath, HeaderClientAddr, "user-agent", "accept", "accept-encoding",
		"content-type", "content-length", "x-custom-thing", "www-authenticate", "bad name"} {
		assert.Equal(t, textproto.CanonicalMIMEHeaderKey(name), canonicalKey(name), name)
	}
	for _, name := range []string{"Content-Type", "Content-Length", "Cache-Control", "Location", "Set-Cookie", "X-Other"} {
		assert.Equal(t, strings.ToLower(name), wireName(name))
	}

	b := newHeaderBuilder(5)
	b.add("accept", []byte("text/html"))
	b.add("x-multi", []byte("1"))
	b.add("spin-full-url", []byte("http://localhost/"))
	b.add("x-multi", []byte("2"))
	b.add("x-last", []byte("z"))
	assert.Equal(t, http.Header{
		"Accept":        {"text/html"},
		"X-Multi":       {"1", "2"},
		"Spin-Full-Url": {"http://localhost/"},
		"X-Last":        {"z"},
	}, b.h)
	b.h["Accept"] = append(b.h["Accept"], "more")
	assert.Equal(t, []string{"1", "2"}, b.h["X-Multi"], "an append to one header leaves the others alone")
	assert.Equal(t, []string{"http://localhost/"}, b.h["Spin-Full-Url"])
}

func TestMayHaveBody(t *testing.T) {
	for _, c := range []struct {
		method, length string
		want           bool
	}{
		{"GET", "", false},
		{"HEAD", "", false},
		{"GET", "0", false},
		{"GET", "12", true},
		{"POST", "", true},
		{"POST", "0", true},
		{"DELETE", "", true},
		{"PURGE", "", true},
	} {
		h := http.Header{}
		if c.length != "" {
			h.Set("Content-Length", c.length)
		}
		assert.Equal(t, c.want, mayHaveBody(c.method, h), "%s with Content-Length %q", c.method, c.length)
	}
}

// testScheme stands in for the generated WASI scheme variant.
type testScheme struct {
	tag   uint8
	other string
}

func (s testScheme) Tag() uint8    { return s.tag }
func (s testScheme) Other() string { return s.other }
