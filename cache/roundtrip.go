package cache

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/relayhttp/relay/middleware"
)

// stored is a response found in the store, its body open.
type stored struct {
	key  string
	meta *meta
	body io.ReadCloser
	cc   directives
}

func (s *stored) close() { _ = s.body.Close() }

// roundTrip answers req from the store, the origin (through next), or
// both (revalidation).
func (c *Cache) roundTrip(next http.RoundTripper, req *http.Request) (*http.Response, error) {
	switch req.Method {
	case "", http.MethodGet, http.MethodHead:
	default:
		return c.unsafe(next, req)
	}
	if unevaluated(req) {
		return bypass(next, req)
	}
	ctx := req.Context()
	rcc := requestDirectives(req.Header)
	pk := primaryKey(req.URL, req)
	s := c.lookup(ctx, pk, req)
	now := c.now()
	if own := conditional(req) || len(req.Header["Range"]) > 0; own {
		// The caller's own conditions or range: answered from a response
		// fresh enough to use, else by the origin, its answer unstored.
		if s != nil {
			switch c.usable(s, rcc, now) {
			case fresh:
				if resp, ok := c.answerOwn(s, req, now, Hit); ok {
					return resp, nil
				}
			case staleAllowed:
				if resp, ok := c.answerOwn(s, req, now, Stale); ok {
					return resp, nil
				}
			default:
				s.close()
			}
		}
		if rcc.onlyIfCached {
			middleware.CloseRequestBody(req)
			return gatewayTimeout(req), nil
		}
		return bypass(next, req)
	}
	if s != nil {
		switch c.usable(s, rcc, now) {
		case fresh:
			return c.serve(s, req, now, Hit), nil
		case staleAllowed:
			return c.serve(s, req, now, Stale), nil
		case staleWhileRevalidate:
			c.revalidateLater(next, req, s.key, pk, rcc)
			return c.serve(s, req, now, Stale), nil
		}
		if rcc.onlyIfCached {
			s.close()
			return gatewayTimeout(req), nil
		}
		if req.Method == http.MethodHead {
			s.close()
			return c.head(next, req, pk)
		}
		return c.revalidate(next, req, s, pk, rcc)
	}
	if rcc.onlyIfCached {
		middleware.CloseRequestBody(req)
		return gatewayTimeout(req), nil
	}
	return c.collapsed(next, req, pk, rcc)
}

// bypass sends req to the origin with the cache out of the way.
func bypass(next http.RoundTripper, req *http.Request) (*http.Response, error) {
	resp, err := next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	return mark(resp, req, Bypass), nil
}

// requestDirectives are a request's Cache-Control, with HTTP/1.0's
// Pragma: no-cache counted when there is no Cache-Control (RFC 9111 §5.4).
func requestDirectives(h http.Header) directives {
	d := parseCacheControl(h["Cache-Control"])
	if len(h["Cache-Control"]) == 0 {
		for _, p := range h.Values("Pragma") {
			if p == "no-cache" {
				d.noCache = true
			}
		}
	}
	return d
}

// fetch sends req to the origin and stores what it may; ended, when not
// nil, learns whether the response was stored once that is known.
func (c *Cache) fetch(next http.RoundTripper, req *http.Request, pk string, rcc directives, ended func(stored bool)) (*http.Response, error) {
	sent := c.now()
	resp, err := next.RoundTrip(req.WithContext(middleware.WithCacheLookup(req.Context(), "miss")))
	if err != nil {
		if ended != nil {
			ended(false)
		}
		return nil, err
	}
	c.keep(req, resp, pk, rcc, sent, c.now(), ended)
	return mark(resp, req, Miss), nil
}

