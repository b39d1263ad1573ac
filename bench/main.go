// Command bench measures spin-go: component sizes with a breakdown, build
// time (cold and warm), cold start, the cost of a fresh instance on
// Wasmtime, throughput and latency through the local host, and peak guest
// memory while streaming. It prints one table
// and writes the raw numbers as JSON so that two runs can be compared.
//
//	go run ./bench [-runs 3] [-requests 200] [-warmup 1000] [-stream-mb 1024] [-optimize] [-json bench.json]
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/spin-go/sdk/internal/build"
	"github.com/spin-go/sdk/internal/toolchain"
)

// Stat is one figure: the median of its samples, with min and max.
type Stat struct {
	Name    string    `json:"name"`
	Unit    string    `json:"unit"`
	Median  float64   `json:"median"`
	Min     float64   `json:"min"`
	Max     float64   `json:"max"`
	Samples []float64 `json:"samples"`
	Note    string    `json:"note,omitempty"`
}

func stat(name, unit string, samples []float64, note string) Stat {
	s := append([]float64{}, samples...)
	sort.Float64s(s)
	return Stat{Name: name, Unit: unit, Median: s[len(s)/2], Min: s[0], Max: s[len(s)-1], Samples: samples, Note: note}
}

var (
	runs     = flag.Int("runs", 3, "samples per figure")
	requests = flag.Int("requests", 200, "requests per throughput run (a quarter of them for the 1 MB echo)")
	warmup   = flag.Int("warmup", 1000, "requests sent to a fresh host before its throughput runs (a twentieth of them for the 1 MB echo): V8 compiles wasm in tiers as it runs, Spin's wasmtime ahead of time")
	streamMB = flag.Int("stream-mb", 1024, "megabytes streamed through the echo for the memory figure")
	jsonOut  = flag.String("json", "", "also write the figures to this JSON file")
	optimize = flag.Bool("optimize", false, "also measure the spinhttp hello built with --optimize (wasm-opt -Oz, about 45 s)")
)

