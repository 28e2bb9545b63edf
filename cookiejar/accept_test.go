package cookiejar

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var secureTests = []jarTest{
	{
		"An http origin cannot set a Secure cookie.",
		"http://www.host.test/",
		[]string{"A=a; secure", "B=b"},
		"B=b",
		nil,
	},
	{
		"An https origin sets Secure cookies; they go over https only.",
		"https://www.host.test/",
		[]string{"A=a; secure", "B=b"},
		"A=a B=b",
		[]query{
			{"https://www.host.test/", "A=a B=b"},
			{"http://www.host.test/", "B=b"},
		},
	},
	{
		"Localhost and loopback addresses are secure origins.",
		"http://localhost:8080/",
		[]string{"A=a; secure", "__Host-B=b; secure; path=/"},
		"A=a __Host-B=b",
		[]query{
			{"http://localhost/", "A=a __Host-B=b"},
		},
	},
	{
		"__Secure- needs Secure and a secure origin, in any case.",
		"https://www.host.test/",
		[]string{"__Secure-A=a; secure", "__Secure-B=b", "__SECURE-C=c", "__secure-D=d; secure"},
		"__Secure-A=a __secure-D=d",
		nil,
	},
	{
		"__Secure- from http is rejected even with Secure.",
		"http://www.host.test/",
		[]string{"__Secure-A=a; secure"},
		"",
		nil,
	},
	{
		"__Host- needs Secure, no Domain and Path=/.",
		"https://www.host.test/dir/page",
		[]string{
			"__Host-A=a; secure; path=/",
			"__Host-B=b; secure",
			"__Host-C=c; secure; path=/dir",
			"__Host-D=d; secure; path=/; domain=www.host.test",
			"__Host-E=e; path=/",
			"__HOST-F=f; path=/",
		},
		"__Host-A=a",
		nil,
	},
}

func TestSecure(t *testing.T) {
	for _, test := range secureTests {
		test.run(t, newTestJar(t))
	}
}

// TestLeaveSecureCookiesAlone checks RFC 6265bis §5.7: an insecure origin
// neither overwrites, shadows nor deletes a Secure cookie.
func TestLeaveSecureCookiesAlone(t *testing.T) {
	set := func(jar *Jar, from, raw string, now time.Time) {
		jar.setCookies(mustParseURL(from), []*http.Cookie{parseSetCookie(raw)}, now)
	}
	tests := []struct {
		desc string
		raw  string // set from http://www.host.test/dir/page after A=secure
		want string // on https://www.host.test/dir/x
	}{
		{"overwrite", "A=plain; path=/", "A=secure"},
		{"shadow under a deeper path", "A=plain; path=/dir", "A=secure"},
		{"shadow with a domain cookie", "A=plain; domain=host.test", "A=secure"},
		{"delete", "A=x; path=/; max-age=0", "A=secure"},
		{"another name is fine", "B=plain; path=/", "A=secure B=plain"},
	}
	for _, tc := range tests {
		jar := newTestJar(t)
		set(jar, "https://www.host.test/", "A=secure; secure; path=/", tNow)
		set(jar, "http://www.host.test/dir/page", tc.raw, tNow.Add(time.Second))
		got := serializeCookies(jar.cookies(mustParseURL("https://www.host.test/dir/x"), tNow.Add(2*time.Second)))
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s: mismatch (-want +got):\n%s", tc.desc, diff)
		}
	}
	// A secure origin may overwrite it, and keeps its creation time.
	jar := newTestJar(t)
	set(jar, "https://www.host.test/", "A=1; secure; path=/", tNow)
	set(jar, "https://www.host.test/", "A=2; path=/", tNow.Add(time.Second))
	all := jar.all(tNow.Add(2 * time.Second))
	if len(all) != 1 || all[0].Value != "2" || all[0].Secure || !all[0].Created.Equal(tNow) {
		t.Errorf("after an https overwrite: %+v", all)
	}
}

var publicSuffixTests = []jarTest{
	{
		"A cookie for a public suffix is rejected.",
		"http://www.bbc.co.uk/",
		[]string{"A=a; domain=co.uk", "B=b; domain=uk", "C=c; domain=bbc.co.uk"},
		"C=c",
		[]query{{"http://news.bbc.co.uk/", "C=c"}, {"http://www.other.co.uk/", ""}},
	},
	{
		"Private suffixes of the list count too.",
		"https://victim.github.io/",
		[]string{"A=a; domain=github.io", "B=b"},
		"B=b",
		[]query{{"https://attacker.github.io/", ""}, {"https://victim.github.io/", "B=b"}},
	},
	{
		"A host that is a public suffix may set a host-only cookie for itself.",
		"http://co.uk/",
		[]string{"A=a; domain=co.uk", "B=b"},
		"A=a B=b",
		[]query{{"http://co.uk/", "A=a B=b"}, {"http://www.co.uk/", ""}},
	},
	{
		"Unlisted TLDs are public suffixes too (the * rule).",
		"http://www.host.test/",
		[]string{"A=a; domain=test"},
		"",
		nil,
	},
}

