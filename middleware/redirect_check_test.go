package middleware_test

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/relayhttp/relay/middleware"
)

// chainServer redirects along a fixed chain that changes methods:
// POST /a → 307 /b → 308 /c?x=1 → 303 d (relative) → 302 /e → 301 /f → 200.
// Each 3xx carries a body naming its path.
func chainServer(t *testing.T) *httptest.Server {
	next := map[string]struct {
		code int
		to   string
	}{
		"/a": {307, "/b"}, "/b": {308, "/c?x=1"}, "/c": {303, "d"}, "/d": {302, "/e"}, "/e": {301, "/f"},
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		if n, ok := next[r.URL.Path]; ok {
			w.Header().Set("Location", n.to)
			w.WriteHeader(n.code)
			io.WriteString(w, "moved from "+r.URL.Path)
			return
		}
		io.WriteString(w, "end at "+r.URL.Path+" "+r.Header.Get("X-Hop"))
	}))
	t.Cleanup(srv.Close)
	return srv
}

// checkCall is what one CheckRedirect call was given.
type checkCall struct {
	Req    string   // method and URL of the next hop
	Status int      // the status of req.Response
	Via    []string // method and URL of each request made so far
}

func describe(r *http.Request) string { return r.Method + " " + r.URL.String() }

// recorder returns a CheckRedirect that records its calls and then returns
// what then gives (nil if then is nil).
func recorder(calls *[]checkCall, then func(via []*http.Request) error) func(*http.Request, []*http.Request) error {
	var mu sync.Mutex
	return func(req *http.Request, via []*http.Request) error {
		c := checkCall{Req: describe(req), Status: req.Response.StatusCode}
		for _, v := range via {
			c.Via = append(c.Via, describe(v))
		}
		mu.Lock()
		*calls = append(*calls, c)
		mu.Unlock()
		if then == nil {
			return nil
		}
		return then(via)
	}
}

func post(t *testing.T, url string) *http.Request {
	req, err := http.NewRequest("POST", url, strings.NewReader("payload"))
	if err != nil {
		t.Fatal(err)
	}
	return req
}

