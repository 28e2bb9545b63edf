package cookiejar

import (
	"bytes"
	"log"
	"net/http"
	"strings"
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
		ok := writePair(&b, &http.Cookie{Name: tc.name, Value: tc.value, Quoted: tc.quoted})
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
		if writePair(&b, c) {
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
