package cookiejar

import (
	"fmt"
	"net/http"
	"testing"
	"time"
)

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