// TestCheckRedirectViaMatchesNetHTTP follows one chain with net/http's own
// redirect code and with the middleware, and compares what each passes to
// CheckRedirect at every call: the same next hop, the same via list.
func TestCheckRedirectViaMatchesNetHTTP(t *testing.T) {
	srv := chainServer(t)
	base := &http.Transport{}
	t.Cleanup(base.CloseIdleConnections)

	var want []checkCall
	plain := &http.Client{Transport: base, CheckRedirect: recorder(&want, nil)}
	resp, err := plain.Do(post(t, srv.URL+"/a"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()

	var got []checkCall
	c := redirectingClient(t, middleware.RedirectOptions{CheckRedirect: recorder(&got, nil)})
	resp, err = c.Do(post(t, srv.URL+"/a"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()

	if len(want) != 5 || want[4].Req != "GET "+srv.URL+"/f" || len(want[4].Via) != 5 {
		t.Fatalf("net/http's calls are not the chain this test expects: %v", want)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("CheckRedirect calls (-net/http +middleware):\n%s", diff)
	}
}

// TestCheckRedirectUseLastResponse: http.ErrUseLastResponse returns the 3xx
// as it is, body unread and open, with the hops before it; every other body,
// and the replay body opened for the hop not taken, is closed.
func TestCheckRedirectUseLastResponse(t *testing.T) {
	srv := chainServer(t)
	var calls []checkCall
	c, watch := watchedClient(t, middleware.RedirectOptions{CheckRedirect: recorder(&calls, func(via []*http.Request) error {
		if len(via) == 2 {
			return http.ErrUseLastResponse
		}
		return nil
	})})
	req := post(t, srv.URL+"/a")
	var replays []*closeTracker
	req.GetBody = func() (io.ReadCloser, error) {
		b := &closeTracker{ReadCloser: io.NopCloser(strings.NewReader("payload"))}
		replays = append(replays, b)
		return b, nil
	}
	// Straight to the transport: a Client given the 308 would open a replay
	// body of its own before its CheckRedirect, and never close it.
	resp, err := c.Transport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusPermanentRedirect || resp.Request.URL.Path != "/b" {
		t.Errorf("got %d for %s, want the 308 of /b", resp.StatusCode, resp.Request.URL.Path)
	}
	if hops := hopPaths(middleware.Hops(resp)); !cmp.Equal(hops, []string{"/a"}) {
		t.Errorf("hops before it: %q, want [/a]", hops)
	}
	if diff := cmp.Diff([]string{"/b"}, watch.open()); diff != "" {
		t.Errorf("open bodies (-want +got):\n%s", diff)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != "moved from /b" {
		t.Errorf("the 3xx body reads %q, want it whole", body)
	}
	if len(calls) != 2 || len(replays) != 2 || !replays[1].closed.Load() {
		t.Errorf("%d calls, %d replay bodies; the one for the hop not taken must be closed", len(calls), len(replays))
	}
}

type closeTracker struct {
	io.ReadCloser
	closed atomic.Bool
}

func (b *closeTracker) Close() error { b.closed.Store(true); return b.ReadCloser.Close() }

// TestCheckRedirectError: any other error ends the chain with an error that
// wraps it and carries the history; the 3xx body is drained and closed.
func TestCheckRedirectError(t *testing.T) {
	srv := chainServer(t)
	errStop := errors.New("stop here")
	var calls []checkCall
	c, watch := watchedClient(t, middleware.RedirectOptions{CheckRedirect: recorder(&calls, func(via []*http.Request) error {
		if len(via) == 3 {
			return fmt.Errorf("policy: %w", errStop)
		}
		return nil
	})})
	resp, err := c.Do(post(t, srv.URL+"/a"))
	if resp != nil {
		resp.Body.Close()
		t.Errorf("got a response with the error")
	}
	var re *middleware.RedirectError
	if !errors.Is(err, errStop) || !errors.As(err, &re) || errors.Is(err, middleware.ErrTooManyRedirects) {
		t.Fatalf("err = %v, want a *RedirectError wrapping errStop", err)
	}
	if diff := cmp.Diff([]string{"/a", "/b"}, hopPaths(re.History)); diff != "" {
		t.Errorf("History (-want +got):\n%s", diff)
	}
	if re.Response == nil || re.Response.Request.URL.Path != "/c" {
		t.Errorf("Response = %v, want the 303 of /c", re.Response)
	}
	if len(calls) != 3 || watch.sent() != 3 {
		t.Errorf("%d calls and %d requests, want 3 of each", len(calls), watch.sent())
	}
	if open := watch.open(); len(open) != 0 {
		t.Errorf("bodies left open: %q", open)
	}
}

// TestCheckRedirectWithMax: the limit still applies; CheckRedirect is asked
// only about redirects within it, and what it changes in req is sent.
func TestCheckRedirectWithMax(t *testing.T) {
	srv := chainServer(t)
	var calls []checkCall
	c := redirectingClient(t, middleware.RedirectOptions{Max: 2, CheckRedirect: recorder(&calls, nil)})
	_, err := c.Do(post(t, srv.URL+"/a"))
	var re *middleware.RedirectError
	if !errors.Is(err, middleware.ErrTooManyRedirects) || !errors.As(err, &re) || len(re.History) != 2 {
		t.Fatalf("err = %v, want ErrTooManyRedirects after 2", err)
	}
	if len(calls) != 2 {
		t.Errorf("%d calls, want 2: one per redirect followed", len(calls))
	}

	c = redirectingClient(t, middleware.RedirectOptions{CheckRedirect: func(req *http.Request, via []*http.Request) error {
		req.Header.Set("X-Hop", fmt.Sprint(len(via)))
		return nil
	}})
	resp, err := c.Do(post(t, srv.URL+"/a"))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != "end at /f 5" {
		t.Errorf("final body %q, want the header CheckRedirect set on the last hop", body)
	}
}
