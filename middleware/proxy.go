package middleware

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync/atomic"

	"golang.org/x/net/http/httpproxy"

	"github.com/relayhttp/relay/internal/origin"
)

// ProxyOptions configures ProxyWithOptions and ProxyFrom.
type ProxyOptions struct {
	// Proxies maps keys to proxy URLs like the proxies dict of Python
	// Requests: "http", "https", "all", "http://host", "all://host",
	// "https://host:port", …; the most specific key wins, and an empty value
	// sends matching URLs direct. ProxyConfig.Proxies documents the keys,
	// the values (http, https, socks5 and socks5h proxy URLs, with optional
	// credentials) and the order.
	Proxies map[string]string

	// TrustEnv makes URLs that no key of Proxies matches go through the
	// proxies of the environment: HTTP_PROXY, HTTPS_PROXY, ALL_PROXY and
	// NO_PROXY, upper- or lower-case (ProxyEnv). The environment
	// is read once, when the middleware is built, unless EnvPerRequest is
	// set. It is Requests' trust_env.
	TrustEnv bool

	// EnvPerRequest makes the middleware read the environment again for
	// every request (with TrustEnv), for a program that changes it while
	// running. It costs a few lookups per request and a new compilation when
	// the variables changed.
	EnvPerRequest bool
}

// Proxy returns a middleware that sends every request through the proxy
// proxies names for its URL, or, when no key matches, through the
// environment's proxy: ProxyWithOptions with TrustEnv set, Requests'
// defaults. See ProxyWithOptions.
func Proxy(proxies map[string]string) (Middleware, error) {
	return ProxyWithOptions(ProxyOptions{Proxies: proxies, TrustEnv: true})
}

// ProxyWithOptions returns a middleware that chooses a proxy for every
// request and puts its choice in the request's context
// (WithProxy), where the base transport reads it: transports from
// transport.New given transport.Proxy(transport.ContextProxy(nil)), or any
// *http.Transport whose Proxy is a transport.ContextProxy. One pooled
// transport so serves every proxy, and net/http keys its connection pool by
// proxy URL, so a connection made through one proxy is never used for
// another or for a direct request.
//
// The choice for a request, first match wins:
//
//  1. a proxy its context already names (WithProxy; a relay
//     Session's per-request client.Proxy), kept as it is;
//  2. the keys of o.Proxies, most specific first: scheme://host:port,
//     scheme://host, all://host:port, all://host, scheme, all;
//  3. with o.TrustEnv, the environment, NO_PROXY applied;
//  4. otherwise a direct connection: the request is passed on as it came,
//     without a single allocation.
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
// request with a *ProxyError matching ErrProxyAuthRequired
// that names the proxy without its password; the 407 body is drained and
// closed.
//
// ProxyWithOptions reports an unknown key or a bad proxy URL in o.Proxies or
// in the environment (with TrustEnv) as an error, never per request. It
// copies o.Proxies: later changes to the map are not seen (see ProxyFrom).
func ProxyWithOptions(o ProxyOptions) (Middleware, error) {
	o.Proxies = maps.Clone(o.Proxies)
	sel, err := newProxySelection(o, ProxyEnvFromEnvironment())
	if err != nil {
		return nil, err
	}
	s := &proxyState{env: sel.env}
	if o.TrustEnv && o.EnvPerRequest {
		s.source = func() ProxyOptions { return o }
		s.cur.Store(sel)
	} else {
		s.fixed = sel.sel
	}
	return s.middleware, nil
}

