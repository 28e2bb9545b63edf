package client_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
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
	"github.com/relayhttp/relay/client"
	"github.com/relayhttp/relay/middleware"
	"github.com/relayhttp/relay/transport"
)

func TestRedirectHistory(t *testing.T) {
	srv := httpbin(t)
	s := newSession(t)
	r := mustDo(t, s, "GET", srv.URL+"/redirect/3")
	if r.StatusCode != 200 || r.Request.URL.Path != "/get" {
		t.Fatalf("ended at %d %s", r.StatusCode, r.Request.URL)
	}
	var got []string
	for _, h := range r.History {
		got = append(got, h.Request.URL.Path+" "+h.Status)
	}
	want := []string{"/redirect/3 302 Found", "/relative-redirect/2 302 Found", "/relative-redirect/1 302 Found"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("history (-want +got):\n%s", diff)
	}
	if b, _ := r.History[0].Bytes(); len(b) != 0 {
		t.Errorf("a hop's body should be drained, got %q", b)
	}
}

func TestRedirectOptions(t *testing.T) {
	srv := httpbin(t)
	s := newSession(t)
	r := mustDo(t, s, "GET", srv.URL+"/redirect/2", client.NoRedirects())
	if r.StatusCode != 302 || len(r.History) != 0 {
		t.Errorf("NoRedirects: %d with %d hops", r.StatusCode, len(r.History))
	}
	_, err := s.Get(context.Background(), srv.URL+"/redirect/3", client.MaxRedirects(2))
	var re *middleware.RedirectError
	if !errors.Is(err, client.ErrTooManyRedirects) || !errors.As(err, &re) || len(re.History) != 2 {
		t.Errorf("MaxRedirects(2): %v, want the 2 redirects followed", err)
	}
	s.MaxRedirects = 1
	if _, err := s.Get(context.Background(), srv.URL+"/redirect/2"); !errors.Is(err, client.ErrTooManyRedirects) {
		t.Errorf("Session.MaxRedirects = 1: %v", err)
	}
	if _, err := s.Get(context.Background(), srv.URL+"/redirect/1"); err != nil {
		t.Errorf("Session.MaxRedirects = 1 and one redirect: %v", err)
	}
}

// TestTooManyRedirectsHistory: an endless chain makes 31 requests and fails
// with the 30 followed in its history, as Requests' TooManyRedirects.
func TestTooManyRedirectsHistory(t *testing.T) {
	var requests atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := requests.Add(1)
		http.Redirect(w, r, "/"+itoa(int(n)), http.StatusFound)
	}))
	t.Cleanup(srv.Close)
	s := newSession(t)
	_, err := s.Get(context.Background(), srv.URL+"/0")
	var re *middleware.RedirectError
	if !errors.Is(err, client.ErrTooManyRedirects) || !errors.As(err, &re) {
		t.Fatalf("err = %v, want a *middleware.RedirectError matching ErrTooManyRedirects", err)
	}
	if n := requests.Load(); n != 31 {
		t.Errorf("%d requests, want 31", n)
	}
	if len(re.History) != 30 || re.History[0].Request.URL.Path != "/0" || re.History[29].Request.URL.Path != "/29" {
		t.Errorf("History holds %d responses, want the 30 redirects followed, /0 to /29", len(re.History))
	}
	if re.Response == nil || re.Response.Header.Get("Location") != "/31" {
		t.Errorf("Response = %v, want the 302 to /31 that was not followed", re.Response)
	}
}

func TestRedirect307ReplaysJSON(t *testing.T) {
	srv := httpbin(t)
	s := newSession(t)
	r := mustDo(t, s, "POST", srv.URL+"/redirect-to?url=/post&status_code=307", client.JSON(map[string]int{"n": 7}))
	e := echo(t, r)
	var sent map[string]int
	json.Unmarshal(e.JSON, &sent)
	if e.Method != "POST" || sent["n"] != 7 || len(r.History) != 1 {
		t.Errorf("after a 307: %s %v, %d hops", e.Method, sent, len(r.History))
	}
}

