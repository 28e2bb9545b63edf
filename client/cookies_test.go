package client_test

import (
	"net/http"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/relayhttp/relay/client"
	"github.com/relayhttp/relay/cookiejar"
)

// cookiesSeen asks go-httpbin which cookies it received.
func cookiesSeen(t *testing.T, s *client.Session, base string, opts ...client.Option) map[string]string {
	t.Helper()
	var got struct{ Cookies map[string]string }
	if err := mustDo(t, s, "GET", base+"/cookies", opts...).JSON(&got); err != nil {
		t.Fatal(err)
	}
	if got.Cookies == nil {
		got.Cookies = map[string]string{}
	}
	return got.Cookies
}

func TestSessionCookiesPersist(t *testing.T) {
	srv := httpbin(t)
	s := newSession(t)
	// Requests' example: the cookie is set on a 302 to /cookies, stored,
	// and sent on that next hop and on later requests.
	r := mustDo(t, s, "GET", srv.URL+"/cookies/set?sessioncookie=123456789")
	var first struct{ Cookies map[string]string }
	r.JSON(&first)
	if first.Cookies["sessioncookie"] != "123456789" || len(r.History) != 1 {
		t.Errorf("after the redirect: %v (%d hops)", first.Cookies, len(r.History))
	}
	if diff := cmp.Diff(map[string]string{"sessioncookie": "123456789"}, cookiesSeen(t, s, srv.URL)); diff != "" {
		t.Errorf("next request's cookies (-want +got):\n%s", diff)
	}
}

func TestPerRequestCookiesAreNotStored(t *testing.T) {
	srv := httpbin(t)
	s := newSession(t)
	got := cookiesSeen(t, s, srv.URL, client.Cookie(&http.Cookie{Name: "once", Value: "1"}))
	if got["once"] != "1" {
		t.Errorf("per-request cookie not sent: %v", got)
	}
	if got := cookiesSeen(t, s, srv.URL); len(got) != 0 {
		t.Errorf("a per-request cookie was stored in the jar: %v", got)
	}
}

func TestJarCanBeReplacedOrRemoved(t *testing.T) {
	srv := httpbin(t)
	s := newSession(t)
	mustDo(t, s, "GET", srv.URL+"/cookies/set?a=1")
	s.Jar = nil
	if got := cookiesSeen(t, s, srv.URL); len(got) != 0 {
		t.Errorf("with Jar = nil the session sent %v", got)
	}
	fresh, _ := cookiejar.New(nil)
	s.Jar = fresh
	mustDo(t, s, "GET", srv.URL+"/cookies/set?b=2")
	if diff := cmp.Diff(map[string]string{"b": "2"}, cookiesSeen(t, s, srv.URL)); diff != "" {
		t.Errorf("replaced jar (-want +got):\n%s", diff)
	}
}

func TestJarSavedAndLoaded(t *testing.T) {
	srv := httpbin(t)
	s := newSession(t)
	mustDo(t, s, "GET", srv.URL+"/cookies/set?keep=yes")
	path := filepath.Join(t.TempDir(), "cookies.txt")
	// go-httpbin's cookies are session cookies: include them explicitly.
	if err := s.Jar.(*cookiejar.Jar).Save(path, &cookiejar.SaveOptions{Format: cookiejar.Netscape, IncludeSession: true}); err != nil {
		t.Fatal(err)
	}
	s2 := newSession(t)
	if err := s2.Jar.(*cookiejar.Jar).Load(path); err != nil {
		t.Fatal(err)
	}
	if got := cookiesSeen(t, s2, srv.URL); got["keep"] != "yes" {
		t.Errorf("a new session with the loaded jar sent %v", got)
	}
}
