package transport

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// named is a RoundTripper that answers every request with its own name.
type named string

func (n named) RoundTrip(req *http.Request) (*http.Response, error) {
	closeRequestBody(req)
	return &http.Response{
		StatusCode: http.StatusOK,
		Body:       io.NopCloser(strings.NewReader(string(n))),
		Request:    req,
	}, nil
}

func TestParsePrefix(t *testing.T) {
	tests := []struct {
		in      string
		want    string // canonical form
		wantErr string // substring of the error; "" for none
	}{
		{in: "https://", want: "https://"},
		{in: "HTTPS://", want: "https://"},
		{in: "svn+ssh://", want: "svn+ssh://"},
		{in: "https://api.example.com", want: "https://api.example.com:443"},
		{in: "https://API.Example.COM:443", want: "https://api.example.com:443"},
		{in: "http://a.com:8080/v1", want: "http://a.com:8080/v1"},
		{in: "http://a.com/", want: "http://a.com:80"},
		{in: "http://a.com/v1/", want: "http://a.com:80/v1/"},
		{in: "http://a.com/a%20b", want: "http://a.com:80/a b"},
		{in: "http://[::1]:8080/x", want: "http://[::1]:8080/x"},
		{in: "http://[fe80::1%25en0]/", want: "http://[fe80::1%25en0]:80"},
		{in: "ftp://files.example.com", want: "ftp://files.example.com"},
		{in: "https://a.com:0443", want: "https://a.com:443"},
		{in: "", wantErr: "want scheme://"},
		{in: "api.example.com", wantErr: "want scheme://"},
		{in: "https:", wantErr: "want scheme://"},
		{in: "https:/a.com", wantErr: "want scheme://"},
		{in: "://a.com", wantErr: "want scheme://"},
		{in: "1http://a.com", wantErr: "want scheme://"},
		{in: "ht tp://a.com", wantErr: "want scheme://"},
		{in: "https:///path", wantErr: "needs a host"},
		{in: "https://:443", wantErr: "needs a host"},
		{in: "https://a.com:", wantErr: "empty port"},
		{in: "https://a.com:0", wantErr: "port out of range"},
		{in: "https://a.com:65536", wantErr: "port out of range"},
		{in: "https://a.com:https", wantErr: "invalid port"},
		{in: "https://a.com/?q=1", wantErr: "query or fragment"},
		{in: "https://a.com/#frag", wantErr: "query or fragment"},
		{in: "https://a.com?", wantErr: "query or fragment"},
		{in: "https://user:secret@a.com", wantErr: "userinfo"},
		{in: "https://user:secret@a.com/x@y?q", wantErr: "userinfo"},
		{in: "user:secret@a.com", wantErr: "want scheme://"},
		{in: "https:user:secret@a.com", wantErr: "want scheme://"},
		{in: "https://a b.com", wantErr: "invalid character"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			p, err := parsePrefix(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("parsePrefix(%q) = %v, %v; want an error containing %q", tt.in, p, err, tt.wantErr)
				}
				if !strings.HasPrefix(err.Error(), "transport: mount prefix ") {
					t.Errorf("error %q lacks the package prefix", err)
				}
				if strings.Contains(err.Error(), "secret") {
					t.Errorf("error %q shows the password", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("parsePrefix(%q): %v", tt.in, err)
			}
			if got := p.String(); got != tt.want {
				t.Errorf("parsePrefix(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// matchCase is one row of TestRouterMatch; its String makes failures
// explain themselves.
type matchCase struct {
	url  string
	want string // name of the transport; "" for no match
}

func (c matchCase) String() string { return fmt.Sprintf("%s -> %q", c.url, c.want) }

func TestRouterMatch(t *testing.T) {
	mounts := []string{
		"https://",
		"http://",
		"https://api.example.com",
		"https://api.example.com/v1",
		"https://api.example.com/v1/admin/",
		"http://localhost:8080",
		"http://[::1]:9000/ipv6",
		"wss://stream.example.com",
	}
	r := NewRouter()
	for _, m := range mounts {
		if err := r.Mount(m, named(m)); err != nil {
			t.Fatal(err)
		}
	}
	tests := []matchCase{
		// The scheme alone.
		{"https://other.example.com/", "https://"},
		{"http://other.example.com/", "http://"},
		{"HTTPS://other.example.com/", "https://"},
		{"ftp://x/", ""},
		{"mailto:someone@example.com", ""},
		{"wss://elsewhere/", ""},

		// The host must be equal, not a string prefix.
		{"https://api.example.com/", "https://api.example.com"},
		{"https://api.example.com", "https://api.example.com"},
		{"https://API.EXAMPLE.COM/x", "https://api.example.com"},
		{"https://api.example.com.evil.net/", "https://"},
		{"https://api.example.community/", "https://"},
		{"https://sub.api.example.com/", "https://"},
		{"https://user:pw@api.example.com/", "https://api.example.com"},

		// Ports, with the default filled in.
		{"https://api.example.com:443/x", "https://api.example.com"},
		{"https://api.example.com:8443/x", "https://"},
		{"http://api.example.com/x", "http://"},
		{"http://localhost:8080/x", "http://localhost:8080"},
		{"http://localhost/x", "http://"},
		{"http://localhost:80/x", "http://"},
		{"wss://stream.example.com:443/", "wss://stream.example.com"},

		// Paths on segment boundaries, longest first.
		{"https://api.example.com/v1", "https://api.example.com/v1"},
		{"https://api.example.com/v1/", "https://api.example.com/v1"},
		{"https://api.example.com/v1/users?page=2", "https://api.example.com/v1"},
		{"https://api.example.com/v10", "https://api.example.com"},
		{"https://api.example.com/v1x/", "https://api.example.com"},
		{"https://api.example.com/V1", "https://api.example.com"},
		{"https://api.example.com/v1/admin/", "https://api.example.com/v1/admin/"},
		{"https://api.example.com/v1/admin/users", "https://api.example.com/v1/admin/"},
		{"https://api.example.com/v1/admin", "https://api.example.com/v1"},
		{"https://api.example.com/v1/administrator", "https://api.example.com/v1"},
		{"http://[::1]:9000/ipv6/x", "http://[::1]:9000/ipv6"},
		{"http://[::1]:9000/other", "http://"},
	}
	for _, tt := range tests {
		u, err := url.Parse(tt.url)
		if err != nil {
			t.Fatal(err)
		}
		rt, ok := r.Match(u)
		var got string
		if ok {
			got = string(rt.(named))
		}
		if got != tt.want {
			t.Errorf("%v: got %q", tt, got)
		}
		// Prefix names the same mount, as it was mounted.
		if prefix, ok := r.Prefix(u); prefix != tt.want || ok != (tt.want != "") {
			t.Errorf("Prefix(%s) = %q, %v; want %q", tt.url, prefix, ok, tt.want)
		}
	}
}

func TestRouterMountReplaces(t *testing.T) {
	r := NewRouter()
	u, _ := url.Parse("https://a.com/x")
	steps := []struct {
		prefix string
		rt     named
		want   string
	}{
		{"https://a.com", "first", "first"},
		{"https://A.COM:443", "second", "second"},
		{"https://a.com/", "third", "third"},
		{"https://", "scheme", "third"},
		{"https://a.com/x", "path", "path"},
	}
	for _, s := range steps {
		if err := r.Mount(s.prefix, s.rt); err != nil {
			t.Fatal(err)
		}
		rt, _ := r.Match(u)
		if got := string(rt.(named)); got != s.want {
			t.Errorf("after Mount(%q, %q): Match = %q, want %q", s.prefix, s.rt, got, s.want)
		}
	}
	if n := len(r.load()); n != 3 {
		t.Errorf("router holds %d mounts, want 3", n)
	}
}

func TestRouterMountErrors(t *testing.T) {
	r := NewRouter()
	if err := r.Mount("https://", named("keep")); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		prefix string
		rt     http.RoundTripper
	}{
		{"example.com", named("x")},
		{"https://user:secret@a.com", named("x")},
		{"https://a.com?q", named("x")},
		{"https://a.com", nil},
		{"https://user:secret@a.com", nil},
	}
	for _, tt := range tests {
		err := r.Mount(tt.prefix, tt.rt)
		if err == nil {
			t.Errorf("Mount(%q, %v) succeeded, want an error", tt.prefix, tt.rt)
			continue
		}
		if strings.Contains(err.Error(), "secret") {
			t.Errorf("Mount(%q) error %q shows the password", tt.prefix, err)
		}
	}
	if diff := cmp.Diff([]string{"https://"}, mountedPrefixes(r)); diff != "" {
		t.Errorf("failed mounts changed the router (-want +got):\n%s", diff)
	}
}

func mountedPrefixes(r *Router) []string {
	var s []string
	for _, x := range r.load() {
		s = append(s, x.prefix.String())
	}
	return s
}

// trackedBody records whether it was closed.
type trackedBody struct {
	io.Reader
	closed atomic.Bool
}

func (b *trackedBody) Close() error {
	b.closed.Store(true)
	return nil
}

func TestRouterNotMounted(t *testing.T) {
	var zero Router // the zero Router routes nothing
	r := NewRouter()
	if err := r.Mount("https://", named("https")); err != nil {
		t.Fatal(err)
	}
	for _, rt := range []*Router{&zero, r} {
		body := &trackedBody{Reader: strings.NewReader("data")}
		req, _ := http.NewRequest(http.MethodPost, "ftp://user:secret@files.example.com/up?x=1", body)
		resp, err := rt.RoundTrip(req)
		if resp != nil {
			t.Errorf("RoundTrip returned a response: %v", resp.Status)
		}
		if !errors.Is(err, ErrNotMounted) {
			t.Fatalf("RoundTrip error = %v, want ErrNotMounted", err)
		}
		want := "transport: no transport mounted for ftp://files.example.com/up?x=1"
		if err.Error() != want {
			t.Errorf("error = %q, want %q", err, want)
		}
		if !body.closed.Load() {
			t.Error("request body was not closed")
		}
	}
}

func TestRouterNoURL(t *testing.T) {
	body := &trackedBody{Reader: strings.NewReader("data")}
	_, err := NewRouter().RoundTrip(&http.Request{Body: body})
	if err == nil || !strings.HasPrefix(err.Error(), "transport: ") {
		t.Errorf("RoundTrip error = %v, want a transport error", err)
	}
	if !body.closed.Load() {
		t.Error("request body was not closed")
	}
}

// TestRouterOverLoopback routes requests for two made-up hosts to two real
// servers, and follows a redirect from one to the other back through the
// router.
func TestRouterOverLoopback(t *testing.T) {
	b := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = fmt.Fprintf(w, "b saw %s%s", r.Host, r.URL.Path)
	}))
	defer b.Close()
	a := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/go-to-b" {
			http.Redirect(w, r, "http://b.test/landed", http.StatusFound)
			return
		}
		_, _ = fmt.Fprintf(w, "a saw %s%s", r.Host, r.URL.Path)
	}))
	defer a.Close()

	r := NewRouter()
	for prefix, srv := range map[string]*httptest.Server{"http://a.test": a, "http://b.test": b} {
		tr := mustNew(t, IgnoreEnvironment(), DialContext(dialTo(srv.Listener.Addr().String())))
		if err := r.Mount(prefix, tr); err != nil {
			t.Fatal(err)
		}
	}
	client := &http.Client{Transport: r}
	defer client.CloseIdleConnections()

	tests := []struct{ url, want string }{
		{"http://a.test/x", "a saw a.test/x"},
		{"http://b.test/y", "b saw b.test/y"},
		{"http://a.test/go-to-b", "b saw b.test/landed"},
	}
	for _, tt := range tests {
		resp, err := client.Get(tt.url)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if string(body) != tt.want {
			t.Errorf("GET %s = %q, want %q", tt.url, body, tt.want)
		}
	}
	if _, err := client.Get("http://c.test/"); !errors.Is(err, ErrNotMounted) {
		t.Errorf("GET http://c.test/ error = %v, want ErrNotMounted", err)
	}
}