// ProxyFrom is ProxyWithOptions with the options read from source on every
// request, for a relay Session whose Proxies and TrustEnv may change before
// it is shared. The environment is read when ProxyFrom is called (or per
// request with EnvPerRequest). The map source returns is only read, never
// kept: the middleware compares it with the map it last compiled, and
// compiles again only when it changed, so a request costs no allocation.
//
// ProxyFrom reports a bad configuration that source returns at once as an
// error; one that source returns later, after the caller changed it, fails
// each request with that error until it is fixed.
func ProxyFrom(source func() ProxyOptions) (Middleware, error) {
	env := ProxyEnvFromEnvironment()
	sel, err := newProxySelection(source(), env)
	if err != nil {
		return nil, err
	}
	s := &proxyState{source: source, env: env}
	s.cur.Store(sel)
	return s.middleware, nil
}

// proxySelection is one compiled configuration and what it was compiled
// from.
type proxySelection struct {
	proxies       map[string]string
	trustEnv      bool
	envPerRequest bool
	env           ProxyEnv // the environment compiled in, with trustEnv
	sel           *ProxySelector
	err           error
}

func newProxySelection(o ProxyOptions, env ProxyEnv) (*proxySelection, error) {
	s := &proxySelection{
		proxies:       maps.Clone(o.Proxies),
		trustEnv:      o.TrustEnv,
		envPerRequest: o.EnvPerRequest,
		env:           env,
	}
	c := ProxyConfig{Proxies: o.Proxies}
	if o.TrustEnv {
		c.Env = &env
	}
	s.sel, s.err = NewProxySelector(c)
	if s.err != nil {
		return nil, s.err
	}
	return s, nil
}

// proxyState is shared by every RoundTripper one proxy Middleware builds.
type proxyState struct {
	fixed  *ProxySelector // when set, the only configuration
	source func() ProxyOptions
	env    ProxyEnv // read when the middleware was built
	cur    atomic.Pointer[proxySelection]
}

func (s *proxyState) middleware(next http.RoundTripper) http.RoundTripper {
	return &proxyRT{next: orDefault(next), s: s}
}

// selector returns the selector for the current configuration.
func (s *proxyState) selector() (*ProxySelector, error) {
	if s.fixed != nil {
		return s.fixed, nil
	}
	o := s.source()
	cur := s.cur.Load()
	env := s.env
	if o.TrustEnv && o.EnvPerRequest {
		env = ProxyEnvFromEnvironment()
	}
	if cur.trustEnv == o.TrustEnv && cur.envPerRequest == o.EnvPerRequest &&
		(!o.TrustEnv || cur.env == env) && maps.Equal(cur.proxies, o.Proxies) {
		return cur.sel, cur.err
	}
	next, err := newProxySelection(o, env)
	if err != nil {
		next = &proxySelection{
			proxies: maps.Clone(o.Proxies), trustEnv: o.TrustEnv,
			envPerRequest: o.EnvPerRequest, env: env, err: err,
		}
	}
	s.cur.Store(next) // concurrent compilations of the same change agree
	return next.sel, next.err
}

type proxyRT struct {
	next http.RoundTripper
	s    *proxyState
}

func (p *proxyRT) CloseIdleConnections() { CloseIdleConnections(p.next) }

func (p *proxyRT) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	u, chosen := ProxyFromContext(ctx)
	out := req
	if !chosen {
		sel, err := p.s.selector()
		if err != nil {
			CloseRequestBody(req)
			return nil, err
		}
		if u = sel.Proxy(req.URL); u != nil {
			out = req.WithContext(WithProxy(ctx, u))
		}
	}
	if _, ok := out.Header["Proxy-Authorization"]; ok && !proxyAuthReachesProxy(u, out.URL) {
		if out == req {
			out = req.Clone(ctx)
		} else {
			out.Header = out.Header.Clone()
		}
		delete(out.Header, "Proxy-Authorization")
	}
	resp, err := p.next.RoundTrip(out)
	if err == nil && resp.StatusCode == http.StatusProxyAuthRequired && forwardsPlain(u, out.URL) {
		DrainAndClose(resp)
		return nil, NewProxyError(u, resp)
	}
	return resp, err
}

