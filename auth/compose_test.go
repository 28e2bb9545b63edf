package auth_test

import (
	"context"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/relayhttp/relay/auth"
	"github.com/relayhttp/relay/middleware"
)

// hit is what an origin server saw of one request.
type hit struct{ Path, Authorization, Pizza string }

// origins runs two loopback origins, A at 127.0.0.1:P1 and B at
// localhost:P2. Each redirects /to-a and /to-b to the other's (or its own)
// /protected, which is Digest-protected (user u, password p) unless the
// request carries other credentials, which it accepts.
type origins struct {
	a, b     *httptest.Server
	aURL     string
	bURL     string
	mu       sync.Mutex
	hits     map[string][]hit // "A" or "B" → requests in order
	digestsA *digestServer
	digestsB *digestServer
}

func newOrigins(t *testing.T) *origins {
	t.Helper()
	o := &origins{hits: map[string][]hit{},
		digestsA: &digestServer{user: "u", pass: "p", realm: "A", qop: "auth", algorithm: "SHA-256"},
		digestsB: &digestServer{user: "u", pass: "p", realm: "B", qop: "auth", algorithm: "SHA-256"},
	}
	handler := func(name string, ds *digestServer) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			o.mu.Lock()
			o.hits[name] = append(o.hits[name], hit{r.URL.Path, r.Header.Get("Authorization"), r.Header.Get("X-Pizza")})
			o.mu.Unlock()
			switch r.URL.Path {
			case "/to-a":
				http.Redirect(w, r, o.aURL+"/protected", http.StatusFound)
			case "/to-b":
				http.Redirect(w, r, o.bURL+"/protected", http.StatusFound)
			case "/to-b-to-a":
				http.Redirect(w, r, o.bURL+"/to-a", http.StatusFound)
			case "/protected":
				h := r.Header.Get("Authorization")
				if (h == "" || strings.HasPrefix(h, "Digest ")) && r.Header.Get("X-Pizza") == "" {
					ds.ServeHTTP(w, r)
					return
				}
				io.WriteString(w, "ok")
			}
		})
	}
	o.a = httptest.NewServer(handler("A", o.digestsA))
	o.b = httptest.NewServer(handler("B", o.digestsB))
	t.Cleanup(o.a.Close)
	t.Cleanup(o.b.Close)
	o.aURL = o.a.URL
	o.bURL = strings.Replace(o.b.URL, "127.0.0.1", "localhost", 1)
	return o
}

func (o *origins) take() map[string][]hit {
	o.mu.Lock()
	defer o.mu.Unlock()
	h := o.hits
	o.hits = map[string][]hit{}
	return h
}