// closeCounter counts CloseIdleConnections calls.
type closeCounter struct {
	named
	n atomic.Int32
}

func (c *closeCounter) CloseIdleConnections() { c.n.Add(1) }

// closeFunc is a RoundTripper of a type that cannot be compared.
type closeFunc func()

func (f closeFunc) RoundTrip(*http.Request) (*http.Response, error) { return nil, errors.New("unused") }
func (f closeFunc) CloseIdleConnections()                           { f() }

func TestRouterCloseIdleConnections(t *testing.T) {
	shared, alone := &closeCounter{named: "shared"}, &closeCounter{named: "alone"}
	var funcCalls int
	r := NewRouter()
	mounts := []struct {
		prefix string
		rt     http.RoundTripper
	}{
		{"https://", shared},
		{"http://", shared},
		{"https://a.com", alone},
		{"https://b.com", named("no method")},
		{"https://c.com", closeFunc(func() { funcCalls++ })},
		{"https://d.com", closeFunc(func() { funcCalls++ })},
	}
	for _, m := range mounts {
		if err := r.Mount(m.prefix, m.rt); err != nil {
			t.Fatal(err)
		}
	}
	r.CloseIdleConnections()
	got := [3]int{int(shared.n.Load()), int(alone.n.Load()), funcCalls}
	if diff := cmp.Diff([3]int{1, 1, 2}, got); diff != "" {
		t.Errorf("CloseIdleConnections calls [shared alone funcs] mismatch (-want +got):\n%s", diff)
	}
}

