package middleware

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
)

// ErrProxyAuthRequired is matched (errors.Is) by the [*ProxyError] of a
// request a proxy refused with 407 Proxy Authentication Required: the proxy
// URL carries no credentials, or the proxy rejected them.
var ErrProxyAuthRequired = errors.New("proxy authentication required")

// ProxyError reports a proxy that refused a request: a CONNECT answered with
// a status other than 200 (HTTPS through an HTTP proxy), or a 407 answer to a
// plain HTTP request forwarded by a proxy. Proxy is the proxy's URL with its
// password replaced by "xxxxx" ([url.URL.Redacted]); the password never
// appears in the error.
type ProxyError struct {
	Proxy      string // redacted proxy URL
	StatusCode int    // the proxy's status code, 407 for missing or wrong credentials
	Status     string // the proxy's status line, "407 Proxy Authentication Required"
	Err        error  // ErrProxyAuthRequired for 407, nil otherwise
}

func (e *ProxyError) Error() string {
	return fmt.Sprintf("middleware: proxy %s refused the request: %s", e.Proxy, e.Status)
}

func (e *ProxyError) Unwrap() error { return e.Err }

// NewProxyError returns the [*ProxyError] for resp, an answer from proxy:
// a 407 to a plain HTTP request, or a refused CONNECT (transports from
// transport.New report those through it). It does not touch resp's body.
func NewProxyError(proxy *url.URL, resp *http.Response) *ProxyError {
	e := &ProxyError{Proxy: proxy.Redacted(), StatusCode: resp.StatusCode, Status: resp.Status}
	if e.Status == "" {
		e.Status = fmt.Sprintf("%d %s", resp.StatusCode, http.StatusText(resp.StatusCode))
	}
	if resp.StatusCode == http.StatusProxyAuthRequired {
		e.Err = ErrProxyAuthRequired
	}
	return e
}
