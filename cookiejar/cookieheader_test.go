package cookiejar

import (
	"bytes"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"golang.org/x/net/http/httpguts"
)

func TestWritePair(t *testing.T) {
	for _, tc := range []struct {
		name, value string
		quoted      bool
		want        string // "" when writePair leaves it to net/http
	}{
		{"session", "abc123", false, "session=abc123"},
		{"a", "", false, "a="},
		{"a", "", true, `a=""`},
		{"a", "x", true, `a="x"`},
		{"a", "two words", false, `a="two words"`},
		{"a", "x,y", false, `a="x,y"`},
		{"a", "!#$%&'()*+-./:<=>?@[]^_`{|}~", false, "a=!#$%&'()*+-./:<=>?@[]^_`{|}~"},
		{"a", `say "hi"`, false, ""},
		{"a", "x;y", false, ""},
		{"a", `x\y`, false, ""},
		{"a", "é", false, ""},
		{"a", "x\x7f", false, ""},
		{"a", "x\ty", false, ""},
		{"two words", "v", false, ""},
		{"", "v", false, ""},
		{"a;b", "v", false, ""},
	} {
		var b strings.Builder
		ok := writePair(&b, tc.name, tc.value, tc.quoted)
		if got := b.String(); ok != (tc.want != "") || got != tc.want {
			t.Errorf("writePair(%q, %q, quoted %v) = %q, %v; want %q", tc.name, tc.value, tc.quoted, got, ok, tc.want)
		}
	}
}

// TestWithCookiesMatchesAddCookie checks the Cookie header withCookies
// writes against the one net/http's AddCookie builds, cookie after cookie,
// for cookies writePair writes and cookies it leaves to net/http.
func TestWithCookiesMatchesAddCookie(t *testing.T) {
	defer redirectLog(new(bytes.Buffer))() // net/http warns of the bytes it drops
	add := []*http.Cookie{
		{Name: "a", Value: "1"},
		{Name: "b", Value: "two words"},
		{Name: "c", Value: "q", Quoted: true},
		{Name: "d", Value: `bad"quote`},
		{Name: "e f", Value: "bad name"},
		{Name: "g\r\nh", Value: "v"},
	}
	for _, own := range [][]string{nil, {"x=1"}, {"x=1", "y=2; z=3"}} {
		req, err := http.NewRequest(http.MethodGet, "http://example.test/", nil)
		if err != nil {
			t.Fatal(err)
		}
		if own != nil {
			req.Header["Cookie"] = own
		}
		want := &http.Request{Header: http.Header{}}
		if own != nil {
			want.Header.Set("Cookie", strings.Join(own, "; "))
		}
		for _, c := range add {
			want.AddCookie(c)
		}
		got := withCookies(req, add)
		if g, w := got.Header.Values("Cookie"), want.Header.Values("Cookie"); len(g) != 1 || g[0] != w[0] {
			t.Errorf("own %q: Cookie %q, want AddCookie's %q", own, g, w)
		}
		if len(own) > 0 && len(req.Header["Cookie"]) != len(own) {
			t.Errorf("own %q: the caller's Cookie header became %q", own, req.Header["Cookie"])
		}
	}
}

// FuzzWritePair checks writePair against net/http: what it writes is what
// http.Cookie's String and AddCookie write, and what it leaves is a name
// String refuses or a value net/http would change, logging it.
func FuzzWritePair(f *testing.F) {
	for _, s := range [][2]string{{"session", "abc123"}, {"a", "two words"}, {"a", `x"y`}, {"a b", "v"}, {"", ""}, {"k", "é"}} {
		f.Add(s[0], s[1], false)
		f.Add(s[0], s[1], true)
	}
	f.Fuzz(func(t *testing.T, name, value string, quoted bool) {
		var logged bytes.Buffer
		defer redirectLog(&logged)()
		c := &http.Cookie{Name: name, Value: value, Quoted: quoted}
		var b strings.Builder
		if writePair(&b, name, value, quoted) {
			want := &http.Request{Header: http.Header{}}
			want.AddCookie(c)
			if got, s := b.String(), c.String(); got != s || got != want.Header.Get("Cookie") {
				t.Fatalf("writePair wrote %q; String writes %q, AddCookie %q", got, s, want.Header.Get("Cookie"))
			}
			if logged.Len() > 0 {
				t.Fatalf("net/http logged %q for a pair writePair wrote as it came", logged.String())
			}
			return
		}
		if b.Len() != 0 {
			t.Fatalf("writePair declined after writing %q", b.String())
		}
		if httpguts.ValidHeaderFieldName(name) {
			_ = c.String()
			if !strings.Contains(logged.String(), "invalid byte") {
				t.Fatalf("writePair declined %q=%q (quoted %v), which net/http writes unchanged", name, value, quoted)
			}
		}
	})
}

