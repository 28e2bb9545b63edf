package middleware

import (
	"maps"
	"net/http"
	"net/url"
	"sync/atomic"

	"github.com/relayhttp/relay/explain"
	"github.com/relayhttp/relay/internal/relayctx"
)

// RouteOptions configures Routes and RoutesFrom: the session's layer of
// every hop's route, and whether the environment's layer is read.
type RouteOptions struct {
	// Proxies maps keys to proxy URLs like the proxies dict of Python
	// Requests: "http", "https", "all", "http://host", "all://host",
	// "https://host:port", …; the most specific key wins, and an empty value
	// sends matching URLs direct. ProxyConfig.Proxies documents the keys,
	// the values (http, https, socks5 and socks5h proxy URLs, with optional
	// credentials) and the order.
	Proxies map[string]string

	// TLS are the TLS choices of every hop that its request does not make
	// itself.
	TLS TLSSettings

	// TrustEnv lets the environment's layer in, as Requests' trust_env:
	// the proxies of HTTP_PROXY, HTTPS_PROXY, ALL_PROXY and NO_PROXY (upper-
	// or lower-case, see ProxyEnv) for URLs no key of Proxies matches, and
	// the CA bundle of RELAY_CA_BUNDLE, else SSL_CERT_FILE, when neither the
	// request nor TLS choose how to verify. The environment is read once,
	// when the middleware is built, unless EnvPerRequest is set.
	TrustEnv bool

	// EnvPerRequest makes the middleware read the environment again for
	// every request (with TrustEnv), for a program that changes it while
	// running. It costs a few lookups per request and a new compilation when
	// the variables changed.
	EnvPerRequest bool

	// Name is what the options are called in sources and errors: "Session"
	// gives `Session.Proxies["https"]` and "Session.TLS"; "" gives
	// `RouteOptions.Proxies["https"]` and "RouteOptions.TLS".
	Name string
}

// Proxy returns a route middleware that sends every request through the
// proxy proxies names for its URL, or, when no key matches, through the
// environment's: Routes with TrustEnv set, Requests' defaults.
func Proxy(proxies map[string]string) (Middleware, error) {
	return Routes(RouteOptions{Proxies: proxies, TrustEnv: true})
}

// Routes returns the route middleware: it chooses each hop's [Route] — the
// proxy it goes through and the TLS settings it is made with — and puts it
// in the request's context, where the base transport reads it
// (transport.Pools, which a relay Session puts under every mount, gives
// each route a connection pool of its own). Each setting is chosen by the
// first layer that has it:
//
//  1. the request: a route its context already holds (WithRoute,
//     WithProxy; a relay Session's client.Proxy, client.InsecureSkipVerify,
//     client.CABundle, client.ClientCert), for every hop of its call;
//  2. the session: the keys of o.Proxies, most specific first
//     (scheme://host:port, scheme://host, all://host:port, all://host,
//     scheme, all), and o.TLS;
//  3. with o.TrustEnv, the environment: its proxies, NO_PROXY applied, and
//     its CA bundle;
//  4. otherwise the transport's own setting.
//
// Verification (InsecureSkipVerify or a CA bundle) and the client
// certificate are two settings, chosen separately, as Requests merges
// verify and cert. A hop whose route chooses nothing is passed on as it
// came, without a single allocation.
//
// The middleware sits per mount, below the redirect middleware, so every hop
// of a redirect chain is matched again by its own URL.
//
// Proxy credentials (http://user:pass@proxy:3128) go to that proxy alone:
// net/http sends them as Basic Proxy-Authorization in the CONNECT request of
// an HTTPS request and in a plain HTTP request sent to the proxy, never to
// the origin and never inside the tunnel. A Proxy-Authorization header that
// the request itself carries is removed unless the request is plain HTTP
// going through an http or https proxy, the only case where it reaches a
// proxy and no origin.
//
// A 407 answer, from the proxy to a plain HTTP request or to the CONNECT of
// an HTTPS request (reported by transports from transport.New), ends the
// request with a *ProxyError matching ErrProxyAuthRequired that names the
// proxy without its password; the 407 body is drained and closed.
//
// Routes reports an unknown key or a bad proxy URL in o.Proxies or in the
// environment (with TrustEnv), and contradictory o.TLS, as an error, never
// per request. It copies o.Proxies: later changes to the map are not seen
// (see RoutesFrom). Files are read by the transport, not here.
func Routes(o RouteOptions) (Middleware, error) {
	o.Proxies = maps.Clone(o.Proxies)
	mw, err := routesFrom(func() RouteOptions { return o }, true)
	if err != nil {
		return nil, err
	}
	return mw, nil
}

