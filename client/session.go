package client

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/relayhttp/relay/auth"
	"github.com/relayhttp/relay/cache"
	"github.com/relayhttp/relay/cookiejar"
	"github.com/relayhttp/relay/hooks"
	"github.com/relayhttp/relay/middleware"
	"github.com/relayhttp/relay/transport"
)

// Version is relay's version, sent in the default User-Agent.
const Version = "0.1.0"

// DefaultMaxBodySize is the decoded-size cap of whole-body reads in a new
// Session: 32 MiB.
const DefaultMaxBodySize = 32 << 20

// Session sends requests with shared defaults, like a Requests Session.
//
// Its exported fields may be set before the session is shared between
// goroutines; after that it is safe for concurrent use as long as no one
// writes them.
type Session struct {
	// Headers are sent with every request that does not set the same
	// header. NewSession fills in User-Agent, Accept and Accept-Encoding;
	// delete them to send none.
	Headers http.Header
	// Params are added to every request's query, unless the request's URL
	// already has the key.
	Params url.Values
	// Jar stores the cookies responses set and sends them back, per redirect
	// hop. NewSession gives every session a *cookiejar.Jar of its own (RFC
	// 6265, public-suffix rules, listable, savable); any http.CookieJar
	// works, and nil turns cookies off. client.Cookie adds cookies to one
	// request without storing them.
	Jar http.CookieJar
	// Auth authenticates every request, on the origin where its redirect
	// chain starts only. WithAuth overrides it per request.
	Auth auth.Authenticator
	// MaxBodySize caps the decoded size of whole-body reads (see
	// ErrBodyTooLarge). NewSession sets DefaultMaxBodySize; 0 means no cap.
	MaxBodySize int64
	// Timeout bounds each call, reading the body included; 0 means none.
	// The Timeout option overrides it per request.
	Timeout time.Duration
	// Proxies maps keys to proxy URLs like Requests' proxies dict: "http",
	// "https", "all", "http://host", "all://host", "https://host:port"; the
	// most specific key wins, and an empty value sends matching URLs direct.
	// client.Proxy overrides it per request. See docs/proxies.md, also for
	// what a request sees of changes to a map of more than eight keys.
	Proxies map[string]string
	// TLS are the TLS choices of every request that does not make its own
	// (client.InsecureSkipVerify, client.CABundle, client.ClientCert), as
	// Requests' Session.verify and Session.cert: verification (off, or a
	// CA bundle that is the whole set of roots) and a client certificate,
	// chosen separately. The zero value leaves both to the environment (with
	// TrustEnv) and to the mounted transport. Files are read when a
	// connection first needs them and again when they change on disk; see
	// docs/transport.md.
	TLS transport.TLSSettings
	// TrustEnv lets the environment in, as Requests' trust_env: URLs that no
	// Proxies key matches go through the proxies of HTTP_PROXY, HTTPS_PROXY,
	// ALL_PROXY and NO_PROXY, requests that choose no verification of their
	// own (nor TLS does) verify against the CA bundle of RELAY_CA_BUNDLE,
	// else SSL_CERT_FILE (all read when the session is created), and
	// requests without other credentials use the netrc file (NETRC, else
	// ~/.netrc). NewSession sets it. With TrustEnv false none of these is
	// read; a transport you bring keeps its own settings (http.DefaultTransport
	// and transport.New without IgnoreEnvironment read the environment
	// themselves).
	TrustEnv bool
	// Hooks run on every request of the session, before per-request hooks
	// (client.HookRequest and friends). Register them before sharing the
	// session.
	Hooks hooks.Registry
	// Cache, when not nil, answers requests from an RFC 9111 private cache
	// (package cache), per mount and per redirect hop, below cookies and
	// auth and above retries. nil, the default, caches nothing.
	Cache *cache.Cache
	// MaxRedirects is how many redirects a call may follow before it fails
	// with ErrTooManyRedirects. NewSession sets 30; 0 or less allows none
	// (NoRedirects returns the 3xx itself instead).
	MaxRedirects int
	// Explain makes every call keep its decision trail, as the Explain
	// option does for one: Response.Explain returns it. It costs about
	// what the notes cost (see docs/explain.md); false, the default, costs
	// nothing.
	Explain bool

	logger   *zap.Logger
	base     http.RoundTripper
	baseErr  error                                      // why the default base transport could not be built
	route    middleware.Middleware                      // shared by every mount, reading Proxies, TLS and TrustEnv
	netrc    func() (*auth.NetrcFile, error)            // NETRC or ~/.netrc, read once on first use
	timeouts Timeouts                                   // WithTimeouts
	retry    *RetryOptions                              // WithRetry; nil: off
	check    func(*http.Request, []*http.Request) error // WithHTTPClient's CheckRedirect
	plain    bool                                       // no retries, no timeouts, a no-op logger: set once, for quiet

	mu        sync.Mutex // serialises Mount, Use and MarkSensitive
	router    *transport.Router
	uses      []middleware.Middleware
	sends     atomic.Pointer[[]middleware.Middleware] // UseSend's, replaced (never changed) under mu
	sensitive atomic.Pointer[[]string]                // MarkSensitive's headers, replaced (never changed) under mu
	stack     atomic.Pointer[stackHolder]             // the assembled stack; replaced by Use
	urls      urlMemo                                 // the URL strings parsed last (urlmemo.go)
}

// stackHolder is the assembled stack, with and without the defaults
// middleware: Do merges the defaults as it builds a request, and enters
// below it.
type stackHolder struct{ full, merged http.RoundTripper }