// clients returns an http.Client with a's middleware for each way relay's
// redirects can be followed: net/http's Client, and middleware.Redirects.
func clients(t *testing.T, a auth.Authenticator) map[string]*http.Client {
	base := &http.Transport{}
	t.Cleanup(base.CloseIdleConnections)
	return map[string]*http.Client{
		"net/http": {Transport: middleware.Chain(base, auth.Middleware(a))},
		"relay": {Transport: middleware.Chain(base, middleware.Redirects(middleware.RedirectOptions{}), auth.Middleware(a)),
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
	}
}

func status(t *testing.T, c *http.Client, url string) int {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

func TestCredentialsDoNotCrossOrigins(t *testing.T) {
	pizza := func() auth.Authenticator {
		return auth.Func(func(r *http.Request) error { r.Header.Set("X-Pizza", "admin"); return nil })
	}
	kinds := map[string]func() auth.Authenticator{
		"Digest": func() auth.Authenticator { return auth.Digest("u", "p") },
		"Func":   pizza,
		"Bearer": func() auth.Authenticator { return auth.Bearer("tok") },
		"BearerFunc": func() auth.Authenticator {
			return auth.BearerFunc(func(context.Context) (string, error) { return "tok", nil })
		},
	}
	for kind, mk := range kinds {
		for follower, c := range clients(t, mk()) {
			t.Run(kind+"/"+follower, func(t *testing.T) {
				o := newOrigins(t)
				// B's space is known (for Digest): a request that starts on B
				// authenticates there.
				if code := status(t, c, o.bURL+"/protected"); code != 200 {
					t.Fatalf("B directly: status %d", code)
				}
				// A → B: nothing reaches B, and B's 401 is not answered.
				o.take()
				if code := status(t, c, o.aURL+"/to-b"); code != 401 {
					t.Errorf("A → B: status %d, want B's 401 unanswered", code)
				}
				hits := o.take()
				if diff := cmp.Diff([]hit{{Path: "/protected"}}, hits["B"]); diff != "" {
					t.Errorf("B saw credentials after a redirect from A (-want +got):\n%s", diff)
				}
				// A → A: a 401 after a same-origin redirect is answered.
				if code := status(t, c, o.aURL+"/to-a"); code != 200 {
					t.Errorf("A → A: status %d, want the challenge answered", code)
				}
				// B → A: nothing reaches A.
				o.take()
				if code := status(t, c, o.bURL+"/to-a"); code != 401 {
					t.Errorf("B → A: status %d", code)
				}
				if diff := cmp.Diff([]hit{{Path: "/protected"}}, o.take()["A"]); diff != "" {
					t.Errorf("A saw credentials after a redirect from B (-want +got):\n%s", diff)
				}
			})
		}
	}
}

func TestNetrcAcrossOrigins(t *testing.T) {
	o := newOrigins(t)
	f, err := auth.ParseNetrc([]byte("machine 127.0.0.1 login a password pa\nmachine localhost login b password pb\n"))
	if err != nil {
		t.Fatal(err)
	}
	basic := func(u, p string) string { return "Basic " + base64.StdEncoding.EncodeToString([]byte(u+":"+p)) }
	mw := auth.MiddlewareWithOptions(auth.MiddlewareOptions{Netrc: func() (*auth.NetrcFile, error) { return f, nil }})
	base := &http.Transport{}
	defer base.CloseIdleConnections()
	c := &http.Client{Transport: middleware.Chain(base, mw)}
	for _, tc := range []struct {
		start string
		want  map[string][]hit
	}{
		{o.aURL + "/to-b", map[string][]hit{ // each hop gets its own host's entry
			"A": {{"/to-b", basic("a", "pa"), ""}},
			"B": {{"/protected", basic("b", "pb"), ""}},
		}},
		{o.bURL + "/to-a", map[string][]hit{
			"B": {{"/to-a", basic("b", "pb"), ""}},
			"A": {{"/protected", basic("a", "pa"), ""}},
		}},
		{o.aURL + "/to-b-to-a", map[string][]hit{ // back on A after leaving it: nothing put back
			"A": {{"/to-b-to-a", basic("a", "pa"), ""}, {"/protected", "", ""}},
			"B": {{"/to-a", basic("b", "pb"), ""}},
		}},
	} {
		status(t, c, tc.start)
		if diff := cmp.Diff(tc.want, o.take()); diff != "" {
			t.Errorf("%s: netrc credentials per hop (-want +got):\n%s", tc.start, diff)
		}
	}
}

// recorder is an in-memory origin that records the Authorization header of
// each request.
type recorder struct {
	mu   sync.Mutex
	seen []string
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	r.seen = append(r.seen, req.Header.Get("Authorization"))
	r.mu.Unlock()
	return response(req, 200, nil, ""), nil
}

func (r *recorder) take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.seen
	r.seen = nil
	return s
}

func TestPrecedence(t *testing.T) {
	header := func(a auth.Authenticator) string {
		r, _ := http.NewRequest("GET", "http://h/", nil)
		a.Authorize(r)
		return r.Header.Get("Authorization")
	}
	perRequest, session, fromURL := auth.Bearer("request"), auth.Bearer("session"), auth.Bearer("url")
	netrc, _ := auth.ParseNetrc([]byte("machine h login n password np\nmachine other login o password op"))
	netrcHeader := header(auth.Basic("n", "np"))
	var sessionAuth atomic.Value
	sessionAuth.Store(holder{session})
	rec := &recorder{}
	rt := middleware.Chain(rec, auth.MiddlewareWithOptions(auth.MiddlewareOptions{
		Auth:  func() auth.Authenticator { return sessionAuth.Load().(holder).a },
		Netrc: func() (*auth.NetrcFile, error) { return netrc, nil },
	}))
	send := func(ctx context.Context, url, explicit string) string {
		req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
		if explicit != "" {
			req.Header.Set("Authorization", explicit)
		}
		resp, err := rt.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return strings.Join(rec.take(), "|")
	}
	bg := context.Background()
	all := auth.NewURLContext(auth.NewContext(bg, perRequest), fromURL)
	for _, tc := range []struct {
		name    string
		ctx     context.Context
		session auth.Authenticator
		header  string
		want    string
	}{
		{"explicit header wins", all, session, "Custom x", "Custom x"},
		{"per-request", all, session, "", "Bearer request"},
		{"session", auth.NewURLContext(bg, fromURL), session, "", "Bearer session"},
		{"URL", auth.NewURLContext(bg, fromURL), nil, "", "Bearer url"},
		{"netrc", bg, nil, "", netrcHeader},
		{"nil per-request turns netrc off too", auth.NewContext(bg, nil), session, "", ""},
		{"nil URL authenticator is ignored", auth.NewURLContext(bg, nil), nil, "", netrcHeader},
	} {
		sessionAuth.Store(holder{tc.session})
		if got := send(tc.ctx, "http://h/", tc.header); got != tc.want {
			t.Errorf("%s: sent %q, want %q", tc.name, got, tc.want)
		}
	}
	// An off-origin hop of a chain with URL credentials gets nothing: not
	// them, and not netrc, because the request has explicit credentials.
	sessionAuth.Store(holder{nil})
	hop := chain("http://h/", "http://other/")
	hop = hop.WithContext(auth.NewURLContext(bg, fromURL))
	resp, err := rt.RoundTrip(hop)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := rec.take(); len(got) != 1 || got[0] != "" {
		t.Errorf("off-origin hop with URL credentials sent %q", got)
	}
}

type holder struct{ a auth.Authenticator }

func TestNetrcErrorFailsTheRequest(t *testing.T) {
	_, parseErr := auth.ParseNetrc([]byte(`machine h password "s3cret`))
	rt := middleware.Chain(&recorder{}, auth.MiddlewareWithOptions(auth.MiddlewareOptions{
		Netrc: func() (*auth.NetrcFile, error) { return nil, parseErr },
	}))
	body := &trackingBody{ReadCloser: io.NopCloser(strings.NewReader("x"))}
	req, _ := http.NewRequest("POST", "http://h/", body)
	_, err := rt.RoundTrip(req)
	if err != parseErr || err.Error() != "auth: netrc: line 1: quoted token not closed on its line" || !body.closed.Load() {
		t.Errorf("err = %v (body closed: %v)", err, body.closed.Load())
	}
}

func TestFromURL(t *testing.T) {
	for _, tc := range []struct{ in, url, user, pass string }{
		{"https://u:p@h.test/x?y=1#f", "https://h.test/x?y=1#f", "u", "p"},
		{"https://u%40x:p%3Aw%20@h.test:8443/", "https://h.test:8443/", "u@x", "p:w "},
		{"https://u@h.test/", "https://h.test/", "u", ""},
		{"https://:p@h.test/", "https://h.test/", "", "p"},
		{"https://:@h.test/", "https://h.test/", "", ""},
		{"https://h.test/", "https://h.test/", "", ""},
	} {
		u, _ := url.Parse(tc.in)
		a, clean := auth.FromURL(u)
		if clean.String() != tc.url {
			t.Errorf("FromURL(%s) URL = %s, want %s", tc.in, clean, tc.url)
		}
		if u.User == nil && strings.Contains(tc.in, "@") {
			t.Errorf("FromURL(%s) modified its argument", tc.in)
		}
		var got string
		if a != nil {
			r, _ := http.NewRequest("GET", clean.String(), nil)
			a.Authorize(r)
			user, pass, _ := r.BasicAuth()
			got = user + ":" + pass
		}
		want := ""
		if tc.user != "" || tc.pass != "" {
			want = tc.user + ":" + tc.pass
		}
		if got != want {
			t.Errorf("FromURL(%s) credentials %q, want %q", tc.in, got, want)
		}
	}
	if a, u := auth.FromURL(nil); a != nil || u != nil {
		t.Error("FromURL(nil) is not nil, nil")
	}
}