// forwardsPlain reports whether a request for target goes to proxy as a
// forwarded plain HTTP request, so a 407 answer is the proxy's.
func forwardsPlain(proxy, target *url.URL) bool {
	return proxy != nil && (proxy.Scheme == "http" || proxy.Scheme == "https") && target.Scheme == "http"
}

// proxyAuthReachesProxy reports whether a Proxy-Authorization header of a
// request for target, sent through proxy (nil: direct), would be read by the
// proxy and by no one else: only when the request is forwarded plain. In a
// CONNECT tunnel, through SOCKS, or direct it would reach the origin.
func proxyAuthReachesProxy(proxy, target *url.URL) bool {
	return forwardsPlain(proxy, target)
}

// proxyKey is the context key of a per-request proxy choice.
type proxyKey struct{}

// proxyChoice is the value stored under proxyKey; a nil u means "direct".
type proxyChoice struct{ u *url.URL }

// WithProxy returns a context that sends a request made with it through the
// proxy u, or directly when u is nil, whatever a proxy map or the
// environment say. The proxy middleware passes such a request on with this
// choice, and a transport whose Proxy is transport.ContextProxy (a relay
// Session's base transport, for one) dials accordingly. u must
// not be modified afterwards; validate a URL from a user with
// [ParseProxyURL] first.
//
// Credentials in u (http://user:pass@proxy:3128) go to that proxy alone: in
// the CONNECT request of an HTTPS request, in the request itself for plain
// HTTP, as Basic Proxy-Authorization.
func WithProxy(ctx context.Context, u *url.URL) context.Context {
	return context.WithValue(ctx, proxyKey{}, proxyChoice{u})
}

// ProxyFromContext returns the proxy ctx was given with [WithProxy] (nil for
// a direct connection) and whether one was given.
func ProxyFromContext(ctx context.Context) (u *url.URL, ok bool) {
	c, ok := ctx.Value(proxyKey{}).(proxyChoice)
	return c.u, ok
}

// ErrProxyAuthRequired is matched (errors.Is) by the [*ProxyError] of a
// request a proxy refused with 407 Proxy Authentication Required: the proxy
// URL carries no credentials, or the proxy rejected them.
var ErrProxyAuthRequired = errors.New("proxy authentication required")

// ProxyError reports a proxy that refused a request: a CONNECT answered with
// a status other than 200 (HTTPS through an HTTP proxy), or a 407 answer to a
// plain HTTP request forwarded by a proxy. Proxy is the proxy's URL with its
// password replaced by "xxxxx" ([url.URL.Redacted]); the password never
// appears in the error.
type ProxyError struct {
	Proxy      string // redacted proxy URL
	StatusCode int    // the proxy's status code, 407 for missing or wrong credentials
	Status     string // the proxy's status line, "407 Proxy Authentication Required"
	Err        error  // ErrProxyAuthRequired for 407, nil otherwise
}

func (e *ProxyError) Error() string {
	return fmt.Sprintf("middleware: proxy %s refused the request: %s", e.Proxy, e.Status)
}

func (e *ProxyError) Unwrap() error { return e.Err }

// NewProxyError returns the [*ProxyError] for resp, an answer from proxy:
// a 407 to a plain HTTP request, or a refused CONNECT (transports from
// transport.New report those through it). It does not touch resp's body.
func NewProxyError(proxy *url.URL, resp *http.Response) *ProxyError {
	e := &ProxyError{Proxy: proxy.Redacted(), StatusCode: resp.StatusCode, Status: resp.Status}
	if e.Status == "" {
		e.Status = fmt.Sprintf("%d %s", resp.StatusCode, http.StatusText(resp.StatusCode))
	}
	if resp.StatusCode == http.StatusProxyAuthRequired {
		e.Err = ErrProxyAuthRequired
	}
	return e
}