// TestRouterConcurrent shares one router among 64 goroutines while mounts
// change; run it with -race.
func TestRouterConcurrent(t *testing.T) {
	r := NewRouter()
	if err := r.Mount("https://", named("any")); err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse("https://api.example.com/v1/x")
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if err := r.Mount(fmt.Sprintf("https://h%d.example.com", i%50), named("h")); err != nil {
				t.Error(err)
				return
			}
			_ = r.Mount("https://api.example.com/v1", named("v1"))
		}
	})
	var readers sync.WaitGroup
	for range 64 {
		readers.Go(func() {
			for range 200 {
				rt, ok := r.Match(u)
				if !ok || (rt != named("any") && rt != named("v1")) {
					t.Errorf("Match = %v, %v", rt, ok)
					return
				}
				req, _ := http.NewRequest(http.MethodGet, u.String(), nil)
				resp, err := r.RoundTrip(req)
				if err != nil {
					t.Error(err)
					return
				}
				resp.Body.Close()
			}
		})
	}
	readers.Wait()
	close(stop)
	wg.Wait()
}

func TestRouterMatchDoesNotAllocate(t *testing.T) {
	r := benchRouter(t)
	for _, raw := range []string{
		"https://API.example.com:443/v1/users/42",
		"http://unmatched.example.com/",
		"https://host7.example.com/deep/path",
	} {
		u, _ := url.Parse(raw)
		if n := testing.AllocsPerRun(100, func() { r.Match(u) }); n != 0 {
			t.Errorf("Match(%s) made %v allocations, want 0", raw, n)
		}
	}
}