func main() {
	flag.Parse()
	root, err := filepath.Abs(".")
	check(err)
	if _, err := os.Stat(filepath.Join(root, "componentize-go.toml")); err != nil {
		fail("run from the repository root: go run ./bench")
	}
	var stats []Stat
	add := func(s Stat) {
		stats = append(stats, s)
		fmt.Fprintf(os.Stderr, "bench: %s = %.4g %s\n", s.Name, s.Median, s.Unit)
	}
	work, err := os.MkdirTemp("", "spin-go-bench-")
	check(err)
	defer os.RemoveAll(work)

	comps := map[string]string{}
	for _, ex := range []struct{ name, dir string }{
		{"raw-bindings hello", "examples/raw-hello"},
		{"spinhttp hello", "examples/hello"},
		{"spinhttp app (echo)", "internal/e2e/testdata/httpapp"},
		{"key-value counter", "examples/kv-counter"},
		{"SQLite pets API", "examples/sqlite-pets"},
	} {
		out := filepath.Join(work, strings.ReplaceAll(ex.name, " ", "-")+".wasm")
		core, debug := out+".core", out+".debug"
		buildOnce(filepath.Join(root, ex.dir), out, build.Options{})
		buildOnce(filepath.Join(root, ex.dir), core, build.Options{WASIP1: true})
		buildOnce(filepath.Join(root, ex.dir), debug, build.Options{WASIP1: true, Debug: true})
		comps[ex.name] = out
		add(stat("size: "+ex.name+" component", "bytes", []float64{size(out)}, ""))
		add(stat("size: "+ex.name+" core module", "bytes", []float64{size(core)}, "the Go part, built with -s -w"))
		add(stat("size: "+ex.name+" with --debug (core)", "bytes", []float64{size(debug)}, "name section and DWARF kept"))
		add(stat("  "+ex.name+" part: component wrapper and WASI preview1 adapter", "bytes", []float64{size(out) - size(core)}, ""))
		cats, pkgs := breakdown(debug)
		for _, c := range cats {
			add(stat("  "+ex.name+" part: "+c.name, "bytes", []float64{float64(c.bytes)}, "code bytes of the functions in it"))
		}
		if ex.name == "spinhttp hello" || ex.name == "key-value counter" {
			plain := out + ".plain"
			buildOnce(filepath.Join(root, ex.dir), plain, build.Options{NoSizePatches: true})
			add(stat("size: "+ex.name+" component with --no-size-patches", "bytes", []float64{size(plain)}, "the standard library as it is (internal/stdpatch off)"))
		}
		if ex.name == "spinhttp hello" && *optimize {
			opt := out + ".opt"
			secs := timed(func() { buildOnce(filepath.Join(root, ex.dir), opt, build.Options{Optimize: true}) })
			add(stat("size: "+ex.name+" component with --optimize", "bytes", []float64{size(opt)}, fmt.Sprintf("wasm-opt -Oz; the build took %.0f s", secs)))
		}
		if ex.name == "spinhttp hello" || ex.name == "raw-bindings hello" {
			for _, p := range pkgs[:min(12, len(pkgs))] {
				add(stat("  "+ex.name+" package: "+p.name, "bytes", []float64{float64(p.bytes)}, "code bytes"))
			}
		}
	}
	bare := filepath.Join(work, "bare.wasm")
	buildBare(work, bare)
	add(stat("size: bare Go wasip1 reactor (runtime only)", "bytes", []float64{size(bare)}, "a //go:wasmexport module with no bindings"))

	var cold, warm []float64
	for i := 0; i < *runs; i++ {
		os.Setenv("GOCACHE", filepath.Join(work, fmt.Sprint("gocache-", i)))
		cold = append(cold, timed(func() {
			buildOnce(filepath.Join(root, "examples/hello"), filepath.Join(work, "c.wasm"), build.Options{})
		}))
		os.Unsetenv("GOCACHE")
		warm = append(warm, timed(func() {
			buildOnce(filepath.Join(root, "examples/hello"), filepath.Join(work, "w.wasm"), build.Options{})
		}))
	}
	add(stat("build: spinhttp hello, cold (empty Go build cache)", "s", cold, ""))
	add(stat("build: spinhttp hello, warm", "s", warm, ""))

	tc, err := toolchain.Ensure(context.Background())
	check(err)
	for _, name := range []string{"raw-bindings hello", "spinhttp hello"} {
		var starts []float64
		for i := 0; i < *runs; i++ {
			h, d := startHost(tc, comps[name], work)
			starts = append(starts, d.Seconds()*1000)
			h.stop()
		}
		add(stat("cold start: "+name+" (host start to first answer)", "ms", starts, ""))
	}

	// The local host runs components on V8; Spin runs them on Wasmtime,
	// where a fresh instance costs something else (see bench/wasmtime).
	var cores []string
	names := []string{"raw-bindings hello", "spinhttp hello"}
	for _, name := range names {
		cores = append(cores, comps[name]+".core")
	}
	for i, t := range wasmtimeStarts(root, cores) {
		var total []float64
		for r := range t.Instantiate {
			total = append(total, t.Instantiate[r]+t.Initialize[r])
		}
		add(stat("fresh instance on Wasmtime: "+names[i]+" core module, instantiate", "µs", t.Instantiate, "median of 300 per run"))
		add(stat("fresh instance on Wasmtime: "+names[i]+" core module, _initialize", "µs", t.Initialize, "the Go runtime's start and the package initialisers"))
		add(stat("fresh instance on Wasmtime: "+names[i]+" core module, both", "µs", total, ""))
	}

	// Cases in one group are measured A/B: in each run, all their hosts
	// are started fresh and warmed, then measured one after the other (in
	// turn first), so that drift in the machine's speed falls on both
	// alike. Fresh hosts make the runs independent: how V8 happens to tier
	// up a module differs from one process to the next by several percent,
	// and one process per case would put that into every run.
	//
	// The host reuses a WASI 0.3 instance as Spin 4 does (up to 128
	// requests, 16 at once); the "fresh instance" cases instantiate one per
	// request, which is what Spin 3 and WASI 0.2 do, and so measure
	// instantiation and Go's runtime start as well.
	type tcase struct {
		name, comp, path string
		body             int
		hostArgs         []string
	}
	fresh := []string{"--max-instance-reuse-count", "1"}
	for _, group := range [][]tcase{
		{{"raw-bindings hello", "raw-bindings hello", "/", 0, nil}, {"spinhttp hello", "spinhttp hello", "/", 0, nil}},
		{{"raw-bindings hello, fresh instance per request", "raw-bindings hello", "/", 0, fresh},
			{"spinhttp hello, fresh instance per request", "spinhttp hello", "/", 0, fresh}},
		{{"1 MB echo", "spinhttp app (echo)", "/echo", 1 << 20, nil}},
	} {
		for _, conc := range []int{1, 16} {
			hosts := make([]*host, len(group))
			rps := make([][]float64, len(group))
			lat := make([][]float64, len(group))
			// A 1 MB echo costs as much as tens of hellos, and a fresh
			// instance per request as much as ten: those groups warm their
			// hosts with less. (For the fresh-instance ratio a tenth and the
			// whole warm-up gave the same figure: 82% and 84%.)
			warmups, n := *warmup, *requests
			switch {
			case group[0].body > 0:
				warmups, n = warmups/20, max(n/4, 1)
			case group[0].hostArgs != nil:
				warmups /= 10
			}
			for i := 0; i < *runs; i++ {
				for k, c := range group {
					hosts[k], _ = startHost(tc, comps[c.comp], work, c.hostArgs...)
					if warmups > 0 {
						load(hosts[k].url+c.path, c.body, conc, warmups)
					}
				}
				for j := range group {
					k := (i + j) % len(group)
					r, l := load(hosts[k].url+group[k].path, group[k].body, conc, n)
					rps[k] = append(rps[k], r)
					lat[k] = append(lat[k], l...)
				}
				for _, h := range hosts {
					h.stop()
				}
			}
			for k, c := range group {
				add(stat(fmt.Sprintf("throughput: %s, %d clients", c.name, conc), "req/s", rps[k], fmt.Sprintf("%d requests per run, each on a fresh host after %d to warm up", n, warmups)))
				p := stat(fmt.Sprintf("latency p50: %s, %d clients", c.name, conc), "ms", lat[k], "")
				add(Stat{Name: p.Name, Unit: "ms", Median: percentile(lat[k], 50), Min: p.Min, Max: p.Max})
				add(Stat{Name: fmt.Sprintf("latency p99: %s, %d clients", c.name, conc), Unit: "ms", Median: percentile(lat[k], 99), Min: p.Min, Max: p.Max})
			}
			if len(group) == 2 {
				var ratio []float64
				for i := range rps[0] {
					ratio = append(ratio, 100*rps[1][i]/rps[0][i])
				}
				add(stat(fmt.Sprintf("throughput: %s / %s, %d clients", group[1].name, group[0].name, conc), "%", ratio, "per run (fresh hosts, measured in turn)"))
			}
		}
	}

	// Heap allocations per request, from copies of the two hellos that
	// report the instance's running totals in a header (bench/testdata).
	for _, c := range []struct{ name, dir string }{
		{"raw-bindings hello", "bench/testdata/allocs-raw"},
		{"spinhttp hello", "bench/testdata/allocs-hello"},
	} {
		comp := filepath.Join(work, filepath.Base(c.dir)+".wasm")
		buildOnce(filepath.Join(root, c.dir), comp, build.Options{})
		var objects, sizes []float64
		for i := 0; i < *runs; i++ {
			o, b := allocsPerRequest(tc, comp, work)
			objects, sizes = append(objects, o), append(sizes, b)
		}
		note := "in the guest, one reused instance; includes the counting itself (about 4: two numbers formatted, joined and put in a header)"
		add(stat("guest heap allocations per request: "+c.name, "allocs", objects, note))
		add(stat("guest heap bytes per request: "+c.name, "bytes", sizes, note))
	}

	h, _ := startHost(tc, comps["spinhttp app (echo)"], work)
	streamed := stream(h.url+"/echo", int64(*streamMB)<<20)
	peak := peakMemory(h.url)
	h.stop()
	add(stat(fmt.Sprintf("memory: peak guest linear memory streaming %d MB through the echo", *streamMB), "MB", []float64{peak / (1 << 20)}, fmt.Sprintf("%.0f MB/s", streamed)))

	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "figure\tmedian\tmin\tmax\tunit\t")
	for _, s := range stats {
		f := "%.3g"
		if s.Unit == "bytes" || s.Median >= 1000 {
			f = "%.0f"
		}
		fmt.Fprintf(tw, "%s\t"+f+"\t"+f+"\t"+f+"\t%s\t\n", s.Name, s.Median, s.Min, s.Max, s.Unit)
	}
	tw.Flush()
	if *jsonOut != "" {
		data, _ := json.MarshalIndent(stats, "", "  ")
		check(os.WriteFile(*jsonOut, data, 0o644))
	}
}