// ProxyEnv holds the proxy environment variables as they were read: raw
// strings, compiled by [NewProxySelector]. An empty field counts as unset.
type ProxyEnv struct {
	// HTTPProxy is http_proxy, else HTTP_PROXY: the proxy for http:// URLs.
	// [ProxyEnvFromEnvironment] leaves it empty when REQUEST_METHOD is set
	// and the value comes from HTTP_PROXY alone: a CGI program gets
	// HTTP_PROXY from the client's "Proxy:" header ("httpoxy"), so relay,
	// like urllib, does not trust it there.
	HTTPProxy string
	// HTTPSProxy is https_proxy, else HTTPS_PROXY: the proxy for https://
	// URLs.
	HTTPSProxy string
	// AllProxy is all_proxy, else ALL_PROXY: the proxy for either scheme
	// when the scheme's own variable is unset, as curl and Requests read
	// it. httpproxy and net/http ignore it.
	AllProxy string
	// NoProxy is no_proxy, else NO_PROXY: comma-separated host names (each
	// matching itself and its subdomains; a leading "." or "*." matches
	// subdomains only), IP addresses, CIDR ranges, each optionally with a
	// ":port", or "*" for every host. Hosts it matches go direct; it applies
	// to the environment's proxies only, AllProxy included, never to a
	// proxy map. It is matched by golang.org/x/net/http/httpproxy, which
	// also never proxies "localhost" and loopback addresses.
	NoProxy string
}

// ProxyEnvFromEnvironment reads the proxy environment variables: lower-case
// names first, then upper-case, as httpproxy and Requests do. It is the only
// function in relay that reads them, and it reads them on every call: relay
// keeps no per-process cache.
func ProxyEnvFromEnvironment() ProxyEnv {
	e := ProxyEnv{
		HTTPProxy:  os.Getenv("http_proxy"),
		HTTPSProxy: getenvAny("https_proxy", "HTTPS_PROXY"),
		AllProxy:   getenvAny("all_proxy", "ALL_PROXY"),
		NoProxy:    getenvAny("no_proxy", "NO_PROXY"),
	}
	if e.HTTPProxy == "" && os.Getenv("REQUEST_METHOD") == "" {
		e.HTTPProxy = os.Getenv("HTTP_PROXY")
	}
	return e
}

func getenvAny(names ...string) string {
	for _, n := range names {
		if v := os.Getenv(n); v != "" {
			return v
		}
	}
	return ""
}

// ProxyConfig is a raw proxy configuration; [NewProxySelector] validates and
// compiles it.
type ProxyConfig struct {
	// Proxies maps a key to a proxy URL, as the proxies dict of Python
	// Requests does. Keys, case-insensitive:
	//
	//	"http", "https"            every URL of that scheme
	//	"all"                      every URL
	//	"http://host", "https://host", "all://host"
	//	                           that host (exactly: no subdomains), any port
	//	"http://host:port", …      that host and port (a URL without a port
	//	                           has its scheme's default port)
	//	"no_proxy"                 replaces Env.NoProxy, as in Requests
	//
	// For a URL, the most specific key wins: scheme://host:port,
	// scheme://host, all://host:port, all://host, scheme, all; then the
	// environment. An empty value means "direct": the lookup stops there.
	//
	// Values are proxy URLs with the scheme http, https (TLS to the proxy,
	// verified with the transport's TLS settings), socks5h (the proxy
	// resolves the target's name) or socks5; "host:port" alone means
	// http://host:port. net/http dials both SOCKS schemes the same way,
	// sending the name to the proxy: socks5:// does not yet resolve names on
	// the client as curl and Requests do. Credentials in a value
	// (http://user:pass@proxy:3128) are sent to that proxy alone: as Basic
	// Proxy-Authorization to an HTTP(S) proxy, as RFC 1929
	// username/password to a SOCKS5 one.
	Proxies map[string]string

	// Env, when not nil, is consulted for URLs no key of Proxies matches:
	// Requests' trust_env. Read it with [ProxyEnvFromEnvironment].
	Env *ProxyEnv
}

