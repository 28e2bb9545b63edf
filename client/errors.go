package client

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/relayhttp/relay/middleware"
)

// ErrBodyTooLarge is returned (wrapped) when a whole-body read — the read a
// request without Stream makes up front, or Bytes, Text and JSON on a
// streamed response — would go past the decoded-size cap. The error's text
// says how to read more: Stream, or a larger MaxBodySize.
var ErrBodyTooLarge = errors.New("response body too large")

// ErrUnrewindableBody is returned when a request must be resent (an answered
// authentication challenge, a 307/308 redirect, a retry) and its body cannot
// be replayed. It is middleware.ErrUnrewindableBody.
var ErrUnrewindableBody = middleware.ErrUnrewindableBody

// ErrTooManyRedirects is matched (errors.Is) by the error of a call whose
// redirect chain went past its limit. errors.As with a
// *middleware.RedirectError gives the responses received so far.
var ErrTooManyRedirects = middleware.ErrTooManyRedirects

// ErrProxyAuthRequired is matched (errors.Is) by the error of a call that a
// proxy answered with 407; errors.As with a *middleware.ProxyError names the
// proxy, without its password.
var ErrProxyAuthRequired = middleware.ErrProxyAuthRequired

// StatusError is the error Response.Err returns for a 4xx or 5xx response.
// URL never holds a user name or password.
type StatusError struct {
	StatusCode int    // e.g. 404
	Status     string // e.g. "404 Not Found"
	Method     string // the method of the request that got this response
	URL        string // that request's URL, without user name or password
	// Response is the response itself, for its headers and body (an API's
	// error message), as Requests' HTTPError.response. It is not printed.
	Response *Response
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("client: %s %s: %s", e.Method, e.URL, e.Status)
}

// bodyTooLarge formats ErrBodyTooLarge with the limit and the ways out.
func bodyTooLarge(limit int64) error {
	return fmt.Errorf("%w: more than %s decoded; use client.Stream() to read it incrementally, "+
		"or raise the cap with client.MaxBodySize(n) or Session.MaxBodySize (0 means no cap)",
		ErrBodyTooLarge, formatSize(limit))
}

func formatSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// urlError wraps err the way http.Client does ("Get \"http://…\": …"), with
// any password in the URL redacted.
func urlError(method string, u *url.URL, err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		ue.URL = redact(ue.URL)
		return err
	}
	return &url.Error{Op: methodOp(method), URL: withoutUserinfo(u), Err: err}
}

// redact strips the userinfo from a URL string that may carry one.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return withoutUserinfo(u)
}

// withoutUserinfo formats u without user name or password: SECURITY.md keeps
// userinfo out of every error string.
func withoutUserinfo(u *url.URL) string {
	if u.User == nil {
		return u.String()
	}
	c := *u
	c.User = nil
	return c.String()
}

// methodOp spells a method as net/http's errors do: "Get", "Post".
func methodOp(method string) string {
	if method == "" {
		return "Get"
	}
	if len(method) == 1 {
		return method
	}
	b := []byte(method)
	for i := 1; i < len(b); i++ {
		if 'A' <= b[i] && b[i] <= 'Z' {
			b[i] += 'a' - 'A'
		}
	}
	return string(b)
}

var _ error = (*StatusError)(nil)

// statusError returns the StatusError of r, or nil below 400.
func statusError(r *Response) error {
	resp := r.Response
	if resp.StatusCode < 400 {
		return nil
	}
	e := &StatusError{StatusCode: resp.StatusCode, Status: resp.Status, Response: r}
	if req := resp.Request; req != nil {
		e.Method = req.Method
		if req.URL != nil {
			e.URL = withoutUserinfo(req.URL)
		}
	}
	if e.Method == "" {
		e.Method = http.MethodGet
	}
	return e
}
