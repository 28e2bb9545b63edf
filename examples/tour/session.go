package main

import (
	"context"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/relayhttp/relay/client"
)

// sessionObjects: a Session keeps headers and query parameters for every
// request; a request adds its own, overrides them, or drops one.
func sessionObjects(ctx context.Context, e *env) error {
	s := client.NewSession()
	defer s.CloseIdleConnections()
	s.Headers.Set("X-Test", "true")
	s.Params.Set("per_page", "10")
	e.say(`s.Headers.Set("X-Test", "true"); s.Params.Set("per_page", "10")`)

	r, err := s.Get(ctx, e.url("/get"), client.Header("X-Test2", "true"), client.Param("page", "2"))
	if err != nil {
		return err
	}
	got, err := echo(r)
	if err != nil {
		return err
	}
	e.say("GET /get with Header X-Test2 and Param page=2 → httpbin saw %s, X-Test=%s, X-Test2=%s",
		got.Args.Encode(), got.Headers.Get("X-Test"), got.Headers.Get("X-Test2"))
	if err := failed(
		equal("query", got.Args.Encode(), "page=2&per_page=10"),
		equal("X-Test", got.Headers.Get("X-Test"), "true"),
		equal("X-Test2", got.Headers.Get("X-Test2"), "true"),
	); err != nil {
		return err
	}

	// Per-request options are not remembered, and Without drops a session
	// header for one request (Requests' "set it to None").
	r, err = s.Get(ctx, e.url("/get"), client.Without("X-Test"))
	if err != nil {
		return err
	}
	if got, err = echo(r); err != nil {
		return err
	}
	e.say(`next GET with client.Without("X-Test") → X-Test=%q, X-Test2=%q (per-request options are not kept)`,
		got.Headers.Get("X-Test"), got.Headers.Get("X-Test2"))
	return failed(
		equal("X-Test after Without", got.Headers.Get("X-Test"), ""),
		equal("X-Test2 on the next request", got.Headers.Get("X-Test2"), ""),
		equal("query", got.Args.Encode(), "per_page=10"),
	)
}

// requestAndResponse: a Response embeds *http.Response, and its Request is
// the request as sent, with every header the session added.
func requestAndResponse(ctx context.Context, e *env) error {
	s := client.NewSession()
	defer s.CloseIdleConnections()
	r, err := s.Get(ctx, e.url("/response-headers"), client.Param("X-Served-By", "go-httpbin"))
	if err != nil {
		return err
	}
	if err := status(r, http.StatusOK); err != nil {
		return err
	}
	e.say("GET /response-headers?X-Served-By=go-httpbin → %s, %s", r.Status, r.Proto)
	e.say("r.Header: Content-Type=%s, X-Served-By=%s", r.Header.Get("Content-Type"), r.Header.Get("X-Served-By"))
	sent := slices.Sorted(maps.Keys(r.Request.Header))
	e.say("r.Request.Header (as sent): %s", strings.Join(sent, ", "))
	e.say("r.Request.Header User-Agent=%s, Accept-Encoding=%s", r.Request.Header.Get("User-Agent"), r.Request.Header.Get("Accept-Encoding"))
	e.say("r.Elapsed > 0: %t (time to the response headers)", r.Elapsed > 0)
	return failed(
		equal("X-Served-By", r.Header.Get("X-Served-By"), "go-httpbin"),
		equal("sent User-Agent", r.Request.Header.Get("User-Agent"), "relay/"+client.Version),
		equal("sent Accept-Encoding", r.Request.Header.Get("Accept-Encoding"), "gzip, deflate, br, zstd"),
		expect(r.Elapsed > 0, "r.Elapsed is %v", r.Elapsed),
	)
}

// preparedRequests: Prepare merges the session's defaults into a request the
// caller may still change; Send sends it exactly as it is then.
func preparedRequests(ctx context.Context, e *env) error {
	s := client.NewSession()
	defer s.CloseIdleConnections()
	s.Headers.Set("X-Session", "yes")

	const body = "Seriously, send exactly these bytes."
	req, err := s.Prepare(ctx, http.MethodPost, e.url("/post"),
		client.Body(strings.NewReader(body)), client.Header("Content-Type", "text/plain"))
	if err != nil {
		return err
	}
	e.say("s.Prepare(POST /post) → a *http.Request with X-Session=%s, User-Agent=%s already merged",
		req.Header.Get("X-Session"), req.Header.Get("User-Agent"))
	req.Header.Set("Keep-Dead", "parrot")
	req.Header.Del("X-Session")
	e.say(`req.Header.Set("Keep-Dead", "parrot"); req.Header.Del("X-Session"); s.Send(req)`)
	r, err := s.Send(req)
	if err != nil {
		return err
	}
	got, err := echo(r)
	if err != nil {
		return err
	}
	e.say("httpbin saw data %q, Keep-Dead=%s, X-Session=%q", got.Data, got.Headers.Get("Keep-Dead"), got.Headers.Get("X-Session"))
	if err := failed(
		equal("data", got.Data, body),
		equal("Keep-Dead", got.Headers.Get("Keep-Dead"), "parrot"),
		equal("deleted X-Session", got.Headers.Get("X-Session"), ""),
	); err != nil {
		return err
	}

	// Send also takes a request built by net/http; the stack fills in what
	// the session adds.
	plain, err := http.NewRequestWithContext(ctx, http.MethodGet, e.url("/headers"), nil)
	if err != nil {
		return err
	}
	if r, err = s.Send(plain); err != nil {
		return err
	}
	if got, err = echo(r); err != nil {
		return err
	}
	e.say("s.Send(http.NewRequest(GET /headers)) → X-Session=%s, User-Agent=%s", got.Headers.Get("X-Session"), got.Headers.Get("User-Agent"))
	return failed(
		equal("X-Session", got.Headers.Get("X-Session"), "yes"),
		equal("User-Agent", got.Headers.Get("User-Agent"), "relay/"+client.Version),
		equal("caller's request untouched", plain.Header.Get("X-Session"), ""),
	)
}
