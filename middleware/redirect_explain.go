package middleware

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/relayhttp/relay/explain"
	"github.com/relayhttp/relay/internal/origin"
)

// noteHop writes to the trail of ctx the redirect that starts hop n (the
// first redirect starts hop 2) and what following it changed: the method,
// and the headers of prev that hop no longer has. first is the origin of
// the chain's first request.
func noteHop(ctx context.Context, prev, hop *http.Request, resp *http.Response, n int, first origin.Origin) {
	t := explain.From(ctx)
	t.Note(explain.Decision{Kind: explain.KindRedirect, Subject: trailURL(hop.URL), Action: explain.ActionFollowed,
		Reason: strconv.Itoa(resp.StatusCode) + " " + http.StatusText(resp.StatusCode), Hop: n})
	if hop.Method != prev.Method {
		t.Note(explain.Decision{Kind: explain.KindRedirect, Subject: "method " + hop.Method, Action: explain.ActionSet,
			Reason: strconv.Itoa(resp.StatusCode) + " turns " + prev.Method + " into GET without a body"})
	}
	to := origin.Of(hop.URL)
	for _, name := range sortedKeys(prev.Header) {
		if _, kept := hop.Header[name]; kept {
			continue
		}
		d := explain.Decision{Kind: explain.KindHeader, Subject: name, Action: explain.ActionStripped}
		switch name {
		case "Content-Type", "Content-Length", "Transfer-Encoding":
			d.Reason = "a " + strconv.Itoa(resp.StatusCode) + " drops the body"
		default:
			d.Reason = "origin " + first.String() + " → " + to.String()
		}
		t.Note(d)
	}
}

// trailURL is u for a trail: no userinfo, no query (whose values may be
// signatures or tokens), no fragment.
func trailURL(u *url.URL) string {
	c := url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path, RawPath: u.RawPath}
	if u.RawQuery != "" {
		return c.String() + "?…"
	}
	return c.String()
}