// RoutesFrom is Routes with the options read from source on every request,
// for a relay Session whose Proxies, TLS and TrustEnv may change before it
// is shared. The environment is read when RoutesFrom is called (or per
// request with EnvPerRequest). The map source returns is only read: the
// middleware compares the options with those it last compiled, and
// compiles again only when they changed, so a request costs no allocation.
//
// A map of up to eight keys is compared whole, so that any change to it is
// seen at the next request. A larger one costs the same whatever its size:
// each request checks that it is the same map with as many keys as when it
// was compiled (the middleware keeps a reference to it, to recognise it),
// and looks up in it the keys that can match its URL, in their normal form
// (lower-case, no trailing slash) and as the map spelt them. A change to a
// key the request's URL cannot match is therefore seen when the size of the
// map changes, when it is replaced, or when a request that key can match is
// made: a bad value for it fails that request and every one after it until
// it is fixed, and a key added in another spelling (upper-case letters, a
// trailing slash) while another is removed is seen at the next change of
// size.
//
// A bad configuration fails each request with its error until source
// returns a good one. RoutesFrom reports one that source returns at once as
// an error too, and returns the middleware all the same, for a caller (a
// Session) that lets its user fix the configuration later.
func RoutesFrom(source func() RouteOptions) (Middleware, error) {
	return routesFrom(source, false)
}

// routesFrom is RoutesFrom; with frozen, the map source returns never
// changes.
func routesFrom(source func() RouteOptions, frozen bool) (Middleware, error) {
	s := &routeState{source: source, env: readRouteEnv(), frozen: frozen}
	c := compileRoutes(source(), s.env, frozen)
	s.cur.Store(c)
	return s.middleware, c.err
}

// routeState is shared by every RoundTripper one route Middleware builds.
type routeState struct {
	source func() RouteOptions
	env    routeEnv // read when the middleware was built
	frozen bool     // the Proxies map of source never changes
	cur    atomic.Pointer[routeConfig]
}

func (s *routeState) middleware(next http.RoundTripper) http.RoundTripper {
	return &routeRT{next: orDefault(next), s: s}
}

// route returns the route of a hop to u whose context holds given, as
// routeConfig.choose does, by the current configuration; or that
// configuration's error. It compiles the options again when they are not
// those of the last compilation.
func (s *routeState) route(u *url.URL, given *Route) (*Route, bool, error) {
	o := s.source()
	env := &s.env
	if o.TrustEnv && o.EnvPerRequest {
		fresh := readRouteEnv()
		env = &fresh
	}
	c := s.cur.Load()
	if same, live := c.compiledFrom(o, env); same {
		if c.err != nil {
			return nil, false, c.err
		}
		if r, changed, fresh := c.choose(u, given, live); fresh {
			return r, changed, nil
		}
	}
	c = compileRoutes(o, *env, s.frozen)
	s.cur.Store(c) // concurrent compilations of the same change agree
	if c.err != nil {
		return nil, false, c.err
	}
	r, changed, _ := c.choose(u, given, nil) // c is o.Proxies as it is now
	return r, changed, nil
}

type routeRT struct {
	next http.RoundTripper
	s    *routeState
}

func (p *routeRT) CloseIdleConnections() { CloseIdleConnections(p.next) }

func (p *routeRT) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	r, changed, err := p.s.route(req.URL, routeFrom(ctx))
	if err != nil {
		CloseRequestBody(req)
		return nil, err
	}
	out := req
	if changed {
		out = req.WithContext(relayctx.WithValue(ctx, routeKey{}, r))
	}
	var proxy *url.URL // the proxy the hop is known to go through
	if r != nil && r.ProxySource.Set() {
		proxy = r.Proxy
	}
	if explain.On(ctx) {
		noteRoute(ctx, r, out.URL)
	}
	if _, ok := out.Header["Proxy-Authorization"]; ok && !forwardsPlain(proxy, out.URL) {
		explain.Note(ctx, explain.Decision{Kind: explain.KindHeader, Subject: "Proxy-Authorization",
			Action: explain.ActionStripped, Reason: "it would reach the origin, not a proxy"})
		// In a CONNECT tunnel, through SOCKS, or direct, the header would
		// reach the origin.
		if out == req {
			out = req.Clone(ctx)
		} else {
			out.Header = out.Header.Clone()
		}
		delete(out.Header, "Proxy-Authorization")
	}
	resp, err := p.next.RoundTrip(out)
	if err == nil && resp.StatusCode == http.StatusProxyAuthRequired && forwardsPlain(proxy, out.URL) {
		DrainAndClose(resp)
		return nil, NewProxyError(proxy, resp)
	}
	return resp, err
}

// forwardsPlain reports whether a request for target goes to proxy as a
// forwarded plain HTTP request, so that the proxy reads its
// Proxy-Authorization and a 407 answer is the proxy's.
func forwardsPlain(proxy, target *url.URL) bool {
	return proxy != nil && (proxy.Scheme == "http" || proxy.Scheme == "https") && target.Scheme == "http"
}
