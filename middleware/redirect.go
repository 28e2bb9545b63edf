package middleware

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"

	"github.com/relayhttp/relay/explain"
	"github.com/relayhttp/relay/internal/origin"
	"github.com/relayhttp/relay/internal/relayctx"
)

// DefaultMaxRedirects is how many redirects a chain may follow: 30, as
// Requests allows.
const DefaultMaxRedirects = 30

// ErrTooManyRedirects is matched (errors.Is) by the *RedirectError of a chain
// that went past its limit.
var ErrTooManyRedirects = errors.New("too many redirects")

// SensitiveHeaders are stripped from a redirect that leaves the origin where
// the chain started (SECURITY.md), on top of any a caller names.
var SensitiveHeaders = []string{
	"Authorization", "Proxy-Authorization", "Cookie", "Www-Authenticate", "Proxy-Authenticate",
}

// RedirectError reports a redirect chain that could not go on: too many
// hops, a Location that is not a usable http(s) URL, or an error from
// RedirectOptions.CheckRedirect. History holds the redirect responses that
// were followed, oldest first; Response is the one that was not, the
// chain's last. Every body is closed.
//
// Over a limit of n, a chain makes n+1 requests: History holds the n
// redirects followed and Response the last one, as Requests'
// TooManyRedirects.response and its history do.
type RedirectError struct {
	History  []*http.Response
	Response *http.Response
	Err      error
}

func (e *RedirectError) Error() string {
	return fmt.Sprintf("middleware: after %d redirects: %v", len(e.History), e.Err)
}

func (e *RedirectError) Unwrap() error { return e.Err }

// RedirectOptions configures Redirects.
type RedirectOptions struct {
	// Max is how many redirects a chain may follow; a chain that needs more
	// ends with ErrTooManyRedirects. 0 means DefaultMaxRedirects; a negative
	// value allows none.
	Max int
	// Sensitive names headers, besides SensitiveHeaders, that are stripped
	// when a chain leaves its origin (an API key header, say).
	Sensitive []string
	// CheckRedirect, if not nil, is called before each redirect is
	// followed, with the arguments net/http's Client gives its own: req is
	// the next hop's request (its Response the 3xx), via the requests made
	// so far, oldest first, the one that started the chain first. What it
	// changes in req is sent, as with net/http. It is asked only about
	// redirects the chain would follow: a bad Location or Max (which still
	// applies) ends the chain first.
	//
	// If it returns http.ErrUseLastResponse itself (compared with ==, as
	// net/http does), the 3xx is returned as it is, its body unread and
	// open. Any other error drains and closes that body and ends the chain
	// with a *RedirectError that wraps the error.
	CheckRedirect func(req *http.Request, via []*http.Request) error
}

// Redirects returns a middleware that follows redirects the way Requests
// does, with SECURITY.md's stricter rules where the two disagree:
//
//   - 301, 302, 303, 307 and 308 with a Location are followed; 300, 304, 305
//     and a 3xx without Location (or with an empty one, as net/http reads
//     it) are returned as they are.
//   - 301, 302 and 303 turn a request that is neither GET nor HEAD into a GET
//     without body, Content-Type, Content-Length or Transfer-Encoding; 307 and
//     308 resend the same method and the same bytes through GetBody, and end
//     with ErrUnrewindableBody when the body cannot be replayed.
//   - A Location is resolved against the hop's URL; one that is not http or
//     https, does not parse, or is given twice with different values ends the
//     chain with a *RedirectError before anything is dialled. A fragment is
//     carried to later hops that have none, and never sent.
//   - The hop's request target is ASCII: in the Location's path, query and
//     fragment, raw UTF-8 and every other byte RFC 3986 does not allow there
//     is percent-encoded, as Requests does; escapes already there are kept
//     exactly, never encoded twice. A control byte makes it invalid.
//   - Once a hop leaves the chain's first origin (origin.Keeps: only the
//     http:80 → https:443 upgrade of the same host stays), every sensitive
//     header is stripped for the rest of the chain, even back on the first
//     origin. Middlewares further in (auth, cookies) see the chain through
//     Request.Response and put nothing back either.
//   - Each hop is a new request whose Response field is the response that
//     caused it, as net/http's Client builds them, and is sent through next,
//     so behind a router it may land on another mount. A dropped hop's body
//     is drained (at most DrainLimit bytes) and closed.
//
// RedirectOptions.CheckRedirect may stop a chain at any hop, as an
// http.Client's does. The context can turn redirects off (WithoutRedirects)
// or set another limit (WithMaxRedirects) for one request. The final response's Request links
// back through every hop: Hops returns them.
func Redirects(o RedirectOptions) Middleware {
	o.Sensitive = slices.Clone(o.Sensitive)
	return RedirectsFrom(func() RedirectOptions { return o })
}

// RedirectsFrom is Redirects with its options read from source on every
// request, for a Session whose settings may change before it is shared.
func RedirectsFrom(source func() RedirectOptions) Middleware {
	return func(next http.RoundTripper) http.RoundTripper {
		return &redirects{next: orDefault(next), source: source}
	}
}

type redirects struct {
	next   http.RoundTripper
	source func() RedirectOptions
}

func (r *redirects) CloseIdleConnections() { CloseIdleConnections(r.next) }