func TestRedirectBodiesAreNotDecoded(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/from" {
			w.Header().Set("Content-Encoding", "gzip")
			w.Header().Set("Location", "/to")
			w.WriteHeader(http.StatusFound)
			w.Write([]byte("not gzip at all"))
			return
		}
		w.Write([]byte("arrived"))
	}))
	t.Cleanup(srv.Close)
	s := newSession(t)
	if text, _ := mustDo(t, s, "GET", srv.URL+"/from").Text(); text != "arrived" {
		t.Errorf("got %q", text)
	}
}

// watcher records the sensitive headers each server receives.
type watcher struct {
	mu   sync.Mutex
	seen []string
}

func (w *watcher) handler(name string, next http.HandlerFunc) http.HandlerFunc {
	return func(rw http.ResponseWriter, r *http.Request) {
		var got []string
		for _, h := range []string{"Authorization", "Cookie", "Proxy-Authorization", "X-Api-Key", "X-Pizza"} {
			if v := r.Header.Get(h); v != "" {
				got = append(got, h)
			}
		}
		w.mu.Lock()
		w.seen = append(w.seen, name+r.URL.Path+" "+strings.Join(got, ","))
		w.mu.Unlock()
		next(rw, r)
	}
}

func (w *watcher) log() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.seen...)
}

// TestCredentialsStrippedAcrossOrigins uses two loopback origins,
// 127.0.0.1:P1 and localhost:P2.
func TestCredentialsStrippedAcrossOrigins(t *testing.T) {
	var w watcher
	var one, two *httptest.Server
	one = httptest.NewServer(w.handler("one", func(rw http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/start":
			http.Redirect(rw, r, "/same", http.StatusFound)
		case "/same":
			http.Redirect(rw, r, strings.Replace(two.URL, "127.0.0.1", "localhost", 1)+"/away", http.StatusTemporaryRedirect)
		case "/back":
			http.Redirect(rw, r, "/end", http.StatusFound)
		}
	}))
	defer one.Close()
	two = httptest.NewServer(w.handler("two", func(rw http.ResponseWriter, r *http.Request) {
		http.Redirect(rw, r, one.URL+"/back", http.StatusFound)
	}))
	defer two.Close()

	s := newSession(t)
	s.Auth = auth.Basic("user", "pass")
	s.Headers.Set("X-Api-Key", "k")
	s.MarkSensitive("x-api-key")
	_, err := s.Get(context.Background(), one.URL+"/start",
		client.Header("Cookie", "a=1"), client.Header("Proxy-Authorization", "Basic eA=="))
	if err != nil {
		t.Fatal(err)
	}
	// Proxy-Authorization never reaches an origin: with no proxy in the way
	// the route middleware drops it from the start.
	all := "Authorization,Cookie,X-Api-Key"
	want := []string{
		"one/start " + all,
		"one/same " + all, // same origin: kept
		"two/away ",       // another host and port: stripped
		"one/back ",       // back on the first origin: nothing put back
		"one/end ",
	}
	if diff := cmp.Diff(want, w.log()); diff != "" {
		t.Errorf("headers seen (-want +got):\n%s", diff)
	}
}

// mapDialer maps host:port names to loopback listeners, so tests can use
// default ports and several host names.
func mapDialer(routes map[string]string) func(ctx context.Context, network, addr string) (net.Conn, error) {
	var d net.Dialer
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		if to, ok := routes[addr]; ok {
			return d.DialContext(ctx, network, to)
		}
		return nil, errors.New("test dialer: no route to " + addr)
	}
}

