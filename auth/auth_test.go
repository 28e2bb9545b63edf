package auth_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/relayhttp/relay/auth"
	"github.com/relayhttp/relay/internal/httpbintest"
	"github.com/relayhttp/relay/middleware"
)

// newClient returns an http.Client with the auth middleware over a transport
// whose idle connections are closed at the end of the test.
func newClient(t *testing.T, a auth.Authenticator) *http.Client {
	t.Helper()
	base := &http.Transport{}
	t.Cleanup(base.CloseIdleConnections)
	return &http.Client{Transport: middleware.Chain(base, auth.Middleware(a))}
}

func get(t *testing.T, c *http.Client, req *http.Request) (int, string) {
	t.Helper()
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestBasicAgainstHTTPBin(t *testing.T) {
	srv := httpbintest.New()
	defer srv.Close()
	for pass, want := range map[string]int{"passwd": 200, "wrong": 401} {
		c := newClient(t, auth.Basic("user", pass))
		req, _ := http.NewRequest("GET", srv.URL+"/basic-auth/user/passwd", nil)
		if code, _ := get(t, c, req); code != want {
			t.Errorf("password %q: status %d, want %d", pass, code, want)
		}
		if req.Header.Get("Authorization") != "" {
			t.Error("the middleware modified the caller's request")
		}
	}
}

func TestBasicHidesPassword(t *testing.T) {
	a := auth.Basic("user", "hunter2")
	for _, s := range []string{fmt.Sprint(a), fmt.Sprintf("%v %+v %#v", a, a, a)} {
		if strings.Contains(s, "hunter2") {
			t.Errorf("formatting shows the password: %s", s)
		}
	}
}

func TestFuncCustomScheme(t *testing.T) {
	srv := httpbintest.New()
	defer srv.Close()
	pizza := auth.Func(func(r *http.Request) error { r.Header.Set("X-Pizza", "admin"); return nil })
	c := newClient(t, pizza)
	req, _ := http.NewRequest("GET", srv.URL+"/headers", nil)
	if _, body := get(t, c, req); !strings.Contains(body, `"X-Pizza"`) || !strings.Contains(body, "admin") {
		t.Errorf("server did not see X-Pizza: %s", body)
	}
	failing := auth.Func(func(*http.Request) error { return errors.New("no token") })
	_, err := newClient(t, failing).Get(srv.URL + "/get")
	if err == nil || !strings.Contains(err.Error(), "no token") {
		t.Errorf("err = %v, want the Func's error", err)
	}
}

func TestContextAuthenticatorWins(t *testing.T) {
	srv := httpbintest.New()
	defer srv.Close()
	c := newClient(t, auth.Basic("user", "wrong"))
	ctx := auth.NewContext(context.Background(), auth.Basic("user", "passwd"))
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+"/basic-auth/user/passwd", nil)
	if code, _ := get(t, c, req); code != 200 {
		t.Errorf("status %d: the context's authenticator should win", code)
	}
	ctx = auth.NewContext(context.Background(), nil)
	req, _ = http.NewRequestWithContext(ctx, "GET", srv.URL+"/headers", nil)
	if _, body := get(t, c, req); strings.Contains(body, "Authorization") {
		t.Error("a nil authenticator in the context should turn auth off")
	}
}

func TestExplicitAuthorizationHeaderWins(t *testing.T) {
	srv := httpbintest.New()
	defer srv.Close()
	c := newClient(t, auth.Basic("user", "wrong"))
	req, _ := http.NewRequest("GET", srv.URL+"/bearer", nil)
	req.Header.Set("Authorization", "Bearer token")
	if code, _ := get(t, c, req); code != 200 {
		t.Errorf("status %d: an explicit Authorization header must be sent as is", code)
	}
}

// seen records the Authorization headers a server received, per path.
type seen struct {
	mu  sync.Mutex
	got map[string]string
}

func (s *seen) record(r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.got == nil {
		s.got = map[string]string{}
	}
	s.got[r.Host+r.URL.Path] = r.Header.Get("Authorization") + "|" + r.Header.Get("X-Pizza")
}

