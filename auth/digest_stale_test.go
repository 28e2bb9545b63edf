package auth_test

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/relayhttp/relay/auth"
	"github.com/relayhttp/relay/middleware"
)

const digest401Body = "401 body that the middleware must drain"

// droppedBodies is a transport over a real one that wraps the body of every
// 401 it returns, so that a test can check the middleware drained and closed
// the ones it dropped.
type droppedBodies struct {
	base http.RoundTripper
	mu   sync.Mutex
	got  []*trackingBody
}

func (d *droppedBodies) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := d.base.RoundTrip(r)
	if err == nil && resp.StatusCode == http.StatusUnauthorized {
		tb := &trackingBody{ReadCloser: resp.Body}
		resp.Body = tb
		d.mu.Lock()
		d.got = append(d.got, tb)
		d.mu.Unlock()
	}
	return resp, err
}

func (d *droppedBodies) bodies() []*trackingBody {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]*trackingBody(nil), d.got...)
}

// staleServer starts s on loopback and returns its URL, a client whose
// Digest authenticator has password pass, the 401 tracker under it, and a
// count of the connections the server accepted.
func staleServer(t *testing.T, s *digestServer, pass string) (string, *http.Client, *droppedBodies, *atomic.Int32) {
	t.Helper()
	srv := httptest.NewUnstartedServer(s)
	var conns atomic.Int32
	srv.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	base := &http.Transport{}
	t.Cleanup(base.CloseIdleConnections)
	tracker := &droppedBodies{base: base}
	c := &http.Client{Transport: middleware.Chain(tracker, auth.Middleware(auth.Digest("u", pass)))}
	return srv.URL, c, tracker, &conns
}

// TestDigestStaleAfterChallenge checks RFC 7616 §3.3's stale=true on the
// answer to a challenge: the nonce expired between the challenge and the
// answer, so the request is answered once more with the new nonce, its nonce
// count back to 00000001 and its body replayed, without the caller seeing
// either 401.
func TestDigestStaleAfterChallenge(t *testing.T) {
	s := &digestServer{user: "u", pass: "p", realm: "r", algorithm: "SHA-256", qop: "auth", opaque: "op",
		staleWhen: func(nonce string, uses int) bool { return nonce == "nonce-1" && uses == 0 }}
	url, c, tracker, conns := staleServer(t, s, "p")
	req, _ := http.NewRequest("POST", url+"/upload", strings.NewReader("data"))
	if code, body := get(t, c, req); code != 200 || body != "welcome" {
		t.Fatalf("status %d %q, want 200 after the stale nonce was renewed", code, body)
	}
	want := []string{
		"- data",                // no credentials yet: the challenge (nonce-1)
		"nonce-1 00000001 data", // the answer: nonce-1 has expired (stale, nonce-2)
		"nonce-2 00000001 data", // the answer renewed: a new nonce, counting from 1
	}
	if diff := cmp.Diff(want, s.requests()); diff != "" {
		t.Errorf("requests the server saw (-want +got):\n%s", diff)
	}
	dropped := tracker.bodies()
	if len(dropped) != 2 {
		t.Fatalf("%d 401s went through the transport, want 2", len(dropped))
	}
	for i, b := range dropped {
		if !b.closed.Load() || b.read.Load() != int64(len(digest401Body)) {
			t.Errorf("401 %d: closed %v, %d bytes read; want it drained and closed", i+1, b.closed.Load(), b.read.Load())
		}
	}
	if n := conns.Load(); n != 1 {
		t.Errorf("%d connections, want 1: each drained 401 frees its connection for the resend", n)
	}
	// The renewed nonce is remembered: the next request goes up front with it.
	if code := do(t, c, "GET", url+"/next", ""); code != 200 {
		t.Fatalf("next request: status %d", code)
	}
	if diff := cmp.Diff([]string{"nonce-2 00000002 "}, s.requests()); diff != "" {
		t.Errorf("next request (-want +got):\n%s", diff)
	}
}