func TestPublicSuffix(t *testing.T) {
	for _, test := range publicSuffixTests {
		test.run(t, newTestJar(t))
	}
}

var ipTests = []jarTest{
	{
		"IPv4 hosts: cookies are host-only.",
		"http://192.168.0.10/",
		[]string{"A=a", "B=b; domain=192.168.0.10", "C=c; domain=.192.168.0.10", "D=d; domain=168.0.10"},
		"A=a B=b",
		[]query{{"http://192.168.0.10/", "A=a B=b"}, {"http://1.192.168.0.10/", ""}},
	},
	{
		"IPv6 hosts.",
		"http://[2001:db8::1]:8080/",
		[]string{"A=a", "B=b; domain=2001:db8::1"},
		"A=a B=b",
		[]query{{"http://[2001:db8::1]/", "A=a B=b"}},
	},
}

func TestIP(t *testing.T) {
	for _, test := range ipTests {
		test.run(t, newTestJar(t))
	}
	jar := newTestJar(t)
	jar.setCookies(mustParseURL("http://[2001:db8::1]/"), []*http.Cookie{{Name: "A", Value: "a", Domain: "db8::1"}}, tNow)
	if got := jar.content(tNow); got != "" {
		t.Errorf("a domain suffix of an IPv6 address was accepted: %q", got)
	}
}

func TestExpiry(t *testing.T) {
	jar := newTestJar(t)
	u := mustParseURL("http://www.host.test/")
	jar.setCookies(u, []*http.Cookie{
		{Name: "short", Value: "1", MaxAge: 10},
		{Name: "long", Value: "1", MaxAge: 1000 * 24 * 3600},
		{Name: "far", Value: "1", Expires: tNow.Add(5 * 365 * 24 * time.Hour)},
		{Name: "session", Value: "1"},
	}, tNow)
	got := map[string]Entry{}
	for _, e := range jar.all(tNow) {
		got[e.Name] = e
	}
	if want := tNow.Add(10 * time.Second); !got["short"].Expires.Equal(want) {
		t.Errorf("short expires %v, want %v", got["short"].Expires, want)
	}
	for _, name := range []string{"long", "far"} {
		if want := tNow.Add(MaxLifetime); !got[name].Expires.Equal(want) {
			t.Errorf("%s expires %v, want the 400-day cap %v", name, got[name].Expires, want)
		}
	}
	if s := got["session"]; s.Persistent || !s.Expires.IsZero() {
		t.Errorf("session cookie listed as %+v", s)
	}
	if got := serializeCookies(jar.cookies(u, tNow.Add(11*time.Second))); got != "long=1 far=1 session=1" {
		t.Errorf("after 11 s: %q", got)
	}
	if got := jar.content(tNow.Add(401 * 24 * time.Hour)); got != "session=1" {
		t.Errorf("after 401 days: %q", got)
	}
}

func TestSizeLimit(t *testing.T) {
	u := mustParseURL("http://www.host.test/")
	// "A=" plus the value: the whole Set-Cookie line is measured.
	exact := "A=" + strings.Repeat("v", MaxCookieSize-2)
	over := "B=" + strings.Repeat("v", MaxCookieSize-1)
	withAttrs := "C=" + strings.Repeat("v", MaxCookieSize-20) + "; path=/; domain=host.test"
	jar := newTestJar(t)
	jar.setCookies(u, []*http.Cookie{parseSetCookie(exact), parseSetCookie(over), parseSetCookie(withAttrs)}, tNow)
	var names []string
	for _, e := range jar.all(tNow) {
		names = append(names, e.Name)
	}
	if diff := cmp.Diff([]string{"A"}, names); diff != "" {
		t.Errorf("cookies kept (-want +got):\n%s", diff)
	}
	// A cookie built in code is measured by name, value, domain and path.
	jar.setCookies(u, []*http.Cookie{{Name: "D", Value: strings.Repeat("v", MaxCookieSize), Path: "/"}}, tNow)
	if n := len(jar.all(tNow)); n != 1 {
		t.Errorf("an oversized cookie built in code was kept: %d cookies", n)
	}
}

type listPSL struct{}

func (listPSL) PublicSuffix(d string) string {
	if strings.HasSuffix(d, ".example") || d == "example" {
		return "example"
	}
	i := strings.LastIndex(d, ".")
	return d[i+1:]
}
func (listPSL) String() string { return "test list" }

func TestCustomPublicSuffixList(t *testing.T) {
	jar, err := New(&Options{PublicSuffixList: listPSL{}})
	if err != nil {
		t.Fatal(err)
	}
	jarTest{
		"A custom list is used.",
		"http://a.b.example/",
		[]string{"A=a; domain=example", "B=b; domain=b.example"},
		"B=b",
		[]query{{"http://c.b.example/", "B=b"}},
	}.run(t, jar)
}
