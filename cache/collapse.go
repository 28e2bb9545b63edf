package cache

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"slices"

	"github.com/relayhttp/relay/middleware"
)

// A flight is one origin request that identical concurrent misses wait
// for: when it ends, stored says whether its response is now in the store.
type flight struct {
	done   chan struct{}
	stored bool
}

// collapsed sends a miss to the origin once for all identical concurrent
// misses: the first goes, the others wait for its response to be stored
// and are then served from the store, each with its own body reader. A
// response that is not stored (uncacheable, over the cap, read only in
// part, failed) releases them to go to the origin themselves. A waiter
// whose context ends stops waiting.
func (c *Cache) collapsed(next http.RoundTripper, req *http.Request, pk string, rcc directives) (*http.Response, error) {
	if req.Method == http.MethodHead {
		return c.head(next, req, pk)
	}
	if rcc.noStore {
		return c.fetch(next, req, pk, rcc, nil)
	}
	fk := flightKey(pk, req)
	c.mu.Lock()
	if f := c.flights[fk]; f != nil {
		c.mu.Unlock()
		select {
		case <-f.done:
		case <-req.Context().Done():
			middleware.CloseRequestBody(req)
			return nil, req.Context().Err()
		}
		if f.stored {
			if s := c.lookup(req.Context(), pk, req); s != nil {
				now := c.now()
				if c.usable(s, rcc, now) == fresh {
					return c.serve(s, req, now, Hit), nil
				}
				s.close()
			}
		}
		return c.fetch(next, req, pk, rcc, nil)
	}
	f := &flight{done: make(chan struct{})}
	c.flights[fk] = f
	c.mu.Unlock()
	return c.fetch(next, req, pk, rcc, func(stored bool) {
		c.mu.Lock()
		delete(c.flights, fk)
		c.mu.Unlock()
		f.stored = stored
		close(f.done)
	})
}

// flightKey identifies identical requests: the same method, URL and
// credentials (pk), and the same header fields.
func flightKey(pk string, req *http.Request) string {
	h := sha256.New()
	h.Write([]byte(req.Method))
	h.Write([]byte(pk))
	names := make([]string, 0, len(req.Header))
	for name := range req.Header {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		for _, v := range req.Header[name] {
			h.Write([]byte{0})
			h.Write([]byte(name))
			h.Write([]byte{':'})
			h.Write([]byte(v))
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}
