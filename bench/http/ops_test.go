package httpbench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/relayhttp/relay/client"
)

// The server's answers. Header values are shared, read-only slices so that
// the handlers allocate as little as possible: the server runs in the same
// process, and its allocations count in both sides' B/op and allocs/op.
var (
	hello       = []byte("Hello, world\n") // 13 bytes
	textPlain   = []string{"text/plain; charset=utf-8"}
	appJSON     = []string{"application/json"}
	octetStream = []string{"application/octet-stream"}
	zeroBuf     = make([]byte, 32<<10) // the download handler writes from it
	imagePNG    = []string{"image/png"}
	image       = noise(32 << 10) // the image handler's body: bytes no text encoding fits
)

// noise returns n bytes of xorshift noise, the same on every run.
func noise(n int) []byte {
	b := make([]byte, n)
	x := uint32(2463534242)
	for i := range b {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b[i] = byte(x)
	}
	return b
}

// server is the loopback server every benchmark talks to.
type server struct {
	*httptest.Server
	conns atomic.Int64 // connections accepted, to see re-dialling
}

// newServer starts the server; it is closed when tb ends.
//
//	GET  /small          13 bytes of text
//	GET  /session        the same, if the request is the session GET (400 if not)
//	GET  /cacheable      the same, fresh for an hour
//	GET  /image          32 KiB of noise as image/png, without a charset
//	POST /json           echoes a JSON body (415 for another Content-Type)
//	GET  /download?n=N   N zero bytes, with Content-Length
//	POST /upload         discards the body and answers its length in decimal
func newServer(tb testing.TB) *server {
	tb.Helper()
	s := newUnstartedServer()
	s.Start()
	tb.Cleanup(s.Close)
	return s
}

// newUnstartedServer is newServer's server, not yet started.
func newUnstartedServer() *server {
	s := &server{}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /small", func(w http.ResponseWriter, _ *http.Request) {
		w.Header()["Content-Type"] = textPlain
		_, _ = w.Write(hello)
	})
	mux.HandleFunc("GET /session", func(w http.ResponseWriter, r *http.Request) {
		// The session GET's request, checked so that every client is seen
		// to do the whole of it: two default headers, the jar's cookie, a
		// per-request header and a param.
		if c, err := r.Cookie("session"); err != nil || c.Value != "abc123" ||
			r.Header.Get("X-Api-Version") != "2" || r.Header.Get("X-Client") != "bench" ||
			r.Header.Get("X-Request-Id") != "42" || r.URL.RawQuery != "page=2" {
			http.Error(w, "not the session GET", http.StatusBadRequest)
			return
		}
		w.Header()["Content-Type"] = textPlain
		_, _ = w.Write(hello)
	})
	mux.HandleFunc("GET /cacheable", func(w http.ResponseWriter, _ *http.Request) {
		w.Header()["Content-Type"] = textPlain
		w.Header().Set("Cache-Control", "max-age=3600")
		_, _ = w.Write(hello)
	})
	mux.HandleFunc("GET /image", func(w http.ResponseWriter, _ *http.Request) {
		w.Header()["Content-Type"] = imagePNG
		_, _ = w.Write(image)
	})
	mux.HandleFunc("POST /json", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Content-Type") != "application/json" {
			http.Error(w, "want application/json", http.StatusUnsupportedMediaType)
			return
		}
		b, err := io.ReadAll(r.Body)
		if err != nil || !json.Valid(b) {
			http.Error(w, "want a JSON body", http.StatusBadRequest)
			return
		}
		w.Header()["Content-Type"] = appJSON
		_, _ = w.Write(b)
	})
	mux.HandleFunc("GET /download", func(w http.ResponseWriter, r *http.Request) {
		n, err := strconv.ParseInt(r.URL.Query().Get("n"), 10, 64)
		if err != nil || n < 0 {
			http.Error(w, "want n=<bytes>", http.StatusBadRequest)
			return
		}
		w.Header()["Content-Type"] = octetStream
		w.Header().Set("Content-Length", strconv.FormatInt(n, 10))
		for n > 0 {
			m, err := w.Write(zeroBuf[:min(n, int64(len(zeroBuf)))])
			if err != nil {
				return
			}
			n -= int64(m)
		}
	})
	mux.HandleFunc("POST /upload", func(w http.ResponseWriter, r *http.Request) {
		n, err := io.Copy(io.Discard, r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		w.Header()["Content-Type"] = textPlain
		_, _ = w.Write(strconv.AppendInt(nil, n, 10))
	})
	s.Server = httptest.NewUnstartedServer(mux)
	s.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.conns.Add(1)
		}
	}
	return s
}