func TestCredentialOriginRulesWithNames(t *testing.T) {
	var w watcher
	redirect := func(rw http.ResponseWriter, r *http.Request) {
		if to := r.URL.Query().Get("to"); to != "" {
			http.Redirect(rw, r, to, http.StatusFound)
		}
	}
	plain := httptest.NewServer(w.handler("http", redirect))
	defer plain.Close()
	tls := httptest.NewTLSServer(w.handler("https", redirect))
	defer tls.Close()
	host := func(u string) string { return strings.TrimPrefix(strings.TrimPrefix(u, "http://"), "https://") }
	rt, err := transport.New(transport.InsecureSkipVerify(), transport.IgnoreEnvironment(), transport.DialContext(mapDialer(map[string]string{
		"a.test:80":       host(plain.URL),
		"a.test:8080":     host(plain.URL),
		"a.test:443":      host(tls.URL),
		"a.test:8443":     host(tls.URL),
		"sub.a.test:443":  host(tls.URL),
		"sub.a.test:80":   host(plain.URL),
		"b.test:80":       host(plain.URL),
		"a.test.evil:443": host(tls.URL),
	})))
	if err != nil {
		t.Fatal(err)
	}
	s := newSession(t, client.WithTransport(rt))
	s.Auth = auth.Func(func(r *http.Request) error { r.Header.Set("X-Pizza", "admin"); return nil })
	cases := []struct {
		from, to string
		kept     bool
	}{
		{"http://a.test/", "https://a.test/", true},       // the http → https upgrade on default ports
		{"http://a.test:8080/", "https://a.test/", false}, // a port change
		{"http://a.test/", "https://a.test:8443/", false},
		{"https://a.test/", "http://a.test/", false}, // a downgrade
		{"https://a.test/", "https://sub.a.test/", false},
		{"http://a.test/", "http://b.test/", false},
		{"https://a.test/", "https://a.test/other", true},
	}
	for _, c := range cases {
		before := len(w.log())
		_, err := s.Get(context.Background(), c.from+"?to="+c.to, client.Header("Cookie", "c=1"))
		if err != nil {
			t.Fatalf("%s → %s: %v", c.from, c.to, err)
		}
		log := w.log()[before:]
		if len(log) != 2 {
			t.Fatalf("%s → %s: %d requests", c.from, c.to, len(log))
		}
		gotKept := strings.HasSuffix(log[1], "Cookie,X-Pizza")
		if gotKept != c.kept || !strings.HasSuffix(log[0], "Cookie,X-Pizza") {
			t.Errorf("%s → %s: seen %q, credentials kept = %v, want %v", c.from, c.to, log, gotKept, c.kept)
		}
	}
}

func TestRedirectToAnotherMount(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://mounted.test/landing", http.StatusFound)
	}))
	t.Cleanup(srv.Close)
	s := newSession(t)
	var hits atomic.Int32
	s.Mount("http://mounted.test", middleware.RoundTripperFunc(func(r *http.Request) (*http.Response, error) {
		hits.Add(1)
		return cannedResponse(r, "from the mount"), nil
	}))
	r := mustDo(t, s, "GET", srv.URL+"/")
	if text, _ := r.Text(); text != "from the mount" || hits.Load() != 1 || len(r.History) != 1 {
		t.Errorf("got %q, mount hits %d, hops %d", text, hits.Load(), len(r.History))
	}
}

func TestRedirectChainsReuseConnections(t *testing.T) {
	var conns atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/end" {
			w.Write(bytes.Repeat([]byte("x"), 1000)) // a body to drain; the status is set by Redirect below
		}
	}))
	srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/a":
			http.Redirect(w, r, "/b", http.StatusFound)
		case "/b":
			http.Redirect(w, r, "/end", http.StatusMovedPermanently)
		default:
			io.WriteString(w, "end")
		}
	})
	srv.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	s := newSession(t)
	for range 100 {
		r := mustDo(t, s, "GET", srv.URL+"/a")
		if len(r.History) != 2 {
			t.Fatalf("%d hops", len(r.History))
		}
	}
	if n := conns.Load(); n > 2 {
		t.Errorf("100 chains opened %d connections; drained hops should reuse one", n)
	}
}
