package transport

import (
	"context"
	"net/http"
	"net/url"

	"github.com/relayhttp/relay/middleware"
)

// ContextProxy returns a function for [http.Transport.Proxy] that uses the
// proxy a request's context names ([middleware.WithProxy], set by the proxy
// middleware or per request), and asks fallback for requests whose context
// names none; a nil fallback means a direct connection. Give it to [New]
// with the [Proxy] option, or set it on a transport of your own, to make the
// transport honour the proxy middleware's choices:
//
//	rt, err := transport.New(transport.Proxy(transport.ContextProxy(nil)))
//
// A relay Session builds its base transport that way: its proxy middleware
// is the only source of proxy choices, so the transport must not fall back
// to the environment for a request the middleware sent direct.
func ContextProxy(fallback func(*http.Request) (*url.URL, error)) func(*http.Request) (*url.URL, error) {
	return func(req *http.Request) (*url.URL, error) {
		if u, ok := middleware.ProxyFromContext(req.Context()); ok {
			return u, nil
		}
		if fallback == nil {
			return nil, nil
		}
		return fallback(req)
	}
}

// proxyConnectResponse is the OnProxyConnectResponse of transports from New:
// it turns a refused CONNECT into a *middleware.ProxyError where net/http would return
// an error holding only the status text.
func proxyConnectResponse(_ context.Context, proxy *url.URL, _ *http.Request, resp *http.Response) error {
	if resp.StatusCode == http.StatusOK {
		return nil
	}
	return middleware.NewProxyError(proxy, resp)
}
