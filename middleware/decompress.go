package middleware

import (
	"errors"
	"fmt"
	"net/http"
)

// DefaultMaxCodings is the most content codings a response may stack before
// Decompress refuses it, the bound urllib3 applies too. Real servers send
// one; a long chain only multiplies the decoders' memory.
const DefaultMaxCodings = 5

// AcceptEncoding is the Accept-Encoding value Decompress adds to a request
// that has none: every coding it decodes.
const AcceptEncoding = "gzip, deflate, br, zstd"

// zstdMaxWindow is the largest zstd window Decompress accepts. RFC 9659
// limits the window of the "zstd" content coding to 8 MiB so that a
// decoder's memory is bounded; a frame that asks for more is an error.
const zstdMaxWindow = 8 << 20

// ErrTooManyCodings is wrapped by the error RoundTrip returns when a
// response's Content-Encoding lists more codings than the maximum.
var ErrTooManyCodings = errors.New("middleware: too many content codings")

var (
	errReadAfterClose = errors.New("middleware: read on closed response body")
	errConcurrentRead = errors.New("middleware: concurrent read on response body")
)

// DecompressOptions configures DecompressWithOptions. The zero value is the
// configuration Decompress uses.
type DecompressOptions struct {
	// MaxCodings is the most content codings a response may list in
	// Content-Encoding ("gzip, br" is two; identity is not counted). A
	// response with more is closed and RoundTrip returns an error wrapping
	// ErrTooManyCodings. Zero means DefaultMaxCodings; a negative value
	// makes DecompressWithOptions panic.
	MaxCodings int
}

// Decompress returns a middleware that decodes response bodies by their
// Content-Encoding and asks for encoded responses, with the options'
// defaults. See DecompressWithOptions for the rules.
func Decompress() Middleware {
	return DecompressWithOptions(DecompressOptions{})
}

// DecompressWithOptions returns a middleware that decodes response bodies by
// their Content-Encoding, as Requests does.
//
// Codings: gzip (and its alias x-gzip), deflate (zlib-wrapped as RFC 9110
// says, or raw deflate as some servers send it; the zlib header is sniffed),
// br and zstd; identity is skipped. Stacked codings, in one header line or
// several, are decoded in the reverse of the order they were applied. A
// response listing a coding the middleware does not know is returned
// untouched — body still encoded, Content-Encoding kept — as urllib3 does.
// A response listing more codings than o.MaxCodings is an error.
//
// A decoded response has no Content-Encoding and no Content-Length header,
// its ContentLength is -1 and its Uncompressed field is true. Its body
// decodes lazily: nothing is read from the connection before the first
// Read, and a Read decodes only as much as it returns (plus the decoders'
// small input buffers). No goroutine is started. Closing the body releases
// the decoders and closes the original body; Close may be called while a
// Read is blocked, to abort it. A corrupt stream is a Read error whose
// message starts "middleware: decoding gzip body:" (the coding named) and
// that wraps the decoder's error. A zstd frame asking for a window over
// 8 MiB (the RFC 9659 limit) is such an error too.
//
// Bodies that are never decoded: responses to HEAD and CONNECT requests,
// 1xx (so a 101's read-write body is kept), 204, 206 (a byte range of the
// encoded representation cannot be decoded on its own), 304, redirects
// (301, 302, 303, 307, 308: relay only drains them), responses with no
// body, responses the wrapped transport already decoded, and every response
// to a request whose context was made by WithRawBody.
//
// Requests: one with no Accept-Encoding header is sent as a clone carrying
// AcceptEncoding, unless its context was made by WithRawBody, or
// WithoutHeaders removed Accept-Encoding, or it has a Range header (a range
// of an encoded representation cannot be decoded; Go's transport makes the
// same choice). A request with an Accept-Encoding key, even one with no
// values, is sent unchanged; the caller's request is never modified. Note
// that a response is decoded by its Content-Encoding, whoever asked for it.
//
// The middleware forwards CloseIdleConnections to next. A nil next means
// http.DefaultTransport.
func DecompressWithOptions(o DecompressOptions) Middleware {
	if o.MaxCodings < 0 {
		panic(fmt.Sprintf("middleware: DecompressOptions.MaxCodings is %d, want 0 or more", o.MaxCodings))
	}
	maxCodings := o.MaxCodings
	if maxCodings == 0 {
		maxCodings = DefaultMaxCodings
	}
	return func(next http.RoundTripper) http.RoundTripper {
		return &decompress{next: orDefault(next), maxCodings: maxCodings}
	}
}

type decompress struct {
	next       http.RoundTripper
	maxCodings int
	pools      decoderPools
}

func (d *decompress) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	raw := RawBody(ctx)
	out := req
	if !raw && addsAcceptEncoding(req) {
		out = req.Clone(ctx)
		if out.Header == nil {
			out.Header = make(http.Header, 1)
		}
		out.Header["Accept-Encoding"] = []string{AcceptEncoding}
	}
	resp, err := d.next.RoundTrip(out)
	if err != nil || resp == nil {
		return resp, err
	}
	values := resp.Header["Content-Encoding"]
	if len(values) == 0 {
		return resp, nil
	}
	if raw {
		noteLeftAsSent(ctx, values, "RawBody: the caller asked for the body as sent")
		return resp, nil
	}
	if why := undecodable(req.Method, resp); why != "" {
		noteLeftAsSent(ctx, values, why)
		return resp, nil
	}
	codings, n, known := parseCodings(values, d.maxCodings)
	switch {
	case !known:
		noteLeftAsSent(ctx, values, "a coding relay does not know")
		return resp, nil
	case n == 0:
		return resp, nil // identity only: nothing to decode
	case n > d.maxCodings:
		DrainAndClose(resp)
		return nil, fmt.Errorf("%w: Content-Encoding lists %d, the limit is %d", ErrTooManyCodings, n, d.maxCodings)
	}
	noteDecoded(ctx, values)
	resp.Body = &decodedBody{body: resp.Body, src: sourceReader{r: resp.Body}, codings: codings, pools: &d.pools}
	resp.Header.Del("Content-Encoding")
	resp.Header.Del("Content-Length")
	resp.ContentLength = -1
	resp.Uncompressed = true
	return resp, nil
}

func (d *decompress) CloseIdleConnections() { CloseIdleConnections(d.next) }

// addsAcceptEncoding reports whether Decompress sends req with its own
// Accept-Encoding.
func addsAcceptEncoding(req *http.Request) bool {
	if _, ok := req.Header["Accept-Encoding"]; ok {
		return false
	}
	if _, ok := req.Header["Range"]; ok {
		return false
	}
	return !isRemoved(req.Context(), "Accept-Encoding")
}

// undecodable says why a response to a request with method keeps its body
// as sent, or is "" when the body may be decoded. The reasons are
// constants: asking costs no allocation.
func undecodable(method string, resp *http.Response) string {
	switch {
	case method == http.MethodHead:
		return "a response to HEAD has no body"
	case method == http.MethodConnect:
		return "a response to CONNECT carries a tunnel, not a body"
	case resp.Uncompressed:
		return "the transport below already decoded it"
	case resp.Body == nil || resp.Body == http.NoBody || resp.ContentLength == 0:
		return "the response has no body"
	}
	switch code := resp.StatusCode; code {
	case http.StatusPartialContent:
		return "a range of an encoded representation cannot be decoded on its own"
	case http.StatusNoContent:
		return "a 204 response has no body"
	case http.StatusNotModified:
		return "a 304 response has no body"
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
		http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return "the body of a redirect is drained, not read"
	default:
		if code < 200 {
			return "an informational response has no body"
		}
		return ""
	}
}
