package record

import (
	"io"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"sync"

	"github.com/relayhttp/relay/middleware"
)

// Capture is a live HAR capture: what the sessions and clients it is
// plugged into (Middleware) sent, one entry per physical send, with
// timings from net/http/httptrace, redacted as a Recorder redacts. It
// never answers a request: every send goes to the network. It is safe for
// concurrent use.
//
// Entries are kept in memory until the Capture is dropped; a capture is
// for a debugging session, a test or a bounded job, not for the whole
// life of a server.
type Capture struct {
	maxBody  int64
	redactor redactor

	mu    sync.Mutex
	sends []*send // in the order the sends started
}

// HAROptions tunes a Capture. The zero value is the defaults; each field
// means what the field of the same name in Options means.
type HAROptions struct {
	// MaxBodySize caps each request and response body kept, in bytes; a
	// longer one is kept truncated, marked _truncated. 0 means
	// DefaultMaxBodySize; a negative value means no cap.
	MaxBodySize int64

	// SensitiveHeaders are redacted on top of Authorization,
	// Proxy-Authorization, Cookie, Set-Cookie, the headers whose names
	// look like secrets and those the session marks sensitive.
	SensitiveHeaders []string

	// SecretNames are more names of query parameters, JSON and form
	// fields and headers to redact (see LooksSecret).
	SecretNames []string

	// Redact, when set, runs on every entry after relay's redaction.
	Redact func(*Entry)

	// Salt is mixed into the hash of redaction placeholders.
	Salt string
}

// NewHAR returns an empty Capture with the default options.
func NewHAR() *Capture { return NewHARWithOptions(HAROptions{}) }

// NewHARWithOptions returns an empty Capture with options o.
func NewHARWithOptions(o HAROptions) *Capture {
	c := &Capture{maxBody: o.MaxBodySize}
	if c.maxBody == 0 {
		c.maxBody = DefaultMaxBodySize
	}
	c.redactor = newRedactor(o.SensitiveHeaders, o.SecretNames, o.Salt, o.Redact)
	return c
}

// Middleware returns the capture as a middleware for the per-send
// position (client.Session.UseSend, or client.WithCapture), where it sees
// every physical send — each redirect hop, retry attempt and
// authentication round — as the transport sends it. It may also wrap any
// transport (middleware.Chain).
func (c *Capture) Middleware() middleware.Middleware {
	return c.MiddlewareWithSensitive(nil)
}

// MiddlewareWithSensitive is Middleware with sensitive called at every
// send for more header names to redact (client.WithCapture passes the
// session's MarkSensitive names). sensitive may be nil.
func (c *Capture) MiddlewareWithSensitive(sensitive func() []string) middleware.Middleware {
	return func(next http.RoundTripper) http.RoundTripper {
		if next == nil {
			next = http.DefaultTransport
		}
		return &captureTransport{c: c, next: next, sensitive: sensitive}
	}
}

// Entries returns the entries captured so far whose response bodies have
// been read to the end or closed, in the order their sends started,
// redacted, bodies raw (not in base64). A send whose body is still open
// is left out until it is done. The slice is the caller's; the entries'
// own slices are shared and must not be changed.
func (c *Capture) Entries() []Entry {
	c.mu.Lock()
	sends := c.sends
	c.mu.Unlock()
	var out []Entry
	for _, s := range sends {
		if e, ok := s.done(); ok {
			out = append(out, e)
		}
	}
	return out
}

// HAR returns a HAR 1.2 log of Entries, as it is written: bodies that are
// not valid UTF-8 in base64.
func (c *Capture) HAR() *HAR {
	es := c.Entries()
	h := &HAR{Log: Log{Version: harVersion, Creator: creator, Entries: make([]Entry, 0, len(es))}}
	for _, e := range es {
		h.Log.Entries = append(h.Log.Entries, toWire(e))
	}
	return h
}

// WriteTo writes HAR() to w as WriteHAR does.
func (c *Capture) WriteTo(w io.Writer) (int64, error) {
	cw := &countWriter{w: w}
	err := WriteHAR(cw, c.HAR())
	return cw.n, err
}

// WriteFile writes HAR() to path atomically, as WriteFile does. The
// capture goes on; a later WriteFile writes everything again.
func (c *Capture) WriteFile(path string) error {
	return WriteFile(path, c.HAR())
}

func (c *Capture) begin(s *send) error {
	c.mu.Lock()
	c.sends = append(c.sends, s)
	c.mu.Unlock()
	return nil
}

// captureTransport is a Capture at one place of one stack.
type captureTransport struct {
	c         *Capture
	next      http.RoundTripper
	sensitive func() []string
}

var _ http.RoundTripper = (*captureTransport)(nil)

func (t *captureTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	var sensitive []string
	if t.sensitive != nil {
		sensitive = t.sensitive()
	}
	rb, err := readRequestBody(req, t.c.maxBody)
	if err != nil {
		return nil, err
	}
	clock := &phaseClock{}
	lookup := middleware.CacheLookup(req.Context())
	traced := req.WithContext(httptrace.WithClientTrace(req.Context(), clock.trace()))
	return recordSend(t.next, traced, rb, sendSpec{
		maxBody: t.c.maxBody, redactor: &t.c.redactor, sensitive: sensitive, begin: t.c.begin,
		timings: clock.timings,
		adjust: func(e *Entry) {
			e.Cache.Status = lookup
			e.ServerIPAddress, e.Connection = clock.peer()
			e.Response.RedirectURL = redirectTarget(e)
		},
	})
}

func (t *captureTransport) CloseIdleConnections() {
	middleware.CloseIdleConnections(t.next)
}

// redirectTarget is the Location of a 3xx response resolved against the
// request's URL, as browsers write redirectURL; "" for other responses.
func redirectTarget(e *Entry) string {
	loc := e.Response.RedirectURL // the Location header, as responseHead took it
	if e.Response.Status < 300 || e.Response.Status > 399 || loc == "" {
		return ""
	}
	base, err := url.Parse(e.Request.URL)
	if err != nil {
		return loc
	}
	ref, err := url.Parse(loc)
	if err != nil {
		return loc
	}
	return base.ResolveReference(ref).String()
}

type countWriter struct {
	w io.Writer
	n int64
}

func (cw *countWriter) Write(p []byte) (int, error) {
	n, err := cw.w.Write(p)
	cw.n += int64(n)
	return n, err
}