// bareClient returns a bare net/http client tuned like relay's base
// transport: http.DefaultTransport's settings with an idle pool of 100
// connections per host (transport.DefaultMaxIdleConnsPerHost).
func bareClient() (*http.Client, *http.Transport) {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 100
	t.MaxIdleConnsPerHost = 100
	return &http.Client{Transport: t}, t
}

// newSession returns the relay side: a default Session, whose base
// transport keeps 100 idle connections per host.
func newSession() *client.Session { return client.NewSession() }

// The operations below are what the benchmarks time; the test runs each
// once. They return what the caller checks: the body, or its length.

// bareGet is http.Client.Get (which builds the same request) and a read.
func bareGet(c *http.Client, url string) ([]byte, error) {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	return bareDo(c, req)
}

// bareDo sends req with c and reads the whole body, failing on a status
// other than 200.
func bareDo(c *http.Client, req *http.Request) ([]byte, error) {
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	return b, statusOK(resp.StatusCode)
}

func relayGet(ctx context.Context, s *client.Session, url string) ([]byte, error) {
	r, err := s.Get(ctx, url)
	if err != nil {
		return nil, err
	}
	b, err := r.Bytes()
	if err != nil {
		return nil, err
	}
	return b, statusOK(r.StatusCode)
}

// payload is the small struct the JSON benchmark posts.
type payload struct {
	ID      int64     `json:"id"`
	Name    string    `json:"name"`
	Email   string    `json:"email"`
	Tags    []string  `json:"tags"`
	Active  bool      `json:"active"`
	Created time.Time `json:"created"`
}

var samplePayload = payload{
	ID:      42,
	Name:    "Ada Lovelace",
	Email:   "ada@example.com",
	Tags:    []string{"math", "engines"},
	Active:  true,
	Created: time.Date(1843, 9, 1, 12, 0, 0, 0, time.UTC),
}

func barePostJSON(ctx context.Context, c *http.Client, url string, v any) ([]byte, error) {
	body, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	return bareDo(c, req)
}

func relayPostJSON(ctx context.Context, s *client.Session, url string, v any) ([]byte, error) {
	r, err := s.Post(ctx, url, client.JSON(v))
	if err != nil {
		return nil, err
	}
	b, err := r.Bytes()
	if err != nil {
		return nil, err
	}
	return b, statusOK(r.StatusCode)
}

func bareDownload(c *http.Client, url string) (int64, error) {
	resp, err := c.Get(url)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	n, err := io.Copy(io.Discard, resp.Body)
	if err != nil {
		return n, err
	}
	return n, statusOK(resp.StatusCode)
}

func relayDownload(ctx context.Context, s *client.Session, url string) (int64, error) {
	r, err := s.Get(ctx, url, client.Stream())
	if err != nil {
		return 0, err
	}
	defer r.Body.Close()
	n, err := io.Copy(io.Discard, r.Body)
	if err != nil {
		return n, err
	}
	return n, statusOK(r.StatusCode)
}

// zeros reads as an endless run of zero bytes, without allocating.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// zeroBody is an upload body of n zero bytes whose length net/http and relay
// cannot see, so both send it chunked.
func zeroBody(n int64) io.Reader { return io.LimitReader(zeros{}, n) }

func bareUpload(ctx context.Context, c *http.Client, url string, n int64) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, zeroBody(n))
	if err != nil {
		return nil, err
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	return b, statusOK(resp.StatusCode)
}

func relayUpload(ctx context.Context, s *client.Session, url string, n int64) ([]byte, error) {
	r, err := s.Post(ctx, url, client.Body(zeroBody(n)))
	if err != nil {
		return nil, err
	}
	b, err := r.Bytes()
	if err != nil {
		return nil, err
	}
	return b, statusOK(r.StatusCode)
}

func statusOK(code int) error {
	if code != http.StatusOK {
		return fmt.Errorf("status %d, want 200", code)
	}
	return nil
}
