package middleware

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/flate"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zlib"
	"github.com/klauspost/compress/zstd"
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
		d := &decompress{next: orDefault(next), maxCodings: maxCodings}
		d.gzipPool.New = func() any { return new(gzipDecoder) }
		return d
	}
}

type decompress struct {
	next       http.RoundTripper
	maxCodings int
	gzipPool   sync.Pool // of *gzipDecoder: each holds ~40 KiB of tables and buffers
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
	if err != nil || raw || resp == nil {
		return resp, err
	}
	values := resp.Header["Content-Encoding"]
	if len(values) == 0 || !decodable(req.Method, resp) {
		return resp, nil
	}
	codings, n, known := parseCodings(values, d.maxCodings)
	switch {
	case !known || n == 0: // an unknown coding, or identity only
		return resp, nil
	case n > d.maxCodings:
		DrainAndClose(resp)
		return nil, fmt.Errorf("%w: Content-Encoding lists %d, the limit is %d", ErrTooManyCodings, n, d.maxCodings)
	}
	resp.Body = &decodedBody{body: resp.Body, src: sourceReader{r: resp.Body}, codings: codings, gzipPool: &d.gzipPool}
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

// decodable reports whether a response to a request with method may have
// its body decoded.
func decodable(method string, resp *http.Response) bool {
	if resp.Uncompressed || resp.Body == nil || resp.Body == http.NoBody || resp.ContentLength == 0 {
		return false
	}
	if method == http.MethodHead || method == http.MethodConnect {
		return false
	}
	switch code := resp.StatusCode; code {
	case http.StatusNoContent, http.StatusPartialContent, http.StatusNotModified,
		http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
		http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return false
	default:
		return code >= 200
	}
}

// coding is a content coding Decompress decodes.
type coding uint8

const (
	codingGzip coding = iota + 1
	codingDeflate
	codingBrotli
	codingZstd
)

func (c coding) String() string {
	switch c {
	case codingGzip:
		return "gzip"
	case codingDeflate:
		return "deflate"
	case codingBrotli:
		return "br"
	case codingZstd:
		return "zstd"
	}
	return fmt.Sprintf("coding(%d)", uint8(c))
}

// parseCodings reads Content-Encoding field values, each a comma-separated
// list of coding names (RFC 9110 §8.4 and §5.6.1: names are
// case-insensitive, empty list elements and whitespace around them are
// ignored). It returns the first max codings in the order they were
// applied, n, the number of codings listed (identity not counted), and
// known, false if a name is not one Decompress decodes (codings and n are
// then meaningless). It is linear in the input.
func parseCodings(values []string, max int) (codings []coding, n int, known bool) {
	for _, v := range values {
		for len(v) > 0 {
			elem := v
			if i := strings.IndexByte(v, ','); i >= 0 {
				elem, v = v[:i], v[i+1:]
			} else {
				v = ""
			}
			elem = strings.Trim(elem, " \t")
			var c coding
			switch {
			case elem == "", strings.EqualFold(elem, "identity"):
				continue
			case strings.EqualFold(elem, "gzip"), strings.EqualFold(elem, "x-gzip"):
				c = codingGzip
			case strings.EqualFold(elem, "deflate"):
				c = codingDeflate
			case strings.EqualFold(elem, "br"):
				c = codingBrotli
			case strings.EqualFold(elem, "zstd"):
				c = codingZstd
			default:
				return nil, 0, false
			}
			if n < max {
				codings = append(codings, c)
			}
			n++
		}
	}
	return codings, n, true
}

// isZlibHeader reports whether b starts with a zlib header (RFC 1950 §2.2):
// compression method 8 (deflate), a window of at most 32 KiB, and the check
// bits making CMF*256+FLG a multiple of 31. A raw deflate stream starts this
// way only by accident of its first block's bits, which no real encoder
// produces.
func isZlibHeader(b []byte) bool {
	return len(b) >= 2 && b[0]&0x0f == 8 && b[0]>>4 <= 7 && (uint16(b[0])<<8|uint16(b[1]))%31 == 0
}

// decodedBody is the body of a decoded response. Its decoders are made at
// the first Read, so RoundTrip never blocks on the body. Close may be called
// concurrently with Read; two Reads at once are refused, not raced.
type decodedBody struct {
	body     io.ReadCloser // the response body as it came
	src      sourceReader  // body, remembering its last error
	codings  []coding      // in the order they were applied
	gzipPool *sync.Pool

	mu      sync.Mutex
	reading bool // a Read is in progress; it releases the decoders if Close came meanwhile
	closed  bool

	// Owned by the goroutine in Read (reading guards them) or by Close.
	r       io.Reader // the last decoder, nil before the first Read
	closers []func()  // release the decoders that hold something
}

func (b *decodedBody) Read(p []byte) (int, error) {
	b.mu.Lock()
	switch {
	case b.closed:
		b.mu.Unlock()
		return 0, errReadAfterClose
	case b.reading:
		b.mu.Unlock()
		return 0, errConcurrentRead
	}
	if len(p) == 0 {
		b.mu.Unlock()
		return 0, nil
	}
	b.reading = true
	b.mu.Unlock()

	if b.r == nil {
		b.open()
	}
	n, err := b.r.Read(p)

	b.mu.Lock()
	b.reading = false
	closed := b.closed
	b.mu.Unlock()
	if closed {
		b.release()
	}
	return n, err
}

// Close releases the decoders, at once or, if a Read is in progress, when it
// returns, and closes the original body, which aborts that Read.
func (b *decodedBody) Close() error {
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return nil
	}
	b.closed = true
	reading := b.reading
	b.mu.Unlock()
	if !reading {
		b.release()
	}
	return b.body.Close()
}

