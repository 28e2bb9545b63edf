package auth_test

import (
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
	"github.com/relayhttp/relay/internal/httpbintest"
	"github.com/relayhttp/relay/middleware"
)

func TestDigestHidesPassword(t *testing.T) {
	a := auth.Digest("user", "hunter2")
	for _, s := range []string{fmt.Sprint(a), fmt.Sprintf("%v %+v %#v %s", a, a, a, a)} {
		if strings.Contains(s, "hunter2") {
			t.Errorf("formatting shows the password: %s", s)
		}
	}
}

func TestDigestUpFrontAndNonceCount(t *testing.T) {
	for _, alg := range []string{"", "MD5", "MD5-sess", "SHA-256", "SHA-256-sess", "SHA-512-256", "sha-512-256-SESS"} {
		t.Run(alg, func(t *testing.T) {
			s := &digestServer{user: "u", pass: "p", realm: "r", algorithm: alg, qop: "auth", opaque: "op"}
			srv := httptest.NewServer(s)
			defer srv.Close()
			c := newClient(t, auth.Digest("u", "p"))
			for i := range 4 {
				if code := do(t, c, "POST", srv.URL+fmt.Sprintf("/x/%d?q=1", i), fmt.Sprint("body", i)); code != 200 {
					t.Fatalf("request %d: status %d", i, code)
				}
			}
			unauthorized, ncs, bodies := s.stats()
			if unauthorized != 1 {
				t.Errorf("%d 401s, want 1: later requests should authenticate up front", unauthorized)
			}
			if diff := cmp.Diff([]string{"00000001", "00000002", "00000003", "00000004"}, ncs); diff != "" {
				t.Errorf("nc mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]string{"body0", "body1", "body2", "body3"}, bodies); diff != "" {
				t.Errorf("bodies mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDigestStale(t *testing.T) {
	s := &digestServer{user: "u", pass: "p", realm: "r", algorithm: "SHA-256", qop: "auth", maxUses: 2}
	srv := httptest.NewServer(s)
	defer srv.Close()
	c := newClient(t, auth.Digest("u", "p"))
	for i := range 5 {
		if code := do(t, c, "PUT", srv.URL+"/", "data"); code != 200 {
			t.Fatalf("request %d: status %d, want the stale nonce renewed transparently", i, code)
		}
	}
	unauthorized, ncs, _ := s.stats()
	// 1st: 401 then nc 1; 2nd: nc 2; 3rd: stale, then nc 1 on the new
	// nonce; 4th: nc 2; 5th: stale, then nc 1.
	want := []string{"00000001", "00000002", "00000001", "00000002", "00000001"}
	if diff := cmp.Diff(want, ncs); diff != "" || unauthorized != 3 {
		t.Errorf("401s %d (want 3); nc mismatch (-want +got):\n%s", unauthorized, diff)
	}
}

func TestDigestWrongPasswordReturns401(t *testing.T) {
	s := &digestServer{user: "u", pass: "p", realm: "r", qop: "auth"}
	srv := httptest.NewServer(s)
	defer srv.Close()
	c := newClient(t, auth.Digest("u", "wrong"))
	for i := range 2 {
		if code := do(t, c, "GET", srv.URL+"/", ""); code != 401 {
			t.Fatalf("request %d: status %d, want 401", i, code)
		}
	}
	// One unauthenticated attempt and one answer per request: never a loop.
	if unauthorized, _, _ := s.stats(); unauthorized != 4 {
		t.Errorf("server saw %d unauthorized requests, want 4", unauthorized)
	}
}

func TestDigest401BodyDrainedAndClosed(t *testing.T) {
	s := &digestServer{user: "u", pass: "p", realm: "r", qop: "auth"}
	srv := httptest.NewUnstartedServer(s)
	var conns atomic.Int32
	srv.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	base := &http.Transport{}
	defer base.CloseIdleConnections()
	var mu sync.Mutex
	var dropped []*trackingBody
	tracking := rtFunc(func(r *http.Request) (*http.Response, error) {
		resp, err := base.RoundTrip(r)
		if err == nil && resp.StatusCode == 401 {
			tb := &trackingBody{ReadCloser: resp.Body}
			resp.Body = tb
			mu.Lock()
			dropped = append(dropped, tb)
			mu.Unlock()
		}
		return resp, err
	})
	c := &http.Client{Transport: middleware.Chain(tracking, auth.Middleware(auth.Digest("u", "p")))}
	if code := do(t, c, "GET", srv.URL+"/", ""); code != 200 {
		t.Fatalf("status %d", code)
	}
	if len(dropped) != 1 || !dropped[0].closed.Load() || dropped[0].read.Load() != int64(len("401 body that the middleware must drain")) {
		t.Errorf("the 401 body was not drained and closed")
	}
	if n := conns.Load(); n != 1 {
		t.Errorf("%d connections, want 1: the drained 401 should free its connection for the resend", n)
	}
}

func TestDigestAgainstHTTPBin(t *testing.T) {
	srv := httpbintest.New()
	defer srv.Close()
	for _, alg := range []string{"MD5", "SHA-256"} {
		t.Run(alg, func(t *testing.T) {
			base := &http.Transport{}
			defer base.CloseIdleConnections()
			var unauthorized atomic.Int32
			counting := rtFunc(func(r *http.Request) (*http.Response, error) {
				resp, err := base.RoundTrip(r)
				if err == nil && resp.StatusCode == 401 {
					unauthorized.Add(1)
				}
				return resp, err
			})
			c := &http.Client{Transport: middleware.Chain(counting, auth.Middleware(auth.Digest("user", "passwd")))}
			for i := range 3 {
				req, _ := http.NewRequest("GET", srv.URL+"/digest-auth/auth/user/passwd/"+alg, nil)
				if code, body := get(t, c, req); code != 200 || !strings.Contains(body, `"authenticated": true`) {
					t.Fatalf("request %d: %d %s", i, code, body)
				}
			}
			if n := unauthorized.Load(); n != 1 {
				t.Errorf("%d 401s for 3 requests, want 1", n)
			}
			// A wrong password ends with go-httpbin's 401.
			c = &http.Client{Transport: middleware.Chain(base, auth.Middleware(auth.Digest("user", "nope")))}
			req, _ := http.NewRequest("GET", srv.URL+"/digest-auth/auth/user/passwd/"+alg, nil)
			if code, _ := get(t, c, req); code != 401 {
				t.Errorf("wrong password: status %d", code)
			}
		})
	}
}

func TestDigestConcurrent(t *testing.T) {
	s := &digestServer{user: "u", pass: "p", realm: "r", algorithm: "SHA-256", qop: "auth", maxUses: 40}
	srv := httptest.NewServer(s)
	defer srv.Close()
	c := newClient(t, auth.Digest("u", "p"))
	var wg sync.WaitGroup
	var failures atomic.Int32
	for g := range 16 {
		wg.Go(func() {
			for i := range 10 {
				req, _ := http.NewRequest("POST", fmt.Sprintf("%s/g%d/%d", srv.URL, g, i), strings.NewReader("x"))
				resp, err := c.Do(req)
				if err != nil {
					failures.Add(1)
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					failures.Add(1)
				}
			}
		})
	}
	wg.Wait()
	// Concurrent requests may reach the server out of nonce-count order and
	// race to renew a stale nonce, so a few answers can be refused; each
	// nonce count is used once, which the server checks.
	_, ncs, _ := s.stats()
	if f := failures.Load(); f > 16 || len(ncs) < 144 {
		t.Errorf("%d failures, %d accepted of 160", f, len(ncs))
	}
}
