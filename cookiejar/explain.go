package cookiejar

import (
	"net/http"
	"time"

	"github.com/relayhttp/relay/explain"
	"github.com/relayhttp/relay/internal/origin"
)

// noteCookies writes to req's trail which cookies go with req and where
// each comes from (add are those the middleware adds), and which are
// withheld and why: held, from Jar.Withheld, and, for a *Jar, the cookies
// it would send that the middleware leaves out. Only names are noted,
// never values.
func noteCookies(req *http.Request, jar http.CookieJar, add []*http.Cookie, held []Withheld) {
	t := explain.From(req.Context())
	still := origin.StillOn(req)
	own := make(map[string]bool)
	for _, c := range req.Cookies() {
		own[c.Name] = true
		t.Note(explain.Decision{Kind: explain.KindCookie, Subject: c.Name, Action: explain.ActionSent,
			Source: "request Cookie header"})
	}
	given := make(map[string]bool)
	for _, c := range CookiesFromContext(req.Context()) {
		given[c.Name] = true
		if !still {
			t.Note(explain.Decision{Kind: explain.KindCookie, Subject: c.Name, Action: explain.ActionWithheld,
				Source: "request option Cookie", Reason: "per-request cookies stay on the chain's first origin"})
		}
	}
	added := make(map[string]bool)
	for _, c := range add {
		added[c.Name] = true
		src := "jar"
		if still && given[c.Name] {
			src = "request option Cookie"
		}
		t.Note(explain.Decision{Kind: explain.KindCookie, Subject: c.Name, Action: explain.ActionSent, Source: src})
	}
	if j, ok := jar.(*Jar); ok {
		for _, e := range j.selectFor(req.URL, time.Now(), false) {
			if added[e.Name] {
				continue
			}
			d := explain.Decision{Kind: explain.KindCookie, Subject: e.Name, Action: explain.ActionWithheld, Source: "jar"}
			switch {
			case own[e.Name]:
				d.Reason = "the request's Cookie header has one of that name"
			case still && given[e.Name]:
				d.Reason = "a per-request cookie has that name"
			default:
				d.Reason = "it would go to " + origin.First(req).URL.Hostname() + ", which the chain has left"
			}
			t.Note(d)
		}
	}
	for _, w := range held {
		t.Note(explain.Decision{Kind: explain.KindCookie, Subject: w.Name, Action: explain.ActionWithheld,
			Source: "jar", Reason: w.Reason})
	}
}
