//go:build wasip1 && !spin_wasi02

package spinhttp

import (
	"fmt"
	"io"
	"net/http"
	"strings"

	handlerexp "github.com/spin-go/sdk/exports/spin_up_http_trigger_4_0_0/export_wasi_http_0_3_0_rc_2026_03_15_handler"
	_ "github.com/spin-go/sdk/exports/spin_up_http_trigger_4_0_0/wit_exports"
	types "github.com/spin-go/sdk/imports/wasi_http_0_3_0_rc_2026_03_15_types"
	witypes "go.bytecodealliance.org/pkg/wit/types"
)

// This file implements the package on WASI 0.3 (Spin 4): the handler is
// the async export wasi:http/handler@0.3.0-rc-2026-03-15#handle; bodies are
// component-model streams and trailers futures.

func init() {
	handlerexp.Exports.Handle = handle03
}

type httpResult = witypes.Result[*types.Response, types.ErrorCode]

// handle03 runs the user's handler in a goroutine and returns the response
// as soon as its headers are known; the body keeps streaming after. The
// request is taken apart on that goroutine too (see runHandler).
func handle03(req *types.Request) httpResult {
	result := make(chan httpResult, 1)
	runHandler(func() { serve03(req, result) })
	return <-result
}

// serve03 serves one request; the response goes to result once its headers
// are known.
func serve03(req *types.Request, result chan httpResult) {
	in, err := incoming03(req)
	if err != nil {
		result <- errResult(err)
		return
	}
	r, err := newRequest(in)
	if err != nil {
		in.body.Close()
		result <- errResult(err)
		return
	}
	w := &responseWriter03{header: http.Header{}, result: result}
	// As net/http does, close the request body when the handler is done:
	// that also tells the host the body was consumed (the consume-body
	// future must be written before it is dropped).
	defer in.body.Close()
	serveAndFinish(w, r)
}

func errResult(err error) httpResult {
	logf("%v", err)
	return witypes.Err[*types.Response](types.MakeErrorCodeInternalError(witypes.Some(err.Error())))
}

// idleWorker hands a request to a goroutine that finished an earlier one.
// Spin reuses a WASI 0.3 instance for many requests, and a goroutine that
// has served one has already grown its stack to what a request needs; a new
// goroutine starts small and grows by copying its stack, which looks up
// every frame's stack map, on each request. (The export's own goroutine,
// new per call, only waits.)
var idleWorker = make(chan func())

// runHandler runs f on an idle worker goroutine, or on a new one.
func runHandler(f func()) {
	select {
	case idleWorker <- f:
	default:
		go func() {
			for {
				f()
				f = <-idleWorker
			}
		}()
	}
}

// incoming03 takes a WASI request apart.
func incoming03(req *types.Request) (incoming, error) {
	in := incoming{
		method: method03(req.GetMethod()),
		header: header03(req.GetHeaders()),
		parts: func() (string, string, string) {
			return schemeOf(req.GetScheme()), req.GetAuthority().SomeOr(""), req.GetPathWithQuery().SomeOr("/")
		},
	}
	body := &requestBody{req: req, dropUnread: mayHaveBody(in.method, in.header)}
	in.body = body
	in.trailers = body.readTrailers
	return in, nil
}

// requestBody asks the host for the request body on the first Read. Most
// handlers of GET requests never read it: they save the consume-body call,
// its stream and two futures, host calls on every request.
type requestBody struct {
	req  *types.Request // until consumed
	body *bodyReader
	// dropUnread: Close drops a request whose body was never read, so that
	// the host can discard the body at once. A GET or HEAD without a
	// Content-Length has none to discard; its request is left to the
	// handle's GC cleanup, which saves a host call on most requests.
	dropUnread bool
	trailers   *witypes.FutureReader[witypes.Result[witypes.Option[*types.Trailers], types.ErrorCode]]
	closed     bool
}