// redirectLog sends the standard logger's output, where net/http warns of
// the bytes it drops from a cookie, to w until the returned func is called.
func redirectLog(w *bytes.Buffer) func() {
	out := log.Writer()
	log.SetOutput(w)
	return func() { log.SetOutput(out) }
}

// TestCookieHeaderMatchesCookies checks the header a *Jar writes for a
// plain hop against AddCookie of what Cookies returns, URL by URL, over
// cookies of several domains, paths and kinds of value.
func TestCookieHeaderMatchesCookies(t *testing.T) {
	defer redirectLog(new(bytes.Buffer))()
	jar, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	set := func(raw string, cs ...*http.Cookie) {
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		jar.SetCookies(u, cs)
	}
	set("https://www.example.com/app/",
		&http.Cookie{Name: "host", Value: "h"},
		&http.Cookie{Name: "deep", Value: "two words", Path: "/app/x"},
		&http.Cookie{Name: "app", Value: "a,b", Path: "/app"},
		&http.Cookie{Name: "q", Value: "v", Quoted: true},
		&http.Cookie{Name: "empty", Value: ""},
		&http.Cookie{Name: "secure", Value: "s", Secure: true},
		&http.Cookie{Name: "dom", Value: "d", Domain: "example.com"})
	set("https://api.example.com/", &http.Cookie{Name: "api", Value: "1"})
	for _, raw := range []string{
		"https://www.example.com/app/x/y",
		"https://www.example.com/app",
		"http://www.example.com/",
		"https://api.example.com/v1",
		"https://example.com/",
		"https://other.test/",
	} {
		u, _ := url.Parse(raw)
		want := &http.Request{Header: http.Header{}}
		for _, c := range jar.Cookies(u) {
			want.AddCookie(c)
		}
		if got := jar.cookieHeader(u); got != want.Header.Get("Cookie") {
			t.Errorf("%s: cookieHeader %q, want AddCookie's %q", raw, got, want.Header.Get("Cookie"))
		}
	}
	if got := (*Jar)(nil).cookieHeader(&url.URL{Scheme: "https", Host: "example.com"}); got != "" {
		t.Errorf("a nil jar wrote %q", got)
	}
}

// TestMiddlewarePlainHopMatchesMerge sends the same requests through the
// middleware with a *Jar (the plain hop's direct header) and with the jar
// behind a wrapper that hides its type (the general merge): the server
// must see the same Cookie header.
func TestMiddlewarePlainHopMatchesMerge(t *testing.T) {
	var mu sync.Mutex
	var seen []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, strings.Join(r.Header.Values("Cookie"), " | "))
	}))
	defer srv.Close()
	base := &http.Transport{}
	defer base.CloseIdleConnections()
	jar, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(srv.URL)
	jar.SetCookies(u, []*http.Cookie{{Name: "a", Value: "1"}, {Name: "b", Value: "x y"}, {Name: "c", Value: "q", Quoted: true}})
	for _, j := range []http.CookieJar{jar, hiddenJar{jar}} {
		rt := Middleware(j)(base)
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/", nil)
		resp, err := rt.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if _, ok := req.Header["Cookie"]; ok {
			t.Errorf("%T: the caller's request got a Cookie header", j)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(seen) != 2 || seen[0] != seen[1] || seen[0] != `a=1; b="x y"; c="q"` {
		t.Errorf("Cookie headers sent: %q; want a=1; b=\"x y\"; c=\"q\" twice", seen)
	}
}

// hiddenJar is a *Jar the middleware does not recognise.
type hiddenJar struct{ j *Jar }

func (h hiddenJar) Cookies(u *url.URL) []*http.Cookie             { return h.j.Cookies(u) }
func (h hiddenJar) SetCookies(u *url.URL, cookies []*http.Cookie) { h.j.SetCookies(u, cookies) }
