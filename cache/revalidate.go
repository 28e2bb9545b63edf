package cache

import (
	"net/http"
	"slices"

	"github.com/relayhttp/relay/middleware"
)

// revalidate asks the origin whether s is still good, with its validators
// (RFC 9111 §4.3.1). A 304 freshens s and serves it; any other answer
// replaces it.
func (c *Cache) revalidate(next http.RoundTripper, req *http.Request, s *stored, pk string, rcc directives) (*http.Response, error) {
	cond := req.Clone(req.Context())
	if etag := s.meta.Header.Get("ETag"); etag != "" {
		cond.Header.Set("If-None-Match", etag)
	}
	if lm := s.meta.Header.Get("Last-Modified"); lm != "" {
		cond.Header.Set("If-Modified-Since", lm)
	}
	sent := c.now()
	resp, err := next.RoundTrip(cond)
	if err != nil {
		s.close()
		return nil, err
	}
	received := c.now()
	if resp.StatusCode != http.StatusNotModified {
		s.close()
		c.keep(req, resp, pk, rcc, sent, received)
		return mark(resp, req, Miss), nil
	}
	middleware.DrainAndClose(resp)
	freshen(s.meta, resp.Header)
	s.meta.RequestTime, s.meta.ResponseTime = sent, received
	s.cc = parseCacheControl(s.meta.Header["Cache-Control"])
	if ttl, ok := c.ttl(s.meta.Status, s.meta.Header, s.cc, s.meta.timing()); ok {
		_ = c.store.SetMeta(req.Context(), s.key, s.meta.encode(), ttl)
	}
	return c.serve(s, req, received, Revalidated), nil
}

// unfreshened are the fields a 304 never overwrites in the stored
// response: they describe the stored body, which the 304 does not carry
// (RFC 9111 §3.2).
var unfreshened = []string{"Content-Length", "Content-Encoding", "Transfer-Encoding", "Content-Range", "Trailer"}

// freshen updates m's header with those of a 304 (RFC 9111 §4.3.4).
func freshen(m *meta, h http.Header) {
	for name, values := range h {
		if slices.Contains(unfreshened, name) {
			continue
		}
		m.Header[name] = slices.Clone(values)
	}
}
