package cookiejar

import (
	"context"
	"net/http"
	"net/url"

	"github.com/relayhttp/relay/explain"
	"github.com/relayhttp/relay/internal/origin"
	"github.com/relayhttp/relay/internal/relayctx"
	"github.com/relayhttp/relay/middleware"
)

type cookiesKey struct{ relayctx.KeyBase }

// WithCookies returns a context that makes Middleware send cookies with a
// request made with it: per-request cookies, which are sent but never stored
// in a jar (Requests' cookies= argument). Only Name, Value and Quoted are
// used. A cookie named like one given before, in this call or an earlier
// one, replaces it. The cookies are copied.
//
// Per-request cookies belong to the origin of the request: on a redirect hop
// that has left it they are not sent (see Middleware).
func WithCookies(ctx context.Context, cookies ...*http.Cookie) context.Context {
	prev, _ := ctx.Value(cookiesKey{}).([]*http.Cookie)
	all := make([]*http.Cookie, len(prev), len(prev)+len(cookies))
	copy(all, prev)
next:
	for _, c := range cookies {
		if c == nil {
			continue
		}
		cp := &http.Cookie{Name: c.Name, Value: c.Value, Quoted: c.Quoted}
		for i, p := range all {
			if p.Name == c.Name {
				all[i] = cp
				continue next
			}
		}
		all = append(all, cp)
	}
	return relayctx.WithValue(ctx, cookiesKey{}, all)
}

// CookiesFromContext returns copies of the per-request cookies given to
// WithCookies in ctx, in the order they were first given.
func CookiesFromContext(ctx context.Context) []*http.Cookie {
	cs, _ := ctx.Value(cookiesKey{}).([]*http.Cookie)
	out := make([]*http.Cookie, len(cs))
	for i, c := range cs {
		cp := *c
		out[i] = &cp
	}
	return out
}

// Middleware returns a middleware that sends and stores cookies with jar,
// which may be any [http.CookieJar] (a *Jar, net/http/cookiejar's), or nil
// for per-request cookies only. It runs once per request it sees, so behind
// a redirect follower (relay's middleware.Redirects, or an http.Client's own)
// it runs on every hop:
//
//   - Before a request leaves, it adds a Cookie header to a clone of the
//     request (the caller's request is never modified): first the cookies
//     already in the request's Cookie header, which win; then the
//     per-request cookies of WithCookies whose names are not there yet; then
//     jar.Cookies(req.URL), except names already present.
//   - After any response, a redirect included, it stores the response's
//     Set-Cookie headers with jar.SetCookies(req.URL, …), so a cookie set on
//     a 302 is sent on the next hop.
//
// On a hop whose redirect chain has left its first origin (origin.StillOn,
// following Request.Response back to the first request; http on port 80 to
// https on port 443 of the same host does not count as leaving), relay's
// rule that nothing stripped is put back applies: per-request cookies are
// not sent, and neither is any jar cookie the first request's host would
// receive at that path — even on a hop that returns to the first origin,
// another port of the same host (cookies ignore ports) or a sibling
// subdomain that shares a domain cookie. Jar cookies that belong only to the
// new host are sent, as browsers, curl and Requests send them: a sign-in
// flow that bounces through an identity provider needs the provider's own
// session cookie. Set-Cookie is stored on every hop.
//
// The middleware does not fail on its own: a request goes to next
// unchanged but for the Cookie header, and next closes its body.
// Do not also give the *http.Client a Jar, or cookies are handled twice.
func Middleware(jar http.CookieJar) middleware.Middleware {
	return MiddlewareFrom(func() http.CookieJar { return jar })
}

// MiddlewareFrom is Middleware with the jar read from source on every
// request, for a relay Session whose Jar field may be replaced after the
// session is built. source may return nil.
func MiddlewareFrom(source func() http.CookieJar) middleware.Middleware {
	return func(next http.RoundTripper) http.RoundTripper {
		if next == nil {
			next = http.DefaultTransport
		}
		return &transport{next: next, source: source}
	}
}

type transport struct {
	next   http.RoundTripper
	source func() http.CookieJar
}

func (t *transport) CloseIdleConnections() { middleware.CloseIdleConnections(t.next) }

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	jar := t.source()
	out := req
	j, isJar := jar.(*Jar)
	if on := explain.On(req.Context()); isJar && !on && plainHop(req) {
		// The common hop: the jar writes the header from its entries.
		if h := j.cookieHeader(req.URL); h != "" {
			out = withCookieHeader(req, h)
		}
	} else {
		var held []Withheld
		if isJar && on {
			held = j.Withheld(req.URL) // before Cookies removes the expired ones
		}
		add := toAdd(req, jar)
		if on {
			noteCookies(req, jar, add, held)
		}
		if len(add) > 0 {
			out = withCookies(req, add)
		}
	}
	resp, err := t.next.RoundTrip(out)
	if err != nil || resp == nil || jar == nil {
		return resp, err
	}
	if cs := resp.Cookies(); len(cs) > 0 {
		jar.SetCookies(req.URL, cs)
	}
	return resp, nil
}

// toAdd returns the cookies to add to req's Cookie header.
func toAdd(req *http.Request, jar http.CookieJar) []*http.Cookie {
	still := origin.StillOn(req)
	var given, fromJar []*http.Cookie
	if still {
		given = CookiesFromContext(req.Context())
	}
	if jar != nil {
		fromJar = jar.Cookies(req.URL)
		if !still && len(fromJar) > 0 {
			fromJar = withoutFirstHosts(fromJar, jar, req)
		}
	}
	if len(given) == 0 && len(fromJar) == 0 {
		return nil // the common case costs no parsing of the request's cookies
	}
	if _, ok := req.Header["Cookie"]; !ok && len(given) == 0 {
		return fromJar // nothing they could repeat
	}
	present := make(map[string]bool)
	for _, c := range req.Cookies() {
		present[c.Name] = true
	}
	var add []*http.Cookie
	for _, c := range given {
		if !present[c.Name] {
			add = append(add, c)
			present[c.Name] = true
		}
	}
	for _, c := range fromJar {
		if !present[c.Name] {
			add = append(add, c)
		}
	}
	return add
}

// withoutFirstHosts drops from cs, the jar's cookies for req, those the jar
// would give the host of the first request of req's chain at req's path and
// scheme: the first origin's cookies, which must not be put back once the
// chain has left it. Cookies are compared by name and value, as that is all
// an http.CookieJar returns.
func withoutFirstHosts(cs []*http.Cookie, jar http.CookieJar, req *http.Request) []*http.Cookie {
	first := origin.First(req)
	u := url.URL{Scheme: req.URL.Scheme, Host: first.URL.Host, Path: req.URL.Path}
	theirs := make(map[[2]string]bool)
	for _, c := range jar.Cookies(&u) {
		theirs[[2]string{c.Name, c.Value}] = true
	}
	var keep []*http.Cookie
	for _, c := range cs {
		if !theirs[[2]string{c.Name, c.Value}] {
			keep = append(keep, c)
		}
	}
	return keep
}