func (s *seen) at(host, path string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.got[host+path]
}

func TestCredentialsStayOnTheirOrigin(t *testing.T) {
	var log seen
	var a, b *httptest.Server
	a = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		log.record(r)
		switch r.URL.Path {
		case "/same":
			http.Redirect(w, r, "/final", http.StatusFound)
		case "/away":
			http.Redirect(w, r, b.URL+"/back", http.StatusFound)
		}
	}))
	defer a.Close()
	b = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		log.record(r)
		http.Redirect(w, r, a.URL+"/returned", http.StatusFound)
	}))
	defer b.Close()
	pizza := auth.Func(func(r *http.Request) error {
		r.SetBasicAuth("u", "p")
		r.Header.Set("X-Pizza", "admin")
		return nil
	})
	c := newClient(t, pizza) // net/http's Client follows the redirects
	for _, path := range []string{"/same", "/away"} {
		resp, err := c.Get(a.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	ha, hb := strings.TrimPrefix(a.URL, "http://"), strings.TrimPrefix(b.URL, "http://")
	creds := "Basic dTpw|admin"
	for _, c := range []struct{ host, path, want, why string }{
		{ha, "/same", creds, "the first request"},
		{ha, "/final", creds, "a same-origin hop"},
		{ha, "/away", creds, "the first request"},
		{hb, "/back", "|", "another origin (another port)"},
		{ha, "/returned", "|", "back on the first origin after leaving it"},
	} {
		if got := log.at(c.host, c.path); got != c.want {
			t.Errorf("%s%s (%s): server saw %q, want %q", c.host, c.path, c.why, got, c.want)
		}
	}
}

// tokenChallenger answers "WWW-Authenticate: Token nonce=N" with
// "Authorization: Token N", remembering the nonce for later requests.
type tokenChallenger struct {
	mu    sync.Mutex
	nonce string
}

func (c *tokenChallenger) Authorize(r *http.Request) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.nonce != "" {
		r.Header.Set("Authorization", "Token "+c.nonce)
	}
	return nil
}

func (c *tokenChallenger) Challenge(_ *http.Request, resp *http.Response) (bool, error) {
	n, ok := strings.CutPrefix(resp.Header.Get("WWW-Authenticate"), "Token nonce=")
	if !ok {
		return false, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.nonce = n
	return true, nil
}

func TestChallengeResponse(t *testing.T) {
	var mu sync.Mutex
	var bodies []string
	var unauthorized int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		bodies = append(bodies, string(b))
		if r.Header.Get("Authorization") != "Token 42" {
			unauthorized++
			w.Header().Set("WWW-Authenticate", "Token nonce=42")
			w.WriteHeader(401)
			w.Write([]byte("go away"))
			return
		}
		w.Write([]byte("welcome"))
	}))
	defer srv.Close()
	c := newClient(t, &tokenChallenger{})
	req, _ := http.NewRequest("POST", srv.URL, strings.NewReader("payload"))
	if code, body := get(t, c, req); code != 200 || body != "welcome" {
		t.Fatalf("status %d %q", code, body)
	}
	// The second request authenticates up front: no new 401.
	req, _ = http.NewRequest("POST", srv.URL, strings.NewReader("again"))
	if code, _ := get(t, c, req); code != 200 {
		t.Fatalf("second request: status %d", code)
	}
	mu.Lock()
	defer mu.Unlock()
	if unauthorized != 1 || strings.Join(bodies, ",") != "payload,payload,again" {
		t.Errorf("401s: %d, bodies received: %q; want 1 and the body replayed once", unauthorized, bodies)
	}
}

func TestChallengeWithUnreplayableBody(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("WWW-Authenticate", "Token nonce=1")
		w.WriteHeader(401)
	}))
	defer srv.Close()
	c := newClient(t, &tokenChallenger{})
	req, _ := http.NewRequest("POST", srv.URL, io.NopCloser(strings.NewReader("once")))
	req.GetBody = nil
	_, err := c.Do(req)
	if !errors.Is(err, middleware.ErrUnrewindableBody) {
		t.Errorf("err = %v, want ErrUnrewindableBody", err)
	}
}
