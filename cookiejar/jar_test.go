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

func TestNilJar(t *testing.T) {
	var j *Jar
	j.SetCookies(mustParseURL("http://host.test/"), []*http.Cookie{{Name: "a", Value: "1"}})
	if cs := j.Cookies(mustParseURL("http://host.test/")); len(cs) != 0 {
		t.Errorf("nil jar returned %v", cs)
	}
}
