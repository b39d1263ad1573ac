//go:build wasip1 && !spin_wasi02

package spinhttp

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	client "github.com/spin-go/sdk/imports/wasi_http_0_3_0_rc_2026_03_15_client"
	types "github.com/spin-go/sdk/imports/wasi_http_0_3_0_rc_2026_03_15_types"
	witypes "go.bytecodealliance.org/pkg/wit/types"
)

// roundTrip sends a request through wasi:http/client@0.3.0-rc-2026-03-15.
// The request body streams from a goroutine; the response body streams as
// it is read. Cancelling the request's context returns ctx.Err() at once.
func roundTrip(req *http.Request) (*http.Response, error) {
	if req.URL == nil || req.URL.Host == "" {
		return nil, fmt.Errorf("spinhttp: request URL %q has no host", req.URL)
	}
	headers := http.Header{}
	for k, v := range req.Header {
		headers[k] = v
	}
	if req.Host != "" && req.Host != req.URL.Host {
		headers.Set("Host", req.Host)
	}
	var pairs [][2]string
	for _, kv := range wireHeaders(headers) {
		if kv[0] == "host" {
			continue
		}
		pairs = append(pairs, kv)
	}
	if req.ContentLength > 0 {
		pairs = append(pairs, [2]string{"content-length", strconv.FormatInt(req.ContentLength, 10)})
	}
	fields, err := fields03(pairs)
	if err != nil {
		return nil, err
	}
	trailersTx, trailersRx := types.MakeFutureResultOptionFieldsErrorCode()
	contents := witypes.None[*witypes.StreamReader[uint8]]()
	var bodyTx *witypes.StreamWriter[uint8]
	if req.Body != nil && req.Body != http.NoBody {
		tx, rx := types.MakeStreamU8()
		bodyTx, contents = tx, witypes.Some(rx)
	}
	options := witypes.None[*types.RequestOptions]()
	if deadline, ok := req.Context().Deadline(); ok {
		o := types.MakeRequestOptions()
		d := uint64(time.Until(deadline).Nanoseconds())
		o.SetConnectTimeout(witypes.Some(d))
		o.SetFirstByteTimeout(witypes.Some(d))
		options = witypes.Some(o)
	}
	wreq, sent := types.RequestNew(fields, contents, trailersRx, options)
	wreq.SetMethod(toMethod03(req.Method))
	scheme := types.MakeSchemeHTTP()
	switch req.URL.Scheme {
	case "https":
		scheme = types.MakeSchemeHTTPS()
	case "http", "":
	default:
		scheme = types.MakeSchemeOther(req.URL.Scheme)
	}
	wreq.SetScheme(witypes.Some(scheme))
	wreq.SetAuthority(witypes.Some(req.URL.Host))
	wreq.SetPathWithQuery(witypes.Some(req.URL.RequestURI()))

	go func() {
		// Stream the request body, then its trailers.
		if bodyTx != nil {
			copyToStream(bodyTx, req.Body)
			bodyTx.Drop()
			req.Body.Close()
		}
		trailersTx.Write(witypes.Ok[witypes.Option[*types.Trailers], types.ErrorCode](trailers03(req.Trailer)))
		sent.Drop()
	}()

	type outcome struct {
		resp witypes.Result[*types.Response, types.ErrorCode]
	}
	done := make(chan outcome, 1)
	go func() { done <- outcome{client.Send(wreq)} }()
	var res witypes.Result[*types.Response, types.ErrorCode]
	select {
	case o := <-done:
		res = o.resp
	case <-req.Context().Done():
		return nil, req.Context().Err()
	}
	if res.IsErr() {
		return nil, requestError(req, res.Err())
	}
	wresp := res.Ok()
	resp := &http.Response{
		Status:     fmt.Sprintf("%d %s", wresp.GetStatusCode(), http.StatusText(int(wresp.GetStatusCode()))),
		StatusCode: int(wresp.GetStatusCode()),
		Proto:      "HTTP/1.1",
		ProtoMajor: 1,
		ProtoMinor: 1,
		Header:     header03(wresp.GetHeaders()),
		Request:    req,
		Trailer:    http.Header{},
	}
	resp.ContentLength = contentLength(resp.Header)
	doneTx, doneRx := types.MakeFutureResultUnitErrorCode()
	body, trailers := types.ResponseConsumeBody(wresp, doneRx)
	resp.Body = &responseBody{bodyReader: bodyReader{stream: body, done: doneTx}, trailer: &resp.Trailer, trailers: trailers, ctx: req.Context()}
	return resp, nil
}

// copyToStream writes r into a WASI stream in 64 KiB chunks.
func copyToStream(w *witypes.StreamWriter[uint8], r io.Reader) {
	buf := make([]byte, 64<<10)
	for {
		n, err := r.Read(buf)
		if n > 0 && int(w.WriteAll(buf[:n])) < n {
			return // the reader went away
		}
		if err != nil {
			return
		}
	}
}

func trailers03(h http.Header) witypes.Option[*types.Trailers] {
	if len(h) == 0 {
		return witypes.None[*types.Trailers]()
	}
	var pairs [][2]string
	for k, vs := range h {
		for _, v := range vs {
			pairs = append(pairs, [2]string{strings.ToLower(k), v})
		}
	}
	f, err := fields03(pairs)
	if err != nil {
		logf("%v", err)
		return witypes.None[*types.Trailers]()
	}
	return witypes.Some(f)
}

// responseBody fills Response.Trailer at EOF and stops at cancellation.
type responseBody struct {
	bodyReader
	trailer  *http.Header // not the *http.Response: see trailerBody
	trailers *witypes.FutureReader[witypes.Result[witypes.Option[*types.Trailers], types.ErrorCode]]
	ctx      context.Context
}

func (b *responseBody) Read(p []byte) (int, error) {
	if err := b.ctx.Err(); err != nil {
		b.finish()
		return 0, err
	}
	n, err := b.bodyReader.Read(p)
	if err == io.EOF && b.trailers != nil {
		setTrailers(b.trailer, readTrailers(b.trailers))
		b.trailers = nil
	}
	return n, err
}

// requestError turns a WASI error code into a Go error that names the
// request; a denied request says which host is not allowed.
func requestError(req *http.Request, code types.ErrorCode) error {
	switch code.Tag() {
	case types.ErrorCodeHTTPRequestDenied:
		return fmt.Errorf("spinhttp: %s %s denied: %s://%s is not in allowed_outbound_hosts", req.Method, req.URL.Redacted(), req.URL.Scheme, req.URL.Host)
	case types.ErrorCodeDNSError, types.ErrorCodeDNSTimeout:
		return fmt.Errorf("spinhttp: %s %s: cannot resolve %s", req.Method, req.URL.Redacted(), req.URL.Hostname())
	case types.ErrorCodeConnectionRefused:
		return fmt.Errorf("spinhttp: %s %s: connection refused", req.Method, req.URL.Redacted())
	case types.ErrorCodeConnectionTimeout, types.ErrorCodeConnectionReadTimeout, types.ErrorCodeHTTPResponseTimeout:
		return fmt.Errorf("spinhttp: %s %s: timeout", req.Method, req.URL.Redacted())
	case types.ErrorCodeInternalError:
		return fmt.Errorf("spinhttp: %s %s: %s", req.Method, req.URL.Redacted(), code.InternalError().SomeOr("internal error"))
	}
	return fmt.Errorf("spinhttp: %s %s failed (wasi:http error case %d)", req.Method, req.URL.Redacted(), code.Tag())
}
