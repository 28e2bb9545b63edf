package client_test

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/zstd"

	"github.com/relayhttp/relay/cache"
	"github.com/relayhttp/relay/client"
)

// The soak: soakRequests requests through one session, shared by soakWorkers
// goroutines.
const (
	soakRequests = 10_000
	soakWorkers  = 8
)

// soakCodings are the content codings the soak's responses come in.
var soakCodings = []string{"gzip", "deflate", "br", "zstd"}

// soakHeapSlack is how far the live heap may end above the baseline. What
// the soak rightly keeps does not grow with the number of requests (a jar
// of 8 cookies, one cache entry, pools emptied by two collections), so what
// remains is noise and maps grown to their working size: measured, 10 KiB
// after 2,000 requests, 36 KiB after 10,000 and 40 KiB after 30,000. 1 MiB
// catches any leak of about 100 bytes per request. Measured by leaking on
// purpose: keeping the Response of the 1,900 requests that wantText checks
// holds 4.9 MiB (2.6 KiB each); never cancelling a context.WithTimeout
// given to each call holds 12 MiB. A leaked connection or body shows up
// exactly in the goroutine and fd counts (1,000 goroutines and 500 fds
// when the stream closed unread is not closed).
const soakHeapSlack = 1 << 20

// TestSoakOneSession sends 10,000 requests of a deterministic mix through one
// Session and checks each outcome, then checks that goroutines, file
// descriptors and the live heap are back where a warm-up left them: a leak
// per request (a body not closed, a connection, a goroutine, a context, a
// timer) shows up ten thousand times over.
func TestSoakOneSession(t *testing.T) {
	env := newSoakEnv(t)
	s := newSession(t, client.WithRetry(client.RetryOptions{MaxAttempts: 3, BaseDelay: -1}))
	s.Timeout = 10 * time.Second // every call gets a deadline, and its timer
	s.Cache = cache.New(cache.Options{})
	cases := env.cases()

	// Store /cache/3600, then warm up: every case on every worker, twice, so
	// that the pools, the jar's tables and the transport's maps exist.
	r := mustDo(t, s, "GET", env.binA.URL+"/cache/3600")
	if got := cache.StatusOf(r.Response); got != cache.Miss {
		t.Fatalf("priming the cache: %v, want a miss", got)
	}
	runSoak(t, s, cases, 2*len(cases)*soakWorkers)
	base := env.settle(t, s, nil)
	t.Logf("baseline: %s", base)

	start := time.Now()
	runSoak(t, s, cases, soakRequests)
	t.Logf("%d requests in %v", soakRequests, time.Since(start).Round(time.Millisecond))

	after := env.settle(t, s, &base)
	t.Logf("after:    %s", after)
	if after.heapAlloc > base.heapAlloc+soakHeapSlack {
		t.Errorf("live heap grew from %d to %d bytes (slack %d): something per request is kept",
			base.heapAlloc, after.heapAlloc, soakHeapSlack)
	}
}

// soakCase is one kind of request and the check of its outcome; worker w
// sends request i.
type soakCase struct {
	name string
	run  func(ctx context.Context, s *client.Session, w, i int) error
}

// runSoak sends requests 0..n-1 of the mix: request i is case i mod
// len(cases), and worker w sends the w-th contiguous block of them.
func runSoak(t *testing.T, s *client.Session, cases []soakCase, n int) {
	t.Helper()
	var failures atomic.Int32
	var wg sync.WaitGroup
	for w := range soakWorkers {
		wg.Go(func() {
			for i := w * n / soakWorkers; i < (w+1)*n/soakWorkers; i++ {
				c := cases[i%len(cases)]
				if err := c.run(t.Context(), s, w, i); err != nil && failures.Add(1) <= 20 {
					t.Errorf("request %d (%s, worker %d): %v", i, c.name, w, err)
				}
			}
		})
	}
	wg.Wait()
	if f := failures.Load(); f > 20 {
		t.Errorf("%d requests failed in all", f)
	}
}

// soakEnv holds the servers: go-httpbin twice (two origins) and aux, an
// httptest server for what httpbin lacks.
type soakEnv struct {
	binA, binB, aux *httptest.Server
	refused         string            // a loopback URL nothing listens on
	text            string            // the body of aux's encoded responses
	encoded         map[string][]byte // text in each of soakCodings

	mu       sync.Mutex
	attempts map[string]int // /flaky's attempts per id, deleted on success
}

