package cookiejar

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// tNow is the time the table tests start at.
var tNow = time.Date(2026, time.March, 1, 12, 0, 0, 0, time.UTC)

func mustParseURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" || u.Host == "" {
		panic(fmt.Sprintf("unable to parse URL %s", s))
	}
	return u
}

// parseSetCookie parses one raw Set-Cookie value as net/http does for a
// response; nil when net/http rejects it.
func parseSetCookie(raw string) *http.Cookie {
	cs := (&http.Response{Header: http.Header{"Set-Cookie": {raw}}}).Cookies()
	if len(cs) == 0 {
		return nil
	}
	return cs[0]
}

// serializeCookies is the "a=1 b=2" form of cs.
func serializeCookies(cs []*http.Cookie) string {
	s := make([]string, len(cs))
	for i, c := range cs {
		s[i] = c.Name + "=" + c.Value
	}
	return strings.Join(s, " ")
}

// content is the sorted "a=1 b=2" form of every live cookie in the jar.
func (j *Jar) content(now time.Time) string {
	var s []string
	for _, e := range j.all(now) {
		s = append(s, e.Name+"="+e.Value)
	}
	slices.Sort(s)
	return strings.Join(s, " ")
}

type query struct {
	toURL string // the URL in the Cookies call
	want  string // the expected list of cookies (order matters)
}

// jarTest sets the Set-Cookie values in setCookies, received from fromURL,
// checks the jar's content, then sends the queries, each a second apart.
type jarTest struct {
	description string
	fromURL     string
	setCookies  []string
	content     string
	queries     []query
}

func (test jarTest) String() string { return test.description }

func (test jarTest) run(t *testing.T, jar *Jar) {
	t.Helper()
	now := tNow
	var cs []*http.Cookie
	for _, raw := range test.setCookies {
		if c := parseSetCookie(raw); c != nil {
			cs = append(cs, c)
		}
	}
	jar.setCookies(mustParseURL(test.fromURL), cs, now)
	now = now.Add(1001 * time.Millisecond)
	if diff := cmp.Diff(test.content, jar.content(now)); diff != "" {
		t.Errorf("%s: content mismatch (-want +got):\n%s", test, diff)
	}
	for i, q := range test.queries {
		now = now.Add(1001 * time.Millisecond)
		got := serializeCookies(jar.cookies(mustParseURL(q.toURL), now))
		if diff := cmp.Diff(q.want, got); diff != "" {
			t.Errorf("%s: query %d %s mismatch (-want +got):\n%s", test, i, q.toURL, diff)
		}
	}
}

func newTestJar(t *testing.T) *Jar {
	t.Helper()
	jar, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return jar
}