// open builds the decoder stack, outermost coding (the last applied) first.
// A decoder that fails to start (a bad gzip header) makes its layer an
// error reader, so the error surfaces from Read, wrapped like any other.
func (b *decodedBody) open() {
	var r io.Reader = &b.src
	for i := len(b.codings) - 1; i >= 0; i-- {
		c := b.codings[i]
		dec, closeFn, err := newDecoder(c, r, b.gzipPool)
		if err != nil {
			dec = errReader{err}
		}
		if closeFn != nil {
			b.closers = append(b.closers, closeFn)
		}
		r = &codingReader{c: c, r: dec, src: &b.src}
	}
	b.r = r
}

// release closes the decoders and drops them. Exactly one goroutine calls
// it, once, after the body is closed.
func (b *decodedBody) release() {
	for _, c := range b.closers {
		c()
	}
	b.closers, b.r = nil, nil
	b.src.r = nil
}

// newDecoder starts a decoder of c reading in; gzip readers come from pool.
// It may read a header from in. An empty in is an empty body, as Go's
// transport and urllib3 decide.
func newDecoder(c coding, in io.Reader, pool *sync.Pool) (io.Reader, func(), error) {
	switch c {
	case codingGzip:
		g := pool.Get().(*gzipDecoder)
		put := func() {
			g.br.Reset(nil) // drops the reference to in
			pool.Put(g)
		}
		g.br.Reset(in)
		switch err := g.zr.Reset(&g.br); {
		case err == io.EOF:
			put()
			return errReader{io.EOF}, nil, nil
		case err != nil:
			put()
			return nil, nil, err
		}
		return &g.zr, put, nil
	case codingDeflate:
		br := bufio.NewReader(in)
		head, err := br.Peek(2)
		if len(head) == 0 && err == io.EOF {
			return errReader{io.EOF}, nil, nil
		}
		if isZlibHeader(head) {
			zr, err := zlib.NewReader(br)
			if err != nil {
				return nil, nil, err
			}
			return zr, func() { _ = zr.Close() }, nil
		}
		fr := flate.NewReader(br)
		return fr, func() { _ = fr.Close() }, nil
	case codingBrotli:
		return brotli.NewReader(in), nil, nil
	case codingZstd:
		zr, err := zstd.NewReader(in,
			zstd.WithDecoderConcurrency(1), // decode in Read: no goroutines
			zstd.WithDecoderLowmem(true),
			zstd.WithDecoderMaxWindow(zstdMaxWindow),
			zstd.WithDecoderMaxMemory(zstdMaxWindow),
			zstd.WithDecodeBuffersBelow(0), // never decode a whole buffer at once
		)
		if err != nil {
			return nil, nil, err
		}
		return zr, zr.Close, nil
	}
	return nil, nil, fmt.Errorf("unknown coding %v", c)
}

// sourceReader reads the original body and remembers its last error, so a
// network error is told apart from a decoding one.
type sourceReader struct {
	r   io.Reader
	err error
}

func (s *sourceReader) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if err != nil && err != io.EOF {
		s.err = err
	}
	return n, err
}

// codingReader reads one decoder and wraps its errors as decoding errors,
// except io.EOF, errors of the original body, and errors an inner layer
// already wrapped.
type codingReader struct {
	c   coding
	r   io.Reader
	src *sourceReader
}

func (cr *codingReader) Read(p []byte) (int, error) {
	n, err := cr.r.Read(p)
	if err == nil || err == io.EOF {
		return n, err
	}
	if cr.src.err != nil && errors.Is(err, cr.src.err) {
		return n, err
	}
	var de *decodeError
	if errors.As(err, &de) {
		return n, err
	}
	return n, &decodeError{coding: cr.c, err: err}
}

// decodeError is a corrupt or refused encoded stream.
type decodeError struct {
	coding coding
	err    error
}

func (e *decodeError) Error() string {
	return "middleware: decoding " + e.coding.String() + " body: " + e.err.Error()
}

func (e *decodeError) Unwrap() error { return e.err }

// gzipDecoder is a gzip reader with the input buffer it reads through, kept
// in a pool: reusing them saves ~40 KiB and ~10 allocations a response.
// Owning the buffer lets a pooled decoder drop its reference to the body.
type gzipDecoder struct {
	br bufio.Reader
	zr gzip.Reader
}

// errReader is a Reader that returns err.
type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }
