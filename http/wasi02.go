//go:build wasip1 && spin_wasi02

package spinhttp

import (
	"fmt"
	"io"
	"net/http"
	"strings"

	handlerexp "github.com/spin-go/sdk/exports/fermyon_spin_http_trigger_3_0_0/export_wasi_http_0_2_0_incoming_handler"
	_ "github.com/spin-go/sdk/exports/fermyon_spin_http_trigger_3_0_0/wit_exports"
	types "github.com/spin-go/sdk/imports/wasi_http_0_2_0_types"
	streams "github.com/spin-go/sdk/imports/wasi_io_0_2_0_streams"
	witypes "go.bytecodealliance.org/pkg/wit/types"
)

// This file implements the package on WASI 0.2 (Spin 3): the handler is
// the synchronous export wasi:http/incoming-handler@0.2.0#handle, bodies
// are wasi:io streams written in blocking chunks.

func init() {
	handlerexp.Exports.Handle = handle02
}

// maxWrite is the most blocking-write-and-flush accepts at once.
const maxWrite = 4096

func handle02(req *types.IncomingRequest, out *types.ResponseOutparam) {
	in, err := incoming02(req)
	if err != nil {
		types.ResponseOutparamSet(out, witypes.Err[*types.OutgoingResponse](types.MakeErrorCodeInternalError(witypes.Some(err.Error()))))
		return
	}
	r, err := newRequest(in)
	if err != nil {
		types.ResponseOutparamSet(out, witypes.Err[*types.OutgoingResponse](types.MakeErrorCodeInternalError(witypes.Some(err.Error()))))
		return
	}
	w := &responseWriter02{header: http.Header{}, out: out}
	defer in.body.Close()
	serveAndFinish(w, r)
}

func incoming02(req *types.IncomingRequest) (incoming, error) {
	in := incoming{
		method: method02(req.Method()),
		header: header02(req.Headers()),
		parts: func() (string, string, string) {
			return schemeOf(req.Scheme()), req.Authority().SomeOr(""), req.PathWithQuery().SomeOr("/")
		},
	}
	body := req.Consume()
	if body.IsErr() {
		return in, fmt.Errorf("spinhttp: the request body was already consumed")
	}
	in.body, in.trailers = bodyStream02(body.Ok())
	return in, nil
}

// bodyStream02 reads an incoming body and returns a function that yields
// its trailers once the body is done.
func bodyStream02(b *types.IncomingBody) (io.ReadCloser, func() http.Header) {
	s := b.Stream()
	r := &inputReader{body: b}
	if s.IsOk() {
		r.stream = s.Ok()
	}
	return r, func() http.Header { return r.trailers() }
}

type inputReader struct {
	body    *types.IncomingBody
	stream  *streams.InputStream
	eof     bool
	trailer http.Header
}

func (r *inputReader) Read(p []byte) (int, error) {
	if r.eof || r.stream == nil {
		return 0, io.EOF
	}
	res := r.stream.BlockingRead(uint64(len(p)))
	if res.IsErr() {
		r.eof = true
		if res.Err().Tag() == streams.StreamErrorClosed {
			return 0, io.EOF
		}
		return 0, fmt.Errorf("spinhttp: reading the body failed")
	}
	return copy(p, res.Ok()), nil
}

func (r *inputReader) Close() error {
	r.eof = true
	return nil
}

// trailers finishes the body and waits for its trailers.
func (r *inputReader) trailers() http.Header {
	if r.body == nil {
		return r.trailer
	}
	if r.stream != nil {
		r.stream.Drop()
		r.stream = nil
	}
	ft := types.IncomingBodyFinish(r.body)
	r.body = nil
	ft.Subscribe().Block()
	if got := ft.Get(); got.IsSome() && got.Some().IsOk() && got.Some().Ok().IsOk() && got.Some().Ok().Ok().IsSome() {
		t := got.Some().Ok().Ok().Some()
		r.trailer = header02(t)
		t.Drop()
	}
	return r.trailer
}

func method02(m types.Method) string { return methodName(m.Tag(), m.Other) }

func header02(f *types.Fields) http.Header {
	pairs := f.Entries()
	// In WASI 0.2 the fields are a child of their request or response,
	// which a host may refuse to drop while the child lives.
	f.Drop()
	b := newHeaderBuilder(len(pairs))
	for _, kv := range pairs {
		b.add(kv.F0, kv.F1)
	}
	return b.h
}

func fields02(pairs [][2]string) (*types.Fields, error) {
	res := types.FieldsFromList(fieldList(pairs))
	if res.IsErr() {
		return nil, fmt.Errorf("spinhttp: the host refused the headers %v", headerNames(pairs))
	}
	return res.Ok(), nil
}

// writeAll writes p to a wasi:io output stream in chunks it accepts.
func writeAll(s *streams.OutputStream, p []byte) error {
	for len(p) > 0 {
		n := min(len(p), maxWrite)
		if res := s.BlockingWriteAndFlush(p[:n]); res.IsErr() {
			return fmt.Errorf("spinhttp: writing the body failed")
		}
		p = p[n:]
	}
	return nil
}

type responseWriter02 struct {
	header      http.Header
	wroteHeader bool
	status      int
	announced   []string
	out         *types.ResponseOutparam
	body        *types.OutgoingBody
	stream      *streams.OutputStream
}

func (w *responseWriter02) Header() http.Header { return w.header }

func (w *responseWriter02) WriteHeader(code int) {
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
	fields, err := fields02(wireHeaders(w.header))
	if err != nil {
		logf("%v", err)
		types.ResponseOutparamSet(w.out, witypes.Err[*types.OutgoingResponse](types.MakeErrorCodeInternalError(witypes.Some(err.Error()))))
		return
	}
	resp := types.MakeOutgoingResponse(fields)
	if code != http.StatusOK { // outgoing-response starts at 200
		resp.SetStatusCode(uint16(code))
	}
	w.body = resp.Body().Ok()
	types.ResponseOutparamSet(w.out, witypes.Ok[*types.OutgoingResponse, types.ErrorCode](resp))
	w.stream = w.body.Write().Ok()
}

func (w *responseWriter02) Write(p []byte) (int, error) {
	if !w.wroteHeader {
		if w.header.Get("Content-Type") == "" {
			w.header.Set("Content-Type", http.DetectContentType(p))
		}
		w.WriteHeader(http.StatusOK)
	}
	if w.stream == nil {
		return 0, fmt.Errorf("spinhttp: the response could not be sent")
	}
	if err := writeAll(w.stream, p); err != nil {
		return 0, err
	}
	return len(p), nil
}

func (w *responseWriter02) Flush() {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
}

// headerSent reports whether the status and headers have gone.
func (w *responseWriter02) headerSent() bool { return w.wroteHeader }

func (w *responseWriter02) finish(panicked bool) {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	if w.body == nil {
		return
	}
	if w.stream != nil {
		w.stream.Drop()
	}
	trailers := witypes.None[*types.Trailers]()
	if t := responseTrailers(w.header, w.announced); len(t) > 0 && !panicked {
		var pairs [][2]string
		for k, vs := range t {
			for _, v := range vs {
				pairs = append(pairs, [2]string{strings.ToLower(k), v})
			}
		}
		if f, err := fields02(pairs); err == nil {
			trailers = witypes.Some(f)
		} else {
			logf("%v", err)
		}
	}
	types.OutgoingBodyFinish(w.body, trailers)
}

var _ http.Flusher = (*responseWriter02)(nil)