var basicsTests = []jarTest{
	{
		"Retrieval of a plain host cookie.",
		"http://www.host.test/",
		[]string{"A=a"},
		"A=a",
		[]query{
			{"http://www.host.test", "A=a"},
			{"http://www.host.test/", "A=a"},
			{"http://www.host.test/some/path", "A=a"},
			{"https://www.host.test", "A=a"},
			{"http://www.host.test:8080", "A=a"},
			{"http://www.other.test", ""},
			{"http://sub.www.host.test", ""},
			{"http://host.test", ""},
			{"ftp://www.host.test", ""},
		},
	},
	{
		"Host names are canonical: case, trailing dot, Punycode.",
		"http://WWW.Host.Test./",
		[]string{"A=a"},
		"A=a",
		[]query{
			{"http://www.host.test", "A=a"},
			{"http://www.HOST.test.", "A=a"},
		},
	},
	{
		"Internationalised host names are stored as Punycode.",
		"http://www.bücher.test/",
		[]string{"A=a"},
		"A=a",
		[]query{
			{"http://www.xn--bcher-kva.test", "A=a"},
			{"http://www.bücher.test", "A=a"},
		},
	},
	{
		"A domain cookie goes to the domain and its subdomains.",
		"http://www.host.test/",
		[]string{"A=a; domain=host.test", "B=b; domain=.host.test", "C=c; domain=www.host.test"},
		"A=a B=b C=c",
		[]query{
			{"http://www.host.test", "A=a B=b C=c"},
			{"http://host.test", "A=a B=b"},
			{"http://sub.host.test", "A=a B=b"},
			{"http://deep.www.host.test", "A=a B=b C=c"},
			{"http://xhost.test", ""},
		},
	},
	{
		"A Domain the host is not in is rejected.",
		"http://www.host.test/",
		[]string{"A=a; domain=other.test", "B=b; domain=sub.www.host.test", "C=c; domain=ost.test", "D=d; domain=..host.test", "E=e; domain=host.test."},
		"",
		nil,
	},
	{
		"Path matching and the default path.",
		"http://www.host.test/dir/page",
		[]string{"A=a", "B=b; path=/dir/sub", "C=c; path=/", "D=d; path=relative", "E=e; path=/dir/"},
		"A=a B=b C=c D=d E=e",
		[]query{
			{"http://www.host.test/", "C=c"},
			{"http://www.host.test/dir", "A=a D=d C=c"},
			{"http://www.host.test/dir/", "E=e A=a D=d C=c"},
			{"http://www.host.test/dirx", "C=c"},
			{"http://www.host.test/dir/sub/x", "B=b E=e A=a D=d C=c"},
		},
	},
	{
		"Longer paths first, then creation order.",
		"http://www.host.test/",
		[]string{"A=a; path=/", "B=b; path=/foo", "C=c; path=/", "D=d; path=/foo/bar"},
		"A=a B=b C=c D=d",
		[]query{
			{"http://www.host.test/foo/bar", "D=d B=b A=a C=c"},
		},
	},
	{
		"Max-Age wins over Expires.",
		"http://www.host.test/",
		[]string{
			"A=a; max-age=100; expires=Mon, 01 Jan 2001 00:00:00 GMT",
			"B=b; max-age=-1; expires=Fri, 01 Jan 2100 00:00:00 GMT",
			"C=c; max-age=0; expires=Fri, 01 Jan 2100 00:00:00 GMT",
			"D=d; expires=Fri, 01 Jan 2100 00:00:00 GMT",
			"E=e; expires=Mon, 01 Jan 2001 00:00:00 GMT",
			"F=f; max-age=2",
		},
		"A=a D=d F=f",
		[]query{
			{"http://www.host.test/", "A=a D=d"},
		},
	},
	{
		"HttpOnly and SameSite cookies are stored and sent.",
		"http://www.host.test/",
		[]string{"A=a; HttpOnly", "B=b; SameSite=Strict", "C=c; SameSite=None; Secure"},
		"A=a B=b",
		[]query{
			{"http://www.host.test/", "A=a B=b"},
		},
	},
	{
		"Quoted values are sent as received.",
		"http://www.host.test/",
		[]string{`A="a b"`},
		"A=a b",
		[]query{
			{"http://www.host.test/", "A=a b"},
		},
	},
	{
		"Invalid names and values are rejected.",
		"http://www.host.test/",
		[]string{"=a", "A=a\x01"},
		"",
		nil,
	},
}

func TestBasics(t *testing.T) {
	for _, test := range basicsTests {
		test.run(t, newTestJar(t))
	}
}

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