// TestDigestStaleAnsweredOnce checks that a stale nonce is renewed at most
// once per request, and that a 401 the middleware does not answer reaches
// the caller as the server sent it, body included.
func TestDigestStaleAnsweredOnce(t *testing.T) {
	alwaysStale := func(_ string, uses int) bool { return uses == 0 } // no nonce is ever accepted
	firstStale := func(nonce string, uses int) bool { return nonce == "nonce-1" && uses == 0 }
	type call struct {
		status int
		stale  bool     // whether the returned 401 says stale=true
		sent   []string // what the server saw
	}
	for _, tc := range []struct {
		name  string
		stale func(string, int) bool
		pass  string
		calls []call
	}{{
		name: "stale twice", stale: alwaysStale, pass: "p",
		calls: []call{
			{401, true, []string{"- ", "nonce-1 00000001 ", "nonce-2 00000001 "}},
			// Up front with nonce-2, which the last answer used: stale, renewed
			// once (nonce-4), stale again, returned.
			{401, true, []string{"nonce-2 00000002 ", "nonce-4 00000001 "}},
		},
	}, {
		name: "stale, then wrong password", stale: firstStale, pass: "wrong",
		calls: []call{{401, false, []string{"- ", "nonce-1 00000001 ", "nonce-2 00000001 "}}},
	}, {
		name: "wrong password, no stale", pass: "wrong",
		calls: []call{{401, false, []string{"- ", "nonce-1 00000001 "}}},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			s := &digestServer{user: "u", pass: "p", realm: "r", qop: "auth", staleWhen: tc.stale}
			url, c, tracker, _ := staleServer(t, s, tc.pass)
			for i, want := range tc.calls {
				resp, err := c.Get(url + "/")
				if err != nil {
					t.Fatal(err)
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != want.status || string(body) != digest401Body {
					t.Errorf("call %d: %d %q, want %d %q as the server sent it", i+1, resp.StatusCode, body, want.status, digest401Body)
				}
				if got := strings.Contains(resp.Header.Get("Www-Authenticate"), "stale=TRUE"); got != want.stale {
					t.Errorf("call %d: returned 401 has stale=true %v, want %v", i+1, got, want.stale)
				}
				if diff := cmp.Diff(want.sent, s.requests()); diff != "" {
					t.Errorf("call %d: requests the server saw (-want +got):\n%s", i+1, diff)
				}
			}
			dropped := tracker.bodies()
			for i, b := range dropped[:len(dropped)-1] { // the last one went to the caller
				if !b.closed.Load() || b.read.Load() != int64(len(digest401Body)) {
					t.Errorf("401 %d: closed %v, %d bytes read; want it drained and closed", i+1, b.closed.Load(), b.read.Load())
				}
			}
		})
	}
}

// TestDigestStaleBodyReplay checks the body rules on the stale path: up
// front, a body without GetBody cannot be resent after a stale 401
// (ErrUnrewindableBody, never an empty resend), and a GetBody that fails
// when the answer to a challenge is renewed fails the request with its
// error, the dropped 401 drained and closed.
func TestDigestStaleBodyReplay(t *testing.T) {
	t.Run("up front without GetBody", func(t *testing.T) {
		s := &digestServer{user: "u", pass: "p", realm: "r", qop: "auth", maxUses: 1}
		url, c, tracker, _ := staleServer(t, s, "p")
		if code := do(t, c, "GET", url+"/", ""); code != 200 { // learns nonce-1, uses it once
			t.Fatalf("status %d", code)
		}
		s.requests()
		req, _ := http.NewRequest("POST", url+"/", io.NopCloser(strings.NewReader("once")))
		req.GetBody = nil
		if _, err := c.Do(req); !errors.Is(err, middleware.ErrUnrewindableBody) {
			t.Errorf("err = %v, want ErrUnrewindableBody", err)
		}
		if diff := cmp.Diff([]string{"nonce-1 00000002 once"}, s.requests()); diff != "" {
			t.Errorf("requests the server saw (-want +got):\n%s", diff)
		}
		if b := tracker.bodies(); len(b) != 2 || !b[1].closed.Load() {
			t.Errorf("the stale 401 was not closed")
		}
	})
	t.Run("GetBody fails on the renewal", func(t *testing.T) {
		s := &digestServer{user: "u", pass: "p", realm: "r", qop: "auth",
			staleWhen: func(nonce string, uses int) bool { return nonce == "nonce-1" && uses == 0 }}
		url, c, tracker, _ := staleServer(t, s, "p")
		req, _ := http.NewRequest("PUT", url+"/", strings.NewReader("data"))
		errGone := errors.New("the file is gone")
		getBody, replays := req.GetBody, 0
		req.GetBody = func() (io.ReadCloser, error) {
			if replays++; replays > 1 {
				return nil, errGone
			}
			return getBody()
		}
		_, err := c.Do(req)
		if !errors.Is(err, errGone) || !strings.HasPrefix(err.Error(), `Put "`+url+`/": auth: `) {
			t.Errorf("err = %v, want the GetBody error wrapped by auth", err)
		}
		if diff := cmp.Diff([]string{"- data", "nonce-1 00000001 data"}, s.requests()); diff != "" {
			t.Errorf("requests the server saw (-want +got):\n%s", diff)
		}
		for i, b := range tracker.bodies() {
			if !b.closed.Load() || b.read.Load() != int64(len(digest401Body)) {
				t.Errorf("401 %d: closed %v, %d bytes read; want it drained and closed", i+1, b.closed.Load(), b.read.Load())
			}
		}
	})
}

