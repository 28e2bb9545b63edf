package cookiejar

import (
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestWithheld(t *testing.T) {
	jar, _ := New(nil)
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	jar.setCookies(mustParseURL("https://www.example.com/"), []*http.Cookie{
		{Name: "sent", Value: "1"},
		{Name: "secure", Value: "2", Secure: true},
		{Name: "admin", Value: "3", Path: "/admin"},
		{Name: "soon", Value: "4", MaxAge: 60},
		{Name: "wide", Value: "5", Domain: "example.com"},
	}, now)
	jar.setCookies(mustParseURL("https://api.example.com/"), []*http.Cookie{{Name: "api", Value: "6"}}, now)
	jar.setCookies(mustParseURL("https://other.org/"), []*http.Cookie{{Name: "elsewhere", Value: "7"}}, now)

	got := jar.withheld(mustParseURL("http://www.example.com/docs"), now.Add(2*time.Minute))
	want := []Withheld{
		{Name: "api", Domain: "api.example.com", Path: "/", Reason: "host-only cookie of api.example.com, not www.example.com"},
		{Name: "secure", Domain: "www.example.com", Path: "/", Reason: "Secure cookie over http"},
		{Name: "soon", Domain: "www.example.com", Path: "/", Reason: "expired Fri, 02 Jan 2026 03:05:05 UTC"},
		{Name: "admin", Domain: "www.example.com", Path: "/admin", Reason: "path /admin does not match /docs"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("withheld (-want +got):\n%s", diff)
	}
	// What is withheld and what is sent partition the site's cookies.
	sent := jar.cookies(mustParseURL("http://www.example.com/docs"), now.Add(2*time.Minute))
	if len(sent) != 2 {
		t.Errorf("sent %v, want sent and wide", sent)
	}
	var nilJar *Jar
	if nilJar.Withheld(mustParseURL("http://x/")) != nil || jar.Withheld(mustParseURL("ftp://www.example.com/")) != nil {
		t.Error("a nil jar or a non-http URL withholds something")
	}
}