// TestUpdateAndDelete runs several steps on one jar, each a second apart, as
// net/http/cookiejar's TestUpdateAndDelete does.
func TestUpdateAndDelete(t *testing.T) {
	steps := []jarTest{
		{
			"Set some cookies.",
			"http://www.host.test/",
			[]string{"A=a", "B=b; path=/foo", "C=c; domain=host.test", "D=d; max-age=100"},
			"A=a B=b C=c D=d",
			[]query{{"http://www.host.test/foo", "B=b A=a C=c D=d"}},
		},
		{
			"Update A and C; C keeps its creation time and place.",
			"http://www.host.test/",
			[]string{"A=x", "C=y; domain=host.test"},
			"A=x B=b C=y D=d",
			[]query{{"http://www.host.test/foo", "B=b A=x C=y D=d"}},
		},
		{
			"Delete with Max-Age=0 and an Expires in the past.",
			"http://www.host.test/",
			[]string{"A=; max-age=0", "C=; domain=host.test; expires=Thu, 01 Jan 1970 00:00:00 GMT", "B=; max-age=-1"},
			"B=b D=d",
			nil,
		},
		{
			"Delete the path cookie with the right path.",
			"http://www.host.test/foo/x",
			[]string{"B=; max-age=-1"},
			"D=d",
			nil,
		},
	}
	jar := newTestJar(t)
	for _, step := range steps {
		step.run(t, jar)
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

func TestPerDomainLimit(t *testing.T) {
	jar := newTestJar(t)
	// Subdomains share their registrable domain's budget: c00 is host-only
	// on s0.host.test, the others on s1.host.test.
	for i := range MaxCookiesPerDomain {
		host := "http://s1.host.test/"
		if i == 0 {
			host = "http://s0.host.test/"
		}
		jar.setCookies(mustParseURL(host), []*http.Cookie{{Name: fmt.Sprintf("c%02d", i), Value: "v"}}, tNow.Add(time.Duration(i)*time.Second))
	}
	jar.setCookies(mustParseURL("http://other.test/"), []*http.Cookie{{Name: "x", Value: "1"}}, tNow)
	now := tNow.Add(time.Hour)
	// Reading c00 makes it recent: c01 is now the least recently used.
	if got := serializeCookies(jar.cookies(mustParseURL("http://s0.host.test/"), now)); got != "c00=v" {
		t.Fatalf("s0.host.test has %q", got)
	}
	jar.setCookies(mustParseURL("http://www.host.test/"), []*http.Cookie{{Name: "new", Value: "v"}}, now.Add(time.Minute))
	all := jar.all(now.Add(time.Minute))
	names := map[string]bool{}
	for _, e := range all {
		names[e.Name] = true
	}
	if len(all) != MaxCookiesPerDomain+1 || !names["new"] || !names["c00"] || names["c01"] || !names["x"] {
		t.Errorf("after one more cookie: %d cookies, new=%v c00=%v c01=%v other=%v; want c01 evicted",
			len(all), names["new"], names["c00"], names["c01"], names["x"])
	}
}

func TestPerDomainLimitExpiredFirst(t *testing.T) {
	jar := newTestJar(t)
	u := mustParseURL("http://host.test/")
	jar.setCookies(u, []*http.Cookie{{Name: "old", Value: "v"}}, tNow)                    // least recently used
	jar.setCookies(u, []*http.Cookie{{Name: "exp", Value: "v", MaxAge: 10}}, tNow.Add(1)) // expires first
	for i := range MaxCookiesPerDomain - 2 {
		jar.setCookies(u, []*http.Cookie{{Name: fmt.Sprint("c", i), Value: "v"}}, tNow.Add(time.Duration(2+i)))
	}
	jar.setCookies(u, []*http.Cookie{{Name: "new", Value: "v"}}, tNow.Add(time.Minute))
	got := map[string]bool{}
	for _, e := range jar.all(tNow.Add(time.Minute)) {
		got[e.Name] = true
	}
	if !got["old"] || got["exp"] || !got["new"] {
		t.Errorf("old=%v exp=%v new=%v: want the expired cookie evicted first", got["old"], got["exp"], got["new"])
	}
}

func TestTotalLimit(t *testing.T) {
	jar := newTestJar(t)
	domains := MaxCookies / MaxCookiesPerDomain
	now := tNow
	for d := range domains {
		u := mustParseURL(fmt.Sprintf("http://d%02d.test/", d))
		cs := make([]*http.Cookie, MaxCookiesPerDomain)
		for i := range cs {
			cs[i] = &http.Cookie{Name: fmt.Sprint("c", i), Value: "v"}
		}
		now = now.Add(time.Second)
		jar.setCookies(u, cs, now)
	}
	if n := len(jar.all(now)); n != MaxCookies {
		t.Fatalf("%d cookies, want %d", n, MaxCookies)
	}
	// d00 is the least recently used domain until it is read.
	jar.cookies(mustParseURL("http://d00.test/"), now.Add(time.Second))
	jar.setCookies(mustParseURL("http://new.test/"), []*http.Cookie{{Name: "a", Value: "1"}, {Name: "b", Value: "2"}}, now.Add(2*time.Second))
	all := jar.all(now.Add(2 * time.Second))
	if len(all) != MaxCookies {
		t.Errorf("%d cookies, want %d", len(all), MaxCookies)
	}
	perDomain := map[string]int{}
	for _, e := range all {
		perDomain[e.Domain]++
	}
	want := map[string]int{"d00.test": 50, "d01.test": 48, "new.test": 2}
	for d, n := range want {
		if perDomain[d] != n {
			t.Errorf("%s has %d cookies, want %d", d, perDomain[d], n)
		}
	}
	gone := jar.entriesFor(mustParseURL("http://d01.test/"), now.Add(3*time.Second))
	for _, e := range gone {
		if e.Name == "c0" || e.Name == "c1" {
			t.Errorf("d01.test %s survived; the two least recently used should go", e.Name)
		}
	}
}

func TestNilJar(t *testing.T) {
	var j *Jar
	j.SetCookies(mustParseURL("http://host.test/"), []*http.Cookie{{Name: "a", Value: "1"}})
	if cs := j.Cookies(mustParseURL("http://host.test/")); len(cs) != 0 {
		t.Errorf("nil jar returned %v", cs)
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