// lookup returns the freshest stored variant of pk that req selects, or
// nil.
func (c *Cache) lookup(ctx context.Context, pk string, req *http.Request) *stored {
	idx, err := c.store.Load(ctx, pk)
	if err != nil {
		return nil
	}
	variants, _ := c.indexes.get(pk, idx, func(b []byte) ([]variant, error) { return decodeIndex(b), nil })
	for _, v := range variants {
		if !matches(v.Vary, req) {
			continue
		}
		raw, body, err := c.store.Open(ctx, v.Key)
		if err != nil {
			continue
		}
		m, err := c.metas.get(v.Key, raw, decodeMeta)
		if err != nil {
			_ = body.Close()
			continue
		}
		return &stored{key: v.Key, meta: m, body: body, cc: parseCacheControl(m.Header["Cache-Control"])} // m is shared: see freshen
	}
	return nil
}

// usability is what a stored response may be used for.
type usability uint8

const (
	mustValidate         usability = iota // ask the origin first
	fresh                                 // serve it
	staleAllowed                          // serve it stale: the request allows it (max-stale)
	staleWhileRevalidate                  // serve it stale, and revalidate it in the background
)

// usable decides whether s may answer a request with directives rcc at
// now (RFC 9111 §4.2, §5.2.1).
func (c *Cache) usable(s *stored, rcc directives, now time.Time) usability {
	if s.cc.noCache || len(s.cc.noCacheFields) > 0 || rcc.noCache {
		return mustValidate
	}
	life, _ := lifetime(s.meta.Status, s.meta.Header, s.cc, s.meta.timing())
	a := age(s.meta.Header, s.meta.timing(), now)
	if rcc.maxAge.set && a > time.Duration(rcc.maxAge.value())*time.Second {
		return mustValidate
	}
	left := life - a
	if rcc.minFresh.set {
		left -= time.Duration(rcc.minFresh.value()) * time.Second
	}
	if left > 0 {
		return fresh
	}
	if s.cc.mustRevalidate {
		return mustValidate
	}
	if s.cc.staleWhileRevalidate.set && -left <= time.Duration(s.cc.staleWhileRevalidate.value())*time.Second {
		return staleWhileRevalidate
	}
	if rcc.maxStaleAny || rcc.maxStale.set && -left <= time.Duration(rcc.maxStale.value())*time.Second {
		return staleAllowed
	}
	return mustValidate
}

// validators reports whether a stored response can be revalidated.
func validators(h http.Header) bool {
	return h.Get("ETag") != "" || h.Get("Last-Modified") != ""
}

// serve answers req with s, its Age set; a HEAD request gets no body.
func (c *Cache) serve(s *stored, req *http.Request, now time.Time, st Status) *http.Response {
	middleware.CloseRequestBody(req)
	h := s.meta.Header.Clone()
	h.Set("Age", strconv.FormatInt(int64(age(s.meta.Header, s.meta.timing(), now)/time.Second), 10))
	resp := &http.Response{
		Status:        fmt.Sprintf("%d %s", s.meta.Status, http.StatusText(s.meta.Status)),
		StatusCode:    s.meta.Status,
		Proto:         fmt.Sprintf("HTTP/%d.%d", s.meta.ProtoMajor, s.meta.ProtoMinor),
		ProtoMajor:    s.meta.ProtoMajor,
		ProtoMinor:    s.meta.ProtoMinor,
		Header:        h,
		Body:          s.body,
		ContentLength: -1,
		Request:       req,
	}
	if n, err := strconv.ParseInt(h.Get("Content-Length"), 10, 64); err == nil {
		resp.ContentLength = n
	}
	if req.Method == http.MethodHead {
		s.close()
		resp.Body = http.NoBody
	}
	return mark(resp, req, st)
}

// gatewayTimeout is the answer to only-if-cached when nothing stored may
// answer (RFC 9111 §5.2.1.7).
func gatewayTimeout(req *http.Request) *http.Response {
	resp := &http.Response{
		Status: "504 Gateway Timeout", StatusCode: http.StatusGatewayTimeout,
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{}, Body: http.NoBody, Request: req,
	}
	return mark(resp, req, Miss)
}
