package auth_test

import (
	"crypto/md5"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/relayhttp/relay/auth"
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