// wasmtimeTiming is what bench/wasmtime reports for one core module.
type wasmtimeTiming struct {
	Instantiate []float64 `json:"instantiate_us"`
	Initialize  []float64 `json:"initialize_us"`
}

// wasmtimeStarts runs bench/wasmtime, a module of its own (it needs cgo and
// wasmtime-go), over the core modules.
func wasmtimeStarts(root string, cores []string) []wasmtimeTiming {
	cmd := exec.Command("go", append([]string{"run", ".", "-runs", fmt.Sprint(*runs)}, cores...)...)
	cmd.Dir = filepath.Join(root, "bench", "wasmtime")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=1")
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		fail(fmt.Sprintf("bench/wasmtime: %v", err))
	}
	var ts []wasmtimeTiming
	if err := json.Unmarshal(out, &ts); err != nil || len(ts) != len(cores) {
		fail(fmt.Sprintf("bench/wasmtime printed %q: %v", out, err))
	}
	return ts
}

func buildOnce(dir, out string, o build.Options) {
	var log bytes.Buffer
	o.Dir, o.Output, o.Stderr = dir, out, &log
	_, err := build.Build(context.Background(), o)
	if err != nil {
		fail(fmt.Sprintf("building %s: %v\n%s", dir, err, log.String()))
	}
}

