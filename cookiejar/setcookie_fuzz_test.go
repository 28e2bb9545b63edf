package cookiejar

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// FuzzSetCookie feeds Set-Cookie field values, as a server could send them,
// through net/http's parser into the jar, and checks the jar never panics and
// never hands back more than its limits allow.
func FuzzSetCookie(f *testing.F) {
	for _, seed := range []string{
		"a=1",
		"SID=31d4d96e407aad42; Path=/; Secure; HttpOnly",
		"lang=en-US; Expires=Wed, 09 Jun 2021 10:18:14 GMT",
		"id=a3fWa; Max-Age=2592000; Domain=example.com; SameSite=Lax",
		"__Host-id=1; Secure; Path=/",
		"__Secure-id=1; Domain=example.com",
		"x=" + strings.Repeat("v", 5000),
		"a=b; Domain=.co.uk",
		"a=b; Path=relative",
		"=novalue",
		"a=\"quoted\"; Max-Age=-1",
	} {
		f.Add(seed, "https://www.example.com/dir/page")
	}
	now := time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, setCookie, rawURL string) {
		u, err := url.Parse(rawURL)
		if err != nil {
			return
		}
		j, err := New(nil)
		if err != nil {
			t.Fatal(err)
		}
		resp := http.Response{Header: http.Header{"Set-Cookie": strings.Split(setCookie, "\n")}}
		j.setCookies(u, resp.Cookies(), now)
		got := j.cookies(u, now)
		if len(got) > MaxCookiesPerDomain {
			t.Fatalf("%d cookies for one URL, more than %d", len(got), MaxCookiesPerDomain)
		}
		for _, c := range got {
			if len(c.Name)+len(c.Value) > MaxCookieSize {
				t.Fatalf("a cookie of %d bytes was kept", len(c.Name)+len(c.Value))
			}
		}
	})
}