// ProxySelector is a compiled [ProxyConfig]: it picks the proxy for a URL.
// It is immutable and safe for concurrent use.
type ProxySelector struct {
	byKey     map[string]*url.URL // normalized keys; nil value: direct
	hostKeys  bool                // some key names a host
	schemeAll [3]*url.URL         // "http", "https", "all"
	schemeSet [3]bool
	env       func(*url.URL) (*url.URL, error)
}

const (
	slotHTTP = iota
	slotHTTPS
	slotAll
)

// NewProxySelector validates c and compiles it. It reports, naming the key
// or variable, a key it does not know, a value that is not a proxy URL or
// whose scheme is not http, https, socks5 or socks5h; the error never holds
// a password. The selector keeps no reference to c's map.
func NewProxySelector(c ProxyConfig) (*ProxySelector, error) {
	s := &ProxySelector{byKey: make(map[string]*url.URL)}
	noProxy, noProxySet := "", false
	for _, k := range slices.Sorted(maps.Keys(c.Proxies)) { // deterministic errors
		v := c.Proxies[k]
		key, err := parseProxyKey(k)
		if err != nil {
			return nil, err
		}
		if key == "no_proxy" {
			noProxy, noProxySet = v, true
			continue
		}
		var u *url.URL
		if v != "" {
			if u, err = ParseProxyURL(v); err != nil {
				return nil, fmt.Errorf("middleware: proxy for %q: %w", k, err)
			}
		}
		if _, dup := s.byKey[key]; dup {
			return nil, fmt.Errorf("middleware: proxy keys %q and another spelling of %q both given", k, key)
		}
		s.byKey[key] = u
		switch key {
		case "http":
			s.schemeAll[slotHTTP], s.schemeSet[slotHTTP] = u, true
		case "https":
			s.schemeAll[slotHTTPS], s.schemeSet[slotHTTPS] = u, true
		case "all":
			s.schemeAll[slotAll], s.schemeSet[slotAll] = u, true
		default:
			s.hostKeys = true
		}
	}
	if c.Env != nil {
		env := *c.Env
		if noProxySet {
			env.NoProxy = noProxy
		}
		f, err := env.compile()
		if err != nil {
			return nil, err
		}
		s.env = f
	}
	return s, nil
}

// compile validates e and returns the function that applies it.
func (e ProxyEnv) compile() (func(*url.URL) (*url.URL, error), error) {
	for _, v := range []struct{ name, value string }{
		{"HTTP_PROXY", e.HTTPProxy}, {"HTTPS_PROXY", e.HTTPSProxy}, {"ALL_PROXY", e.AllProxy},
	} {
		if v.value == "" {
			continue
		}
		if _, err := ParseProxyURL(v.value); err != nil {
			return nil, fmt.Errorf("middleware: %s environment variable: %w", v.name, err)
		}
	}
	if e.HTTPProxy == "" && e.HTTPSProxy == "" && e.AllProxy == "" {
		return nil, nil
	}
	cfg := httpproxy.Config{HTTPProxy: e.HTTPProxy, HTTPSProxy: e.HTTPSProxy, NoProxy: e.NoProxy}
	if cfg.HTTPProxy == "" {
		cfg.HTTPProxy = e.AllProxy
	}
	if cfg.HTTPSProxy == "" {
		cfg.HTTPSProxy = e.AllProxy
	}
	// httpproxy parses the values again, with the same rules as
	// ParseProxyURL minus the scheme check, and returns the same *url.URL
	// for every request: no allocation per request.
	return cfg.ProxyFunc(), nil
}

