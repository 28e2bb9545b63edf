package client

import (
	"context"
	"io"
	"net/http"
	"strings"

	"github.com/relayhttp/relay/auth"
	"github.com/relayhttp/relay/cookiejar"
	"github.com/relayhttp/relay/middleware"
)

// shapesRequest reports whether the options change the request itself, not
// only how its response is read.
func (c *requestConfig) shapesRequest() bool {
	return len(c.headers) > 0 || len(c.params) > 0 || c.body != nil || len(c.without) > 0 ||
		c.raw || c.authSet || c.noRedir || c.maxRedirSet || c.routeSet || len(c.cookies) > 0 || c.timeoutsSet || c.retrySet || len(c.hooks) > 0
}

// context adds the per-request settings the middlewares read.
func (c *requestConfig) context(ctx context.Context) context.Context {
	if len(c.without) > 0 {
		ctx = middleware.WithoutHeaders(ctx, c.without...)
	}
	if c.raw {
		ctx = middleware.WithRawBody(ctx)
	}
	if c.authSet {
		ctx = auth.NewContext(ctx, c.auth)
	}
	if c.noRedir {
		ctx = middleware.WithoutRedirects(ctx)
	}
	if c.routeSet {
		ctx = middleware.WithRoute(ctx, c.route)
	}
	if len(c.cookies) > 0 {
		ctx = cookiejar.WithCookies(ctx, c.cookies...)
	}
	if c.timeoutsSet {
		ctx = middleware.WithTimeouts(ctx, c.timeouts)
	}
	if c.retrySet {
		ctx = middleware.WithRetry(ctx, *c.retry)
	}
	for _, set := range c.hooks {
		ctx = set(ctx)
	}
	if c.maxRedirSet {
		ctx = middleware.WithMaxRedirects(ctx, c.maxRedir)
	}
	return ctx
}

// shape writes the options' headers, params and body into req, which the
// caller owns.
func (c *requestConfig) shape(req *http.Request) error {
	c.writeHeaders(req)
	if len(c.params) > 0 {
		enc := c.encodeParams()
		if req.URL.RawQuery == "" {
			req.URL.RawQuery = enc
		} else {
			req.URL.RawQuery = strings.TrimSuffix(req.URL.RawQuery, "&") + "&" + enc
		}
	}
	if b := c.body; b != nil {
		middleware.CloseRequestBody(req) // a body Send's options replace
		if b.length == 0 {
			_ = b.body.Close()
			req.Body, req.ContentLength = http.NoBody, 0
			req.GetBody = func() (io.ReadCloser, error) { return http.NoBody, nil }
		} else {
			req.Body, req.GetBody, req.ContentLength = b.body, b.getBody, b.length
		}
		if b.contentType != "" && req.Header.Get("Content-Type") == "" {
			req.Header.Set("Content-Type", b.contentType)
		}
	}
	return nil
}

func closeSpec(b *bodySpec) {
	if b != nil && b.body != nil {
		_ = b.body.Close()
	}
}
