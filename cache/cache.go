package cache

import (
	"net/http"
	"sync"
	"time"

	"github.com/relayhttp/relay/explain"
	"github.com/relayhttp/relay/internal/relayctx"
	"github.com/relayhttp/relay/middleware"
)

// DefaultMaxEntryBytes is the largest body a Cache stores unless
// Options.MaxEntryBytes says otherwise: 8 MiB. A larger one passes through
// untouched.
const DefaultMaxEntryBytes = 8 << 20

// DefaultKeepStale is how long a response that can be revalidated (it has
// an ETag or a Last-Modified) is kept after it turned stale, so that a
// later request may revalidate it instead of fetching it whole.
const DefaultKeepStale = 24 * time.Hour

// Options configures a Cache.
type Options struct {
	// Store keeps the entries; nil means Memory(64 MiB).
	Store Store
	// MaxEntryBytes is the largest body stored, as it came off the wire
	// (still compressed); 0 means DefaultMaxEntryBytes. A response whose
	// body is larger passes through untouched and is not stored.
	MaxEntryBytes int64
	// KeepStale is how long a revalidatable response is kept past its
	// freshness; 0 means DefaultKeepStale.
	KeepStale time.Duration
	// StaleIfError serves a stored response up to this long past its
	// freshness when the origin cannot be reached or answers 5xx, as if
	// every response said stale-if-error (RFC 5861 §4) — requests-cache's
	// stale_if_error. must-revalidate and no-cache still forbid it. 0, the
	// default, serves stale on error only when the response or the request
	// says stale-if-error: an unreachable origin is an error the caller
	// sees, as it is without a cache.
	StaleIfError time.Duration
	// RevalidateTimeout bounds a background revalidation
	// (stale-while-revalidate); 0 means DefaultRevalidateTimeout.
	RevalidateTimeout time.Duration
	// Now is the cache's clock; nil means time.Now. Tests give a fake one.
	Now func() time.Time
}

// DefaultRevalidateTimeout bounds a background revalidation unless
// Options.RevalidateTimeout says otherwise.
const DefaultRevalidateTimeout = 30 * time.Second

// A Cache is a private HTTP cache (RFC 9111). Give it to a relay Session
// (s.Cache = c), which puts it in every mount's stack, per redirect hop,
// below cookies and auth and above retries; or use its Middleware in a
// stack of your own at the same place. It is safe for concurrent use.
type Cache struct {
	store             Store
	maxEntry          int64
	keepStale         time.Duration
	staleOnError      time.Duration
	revalidateTimeout time.Duration
	now               func() time.Time

	mu           sync.Mutex
	flights      map[string]*flight // misses under way, by flightKey
	revalidating map[string]bool    // entry keys being revalidated in the background
	wg           sync.WaitGroup
	metas        memo[*meta]     // decoded entry metadata
	indexes      memo[[]variant] // decoded variant lists
}

// New returns a Cache configured by o.
func New(o Options) *Cache {
	c := &Cache{store: o.Store, maxEntry: o.MaxEntryBytes, keepStale: o.KeepStale, now: o.Now,
		revalidateTimeout: o.RevalidateTimeout, staleOnError: max(0, o.StaleIfError),
		flights: make(map[string]*flight), revalidating: make(map[string]bool)}
	if c.revalidateTimeout <= 0 {
		c.revalidateTimeout = DefaultRevalidateTimeout
	}
	if c.store == nil {
		c.store = Memory(0)
	}
	if c.maxEntry <= 0 {
		c.maxEntry = DefaultMaxEntryBytes
	}
	if c.keepStale <= 0 {
		c.keepStale = DefaultKeepStale
	}
	if c.now == nil {
		c.now = time.Now
	}
	return c
}

// Middleware returns the cache as a middleware.
func (c *Cache) Middleware() middleware.Middleware {
	return func(next http.RoundTripper) http.RoundTripper {
		if next == nil {
			next = http.DefaultTransport
		}
		return &cacheRT{c: c, next: next}
	}
}

// MiddlewareFrom returns a middleware that runs the cache source returns
// for each request, or passes the request on untouched (no allocation)
// when it returns nil: for a relay Session, whose Cache field may be set
// after the stack is built.
func MiddlewareFrom(source func() *Cache) middleware.Middleware {
	return func(next http.RoundTripper) http.RoundTripper {
		if next == nil {
			next = http.DefaultTransport
		}
		return &cacheRT{source: source, next: next}
	}
}

type cacheRT struct {
	c      *Cache
	source func() *Cache
	next   http.RoundTripper
}

func (rt *cacheRT) RoundTrip(req *http.Request) (*http.Response, error) {
	c := rt.c
	if rt.source != nil {
		if c = rt.source(); c == nil {
			return rt.next.RoundTrip(req)
		}
	}
	return c.roundTrip(rt.next, req)
}

func (rt *cacheRT) CloseIdleConnections() { middleware.CloseIdleConnections(rt.next) }

// Status says how the cache answered a request.
type Status uint8

// The ways a cache answers.
const (
	None        Status = iota // the response did not go through a cache
	Hit                       // served from the cache, fresh, with no request to the origin
	Miss                      // from the origin (and stored, when it may be)
	Revalidated               // the stored response, confirmed by the origin with a 304
	Stale                     // the stored response, stale, served because the origin failed (stale-if-error) or allowed it (max-stale)
	Bypass                    // the cache did not take part: a method or request it does not cache
)

func (s Status) String() string {
	switch s {
	case Hit:
		return "hit"
	case Miss:
		return "miss"
	case Revalidated:
		return "revalidated"
	case Stale:
		return "stale"
	case Bypass:
		return "bypass"
	}
	return "none"
}

type statusKey struct{ relayctx.KeyBase }

// StatusOf returns how the cache answered resp's request: None when resp
// did not come through a cache.
func StatusOf(resp *http.Response) Status {
	if resp == nil || resp.Request == nil {
		return None
	}
	s, _ := resp.Request.Context().Value(statusKey{}).(Status)
	return s
}

// mark records s on resp, whose request is req's or one sent for it.
// Answered names how a cache answered resp without a send of its own, for
// the log (middleware.LogAnswersFrom): "hit" for a fresh stored response,
// "stale" for a stale one; "" for any other response, which was sent.
func Answered(resp *http.Response) string {
	switch StatusOf(resp) {
	case Hit:
		return "hit"
	case Stale:
		return "stale"
	}
	return ""
}

func mark(resp *http.Response, req *http.Request, s Status) *http.Response {
	r := resp.Request
	if r == nil {
		r = req
	}
	if explain.On(req.Context()) {
		explain.Note(req.Context(), explain.Decision{Kind: explain.KindCache, Action: explain.Action(s.String())})
	}
	resp.Request = r.WithContext(relayctx.WithValue(r.Context(), statusKey{}, s))
	return resp
}