// NewSession returns a Session with default headers, empty Params, the
// default size cap, and a base transport of its own (transport.New), mounted
// for http:// and https://.
//
// If the default transport cannot be built — RELAY_CA_BUNDLE or SSL_CERT_FILE
// names a file that is missing or holds no certificate — every request the
// session makes fails with that error: relay never falls back to other roots
// silently.
func NewSession(opts ...SessionOption) *Session {
	var sc sessionConfig
	for _, o := range opts {
		o.applySession(&sc)
	}
	if sc.logger == nil {
		sc.logger = zap.NewNop()
	}
	s := &Session{
		Headers: http.Header{
			"User-Agent":      {"relay/" + Version},
			"Accept":          {"*/*"},
			"Accept-Encoding": {middleware.AcceptEncoding},
		},
		Params:       url.Values{},
		Jar:          sc.jar,
		MaxBodySize:  DefaultMaxBodySize,
		MaxRedirects: middleware.DefaultMaxRedirects,
		TrustEnv:     true,
		Timeout:      sc.timeout,
		logger:       sc.logger,
		timeouts:     sc.timeouts,
		retry:        sc.retry,
		check:        sc.check,
		base:         sc.base,
		router:       transport.NewRouter(),
	}
	if s.Jar == nil {
		s.Jar, _ = cookiejar.New(nil) // nil options cannot fail
	}
	if s.base == nil {
		// The route middleware is the one place the environment is read:
		// the base transport itself neither proxies nor reads CA bundles.
		s.base, s.baseErr = transport.New(transport.Logger(s.logger), transport.IgnoreEnvironment(), transport.Proxy(nil))
	}
	s.netrc = auth.NetrcSource("", s.logger)
	s.plain = s.retry == nil && s.timeouts == (Timeouts{}) && s.logger.Core() == zapcore.NewNopCore()
	// A bad environment (HTTPS_PROXY=ftp://…) fails each request, naming the
	// variable, until TrustEnv is turned off.
	s.route, _ = middleware.RoutesFrom(s.routeOptions)
	if s.baseErr == nil {
		// One routed base for both schemes, so they share its pools.
		base := s.mountStack(s.base, "the session's base transport")
		for _, prefix := range []string{"http://", "https://"} {
			_ = s.router.Mount(prefix, base) // constant prefixes: cannot fail
		}
	}
	s.rebuild()
	for _, f := range sc.setups {
		if f != nil {
			f(s)
		}
	}
	return s
}

// Mount routes requests whose URL starts with prefix through rt, wrapped in
// the session's per-mount middlewares (auth, decompression). The longest
// matching prefix wins; see transport.Router for the matching rules. A
// prefix that is not of the form scheme://[host[:port]][/path] is an error.
func (s *Session) Mount(prefix string, rt http.RoundTripper) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if rt == nil {
		return s.router.Mount(prefix, nil) // the router's error
	}
	return s.router.Mount(prefix, s.mountStack(rt, fmt.Sprintf("mount %q", prefix)))
}

// MountPrefix returns the prefix of the mount that routes a request for u
// ("https://" for the session's own transport), and whether one does: for
// telemetry and logs that name the route a call took.
func (s *Session) MountPrefix(u *url.URL) (string, bool) { return s.router.Prefix(u) }

// Use adds middlewares to the session's stack, after the defaults and the
// hooks and before redirects: they see each call once, with the session's
// headers merged, and its final response. Middlewares added earlier are
// outer.
func (s *Session) Use(mws ...middleware.Middleware) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.uses = append(s.uses, mws...)
	s.rebuild()
}

// MarkSensitive names headers that, like Authorization and Cookie, are
// stripped from a redirect that leaves the origin where the call started: an
// API key header, say.
// They are redacted in debug logs too.
func (s *Session) MarkSensitive(headers ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	names := slices.Clone(s.sensitiveHeaders())
	for _, h := range headers {
		names = append(names, http.CanonicalHeaderKey(h))
	}
	s.sensitive.Store(&names)
}

// sensitiveHeaders returns the names MarkSensitive added; callers must not
// modify the slice.
func (s *Session) sensitiveHeaders() []string {
	if p := s.sensitive.Load(); p != nil {
		return *p
	}
	return nil
}

// RoundTrip sends req through the session's whole stack. It makes a Session
// an http.RoundTripper; Client wraps it in an *http.Client.
func (s *Session) RoundTrip(req *http.Request) (*http.Response, error) {
	return s.roundTrip(req, false)
}

// roundTrip enters the stack below the defaults middleware when merged says
// the request already has the session's defaults.
func (s *Session) roundTrip(req *http.Request, merged bool) (*http.Response, error) {
	if s.baseErr != nil {
		middleware.CloseRequestBody(req)
		return nil, s.baseErr
	}
	st := s.stack.Load()
	if merged {
		return st.merged.RoundTrip(req)
	}
	return st.full.RoundTrip(req)
}

// CloseIdleConnections closes the idle connections of every mounted
// transport. It goes to the router directly, so a middleware added with Use
// that does not forward the call cannot stop it.
func (s *Session) CloseIdleConnections() {
	s.router.CloseIdleConnections()
}

// Client returns an *http.Client that sends every request through the
// session's stack, for libraries that take one. The stack follows
// redirects itself, so the client's CheckRedirect returns the response it
// gets (a 3xx only when the stack did not follow it). Its Timeout is the
// session's.
func (s *Session) Client() *http.Client {
	return &http.Client{
		Transport:     s,
		Timeout:       s.Timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}