// Proxy returns the proxy for u, or nil for a direct connection. It never
// fails: NewProxySelector checked everything. The URL returned is shared and
// must not be modified.
func (s *ProxySelector) Proxy(u *url.URL) *url.URL {
	scheme := u.Scheme
	slot := -1
	switch {
	case scheme == "http":
		slot = slotHTTP
	case scheme == "https":
		slot = slotHTTPS
	case strings.EqualFold(scheme, "http"):
		slot, scheme = slotHTTP, "http"
	case strings.EqualFold(scheme, "https"):
		slot, scheme = slotHTTPS, "https"
	}
	if s.hostKeys {
		if p, ok := s.lookupHost(scheme, u); ok {
			return p
		}
	}
	if slot >= 0 && s.schemeSet[slot] {
		return s.schemeAll[slot]
	}
	if s.schemeSet[slotAll] {
		return s.schemeAll[slotAll]
	}
	if s.env != nil {
		p, _ := s.env(u) // no error: CGI is handled when the environment is read
		return p
	}
	return nil
}

// ProxyFunc returns s.Proxy in the form [http.Transport.Proxy] takes.
func (s *ProxySelector) ProxyFunc() func(*http.Request) (*url.URL, error) {
	return func(req *http.Request) (*url.URL, error) { return s.Proxy(req.URL), nil }
}

// lookupHost tries the host keys for u in order of specificity. It builds
// each key in a stack buffer, so a lookup does not allocate for host names of
// ordinary length.
func (s *ProxySelector) lookupHost(scheme string, u *url.URL) (*url.URL, bool) {
	host := u.Hostname()
	if host == "" {
		return nil, false
	}
	port := u.Port()
	if port == "" {
		port = origin.DefaultPort(scheme)
	}
	var arr [128]byte
	for _, sch := range [2]string{scheme, "all"} {
		if sch == "" {
			continue
		}
		b := append(arr[:0], sch...)
		b = append(b, "://"...)
		b = appendLowerHost(b, host)
		n := len(b)
		if port != "" {
			b = append(b, ':')
			b = append(b, port...)
			if p, ok := s.byKey[string(b)]; ok {
				return p, true
			}
		}
		if p, ok := s.byKey[string(b[:n])]; ok {
			return p, true
		}
	}
	return nil, false
}

// appendLowerHost appends host, lower-cased and in brackets when it is an
// IPv6 address, to b.
func appendLowerHost(b []byte, host string) []byte {
	if strings.IndexByte(host, ':') < 0 {
		return appendASCIILower(b, host)
	}
	b = append(b, '[')
	b = appendASCIILower(b, host)
	return append(b, ']')
}

// appendASCIILower appends s to b with A-Z lower-cased and every other byte
// as it is.
func appendASCIILower(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b = append(b, c)
	}
	return b
}