func (r *redirects) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := r.next.RoundTrip(req)
	if err != nil || !isRedirect(resp) {
		return resp, err
	}
	ctx := req.Context()
	max, follow := maxRedirects(ctx)
	if !follow {
		return resp, nil
	}
	opts := r.source()
	if max == 0 {
		max = opts.Max
	}
	if max == 0 {
		max = DefaultMaxRedirects
	}
	first := origin.Of(req.URL)
	left := false                // the chain has been off its first origin
	prev := req                  // the request the current hop is derived from
	var history []*http.Response // the redirects followed, oldest first
	var via []*http.Request      // the requests sent, for CheckRedirect
	if opts.CheckRedirect != nil {
		via = []*http.Request{req}
	}
	for {
		if loc := resp.Header["Location"]; len(loc) == 0 || loc[0] == "" || !isRedirect(resp) {
			return resp, nil
		}
		target, err := location(resp, prev.URL)
		if err == nil && len(history) >= max { // max < 0: none
			err = tooManyRedirects(max)
		}
		var hop *http.Request
		if err == nil {
			left = left || !origin.Keeps(first, origin.Of(target))
			hop, err = nextHop(prev, resp, target, left, opts.Sensitive)
		}
		if err == nil && opts.CheckRedirect != nil {
			if err = opts.CheckRedirect(hop, slices.Clip(via)); err != nil {
				CloseRequestBody(hop)
				if err == http.ErrUseLastResponse { // itself, as net/http compares it
					return resp, nil
				}
				err = fmt.Errorf("middleware: CheckRedirect: %w", err)
			}
		}
		DrainAndClose(resp)
		if err != nil {
			if errors.Is(err, ErrUnrewindableBody) {
				return nil, fmt.Errorf("middleware: following a %d redirect: %w", resp.StatusCode, err)
			}
			return nil, &RedirectError{History: history, Response: resp, Err: err}
		}
		history = append(history, resp)
		if explain.On(ctx) {
			noteHop(ctx, prev, hop, resp, len(history)+1, first)
		}
		resp, err = r.next.RoundTrip(hop)
		if err != nil {
			return nil, err
		}
		if via != nil {
			via = append(via, hop)
		}
		prev = hop
	}
}

func tooManyRedirects(max int) error {
	if max < 0 {
		return fmt.Errorf("%w: none allowed", ErrTooManyRedirects)
	}
	return fmt.Errorf("%w: more than %d", ErrTooManyRedirects, max)
}

func isRedirect(resp *http.Response) bool {
	switch resp.StatusCode {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
		http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return true
	}
	return false
}

// nextHop builds the request for the next hop from the previous one (as it
// came to this middleware: without what auth and cookies further in add)
// and the redirect response.
func nextHop(prev *http.Request, resp *http.Response, target *url.URL, left bool, sensitive []string) (*http.Request, error) {
	hop := prev.Clone(prev.Context())
	hop.URL, hop.Host = target, ""
	hop.Response = resp
	switch resp.StatusCode {
	case http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		if prev.Body != nil && prev.Body != http.NoBody {
			if prev.GetBody == nil {
				return nil, ErrUnrewindableBody
			}
			body, err := prev.GetBody()
			if err != nil {
				return nil, fmt.Errorf("middleware: replaying the body: %w", err)
			}
			hop.Body = body
		}
	default: // 301, 302, 303
		if hop.Method != http.MethodGet && hop.Method != http.MethodHead {
			hop.Method = http.MethodGet
		}
		hop.Body, hop.GetBody, hop.ContentLength = nil, nil, 0
		hop.TransferEncoding = nil
		for _, h := range []string{"Content-Type", "Content-Length", "Transfer-Encoding"} {
			hop.Header.Del(h)
		}
	}
	if left {
		for _, h := range SensitiveHeaders {
			hop.Header.Del(h)
		}
		for _, h := range sensitive {
			hop.Header.Del(h)
		}
	}
	return hop, nil
}

// Hops returns the responses of the redirect hops that led to resp, oldest
// first, by following resp.Request.Response links. Their bodies are closed.
func Hops(resp *http.Response) []*http.Response {
	var hops []*http.Response
	for r := resp; r != nil && r.Request != nil && r.Request.Response != nil; r = r.Request.Response {
		hops = append(hops, r.Request.Response)
	}
	slices.Reverse(hops)
	return hops
}

type (
	noRedirectsKey  struct{ relayctx.KeyBase }
	maxRedirectsKey struct{ relayctx.KeyBase }
)

// WithoutRedirects returns a context that tells the redirect middleware to
// return a redirect response to a request made with it as it is.
func WithoutRedirects(ctx context.Context) context.Context {
	return relayctx.WithValue(ctx, noRedirectsKey{}, true)
}

// WithMaxRedirects returns a context that sets the redirect limit of a
// request made with it (n < 0 allows none: any redirect is an error).
func WithMaxRedirects(ctx context.Context, n int) context.Context {
	if n == 0 {
		n = -1
	}
	return relayctx.WithValue(ctx, maxRedirectsKey{}, n)
}

// maxRedirects returns the context's limit (0: not set) and whether
// redirects are followed at all.
func maxRedirects(ctx context.Context) (int, bool) {
	if off, _ := ctx.Value(noRedirectsKey{}).(bool); off {
		return 0, false
	}
	n, _ := ctx.Value(maxRedirectsKey{}).(int)
	return n, true
}