func benchRouter(tb testing.TB) *Router {
	r := NewRouter()
	prefixes := []string{"https://", "http://", "https://api.example.com", "https://api.example.com/v1", "https://api.example.com/v2/"}
	for i := range 10 {
		prefixes = append(prefixes, fmt.Sprintf("https://host%d.example.com", i))
	}
	for _, p := range prefixes {
		if err := r.Mount(p, named(p)); err != nil {
			tb.Fatal(err)
		}
	}
	return r
}

func BenchmarkRouterMatch(b *testing.B) {
	r := benchRouter(b)
	u, _ := url.Parse("https://api.example.com/v1/users/42")
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := r.Match(u); !ok {
			b.Fatal("no match")
		}
	}
}

func BenchmarkRouterMatchParallel(b *testing.B) {
	r := benchRouter(b)
	u, _ := url.Parse("https://api.example.com/v1/users/42")
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			r.Match(u)
		}
	})
}

func FuzzParsePrefix(f *testing.F) {
	for _, s := range []string{
		"https://", "http://a.com", "https://API.example.com:443/v1/", "http://[::1]:8080/x",
		"http://[fe80::1%25en0]/", "https://user:pw@a.com", "https://a.com:", "https:///x",
		"https://a.com/?q", "ftp://files/x%2Fy", "svn+ssh://h/", "", "://", "https://a.com:99999",
	} {
		f.Add(s, "https://a.com/x")
	}
	f.Fuzz(func(t *testing.T, s, request string) {
		// A password never reaches an error, scheme or no scheme.
		for _, in := range []string{"https://u:SECRETPW@" + s, "u:SECRETPW@" + s} {
			if _, err := parsePrefix(in); err == nil || strings.Contains(err.Error(), "SECRETPW") {
				t.Errorf("parsePrefix(%q) error = %v; want an error without the password", in, err)
			}
		}
		p, err := parsePrefix(s)
		if err != nil {
			return
		}
		// A prefix matches its own URL.
		if u, err := url.Parse(s); err == nil && !p.matches(u) {
			t.Errorf("prefix %q does not match its own URL", s)
		}
		// The canonical form parses to the same prefix.
		if q, err := parsePrefix(p.String()); err != nil || q != p {
			t.Errorf("parsePrefix(%q) = %v, %v; want %v", p.String(), q, err, p)
		}
		// Matching any URL never panics.
		if u, err := url.Parse(request); err == nil {
			p.matches(u)
		}
	})
}
