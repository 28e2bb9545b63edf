package middleware

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// TestLocationOnTheWire serves Locations with raw UTF-8 and other bytes a
// request target may not hold, and checks the request line of the hop that
// follows each (RFC 9112 §3.2: the target is ASCII, RFC 3986 characters).
func TestLocationOnTheWire(t *testing.T) {
	cases := []struct{ location, sent string }{
		{"/café?q=é", "/caf%C3%A9?q=%C3%A9"},
		{"/日本/語?名前=値&x=1", "/%E6%97%A5%E6%9C%AC/%E8%AA%9E?%E5%90%8D%E5%89%8D=%E5%80%A4&x=1"},
		// Valid escapes stay as they are: not encoded again, not decoded,
		// not upper-cased; %2F stays distinct from a slash.
		{"/a%2Fb/caf%C3%A9?x=%41%2f&y=%C3%A9", "/a%2Fb/caf%C3%A9?x=%41%2f&y=%C3%A9"},
		{"/café%2Fb?q=é%26r", "/caf%C3%A9%2Fb?q=%C3%A9%26r"},
		{"/x y?a b=c d", "/x%20y?a%20b=c%20d"},
		{`/p|[1]^{}"<>\?t=[1]|^` + "`" + `{}"<>\`, "/p%7C%5B1%5D%5E%7B%7D%22%3C%3E%5C?t=%5B1%5D%7C%5E%60%7B%7D%22%3C%3E%5C"},
		{"/100%?off=50%&z=%zz", "/100%25?off=50%25&z=%25zz"},
		{"/sub-delims/!$&'()*+,;=:@?!$&'()*+,;=:@/?", "/sub-delims/!$&'()*+,;=:@?!$&'()*+,;=:@/?"},
		{"/frag?q=é#partie-é", "/frag?q=%C3%A9"}, // the fragment is not sent
		{"?only=é", "/from?only=%C3%A9"},
		{"café?q=é", "/caf%C3%A9?q=%C3%A9"},
	}
	var mu sync.Mutex
	var sent []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/from" && r.URL.Query().Has("case") {
			i, _ := strconv.Atoi(r.URL.Query().Get("case"))
			w.Header().Set("Location", cases[i].location) // raw, as some servers send it
			w.WriteHeader(http.StatusFound)
			return
		}
		mu.Lock()
		sent = append(sent, r.RequestURI)
		mu.Unlock()
	}))
	t.Cleanup(srv.Close)
	base := &http.Transport{}
	t.Cleanup(base.CloseIdleConnections)
	rt := Chain(base, Redirects(RedirectOptions{}))
	for i, c := range cases {
		mu.Lock()
		sent = nil
		mu.Unlock()
		req, _ := http.NewRequest("GET", fmt.Sprintf("%s/from?case=%d", srv.URL, i), nil)
		resp, err := rt.RoundTrip(req)
		if err != nil {
			t.Errorf("Location %q: %v", c.location, err)
			continue
		}
		DrainAndClose(resp)
		mu.Lock()
		got := sent
		mu.Unlock()
		if resp.StatusCode != 200 || len(got) != 1 || got[0] != c.sent {
			t.Errorf("Location %q: %d, request targets %q, want [%q]", c.location, resp.StatusCode, got, c.sent)
		}
		if _, frag, ok := strings.Cut(c.location, "#"); ok && resp.Request.URL.Fragment != frag {
			t.Errorf("Location %q: final fragment %q, want %q", c.location, resp.Request.URL.Fragment, frag)
		}
	}
}

func TestRequoteLocation(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", ""},
		{"/plain/path?q=1&r=2#frag", "/plain/path?q=1&r=2#frag"},
		{"/café", "/caf%C3%A9"},
		{"/caf%C3%A9", "/caf%C3%A9"},
		{"/caf%c3%a9?x=%41", "/caf%c3%a9?x=%41"},
		{"/a b?c d#e f", "/a%20b?c%20d#e%20f"},
		{"/a#b#c", "/a#b%23c"},
		{"/%", "/%25"},
		{"/%4", "/%254"},
		{"/%4g%41", "/%254g%41"},
		{"/50%?x=100%#5%", "/50%25?x=100%25#5%25"},
		{"/[]\\^`{|}\"<>", "/%5B%5D%5C%5E%60%7B%7C%7D%22%3C%3E"},
		{"/ÿ\x80\xff", "/%C3%BF%80%FF"}, // any byte from 0x80, valid UTF-8 or not
		{"/\u00e9?\u00e9", "/%C3%A9?%C3%A9"},
		// Control bytes are kept for url.Parse to reject.
		{"/a\tb\x00c\x7fd\r\n", "/a\tb\x00c\x7fd\r\n"},
		// The scheme and authority are never touched.
		{"http://café.test/é", "http://café.test/%C3%A9"},
		{"HTTP://user:p ss@h:1?é", "HTTP://user:p ss@h:1?%C3%A9"},
		{"//h é/x é", "//h é/x%20%C3%A9"},
		{"http://[fe80::1%25en0]:8080/ü", "http://[fe80::1%25en0]:8080/%C3%BC"},
		{"http://h#é", "http://h#%C3%A9"},
		{"https:/ö", "https:/%C3%B6"},
		{"mailto:a b", "mailto:a%20b"},
		{"1http://é", "1http://%C3%A9"}, // not a scheme: a relative path
		{":x/é", ":x/%C3%A9"},
		{"é:x", "%C3%A9:x"},
	} {
		if got := requoteLocation(c.in); got != c.want {
			t.Errorf("requoteLocation(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// FuzzRequoteLocation checks requoteLocation's contract on any input, and
// that whatever location accepts becomes a request target of RFC 3986
// characters only.
func FuzzRequoteLocation(f *testing.F) {
	for _, s := range []string{
		"/café?q=é#é", "/a%2Fb?x=%41%2f", "/100%?x=%zz", "/a#b#c", "http://café.test/é", "//h/ü?ü",
		"http://[::1]:80/x y", "?é", "é", "../../é?%", "/[]\\^`{|}\"<>", "/\x80\xff", "/a\tb", "", "#",
	} {
		f.Add(s)
	}
	base, _ := url.Parse("http://relay.test/dir/page?old=1#old")
	f.Fuzz(func(t *testing.T, loc string) {
		out := requoteLocation(loc)
		if again := requoteLocation(out); again != out {
			t.Fatalf("not idempotent: %q → %q → %q", loc, out, again)
		}
		start := pathStart(loc)
		if pathStart(out) != start || out[:start] != loc[:start] {
			t.Fatalf("%q → %q: the scheme or authority changed", loc, out)
		}
		if lenientUnescape(out) != lenientUnescape(loc) {
			t.Fatalf("%q → %q: not the same bytes once decoded", loc, out)
		}
		fragment := false
		for i := start; i < len(out); i++ {
			switch c := out[i]; {
			case c == '#' && !fragment:
				fragment = true
			case c == '%':
				if i+2 >= len(out) || !isHex(out[i+1]) || !isHex(out[i+2]) {
					t.Fatalf("%q → %q: a bare %% at %d", loc, out, i)
				}
			case c < ' ' || c == 0x7f: // kept for url.Parse to reject
			case !targetByte(c):
				t.Fatalf("%q → %q: byte %q at %d", loc, out, c, i)
			}
		}
		resp := &http.Response{StatusCode: http.StatusFound, Header: http.Header{"Location": {loc}}}
		target, err := location(resp, base)
		if err != nil {
			return
		}
		uri := target.RequestURI()
		for i := 0; i < len(uri); i++ {
			if c := uri[i]; c == '%' && i+2 < len(uri) && isHex(uri[i+1]) && isHex(uri[i+2]) {
				i += 2
			} else if !targetByte(c) {
				t.Fatalf("Location %q: request target %q has byte %q at %d", loc, uri, c, i)
			}
		}
	})
}

// lenientUnescape decodes every valid %XX escape of s and keeps every other
// byte as it is.
func lenientUnescape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			v, _ := strconv.ParseUint(s[i+1:i+3], 16, 8)
			b.WriteByte(byte(v))
			i += 2
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