func (b *requestBody) Read(p []byte) (int, error) {
	if b.body == nil {
		if b.closed {
			return 0, io.EOF
		}
		doneTx, doneRx := types.MakeFutureResultUnitErrorCode()
		stream, trailers := types.RequestConsumeBody(b.req, doneRx)
		b.req, b.body, b.trailers = nil, &bodyReader{stream: stream, done: doneTx}, trailers
	}
	return b.body.Read(p)
}

// Close ends the body; a body never read leaves the request to be dropped.
func (b *requestBody) Close() error {
	b.closed = true
	if b.body != nil {
		return b.body.Close()
	}
	if b.req != nil && b.dropUnread {
		b.req.Drop()
	}
	b.req = nil
	return nil
}

// readTrailers returns the request trailers once the body reached EOF.
func (b *requestBody) readTrailers() http.Header {
	if b.trailers == nil {
		return nil
	}
	return readTrailers(b.trailers)
}

func method03(m types.Method) string { return methodName(m.Tag(), m.Other) }

// methodCtors03 builds the standard cases, in standardMethods order.
var methodCtors03 = [...]func() types.Method{
	types.MakeMethodGet, types.MakeMethodHead, types.MakeMethodPost, types.MakeMethodPut, types.MakeMethodDelete,
	types.MakeMethodConnect, types.MakeMethodOptions, types.MakeMethodTrace, types.MakeMethodPatch,
}

func toMethod03(m string) types.Method {
	if i := methodCase(m); i >= 0 {
		return methodCtors03[i]()
	}
	return types.MakeMethodOther(m)
}

func header03(f *types.Fields) http.Header {
	// The handle is left to its GC cleanup: dropping it now would cost a
	// host call on every request (about 11 µs under jco), and in WASI 0.3
	// it is a copy, not a child that the request's consumption waits for.
	pairs := f.CopyAll()
	b := newHeaderBuilder(len(pairs))
	for _, kv := range pairs {
		b.add(kv.F0, kv.F1)
	}
	return b.h
}

// fields03 converts headers to WASI fields; names the host refuses are an
// error naming the header.
func fields03(pairs [][2]string) (*types.Fields, error) {
	res := types.FieldsFromList(fieldList(pairs))
	if res.IsErr() {
		return nil, fmt.Errorf("spinhttp: the host refused the headers %v: %s", headerNames(pairs), headerError(res.Err()))
	}
	return res.Ok(), nil
}

func headerError(e types.HeaderError) string {
	switch e.Tag() {
	case types.HeaderErrorInvalidSyntax:
		return "invalid syntax"
	case types.HeaderErrorForbidden:
		return "forbidden header"
	case types.HeaderErrorImmutable:
		return "immutable"
	case types.HeaderErrorSizeExceeded:
		return "too large"
	}
	return e.Other().SomeOr("unknown error")
}

func readTrailers(f *witypes.FutureReader[witypes.Result[witypes.Option[*types.Trailers], types.ErrorCode]]) http.Header {
	res := f.Read()
	if res.IsErr() || res.Ok().IsNone() {
		return nil
	}
	t := res.Ok().Some()
	defer t.Drop()
	return header03(t)
}

// bodyReader reads a WASI byte stream as an io.ReadCloser.
type bodyReader struct {
	stream *witypes.StreamReader[uint8]
	done   *witypes.FutureWriter[witypes.Result[witypes.Unit, types.ErrorCode]]
	closed bool
}

func (b *bodyReader) Read(p []byte) (int, error) {
	if b.closed {
		return 0, io.EOF
	}
	if len(p) == 0 {
		return 0, nil
	}
	for {
		if b.stream.WriterDropped() {
			b.finish()
			return 0, io.EOF
		}
		if n := b.stream.Read(p); n > 0 {
			return int(n), nil
		}
	}
}

func (b *bodyReader) finish() {
	if b.closed {
		return
	}
	b.closed = true
	b.stream.Drop()
	if b.done != nil {
		done := b.done
		b.done = nil
		go done.Write(witypes.Ok[witypes.Unit, types.ErrorCode](witypes.Unit{}))
	}
}