// buildBare builds a module with one //go:wasmexport and nothing else.
func buildBare(work, out string) {
	dir := filepath.Join(work, "bare")
	check(os.MkdirAll(dir, 0o755))
	check(os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module bare\n\ngo 1.25\n"), 0o644))
	check(os.WriteFile(filepath.Join(dir, "main.go"), []byte("package main\n\n//go:wasmexport add\nfunc add(a, b int32) int32 { return a + b }\n\nfunc main() {}\n"), 0o644))
	cmd := exec.Command("go", "build", "-buildmode=c-shared", "-o", out, ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm")
	if b, err := cmd.CombinedOutput(); err != nil {
		fail(fmt.Sprintf("bare build: %v\n%s", err, b))
	}
}

func size(p string) float64 {
	st, err := os.Stat(p)
	check(err)
	return float64(st.Size())
}

func timed(fn func()) float64 {
	start := time.Now()
	fn()
	return time.Since(start).Seconds()
}

type host struct {
	url    string
	cmd    *exec.Cmd
	exited chan struct{} // closed once the process is gone
}

func (h *host) stop() {
	syscall.Kill(-h.cmd.Process.Pid, syscall.SIGKILL)
	<-h.exited
}

// startHost serves a component and returns once it answered a request,
// with the time that took.
func startHost(tc *toolchain.Toolchain, comp, work string, hostArgs ...string) (*host, time.Duration) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	check(err)
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	start := time.Now()
	args := append([]string{"serve", "--component", comp, "--listen", fmt.Sprintf("127.0.0.1:%d", port)}, hostArgs...)
	cmd := tc.Command(context.Background(), "host.mjs", args...)
	cmd.Env = append(os.Environ(), "SPIN_GO_TRANSPILE_CACHE="+filepath.Join(work, "transpiled"))
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	check(cmd.Start())
	h := &host{url: fmt.Sprintf("http://127.0.0.1:%d", port), cmd: cmd, exited: make(chan struct{})}
	var waitErr error
	go func() {
		waitErr = cmd.Wait()
		close(h.exited)
	}()
	probe := &http.Client{Timeout: 10 * time.Second}
	for deadline := time.Now().Add(90 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		resp, err := probe.Get(h.url + "/")
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			return h, time.Since(start)
		}
		select {
		case <-h.exited:
			fail(fmt.Sprintf("the host for %s exited after %v (%v):\n%s", comp, time.Since(start).Round(time.Millisecond), waitErr, out.String()))
		default:
		}
	}
	h.stop()
	fail(fmt.Sprintf("the host for %s (%s) did not answer in %v:\n%s", comp, strings.Join(args, " "), time.Since(start).Round(time.Millisecond), out.String()))
	return nil, 0
}

