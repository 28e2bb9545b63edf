package main

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/relayhttp/relay/client"
	"github.com/relayhttp/relay/middleware"
	"github.com/relayhttp/relay/transport"
)

// countingTransport counts the requests it passes on: a stand-in for a
// transport with its own settings (retries, a proxy, a client certificate).
type countingTransport struct {
	next http.RoundTripper
	n    atomic.Int64
}

func (c *countingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.next.RoundTrip(req)
}

// CloseIdleConnections forwards to the wrapped transport, so that
// Session.CloseIdleConnections reaches it.
func (c *countingTransport) CloseIdleConnections() { middleware.CloseIdleConnections(c.next) }

// requestID is a middleware that numbers the requests of a session.
func requestID() middleware.Middleware {
	var n atomic.Int64
	return func(next http.RoundTripper) http.RoundTripper {
		return &requestIDTransport{next: next, n: &n}
	}
}

type requestIDTransport struct {
	next http.RoundTripper
	n    *atomic.Int64
}

func (t *requestIDTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context()) // never change the caller's request
	req.Header.Set("X-Request-Id", "tour-"+strconv.FormatInt(t.n.Add(1), 10))
	return t.next.RoundTrip(req)
}

func (t *requestIDTransport) CloseIdleConnections() { middleware.CloseIdleConnections(t.next) }

// fakeAPI answers every request itself, without a network: the kind of
// adapter a test mounts for a third-party API.
var fakeAPI = middleware.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
	middleware.CloseRequestBody(req)
	body := `{"hello": "from a mounted adapter", "path": "` + req.URL.Path + `"}`
	return &http.Response{
		Status: "200 OK", StatusCode: http.StatusOK,
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header:        http.Header{"Content-Type": {"application/json"}},
		Body:          io.NopCloser(strings.NewReader(body)),
		ContentLength: int64(len(body)),
		Request:       req,
	}, nil
})

// transportAdapters: Session.Mount sends the URLs under a prefix through a
// RoundTripper of your choice, the longest prefix winning; Session.Use adds
// a middleware to the whole stack.
func transportAdapters(ctx context.Context, e *env) error {
	s := client.NewSession()
	defer s.CloseIdleConnections()

	if err := s.Mount("http://api.example.test", fakeAPI); err != nil {
		return err
	}
	r, err := s.Get(ctx, "http://api.example.test/v1/hello")
	if err != nil {
		return err
	}
	var hello struct{ Hello, Path string }
	if err := failed(status(r, http.StatusOK), r.JSON(&hello)); err != nil {
		return err
	}
	e.say(`s.Mount("http://api.example.test", fakeAPI); GET http://api.example.test/v1/hello → %q (nothing was dialled)`, hello.Hello)
	if err := equal("path", hello.Path, "/v1/hello"); err != nil {
		return err
	}

	base, err := transport.New()
	if err != nil {
		return err
	}
	counted := &countingTransport{next: base}
	if err := s.Mount(e.url("/anything"), counted); err != nil {
		return err
	}
	for _, c := range []struct {
		path string
		code int
	}{
		{"/anything/one", http.StatusOK},
		{"/anything/two", http.StatusOK},
		{"/get", http.StatusOK},
		{"/anything10", http.StatusNotFound}, // not under /anything: prefixes match whole segments
	} {
		r, err := s.Get(ctx, e.url(c.path))
		if err != nil {
			return err
		}
		if err := status(r, c.code); err != nil {
			return err
		}
	}
	e.say(`s.Mount("http://httpbin/anything", counted); GET /anything/one, /anything/two, /get, /anything10`)
	e.say("→ %d went through counted (a prefix matches whole path segments: /anything10 is not under it)", counted.n.Load())
	if err := equal("requests through the mount", counted.n.Load(), 2); err != nil {
		return err
	}

	_, err = s.Get(ctx, "ftp://files.example.test/readme.txt")
	e.say("GET ftp://files.example.test/readme.txt → errors.Is(err, transport.ErrNotMounted) = %t", errors.Is(err, transport.ErrNotMounted))
	e.say("  %v", err)
	if err := expect(errors.Is(err, transport.ErrNotMounted), "want ErrNotMounted, got %v", err); err != nil {
		return err
	}

	s.Use(requestID())
	var ids []string
	for range 2 {
		r, err := s.Get(ctx, e.url("/headers"))
		if err != nil {
			return err
		}
		got, err := echo(r)
		if err != nil {
			return err
		}
		ids = append(ids, got.Headers.Get("X-Request-Id"))
	}
	e.say("s.Use(requestID()); two GET /headers → X-Request-Id %s", strings.Join(ids, ", "))
	return equal("request ids", strings.Join(ids, ","), "tour-1,tour-2")
}