func (b *bodyReader) Close() error {
	b.finish()
	return nil
}

// responseWriter03 implements http.ResponseWriter and http.Flusher.
type responseWriter03 struct {
	header      http.Header
	wroteHeader bool
	status      int
	announced   []string
	result      chan httpResult
	body        *witypes.StreamWriter[uint8]
	trailers    *witypes.FutureWriter[witypes.Result[witypes.Option[*types.Trailers], types.ErrorCode]]
}

func (w *responseWriter03) Header() http.Header { return w.header }

// WriteHeader sends the status and headers, as net/http does: once.
func (w *responseWriter03) WriteHeader(code int) {
	if w.wroteHeader {
		logf("superfluous WriteHeader(%d): the headers were already sent with status %d", code, w.status)
		return
	}
	if code < 100 || code > 999 {
		panic(fmt.Sprintf("invalid WriteHeader code %v", code))
	}
	w.wroteHeader = true
	w.status = code
	w.announced = announcedTrailers(w.header)
	fields, err := fields03(wireHeaders(w.header))
	if err != nil {
		w.result <- errResult(err)
		return
	}
	tx, rx := types.MakeStreamU8()
	trailersTx, trailersRx := types.MakeFutureResultOptionFieldsErrorCode()
	w.body, w.trailers = tx, trailersTx
	resp, sent := types.ResponseNew(fields, witypes.Some(rx), trailersRx)
	sent.Drop()
	// response.new starts at 200, so most responses need no second call.
	if code != http.StatusOK {
		if res := resp.SetStatusCode(uint16(code)); res.IsErr() {
			w.result <- errResult(fmt.Errorf("spinhttp: the host refused status code %d", code))
			return
		}
	}
	w.result <- witypes.Ok[*types.Response, types.ErrorCode](resp)
}

// Write sends body bytes, sending the headers first if needed (with a
// sniffed Content-Type, as net/http does).
func (w *responseWriter03) Write(p []byte) (int, error) {
	if !w.wroteHeader {
		if w.header.Get("Content-Type") == "" && w.header.Get("Transfer-Encoding") == "" {
			w.header.Set("Content-Type", http.DetectContentType(p))
		}
		w.WriteHeader(http.StatusOK)
	}
	if w.body == nil {
		return 0, fmt.Errorf("spinhttp: the response could not be sent")
	}
	if len(p) == 0 {
		return 0, nil
	}
	n := w.body.WriteAll(p)
	if int(n) < len(p) {
		return int(n), fmt.Errorf("spinhttp: the client went away after %d of %d bytes", n, len(p))
	}
	return len(p), nil
}

// Flush sends the headers if they have not gone yet; body writes are not
// buffered.
func (w *responseWriter03) Flush() {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
}

// headerSent reports whether the status and headers have gone.
func (w *responseWriter03) headerSent() bool { return w.wroteHeader }

// finish ends the response after the handler returned: headers if none
// were sent, end of body, then the trailers.
func (w *responseWriter03) finish(panicked bool) {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	if w.body != nil {
		w.body.Drop()
	}
	if w.trailers == nil {
		return
	}
	trailers := responseTrailers(w.header, w.announced)
	if len(trailers) == 0 || panicked {
		w.trailers.Write(witypes.Ok[witypes.Option[*types.Trailers], types.ErrorCode](witypes.None[*types.Trailers]()))
		return
	}
	var pairs [][2]string
	for k, vs := range trailers {
		for _, v := range vs {
			pairs = append(pairs, [2]string{strings.ToLower(k), v})
		}
	}
	f, err := fields03(pairs)
	if err != nil {
		logf("%v", err)
		w.trailers.Write(witypes.Ok[witypes.Option[*types.Trailers], types.ErrorCode](witypes.None[*types.Trailers]()))
		return
	}
	w.trailers.Write(witypes.Ok[witypes.Option[*types.Trailers], types.ErrorCode](witypes.Some(f)))
}

var _ http.Flusher = (*responseWriter03)(nil)