// load sends n requests from conc clients and returns requests per second
// and each request's latency in milliseconds.
func load(url string, body, conc, n int) (float64, []float64) {
	payload := bytes.Repeat([]byte("x"), body)
	var mu sync.Mutex
	var lat []float64
	jobs := make(chan struct{}, n)
	for i := 0; i < n; i++ {
		jobs <- struct{}{}
	}
	close(jobs)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: conc}}
	start := time.Now()
	var wg sync.WaitGroup
	for c := 0; c < conc; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range jobs {
				t0 := time.Now()
				var resp *http.Response
				var err error
				if body > 0 {
					resp, err = client.Post(url, "application/octet-stream", bytes.NewReader(payload))
				} else {
					resp, err = client.Get(url)
				}
				check(err)
				got, _ := io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 || (body > 0 && got != int64(body)) {
					fail(fmt.Sprintf("%s: status %d, %d bytes", url, resp.StatusCode, got))
				}
				mu.Lock()
				lat = append(lat, float64(time.Since(t0).Microseconds())/1000)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return float64(n) / time.Since(start).Seconds(), lat
}

func percentile(xs []float64, p int) float64 {
	s := append([]float64{}, xs...)
	sort.Float64s(s)
	i := (len(s) - 1) * p / 100
	return s[i]
}

// allocsPerRequest serves a bench/testdata/allocs-* component from one
// instance and returns the heap allocations and bytes of one request: the
// difference of its running totals between two requests 1000 apart, after
// 300 to warm up, over 1000.
func allocsPerRequest(tc *toolchain.Toolchain, comp, work string) (objects, size float64) {
	h, _ := startHost(tc, comp, work, "--max-instance-reuse-count", "100000")
	defer h.stop()
	const warm, n = 300, 1000
	totals := func() (o, b float64) {
		resp, err := http.Get(h.url + "/")
		check(err)
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if _, err := fmt.Sscan(resp.Header.Get("Allocs"), &o, &b); err != nil {
			fail(fmt.Sprintf("%s: reading the Allocs header %q: %v", comp, resp.Header.Get("Allocs"), err))
		}
		return o, b
	}
	load(h.url+"/", 0, 1, warm)
	o0, b0 := totals()
	load(h.url+"/", 0, 1, n-1)
	o1, b1 := totals()
	if o1 <= o0 {
		fail(fmt.Sprintf("%s: the allocation totals went from %.0f to %.0f: the requests were not served by one instance", comp, o0, o1))
	}
	return (o1 - o0) / n, (b1 - b0) / n
}

// stream posts n bytes to the echo and reads them back; it returns MB/s.
func stream(url string, n int64) float64 {
	start := time.Now()
	resp, err := http.Post(url, "application/octet-stream", io.LimitReader(zeros{}, n))
	check(err)
	got, err := io.Copy(io.Discard, resp.Body)
	check(err)
	resp.Body.Close()
	if got != n {
		fail(fmt.Sprintf("streamed %d of %d bytes", got, n))
	}
	return float64(n) / (1 << 20) / time.Since(start).Seconds()
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

func peakMemory(url string) float64 {
	resp, err := http.Get(url + "/.well-known/spin-go/stats")
	check(err)
	defer resp.Body.Close()
	var s struct{ PeakMemoryBytes float64 }
	check(json.NewDecoder(resp.Body).Decode(&s))
	return s.PeakMemoryBytes
}

func check(err error) {
	if err != nil {
		fail(err.Error())
	}
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, "bench:", msg)
	os.Exit(1)
}