func newSoakEnv(t *testing.T) *soakEnv {
	env := &soakEnv{text: strings.Repeat("soak body ", 100), attempts: map[string]int{}}
	env.encoded = make(map[string][]byte)
	for _, coding := range soakCodings {
		var buf bytes.Buffer
		var w io.WriteCloser
		switch coding {
		case "gzip":
			w = gzip.NewWriter(&buf)
		case "deflate":
			w = zlib.NewWriter(&buf)
		case "br":
			w = brotli.NewWriter(&buf)
		case "zstd":
			zw, err := zstd.NewWriter(&buf, zstd.WithEncoderConcurrency(1))
			if err != nil {
				t.Fatal(err)
			}
			w = zw
		}
		io.WriteString(w, env.text)
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		env.encoded[coding] = buf.Bytes()
	}

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	env.refused = "http://" + l.Addr().String() + "/"
	// Connection refused from now on, unless another process binds the
	// port meanwhile: unlikely for a port the kernel handed out just now.
	l.Close()

	env.binA, env.binB = httpbin(t), httpbin(t)
	env.aux = httptest.NewServer(http.HandlerFunc(env.serveAux))
	t.Cleanup(env.aux.Close)
	return env
}

// serveAux answers /encoded/{coding} with encoded text (encoded once:
// go-httpbin's /gzip and /deflate build a compressor per response, which
// would be most of the soak's time under -race), /slow after 2 s, /hold
// with one line and then only when the client goes, and /flaky?id= with a
// 503 the first time for each id.
func (env *soakEnv) serveAux(w http.ResponseWriter, r *http.Request) {
	wait := func() {
		timer := time.NewTimer(2 * time.Second)
		defer timer.Stop()
		select {
		case <-r.Context().Done():
		case <-timer.C:
		}
	}
	switch r.URL.Path {
	case "/encoded/gzip", "/encoded/deflate", "/encoded/br", "/encoded/zstd":
		coding := strings.TrimPrefix(r.URL.Path, "/encoded/")
		w.Header().Set("Content-Encoding", coding)
		w.Write(env.encoded[coding])
	case "/slow":
		wait()
		io.WriteString(w, "late")
	case "/hold":
		io.WriteString(w, "first\n")
		w.(http.Flusher).Flush()
		wait()
	case "/flaky":
		id := r.URL.Query().Get("id")
		env.mu.Lock()
		env.attempts[id]++
		n := env.attempts[id]
		if n > 1 {
			delete(env.attempts, id)
		}
		env.mu.Unlock()
		if n == 1 {
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintf(w, "attempt %d of %s", n, id)
	default:
		http.NotFound(w, r)
	}
}

// soakUsage is what the soak must give back.
type soakUsage struct {
	goroutines, fds      int // fds is -1 where they cannot be counted
	heapAlloc, heapInuse uint64
}

func (u soakUsage) String() string {
	return fmt.Sprintf("%d goroutines, %d open fds, heap: %d bytes live, %d in use", u.goroutines, u.fds, u.heapAlloc, u.heapInuse)
}

// openFDs counts the process's open file descriptors: /proc/self/fd on
// Linux, /dev/fd on macOS and the BSDs; -1 where neither exists (Windows),
// and then the soak checks goroutines and heap only.
func openFDs() int {
	for _, dir := range []string{"/proc/self/fd", "/dev/fd"} {
		if entries, err := os.ReadDir(dir); err == nil {
			return len(entries) // the directory's own fd is counted every time alike
		}
	}
	return -1
}

func measureSoak() soakUsage {
	runtime.GC()
	runtime.GC() // the second empties sync.Pool's victim caches
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return soakUsage{runtime.NumGoroutine(), openFDs(), m.HeapAlloc, m.HeapInuse}
}

// settle closes the session's idle connections and the servers' client
// connections (again on every poll: a dial the transport started for a
// request that got another connection may still land in the pool), then
// waits up to 5 s. With base nil it waits until goroutines and fds stop
// changing and returns the baseline; otherwise until they are back at
// base, failing with a goroutine dump and the fd list if they are not.
func (env *soakEnv) settle(t *testing.T, s *client.Session, base *soakUsage) soakUsage {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	var prev soakUsage
	stable := 0
	for {
		s.CloseIdleConnections()
		for _, srv := range []*httptest.Server{env.binA, env.binB, env.aux} {
			srv.CloseClientConnections()
		}
		time.Sleep(20 * time.Millisecond)
		u := measureSoak()
		if base == nil {
			if u.goroutines == prev.goroutines && u.fds == prev.fds {
				stable++
			} else {
				stable = 0
			}
			if stable == 3 {
				return u
			}
		} else if u.goroutines <= base.goroutines && u.fds <= base.fds {
			return u
		}
		prev = u
		if time.Now().After(deadline) {
			if base == nil {
				t.Fatalf("goroutines and fds did not settle after the warm-up: %s", u)
			}
			var dump strings.Builder
			pprof.Lookup("goroutine").WriteTo(&dump, 1)
			t.Fatalf("after the soak: %s; baseline %s\nopen fds:\n%s\ngoroutines:\n%s", u, base, fdList(), dump.String())
		}
	}
}

// fdList names what each open fd is, for a failure message.
func fdList() string {
	entries, _ := os.ReadDir("/proc/self/fd")
	var b strings.Builder
	for _, e := range entries {
		target, _ := os.Readlink(filepath.Join("/proc/self/fd", e.Name()))
		fmt.Fprintf(&b, "  %s -> %s\n", e.Name(), target)
	}
	return b.String()
}
