package cache

import (
	"context"
	"io"
	"net/http"
)

// revalidateLater revalidates the stored response key in the background,
// once however many requests are served it stale meanwhile
// (stale-while-revalidate, RFC 5861 §3). The revalidation outlives the
// request that started it, bounded by RevalidateTimeout.
func (c *Cache) revalidateLater(next http.RoundTripper, req *http.Request, key, pk string, rcc directives) {
	c.mu.Lock()
	if c.revalidating[key] {
		c.mu.Unlock()
		return
	}
	c.revalidating[key] = true
	c.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.WithoutCancel(req.Context()), c.revalidateTimeout)
	bg := req.Clone(ctx)
	bg.Body, bg.GetBody, bg.ContentLength = http.NoBody, nil, 0
	c.wg.Go(func() {
		defer func() {
			cancel()
			c.mu.Lock()
			delete(c.revalidating, key)
			c.mu.Unlock()
		}()
		s := c.lookup(ctx, pk, bg)
		if s == nil {
			return
		}
		resp, err := c.revalidate(next, bg, s, pk, rcc)
		if err != nil {
			return
		}
		// Reading the body to its end stores a new response; one over the
		// cap is not stored, so there is no point reading it further.
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, c.maxEntry+1))
		_ = resp.Body.Close()
	})
}

// Wait waits for the background revalidations under way to end.
func (c *Cache) Wait() { c.wg.Wait() }