// parseProxyKey validates a key of ProxyConfig.Proxies and returns its
// normal form: lower-case, IPv6 hosts in brackets, no trailing slash.
func parseProxyKey(k string) (string, error) {
	shown := redactRaw(k) // for errors: a mistaken key may hold a password
	// ASCII case folding, as the lookup does: strings.ToLower would turn
	// invalid UTF-8 into U+FFFD and the key would never match.
	lk := string(appendASCIILower(nil, strings.TrimSpace(k)))
	switch lk {
	case "http", "https", "all", "no_proxy":
		return lk, nil
	}
	scheme, rest, ok := strings.Cut(lk, "://")
	if !ok {
		return "", fmt.Errorf("middleware: proxy key %q: want http, https, all, no_proxy, or scheme://host[:port]", shown)
	}
	switch scheme {
	case "http", "https", "all":
	default:
		return "", fmt.Errorf("middleware: proxy key %q: scheme %q is not http, https or all", shown, scheme)
	}
	rest = strings.TrimSuffix(rest, "/")
	if rest == "" || strings.ContainsAny(rest, "/?#@%[ \t\r\n\x00") && !strings.HasPrefix(rest, "[") {
		return "", fmt.Errorf("middleware: proxy key %q: want scheme://host[:port] without path, query or user", shown)
	}
	host, port := rest, ""
	switch {
	case strings.HasPrefix(rest, "["): // [v6] or [v6]:port
		end := strings.IndexByte(rest, ']')
		if end < 0 {
			return "", fmt.Errorf("middleware: proxy key %q: unclosed '['", shown)
		}
		host = rest[1:end]
		switch after := rest[end+1:]; {
		case after == "":
		case after[0] == ':':
			port = after[1:]
		default:
			return "", fmt.Errorf("middleware: proxy key %q: text after ']'", shown)
		}
		if net.ParseIP(host) == nil || strings.IndexByte(host, ':') < 0 {
			return "", fmt.Errorf("middleware: proxy key %q: %q in brackets is not an IPv6 address", shown, host)
		}
	case strings.Count(rest, ":") == 1: // host:port
		host, port, _ = strings.Cut(rest, ":")
	case strings.Count(rest, ":") > 1: // a bare IPv6 address
		if net.ParseIP(rest) == nil {
			return "", fmt.Errorf("middleware: proxy key %q: bad host %q", shown, rest)
		}
	}
	if port != "" || strings.HasSuffix(rest, ":") {
		if !validPort(port) {
			return "", fmt.Errorf("middleware: proxy key %q: bad port %q", shown, port)
		}
	}
	if host == "" || strings.ContainsAny(host, "/?#@%[] \t\r\n\x00") {
		return "", fmt.Errorf("middleware: proxy key %q: bad host %q", shown, host)
	}
	out := scheme + "://" + string(appendLowerHost(nil, host))
	if port != "" {
		out += ":" + port
	}
	return out, nil
}

func validPort(p string) bool {
	if p == "" || len(p) > 5 {
		return false
	}
	n := 0
	for i := 0; i < len(p); i++ {
		if p[i] < '0' || p[i] > '9' {
			return false
		}
		n = n*10 + int(p[i]-'0')
	}
	return n <= 65535
}

// ParseProxyURL parses a proxy URL the way relay accepts them everywhere: a
// URL with the scheme http, https, socks5 or socks5h, a host, an optional
// port, optional credentials, and nothing else; or "host:port" alone, which
// means http://host:port (as Requests, curl and httpproxy read it). The
// scheme is lower-cased. Errors never include the password.
func ParseProxyURL(raw string) (*url.URL, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return nil, errors.New("empty proxy URL")
	}
	if !strings.Contains(s, "://") {
		s = "http://" + s
	}
	// Errors show the input with its password masked, not u.Redacted(): an
	// unescaped '/', '?' or '#' in a password makes url.Parse read part of
	// it as a port, path, query or fragment, which Redacted would show.
	shown := redactRaw(s)
	u, err := url.Parse(s)
	if err != nil {
		return nil, fmt.Errorf("proxy URL %q does not parse", shown)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	switch u.Scheme {
	case "http", "https", "socks5", "socks5h":
	default:
		return nil, fmt.Errorf("proxy URL %s: scheme %q is not http, https, socks5 or socks5h", shown, u.Scheme)
	}
	if u.Hostname() == "" {
		return nil, fmt.Errorf("proxy URL %s has no host", shown)
	}
	if p := u.Port(); p != "" && !validPort(p) {
		return nil, fmt.Errorf("proxy URL %s: bad port", shown)
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" {
		return nil, fmt.Errorf("proxy URL %s: a proxy URL has no path, query or fragment", shown)
	}
	u.Path, u.RawPath, u.ForceQuery = "", "", false
	return u, nil
}

// redactRaw hides the password of a URL that did not parse: everything
// between the first ':' after "//" (or the start) and the last '@'.
func redactRaw(s string) string {
	at := strings.LastIndexByte(s, '@')
	if at < 0 {
		return s
	}
	start := 0
	if i := strings.Index(s, "//"); i >= 0 && i < at {
		start = i + 2
	}
	colon := strings.IndexByte(s[start:at], ':')
	if colon < 0 {
		return s
	}
	return s[:start+colon+1] + "xxxxx" + s[at:]
}
