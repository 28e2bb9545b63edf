package cache

import (
	"net/http"
	"slices"
	"time"

	"github.com/relayhttp/relay/middleware"
)

// revalidate asks the origin about a stored response that may not be used
// as it is: with its validators when it has some (RFC 9111 §4.3.1), so that
// a 304 freshens and serves it, else for the whole response. When the
// origin cannot be reached or answers 5xx and the stored response (or the
// request) allows stale-if-error, the stale response is served instead.
func (c *Cache) revalidate(next http.RoundTripper, req *http.Request, s *stored, pk string, rcc directives) (*http.Response, error) {
	ctx := middleware.WithCacheLookup(req.Context(), "revalidate")
	cond := req.WithContext(ctx)
	if validators(s.meta.Header) {
		cond = req.Clone(ctx)
		if etag := s.meta.Header.Get("ETag"); etag != "" {
			cond.Header.Set("If-None-Match", etag)
		}
		if lm := s.meta.Header.Get("Last-Modified"); lm != "" {
			cond.Header.Set("If-Modified-Since", lm)
		}
	}
	sent := c.now()
	resp, err := next.RoundTrip(cond)
	received := c.now()
	if (err != nil || resp.StatusCode >= 500) && c.staleIfError(s, rcc, received) {
		if resp != nil {
			middleware.DrainAndClose(resp)
		}
		return c.serve(s, req, received, Stale), nil
	}
	if err != nil {
		s.close()
		return nil, err
	}
	if cond.Header.Get("If-None-Match") == "" && cond.Header.Get("If-Modified-Since") == "" || resp.StatusCode != http.StatusNotModified {
		s.close()
		c.keep(req, resp, pk, rcc, sent, received, nil)
		return mark(resp, req, Miss), nil
	}
	middleware.DrainAndClose(resp)
	m := *s.meta // shared with other readers: change a copy
	m.Header = s.meta.Header.Clone()
	s.meta = &m
	freshen(s.meta, resp.Header)
	s.meta.RequestTime, s.meta.ResponseTime = sent, received
	s.cc = parseCacheControl(s.meta.Header["Cache-Control"])
	if ttl, ok := c.ttl(s.meta.Status, s.meta.Header, s.cc, s.meta.timing()); ok {
		_ = c.store.SetMeta(req.Context(), s.key, s.meta.encode(), ttl)
	}
	return c.serve(s, req, received, Revalidated), nil
}

// staleIfError reports whether s may be served stale at now because the
// origin failed: stale-if-error on the response or on the request (RFC
// 5861 §4) covers how stale it is, and must-revalidate does not forbid it.
func (c *Cache) staleIfError(s *stored, rcc directives, now time.Time) bool {
	if s.cc.mustRevalidate || s.cc.noCache || s.meta.Status >= 500 {
		return false // nor is a stored server error served for a new one
	}
	life, _ := lifetime(s.meta.Status, s.meta.Header, s.cc, s.meta.timing())
	staleFor := age(s.meta.Header, s.meta.timing(), now) - life
	allowed := max(time.Duration(max(s.cc.staleIfError.value(), rcc.staleIfError.value()))*time.Second, c.staleOnError)
	return (s.cc.staleIfError.set || rcc.staleIfError.set || c.staleOnError > 0) && staleFor <= allowed
}

// unfreshened are the fields a 304 never overwrites in the stored
// response: they describe the stored body, which the 304 does not carry
// (RFC 9111 §3.2).
var unfreshened = []string{"Content-Length", "Content-Encoding", "Transfer-Encoding", "Content-Range", "Trailer"}

// freshen updates m's header with those of a 304 (RFC 9111 §4.3.4).
func freshen(m *meta, h http.Header) {
	for name, values := range storedHeader(h) {
		if slices.Contains(unfreshened, name) {
			continue
		}
		m.Header[name] = slices.Clone(values)
	}
}

// head sends a HEAD request to the origin and, when its answer describes
// the stored GET response it selects (the same ETag, or the same
// Last-Modified when neither has an ETag), freshens that response's
// headers with it (RFC 9111 §4.3.5).
func (c *Cache) head(next http.RoundTripper, req *http.Request, pk string) (*http.Response, error) {
	sent := c.now()
	resp, err := next.RoundTrip(req.WithContext(middleware.WithCacheLookup(req.Context(), "miss")))
	if err != nil {
		return nil, err
	}
	received := c.now()
	if resp.StatusCode == http.StatusOK {
		if s := c.lookup(req.Context(), pk, req); s != nil {
			s.close()
			if sameValidators(s.meta.Header, resp.Header) {
				m := *s.meta
				m.Header = s.meta.Header.Clone()
				freshen(&m, resp.Header)
				m.RequestTime, m.ResponseTime = sent, received
				if ttl, ok := c.ttl(m.Status, m.Header, parseCacheControl(m.Header["Cache-Control"]), m.timing()); ok {
					_ = c.store.SetMeta(req.Context(), s.key, m.encode(), ttl)
				}
			}
		}
	}
	return mark(resp, req, Miss), nil
}

// sameValidators reports whether two responses carry the same validator.
func sameValidators(stored, h http.Header) bool {
	if e := stored.Get("ETag"); e != "" || h.Get("ETag") != "" {
		return e == h.Get("ETag")
	}
	lm := stored.Get("Last-Modified")
	return lm != "" && lm == h.Get("Last-Modified")
}
