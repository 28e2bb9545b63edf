package cachetests

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// passThrough is a subject with no cache at all.
func passThrough(base http.RoundTripper, _ Clock) http.RoundTripper { return base }

// toyCache is a deliberately tiny cache: it keeps any 200 response to a GET
// for its Cache-Control max-age, keyed by URL, judged by the runner's
// clock. It knows nothing else of RFC 9111 (no Vary, no validation, no
// request directives, no invalidation, no Age), so the suite must find it
// right about plain freshness and wrong about the rest.
type toyCache struct {
	base  http.RoundTripper
	clock Clock

	mu      sync.Mutex
	entries map[string]toyEntry
}

type toyEntry struct {
	header  http.Header
	body    []byte
	expires time.Time
}

func newToyCache(base http.RoundTripper, clock Clock) http.RoundTripper {
	return &toyCache{base: base, clock: clock, entries: make(map[string]toyEntry)}
}

func (c *toyCache) RoundTrip(req *http.Request) (*http.Response, error) {
	key := req.URL.String()
	if req.Method == http.MethodGet {
		c.mu.Lock()
		e, ok := c.entries[key]
		c.mu.Unlock()
		if ok && c.clock.Now().Before(e.expires) {
			if req.Body != nil {
				req.Body.Close()
			}
			return &http.Response{
				Status: "200 OK", StatusCode: http.StatusOK,
				Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
				Header: e.header.Clone(), Body: io.NopCloser(bytes.NewReader(e.body)),
				ContentLength: int64(len(e.body)), Request: req,
			}, nil
		}
	}
	resp, err := c.base.RoundTrip(req)
	if err != nil || req.Method != http.MethodGet || resp.StatusCode != http.StatusOK {
		return resp, err
	}
	maxAge, ok := toyMaxAge(resp.Header)
	if !ok || maxAge <= 0 {
		return resp, nil
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.entries[key] = toyEntry{header: resp.Header.Clone(), body: body, expires: c.clock.Now().Add(time.Duration(maxAge) * time.Second)}
	c.mu.Unlock()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp, nil
}

// toyMaxAge finds the first max-age=N in Cache-Control, naively.
func toyMaxAge(h http.Header) (int, bool) {
	for _, v := range h.Values("Cache-Control") {
		for _, d := range strings.Split(v, ",") {
			name, arg, _ := strings.Cut(strings.TrimSpace(d), "=")
			if strings.EqualFold(name, "max-age") {
				n, err := strconv.Atoi(arg)
				return n, err == nil
			}
		}
	}
	return 0, false
}