// TestDigestStaleConcurrent shares one authenticator between goroutines
// whose nonces expire under them, for the race detector and for the bound.
// The server forgets a nonce after 4 uses, and a nonce it offers in a plain
// challenge has expired before its first answer, so that every renewal goes
// challenge → stale → answer. Whatever the interleaving, no request reaches
// the server more than three times, and each nonce count is used once per
// nonce (the server refuses a repeat).
func TestDigestStaleConcurrent(t *testing.T) {
	s := &digestServer{user: "u", pass: "p", realm: "r", algorithm: "SHA-256", qop: "auth", maxUses: 4, forget: true}
	s.staleWhen = func(nonce string, uses int) bool { return !s.renewals[nonce] && uses == 0 } // called with s.mu held
	srv := httptest.NewServer(s)
	defer srv.Close()
	c := newClient(t, auth.Digest("u", "p"))
	const goroutines, each = 8, 20
	var wg sync.WaitGroup
	var ok, refused atomic.Int32
	for g := range goroutines {
		wg.Go(func() {
			for i := range each {
				body := fmt.Sprintf("g%d-%d", g, i)
				req, _ := http.NewRequest("POST", srv.URL+"/", strings.NewReader(body))
				resp, err := c.Do(req)
				if err != nil {
					t.Error(err)
					continue
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				switch {
				case resp.StatusCode == 200 && string(b) == "welcome":
					ok.Add(1)
				case resp.StatusCode == 401 && string(b) == digest401Body:
					refused.Add(1)
				default:
					t.Errorf("%s: %d %q", body, resp.StatusCode, b)
				}
			}
		})
	}
	wg.Wait()
	perCall := map[string]int{}
	for _, line := range s.requests() {
		perCall[line[strings.LastIndexByte(line, ' ')+1:]]++
	}
	if len(perCall) != goroutines*each {
		t.Errorf("the server saw %d distinct bodies, want %d", len(perCall), goroutines*each)
	}
	renewals := 0
	for body, n := range perCall {
		if n > 3 {
			t.Errorf("%s reached the server %d times, want at most 3", body, n)
		}
		if n == 3 {
			renewals++
		}
	}
	// The first request of all is challenged with a nonce that has expired
	// when it is answered: at least that one is renewed.
	if renewals == 0 {
		t.Error("no request was renewed after a stale answer to a challenge")
	}
	_, ncs, _ := s.stats()
	if int(ok.Load()) != len(ncs) || ok.Load()+refused.Load() != goroutines*each || ok.Load() < goroutines*each*7/8 {
		t.Errorf("%d accepted (the server counted %d), %d refused, of %d", ok.Load(), len(ncs), refused.Load(), goroutines*each)
	}
	t.Logf("%d renewed after a challenge; %d accepted, %d refused", renewals, ok.Load(), refused.Load())
}
