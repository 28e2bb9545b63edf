package auth_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/relayhttp/relay/auth"
)

func TestNetrcLookup(t *testing.T) {
	f, err := auth.ParseNetrc([]byte("machine Example.COM login u password p\nmachine bare\nmachine h:8080 login x password y\ndefault login anon password d\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ host, want string }{
		{"example.com", "machine Example.COM login u password ***"},
		{"EXAMPLE.com", "machine Example.COM login u password ***"},
		{"h", "default login anon password ***"}, // ports are not matched: "h:8080" is no host name
		{"other", "default login anon password ***"},
		{"bare", "machine bare"},
	} {
		e, ok := f.Lookup(tc.host)
		if !ok || e.String() != tc.want {
			t.Errorf("Lookup(%q) = %v, %v; want %s", tc.host, e, ok, tc.want)
		}
	}
	var none *auth.NetrcFile
	if _, ok := none.Lookup("x"); ok {
		t.Error("a nil file has entries")
	}
	e, _ := f.Lookup("example.com")
	for _, s := range []string{fmt.Sprint(e), fmt.Sprintf("%+v %#v %s", e, e, e)} {
		if strings.Contains(s, "password p") || strings.Contains(s, `"p"`) {
			t.Errorf("formatting shows the password: %s", s)
		}
	}
}

// chain builds the requests of a redirect chain through urls, linked by
// Request.Response the way net/http's Client links them.
func chain(urls ...string) *http.Request {
	var req *http.Request
	for _, u := range urls {
		next, _ := http.NewRequest("GET", u, nil)
		if req != nil {
			next.Response = &http.Response{StatusCode: 302, Request: req}
		}
		req = next
	}
	return req
}

func TestNetrcForHop(t *testing.T) {
	f, _ := auth.ParseNetrc([]byte("machine a.test login a password 1\nmachine b.test login b password 2\ndefault login d password 3"))
	for _, tc := range []struct {
		hops []string
		want string
	}{
		{[]string{"https://a.test/"}, "a"},
		{[]string{"https://a.test/", "https://a.test/x"}, "a"},
		{[]string{"https://a.test/", "https://b.test/"}, "b"},                   // each hop its own host's entry
		{[]string{"https://a.test/", "https://a.test:8443/"}, "a"},              // netrc keys hosts, not ports
		{[]string{"https://a.test/", "https://b.test/", "https://a.test/"}, ""}, // never put back
		{[]string{"http://a.test/", "https://a.test/", "https://b.test/", "https://b.test/y"}, "b"},
		{[]string{"https://c.test/"}, "d"}, // default on the first origin
		{[]string{"https://c.test/", "https://c.test/2"}, "d"},
		{[]string{"https://a.test/", "https://c.test/"}, ""}, // default never after leaving
	} {
		e, ok := auth.NetrcForHop(f, chain(tc.hops...))
		if e.Login != tc.want || ok != (tc.want != "") {
			t.Errorf("%v: got %q, want %q", tc.hops, e.Login, tc.want)
		}
	}
}
