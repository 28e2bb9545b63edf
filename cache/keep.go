package cache

import (
	"context"
	"io"
	"net/http"
	"time"

	"github.com/relayhttp/relay/internal/origin"
)

// understood are the status codes whose meaning a cache knows, for
// must-understand (RFC 9111 §5.2.2.3).
var understood = map[int]bool{
	200: true, 203: true, 204: true, 300: true, 301: true, 302: true, 303: true, 307: true, 308: true,
	404: true, 405: true, 410: true, 414: true, 501: true,
}

// ttl returns how long to keep a response: its freshness, plus KeepStale
// when it can be revalidated, plus what stale-while-revalidate and
// stale-if-error allow; false when it would never be of use.
func (c *Cache) ttl(status int, h http.Header, cc directives, t timing) (time.Duration, bool) {
	life, _ := lifetime(status, h, cc, t)
	extra := max(time.Duration(max(cc.staleWhileRevalidate.value(), cc.staleIfError.value()))*time.Second, c.staleOnError)
	if validators(h) {
		extra = max(extra, c.keepStale)
	}
	ttl := life + extra
	return ttl, ttl > 0
}

// storable reports whether a response to req, with directives cc, may be
// stored by a private cache (RFC 9111 §3), and how long it is kept.
func (c *Cache) storable(req *http.Request, resp *http.Response, cc, rcc directives, t timing) (time.Duration, bool) {
	switch {
	case req.Method != "" && req.Method != http.MethodGet,
		rcc.noStore,
		cc.noStore && !(cc.mustUnderstand && understood[resp.StatusCode]), // must-understand overrides no-store for a status it knows (§5.2.2.3)
		resp.StatusCode == http.StatusPartialContent || resp.StatusCode < 200,
		cc.mustUnderstand && !understood[resp.StatusCode],
		resp.ContentLength > c.maxEntry:
		return 0, false
	}
	if hasCredentials(req) && !explicit(resp.Header, cc) {
		// A response to credentials is stored only when it says it may be:
		// never on a heuristic (the key is partitioned by the credentials
		// all the same).
		return 0, false
	}
	life, isExplicit := lifetime(resp.StatusCode, resp.Header, cc, t)
	if !isExplicit && life == 0 && !validators(resp.Header) && !heuristicStatuses[resp.StatusCode] {
		return 0, false
	}
	return c.ttl(resp.StatusCode, resp.Header, cc, t)
}

// explicit reports whether a response states its cacheability.
func explicit(h http.Header, cc directives) bool {
	return cc.public || cc.private || cc.maxAge.set || cc.mustRevalidate || len(h["Expires"]) > 0
}

// keep arranges for resp to be stored, when it may be, as the caller reads
// its body: the body is written to the store while it is read, and the
// entry committed once it has been read to its end.
//
// ended, when not nil, learns whether the response was stored, once that
// is known: at once when it may not be, else when its body ends.
func (c *Cache) keep(req *http.Request, resp *http.Response, pk string, rcc directives, sent, received time.Time, ended func(stored bool)) {
	if ended == nil {
		ended = func(bool) {}
	}
	cc := parseCacheControl(resp.Header["Cache-Control"])
	t := timing{sent, received}
	ttl, ok := c.storable(req, resp, cc, rcc, t)
	if !ok {
		ended(false)
		return
	}
	vary, ok := varyOf(resp.Header, req)
	if !ok {
		ended(false)
		return
	}
	m := &meta{Status: resp.StatusCode, ProtoMajor: resp.ProtoMajor, ProtoMinor: resp.ProtoMinor,
		Header: storedHeader(resp.Header), Vary: vary, RequestTime: sent, ResponseTime: received}
	key := entryKey(pk, vary)
	ctx := context.WithoutCancel(req.Context())
	w, err := c.store.Create(ctx, key, m.encode(), ttl)
	if err != nil {
		ended(false)
		return
	}
	resp.Body = &storingBody{rc: resp.Body, w: w, max: c.maxEntry, ended: ended, commit: func() bool {
		return c.store.Update(ctx, pk, ttl, func(old []byte) []byte { return withVariant(old, variant{key, vary}) }) == nil
	}}
}

// storingBody writes what its reader reads to an entry, and commits the
// entry at the end of the body. A body closed before its end, one that
// fails, or one over the cap is not stored.
type storingBody struct {
	rc     io.ReadCloser
	w      EntryWriter // nil once done
	n, max int64
	commit func() bool
	ended  func(stored bool)
}

func (b *storingBody) Read(p []byte) (int, error) {
	n, err := b.rc.Read(p)
	if b.w != nil && n > 0 {
		b.n += int64(n)
		if b.n > b.max {
			b.abort()
		} else if _, werr := b.w.Write(p[:n]); werr != nil {
			b.abort()
		}
	}
	switch {
	case b.w == nil:
	case err == io.EOF:
		w := b.w
		b.w = nil
		b.ended(w.Commit() == nil && b.commit())
	case err != nil:
		b.abort()
	}
	return n, err
}

func (b *storingBody) abort() {
	if b.w != nil {
		b.w.Abort()
		b.w = nil
		b.ended(false)
	}
}

func (b *storingBody) Close() error {
	b.abort() // a body not read to its end is not stored
	return b.rc.Close()
}

// unsafe sends a request with an unsafe method and, when it succeeds,
// invalidates what the cache holds for its target and for the Location and
// Content-Location of the response on the same origin (RFC 9111 §4.4).
func (c *Cache) unsafe(next http.RoundTripper, req *http.Request) (*http.Response, error) {
	resp, err := next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	if safe(req.Method) || resp.StatusCode >= 400 {
		return mark(resp, req, Bypass), nil
	}
	ctx := context.WithoutCancel(req.Context())
	_ = c.store.Delete(ctx, primaryKey(req.URL, req))
	for _, h := range []string{"Location", "Content-Location"} {
		v := resp.Header.Get(h)
		if v == "" {
			continue
		}
		if u, err := req.URL.Parse(v); err == nil && origin.Of(u) == origin.Of(req.URL) {
			_ = c.store.Delete(ctx, primaryKey(u, req))
		}
	}
	return mark(resp, req, Bypass), nil
}

// safe reports whether method is safe (RFC 9110 §9.2.1): it changes
// nothing, so it invalidates nothing.
func safe(method string) bool {
	switch method {
	case http.MethodOptions, http.MethodTrace, "PROPFIND", "SEARCH", "REPORT":
		return true
	}
	return false
}
