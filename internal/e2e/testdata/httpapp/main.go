//go:build wasip1

// Command httpapp exercises spinhttp: it reports what a handler sees,
// echoes bodies and trailers, streams, panics and calls out.
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"sync/atomic"
	"time"

	spinhttp "github.com/spin-go/sdk/http"
)

func inspect(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	spin := map[string]string{}
	for _, h := range []string{spinhttp.HeaderFullURL, spinhttp.HeaderPathInfo, spinhttp.HeaderMatchedRoute,
		spinhttp.HeaderRawComponentRoute, spinhttp.HeaderComponentRoute, spinhttp.HeaderBasePath, spinhttp.HeaderClientAddr} {
		spin[h] = r.Header.Get(h)
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{
		"method": r.Method, "url": r.URL.String(), "path": r.URL.Path, "query": r.URL.RawQuery,
		"host": r.Host, "requestURI": r.RequestURI, "remoteAddr": r.RemoteAddr, "tls": r.TLS != nil,
		"contentLength": r.ContentLength, "body": string(body), "xTest": r.Header.Get("X-Test"),
		"trailer": r.Trailer.Get("X-Req-Trailer"), "spin": spin, "pathInfo": spinhttp.PathInfo(r),
		"env": os.Getenv("GREETING"),
	})
}

func main() {}

var served, sleeping atomic.Int64

func init() {
	mux := http.NewServeMux()
	mux.HandleFunc("/echo", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Trailer", "X-Echo-Bytes")
		n, _ := io.Copy(w, r.Body)
		w.Header().Set("X-Echo-Bytes", fmt.Sprint(n))
		w.Header().Set(http.TrailerPrefix+"X-Req-Trailer", r.Trailer.Get("X-Req-Trailer"))
	})
	mux.HandleFunc("/stream", func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i < 3; i++ {
			fmt.Fprintf(w, "part %d\n", i)
			w.(http.Flusher).Flush()
			time.Sleep(20 * time.Millisecond)
		}
	})
	mux.HandleFunc("/status", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Before", "yes")
		w.WriteHeader(http.StatusCreated)
		w.WriteHeader(http.StatusTeapot) // superfluous: logged, ignored
		w.Header().Set("X-After", "ignored")
		io.WriteString(w, "created")
	})
	mux.HandleFunc("/panic", func(w http.ResponseWriter, r *http.Request) {
		panic("boom")
	})
	// /instance counts the requests this instance has served: Spin reuses
	// WASI 0.3 instances, so package state outlives a request there.
	mux.HandleFunc("/instance", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, served.Add(1))
	})
	// /crash kills the instance: a panic outside the handler's goroutine
	// is fatal, which spinhttp cannot turn into a 500.
	mux.HandleFunc("/crash", func(w http.ResponseWriter, r *http.Request) {
		done := make(chan struct{})
		go func() { panic("crash") }()
		<-done
	})
	// /sleep answers after ms milliseconds: a request that is still in
	// flight while others run in the same instance. /sleeping counts the
	// sleepers in this instance.
	mux.HandleFunc("/sleep", func(w http.ResponseWriter, r *http.Request) {
		ms, _ := strconv.Atoi(r.URL.Query().Get("ms"))
		sleeping.Add(1)
		time.Sleep(time.Duration(ms) * time.Millisecond)
		sleeping.Add(-1)
		io.WriteString(w, "slept")
	})
	mux.HandleFunc("/sleeping", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, sleeping.Load())
	})
	// /exit ends the instance with os.Exit(code).
	mux.HandleFunc("/exit", func(w http.ResponseWriter, r *http.Request) {
		code, _ := strconv.Atoi(r.URL.Query().Get("code"))
		os.Exit(code)
	})
	mux.HandleFunc("/outbound", func(w http.ResponseWriter, r *http.Request) {
		get := http.Get
		if r.URL.Query().Get("client") == "new" {
			get = (&http.Client{}).Get // nil Transport: http.DefaultTransport
		}
		resp, err := get(r.URL.Query().Get("url"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		fmt.Fprintf(w, "%d %s", resp.StatusCode, b)
	})
	mux.HandleFunc("/post-out", func(w http.ResponseWriter, r *http.Request) {
		resp, err := spinhttp.Post(r.URL.Query().Get("url"), "text/plain", r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		fmt.Fprintf(w, "%d %s", resp.StatusCode, b)
	})
	mux.HandleFunc("/slow-out", func(w http.ResponseWriter, r *http.Request) {
		client := &http.Client{Timeout: 200 * time.Millisecond}
		start := time.Now()
		_, err := client.Get(r.URL.Query().Get("url"))
		var ne interface{ Timeout() bool }
		timeout := errors.As(err, &ne) && ne.Timeout()
		fmt.Fprintf(w, "err=%v timeout=%v fast=%v", err != nil, timeout, time.Since(start) < time.Second)
	})
	mux.HandleFunc("/", inspect)
	spinhttp.Serve(mux)
}
