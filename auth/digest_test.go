package auth_test

import (
	"crypto/md5"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
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

// rtFunc is an in-memory RoundTripper.
type rtFunc func(*http.Request) (*http.Response, error)

func (f rtFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func response(req *http.Request, code int, header http.Header, body string) *http.Response {
	if header == nil {
		header = http.Header{}
	}
	return &http.Response{StatusCode: code, Header: header, Request: req,
		Body: io.NopCloser(strings.NewReader(body)), ContentLength: int64(len(body))}
}

// authorizationAfterChallenge sends one request through the auth middleware
// to a fake server that answers the first attempt with challenge, and
// returns the Authorization header of the second attempt.
func authorizationAfterChallenge(t *testing.T, a auth.Authenticator, method, url string, challenges ...string) string {
	t.Helper()
	var got string
	rt := rtFunc(func(r *http.Request) (*http.Response, error) {
		if r.Body != nil {
			io.Copy(io.Discard, r.Body)
			r.Body.Close()
		}
		if h := r.Header.Get("Authorization"); h != "" {
			got = h
			return response(r, 200, nil, "ok"), nil
		}
		return response(r, 401, http.Header{"Www-Authenticate": challenges}, "no"), nil
	})
	c := &http.Client{Transport: middleware.Chain(rt, auth.Middleware(a))}
	req, _ := http.NewRequest(method, url, nil)
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return got
}

func fixedCnonce(s string) func() string { return func() string { return s } }

// TestDigestRFCExamples checks the worked examples of RFC 7616 §3.9 and
// RFC 2617 §3.5.
func TestDigestRFCExamples(t *testing.T) {
	const (
		rfc7616Nonce  = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v"
		rfc7616Opaque = "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"
		rfc7616Cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ"
	)
	for _, tc := range []struct {
		name, user, pass, url, cnonce string
		challenges                    []string
		want                          string
	}{{
		name: "RFC 7616 MD5", user: "Mufasa", pass: "Circle of Life", cnonce: rfc7616Cnonce,
		url: "http://www.example.org/dir/index.html",
		challenges: []string{
			`Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=MD5, nonce="` + rfc7616Nonce + `", opaque="` + rfc7616Opaque + `"`,
		},
		want: `Digest username="Mufasa", realm="http-auth@example.org", nonce="` + rfc7616Nonce + `", uri="/dir/index.html", response="8ca523f5e9506fed4657c9700eebdbec", opaque="` + rfc7616Opaque + `", algorithm=MD5, qop=auth, nc=00000001, cnonce="` + rfc7616Cnonce + `"`,
	}, {
		name: "RFC 7616 SHA-256 offered after MD5", user: "Mufasa", pass: "Circle of Life", cnonce: rfc7616Cnonce,
		url: "http://www.example.org/dir/index.html",
		challenges: []string{
			`Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=MD5, nonce="other", opaque="x"`,
			`Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, nonce="` + rfc7616Nonce + `", opaque="` + rfc7616Opaque + `"`,
		},
		want: `Digest username="Mufasa", realm="http-auth@example.org", nonce="` + rfc7616Nonce + `", uri="/dir/index.html", response="753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1", opaque="` + rfc7616Opaque + `", algorithm=SHA-256, qop=auth, nc=00000001, cnonce="` + rfc7616Cnonce + `"`,
	}, {
		name: "RFC 2617", user: "Mufasa", pass: "Circle Of Life", cnonce: "0a4f113b",
		url: "http://www.nowhere.org/dir/index.html",
		challenges: []string{
			`Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"`,
		},
		want: `Digest username="Mufasa", realm="testrealm@host.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", uri="/dir/index.html", response="6629fae49393a05397450978507c4ef1", opaque="5ccc069c403ebaf9f0171e9517f40e41", qop=auth, nc=00000001, cnonce="0a4f113b"`,
	}} {
		t.Run(tc.name, func(t *testing.T) {
			a := auth.Digest(tc.user, tc.pass)
			auth.SetDigestCnonce(a, fixedCnonce(tc.cnonce))
			got := authorizationAfterChallenge(t, a, "GET", tc.url, tc.challenges...)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Authorization mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestDigestUserhash checks RFC 7616 §3.9.2's SHA-512-256 example (userhash,
// charset=UTF-8, a non-ASCII user name) with the values of erratum 4897: the
// RFC's were computed with a draft SHA-512/256.
func TestDigestUserhash(t *testing.T) {
	a := auth.Digest("J\u00e4s\u00f8n Doe", "Secret, or not?")
	auth.SetDigestCnonce(a, fixedCnonce("NTg6RKcb9boFIAS3KrFK9BGeh+iDa/sm6jUMp2wds69v"))
	got := authorizationAfterChallenge(t, a, "GET", "http://api.example.org/doe.json",
		`Digest realm="api@example.org", qop="auth", algorithm=SHA-512-256, nonce="5TsQWLVdgBdmrQ0XsxbDODV+57QdFR34I9HAbC/RVvkK", opaque="HRPCssKJSGjCrkzDg8OhwpzCiGPChXYjwrI2QmXDnsOS", charset=UTF-8, userhash=true`)
	want := `Digest username="793263caabb707a56211940d90411ea4a575adeccb7e360aeb624ed06ece9b0b", realm="api@example.org", nonce="5TsQWLVdgBdmrQ0XsxbDODV+57QdFR34I9HAbC/RVvkK", uri="/doe.json", response="3798d4131c277846293534c3edc11bd8a5e4cdcbff78b05db9d95eeb1cec68a5", opaque="HRPCssKJSGjCrkzDg8OhwpzCiGPChXYjwrI2QmXDnsOS", algorithm=SHA-512-256, qop=auth, nc=00000001, cnonce="NTg6RKcb9boFIAS3KrFK9BGeh+iDa/sm6jUMp2wds69v", userhash=true`
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Authorization mismatch (-want +got):\n%s", diff)
	}
	// Without userhash, charset=UTF-8 puts a non-ASCII name in username*.
	a = auth.Digest("J\u00e4s\u00f8n Doe", "Secret, or not?")
	got = authorizationAfterChallenge(t, a, "GET", "http://api.example.org/doe.json",
		`Digest realm="api@example.org", qop="auth", algorithm=SHA-256, nonce="n", charset=UTF-8`)
	if !strings.HasPrefix(got, `Digest username*=UTF-8''J%C3%A4s%C3%B8n%20Doe, realm=`) {
		t.Errorf("Authorization = %s, want username* in RFC 8187 form", got)
	}
}

func TestDigestHidesPassword(t *testing.T) {
	a := auth.Digest("user", "hunter2")
	for _, s := range []string{fmt.Sprint(a), fmt.Sprintf("%v %+v %#v %s", a, a, a, a)} {
		if strings.Contains(s, "hunter2") {
			t.Errorf("formatting shows the password: %s", s)
		}
	}
}

// digestServer is a Digest-protected handler written independently of the
// package under test (it parses with the test-exported tokenizer only). It
// rejects replayed nonce counts and declares a nonce stale after maxUses, or
// when staleWhen says so, or forgets it after maxUses.
type digestServer struct {
	user, pass, realm string
	algorithm         string // as sent in the challenge, "" for none
	qop               string // qop-options sent, "" for none
	maxUses           int    // 0: unlimited
	opaque            string
	// staleWhen, if set, replaces maxUses: it is given the nonce of an
	// answer ("nonce-1" is the first one issued) and how many answers with
	// that nonce were accepted before, and says whether it has expired.
	staleWhen func(nonce string, uses int) bool
	// forget makes a nonce used maxUses times unknown instead of stale: the
	// next answer with it gets a challenge without stale=true, as from a
	// server that restarted.
	forget bool

	mu           sync.Mutex
	next         int
	nonces       map[string]map[string]bool // nonce → nc values seen
	renewals     map[string]bool            // nonces sent with stale=true
	unauthorized int
	ncs          []string // nc values of accepted requests, in order
	bodies       []string
	sent         []string // every request: "nonce nc body", "- body" without credentials
}

func (s *digestServer) challenge(stale bool) string {
	s.next++
	if s.nonces == nil {
		s.nonces = map[string]map[string]bool{}
	}
	nonce := fmt.Sprintf("nonce-%d", s.next)
	s.nonces[nonce] = map[string]bool{}
	c := fmt.Sprintf(`Digest realm="%s", nonce="%s", opaque="%s"`, s.realm, nonce, s.opaque)
	if s.algorithm != "" {
		c += ", algorithm=" + s.algorithm
	}
	if s.qop != "" {
		c += `, qop="` + s.qop + `"`
	}
	if stale {
		c += ", stale=TRUE"
		if s.renewals == nil {
			s.renewals = map[string]bool{}
		}
		s.renewals[nonce] = true
	}
	return c
}

func hashFor(alg string) func() hash.Hash {
	switch strings.TrimSuffix(strings.ToUpper(alg), "-SESS") {
	case "SHA-256":
		return sha256.New
	case "SHA-512-256":
		return sha512.New512_256
	}
	return md5.New
}

func (s *digestServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	defer s.mu.Unlock()
	line := "-"
	for _, c := range auth.ParseChallenges(r.Header.Values("Authorization")...) {
		p := map[string]string{}
		for _, kv := range c.Params {
			p[kv[0]] = kv[1]
		}
		line = p["nonce"] + " " + p["nc"]
	}
	s.sent = append(s.sent, line+" "+string(body))
	ok, stale := s.check(r, body)
	if !ok {
		s.unauthorized++
		w.Header().Set("WWW-Authenticate", s.challenge(stale))
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, "401 body that the middleware must drain")
		return
	}
	s.bodies = append(s.bodies, string(body))
	io.WriteString(w, "welcome")
}

func (s *digestServer) check(r *http.Request, body []byte) (ok, stale bool) {
	cs := auth.ParseChallenges(r.Header.Values("Authorization")...)
	if len(cs) != 1 || cs[0].Scheme != "digest" {
		return false, false
	}
	p := map[string]string{}
	for _, kv := range cs[0].Params {
		p[kv[0]] = kv[1]
	}
	seen, known := s.nonces[p["nonce"]]
	if !known || p["username"] != s.user || p["realm"] != s.realm || p["uri"] != r.RequestURI ||
		p["opaque"] != s.opaque || !strings.EqualFold(p["algorithm"], s.algorithm) {
		return false, false
	}
	if s.forget && s.maxUses > 0 && len(seen) >= s.maxUses {
		delete(s.nonces, p["nonce"])
		return false, false
	}
	if s.staleWhen != nil && s.staleWhen(p["nonce"], len(seen)) ||
		s.staleWhen == nil && s.maxUses > 0 && len(seen) >= s.maxUses {
		return false, true
	}
	newHash := hashFor(s.algorithm)
	H := func(x string) string { h := newHash(); io.WriteString(h, x); return hex.EncodeToString(h.Sum(nil)) }
	ha1 := H(s.user + ":" + s.realm + ":" + s.pass)
	if strings.HasSuffix(strings.ToLower(s.algorithm), "-sess") {
		ha1 = H(ha1 + ":" + p["nonce"] + ":" + p["cnonce"])
	}
	a2 := r.Method + ":" + p["uri"]
	if p["qop"] == "auth-int" {
		a2 += ":" + H(string(body))
	}
	var want string
	if p["qop"] != "" {
		if !strings.Contains(s.qop, p["qop"]) || seen[p["nc"]] || len(p["nc"]) != 8 {
			return false, false
		}
		want = H(ha1 + ":" + p["nonce"] + ":" + p["nc"] + ":" + p["cnonce"] + ":" + p["qop"] + ":" + H(a2))
	} else {
		want = H(ha1 + ":" + p["nonce"] + ":" + H(a2))
	}
	if p["response"] != want {
		return false, false
	}
	seen[p["nc"]] = true
	s.ncs = append(s.ncs, p["nc"])
	return true, false
}

func (s *digestServer) stats() (unauthorized int, ncs, bodies []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.unauthorized, append([]string(nil), s.ncs...), append([]string(nil), s.bodies...)
}

// requests returns what the server has received, one line per request (see
// digestServer.sent), and forgets it.
func (s *digestServer) requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	sent := s.sent
	s.sent = nil
	return sent
}

func do(t *testing.T, c *http.Client, method, url, body string) int {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, _ := http.NewRequest(method, url, r)
	code, _ := get(t, c, req)
	return code
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

func TestDigestWithoutQop(t *testing.T) {
	s := &digestServer{user: "u", pass: "p", realm: "r", opaque: "op"} // RFC 2069 style
	srv := httptest.NewServer(s)
	defer srv.Close()
	c := newClient(t, auth.Digest("u", "p"))
	for range 2 {
		if code := do(t, c, "GET", srv.URL+"/", ""); code != 200 {
			t.Fatalf("status %d", code)
		}
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

func TestDigestNeverSendsBasic(t *testing.T) {
	var sent atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "" {
			sent.Add(1)
		}
		w.Header().Add("WWW-Authenticate", `Basic realm="only basic"`)
		w.Header().Add("WWW-Authenticate", `Digest realm="x", nonce="n", algorithm=SHA-1`) // unknown algorithm
		w.WriteHeader(401)
	}))
	defer srv.Close()
	c := newClient(t, auth.Digest("u", "p"))
	if code := do(t, c, "GET", srv.URL+"/", ""); code != 401 {
		t.Errorf("status %d, want the 401 as it is", code)
	}
	if n := sent.Load(); n != 0 {
		t.Errorf("the server received %d requests with credentials, want 0", n)
	}
}

func TestDigestAuthInt(t *testing.T) {
	s := &digestServer{user: "u", pass: "p", realm: "r", algorithm: "SHA-256", qop: "auth-int"}
	srv := httptest.NewServer(s)
	defer srv.Close()
	c := newClient(t, auth.Digest("u", "p"))
	for _, body := range []string{"first body", "", "third"} {
		if code := do(t, c, "POST", srv.URL+"/upload", body); code != 200 {
			t.Fatalf("body %q: status %d", body, code)
		}
	}
	if unauthorized, _, bodies := s.stats(); unauthorized != 1 || len(bodies) != 3 {
		t.Errorf("401s %d (want 1), bodies %q", unauthorized, bodies)
	}
	// Up front, auth-int needs to read the body twice: without GetBody the
	// request fails before it is sent.
	req, _ := http.NewRequest("POST", srv.URL+"/upload", io.NopCloser(strings.NewReader("once")))
	req.GetBody = nil
	if _, err := c.Do(req); !errors.Is(err, middleware.ErrUnrewindableBody) {
		t.Errorf("err = %v, want ErrUnrewindableBody", err)
	}
	// When both are offered, auth is used and the body is read once.
	s2 := &digestServer{user: "u", pass: "p", realm: "r", qop: "auth-int,auth"}
	srv2 := httptest.NewServer(s2)
	defer srv2.Close()
	got := authorizationAfterChallenge(t, auth.Digest("u", "p"), "GET", srv2.URL, `Digest realm="r", nonce="n", qop="auth-int, auth"`)
	if !strings.Contains(got, "qop=auth,") {
		t.Errorf("Authorization = %s, want qop=auth", got)
	}
}

func TestDigestUnreplayableBody(t *testing.T) {
	s := &digestServer{user: "u", pass: "p", realm: "r", qop: "auth"}
	srv := httptest.NewServer(s)
	defer srv.Close()
	c := newClient(t, auth.Digest("u", "p"))
	req, _ := http.NewRequest("POST", srv.URL+"/", io.NopCloser(strings.NewReader("once")))
	req.GetBody = nil
	if _, err := c.Do(req); !errors.Is(err, middleware.ErrUnrewindableBody) {
		t.Errorf("err = %v, want ErrUnrewindableBody", err)
	}
	// Once the space is known, an unreplayable body goes up front and works.
	if code := do(t, c, "GET", srv.URL+"/", ""); code != 200 {
		t.Fatalf("status %d", code)
	}
	req, _ = http.NewRequest("POST", srv.URL+"/", io.NopCloser(strings.NewReader("once")))
	req.GetBody = nil
	if code, _ := get(t, c, req); code != 200 {
		t.Errorf("status %d for an unreplayable body sent up front", code)
	}
}

// trackingBody records how much of a body was read and whether it was closed.
type trackingBody struct {
	io.ReadCloser
	read   atomic.Int64
	closed atomic.Bool
}

func (b *trackingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.read.Add(int64(n))
	return n, err
}

func (b *trackingBody) Close() error { b.closed.Store(true); return b.ReadCloser.Close() }

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

func TestDigestProtectionSpaces(t *testing.T) {
	// Two realms on one origin, each with a domain; a third path outside both.
	var mu sync.Mutex
	var sent []string
	rt := rtFunc(func(r *http.Request) (*http.Response, error) {
		h := r.Header.Get("Authorization")
		mu.Lock()
		sent = append(sent, r.URL.Path+" "+realmOf(h))
		mu.Unlock()
		if h != "" {
			return response(r, 200, nil, ""), nil
		}
		var c string
		switch {
		case strings.HasPrefix(r.URL.Path, "/a/"):
			c = `Digest realm="ra", nonce="na", qop=auth, domain="/a/ http://elsewhere.test/a/"`
		case strings.HasPrefix(r.URL.Path, "/b/"):
			c = `Digest realm="rb", nonce="nb", qop=auth, domain="/b/"`
		default:
			return response(r, 200, nil, ""), nil
		}
		return response(r, 401, http.Header{"Www-Authenticate": {c}}, ""), nil
	})
	a := auth.Digest("u", "p")
	c := &http.Client{Transport: middleware.Chain(rt, auth.Middleware(a))}
	for _, u := range []string{
		"http://h.test/a/1", "http://h.test/b/1", "http://h.test/a/2", "http://h.test/b/2",
		"http://h.test/public", "http://elsewhere.test/a/3", "https://h.test/a/4",
	} {
		resp, err := c.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	want := []string{
		"/a/1 ", "/a/1 ra", "/b/1 ", "/b/1 rb", // first contact: a 401 each
		"/a/2 ra", "/b/2 rb", // up front, each with its own realm
		"/public ",         // outside both domains
		"/a/3 ", "/a/3 ra", // another origin, though the domain listed it: its own 401 first
		"/a/4 ", "/a/4 ra", // https is another origin too
	}
	if diff := cmp.Diff(want, sent); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
}

func realmOf(h string) string {
	for _, c := range auth.ParseChallenges(h) {
		for _, p := range c.Params {
			if p[0] == "realm" {
				return p[1]
			}
		}
	}
	return ""
}

func TestDigestControlCharacterInUserName(t *testing.T) {
	rt := rtFunc(func(r *http.Request) (*http.Response, error) {
		return response(r, 401, http.Header{"Www-Authenticate": {`Digest realm="r", nonce="n"`}}, ""), nil
	})
	c := &http.Client{Transport: middleware.Chain(rt, auth.Middleware(auth.Digest("bad\r\nuser", "s3cret")))}
	_, err := c.Get("http://h.test/")
	if err == nil || !strings.Contains(err.Error(), "auth: digest: the user name has a control character") || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("err = %v", err)
	}
}
