package transport

import (
	"context"
	"net/http"
	"net/url"

	"github.com/relayhttp/relay/middleware"
)

// proxyConnectResponse is the OnProxyConnectResponse of transports from New:
// it turns a refused CONNECT into a *middleware.ProxyError where net/http would return
// an error holding only the status text.
func proxyConnectResponse(_ context.Context, proxy *url.URL, _ *http.Request, resp *http.Response) error {
	if resp.StatusCode == http.StatusOK {
		return nil
	}
	return middleware.NewProxyError(proxy, resp)
}
