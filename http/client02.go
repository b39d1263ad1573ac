//go:build wasip1 && spin_wasi02

package spinhttp

import (
	"fmt"
	"io"
	"net/http"
	"strconv"

	outgoing "github.com/spin-go/sdk/imports/wasi_http_0_2_0_outgoing_handler"
	types "github.com/spin-go/sdk/imports/wasi_http_0_2_0_types"
	witypes "go.bytecodealliance.org/pkg/wit/types"
)

// roundTrip sends a request through wasi:http/outgoing-handler@0.2.0. WASI
// 0.2 calls block, so the request body is written before the response is
// awaited.
func roundTrip(req *http.Request) (*http.Response, error) {
	if req.URL == nil || req.URL.Host == "" {
		return nil, fmt.Errorf("spinhttp: request URL %q has no host", req.URL)
	}
	var pairs [][2]string
	for _, kv := range wireHeaders(req.Header) {
		if kv[0] != "host" {
			pairs = append(pairs, kv)
		}
	}
	if req.ContentLength > 0 {
		pairs = append(pairs, [2]string{"content-length", strconv.FormatInt(req.ContentLength, 10)})
	}
	fields, err := fields02(pairs)
	if err != nil {
		return nil, err
	}
	wreq := types.MakeOutgoingRequest(fields)
	wreq.SetMethod(toMethod02(req.Method))
	switch req.URL.Scheme {
	case "https":
		wreq.SetScheme(witypes.Some(types.MakeSchemeHTTPS()))
	case "http", "":
		wreq.SetScheme(witypes.Some(types.MakeSchemeHTTP()))
	default:
		wreq.SetScheme(witypes.Some(types.MakeSchemeOther(req.URL.Scheme)))
	}
	wreq.SetAuthority(witypes.Some(req.URL.Host))
	wreq.SetPathWithQuery(witypes.Some(req.URL.RequestURI()))
	body := wreq.Body().Ok()
	res := outgoing.Handle(wreq, witypes.None[*types.RequestOptions]())
	if res.IsErr() {
		return nil, requestError02(req, res.Err())
	}
	stream := body.Write().Ok()
	if req.Body != nil && req.Body != http.NoBody {
		buf := make([]byte, maxWrite)
		for {
			n, rerr := req.Body.Read(buf)
			if n > 0 {
				if err := writeAll(stream, buf[:n]); err != nil {
					return nil, err
				}
			}
			if rerr != nil {
				break
			}
		}
		req.Body.Close()
	}
	stream.Drop()
	types.OutgoingBodyFinish(body, witypes.None[*types.Trailers]())
	future := res.Ok()
	future.Subscribe().Block()
	got := future.Get()
	if got.IsNone() || got.Some().IsErr() {
		return nil, fmt.Errorf("spinhttp: %s %s: no response", req.Method, req.URL.Redacted())
	}
	if got.Some().Ok().IsErr() {
		return nil, requestError02(req, got.Some().Ok().Err())
	}
	wresp := got.Some().Ok().Ok()
	resp := &http.Response{
		Status:     fmt.Sprintf("%d %s", wresp.Status(), http.StatusText(int(wresp.Status()))),
		StatusCode: int(wresp.Status()),
		Proto:      "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header:  header02(wresp.Headers()),
		Request: req,
		Trailer: http.Header{},
	}
	resp.ContentLength = contentLength(resp.Header)
	rb, trailers := bodyStream02(wresp.Consume().Ok())
	resp.Body = &trailerReader02{ReadCloser: rb, trailer: &resp.Trailer, trailers: trailers}
	return resp, nil
}

type trailerReader02 struct {
	io.ReadCloser
	trailer  *http.Header // not the *http.Response: see trailerBody
	trailers func() http.Header
}

func (r *trailerReader02) Read(p []byte) (int, error) {
	n, err := r.ReadCloser.Read(p)
	if err == io.EOF && r.trailers != nil {
		setTrailers(r.trailer, r.trailers())
		r.trailers = nil
	}
	return n, err
}

// methodCtors02 builds the standard cases, in standardMethods order.
var methodCtors02 = [...]func() types.Method{
	types.MakeMethodGet, types.MakeMethodHead, types.MakeMethodPost, types.MakeMethodPut, types.MakeMethodDelete,
	types.MakeMethodConnect, types.MakeMethodOptions, types.MakeMethodTrace, types.MakeMethodPatch,
}

func toMethod02(m string) types.Method {
	if i := methodCase(m); i >= 0 {
		return methodCtors02[i]()
	}
	return types.MakeMethodOther(m)
}

func requestError02(req *http.Request, code types.ErrorCode) error {
	switch code.Tag() {
	case types.ErrorCodeHTTPRequestDenied:
		return fmt.Errorf("spinhttp: %s %s denied: %s://%s is not in allowed_outbound_hosts", req.Method, req.URL.Redacted(), req.URL.Scheme, req.URL.Host)
	case types.ErrorCodeConnectionRefused:
		return fmt.Errorf("spinhttp: %s %s: connection refused", req.Method, req.URL.Redacted())
	case types.ErrorCodeInternalError:
		return fmt.Errorf("spinhttp: %s %s: %s", req.Method, req.URL.Redacted(), code.InternalError().SomeOr("internal error"))
	}
	return fmt.Errorf("spinhttp: %s %s failed (wasi:http error case %d)", req.Method, req.URL.Redacted(), code.Tag())
}
