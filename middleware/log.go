package middleware

import (
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// LoggedSensitiveHeaders returns the headers whose values the logging
// middleware replaces with "[redacted]" when it logs headers, on top of
// those named in LogOptions.Redact: the sensitive headers of relay's
// security policy (credentials, cookies, the authentication challenges
// whose nonces and opaque values the credentials answer, and the
// Authentication-Info fields of RFC 7615, whose nextnonce the next
// credentials answer) and Set-Cookie, which carries cookie values. Names
// are matched case-insensitively, in requests and responses alike.
//
// The list is fixed: each call returns a new copy, and changing it changes
// nothing. Name more headers in LogOptions.Redact (a Session's
// MarkSensitive); none can be taken off.
func LoggedSensitiveHeaders() []string { return slices.Clone(loggedSensitive[:]) }

// loggedSensitive is what LoggedSensitiveHeaders returns: an array, which
// no other package can change.
var loggedSensitive = [...]string{
	"Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie",
	"WWW-Authenticate", "Proxy-Authenticate",
	"Authentication-Info", "Proxy-Authentication-Info",
}

// LogOptions configures LogWithOptions.
type LogOptions struct {
	// Logger receives the entries. Nil means zap.NewNop(): nothing is logged
	// and nothing is spent.
	Logger *zap.Logger
	// Level is the level of the entry of an attempt that got a response;
	// the zero value is zapcore.InfoLevel. An attempt that ended in an error
	// is logged at WarnLevel, or at Level if that is higher.
	Level zapcore.Level
	// Redact names headers, besides LoggedSensitiveHeaders', whose values are
	// never logged (a session's MarkSensitive headers, an API key).
	// Case-insensitive.
	Redact []string
}

// Enabled reports whether a logging middleware with o can log anything:
// whether o.Logger is enabled at o.Level, or at the level of an attempt
// that ended in an error. A Session sends a request past its logging
// middlewares when it is not (the logger's level is read each time, so a
// zap.AtomicLevel raised later is seen).
func (o LogOptions) Enabled() bool {
	if o.Logger == nil {
		return false
	}
	core := o.Logger.Core()
	return core.Enabled(o.Level) || core.Enabled(max(o.Level, zapcore.WarnLevel))
}

// Log returns a middleware that logs one structured entry to l for every
// request that goes through it: LogWithOptions with the default options.
func Log(l *zap.Logger) Middleware {
	return LogWithOptions(LogOptions{Logger: l})
}

// LogWithOptions returns a middleware that logs one structured entry for
// every request that goes through it, when its response headers arrive or
// when it fails. The entry of a response is "request" at o.Level with the
// fields:
//
//	method    the request method
//	url       the URL as sent: without userinfo (not even the user name)
//	          and without fragment
//	status    the response status code
//	bytes     the response's Content-Length: the size of the body as sent,
//	          before any decompression; -1 when the server did not say (a
//	          chunked or streamed body). The body is not read or wrapped.
//	duration  from sending the request to the response headers
//	attempt   the attempt number of a retried call (Attempt), 1 otherwise
//	hop       how many redirects led to this request (0 for the first)
//	cache     why a cache sent the request (miss, revalidate), when it did
//	          (WithCacheLookup); LogAnswersFrom logs the cache's hits
//
// An attempt that fails is "request failed", at WarnLevel or o.Level if
// higher, with method, url, duration, attempt, hop and error.
//
// When the logger has DebugLevel enabled, the entry also holds the
// request_headers and response_headers, with the values of
// LoggedSensitiveHeaders' and o.Redact replaced by "[redacted]".
//
// When the logger has neither level enabled (zap.NewNop, a nil Logger) the
// middleware only passes the request on: it allocates nothing and does not
// read the clock.
//
// Placed innermost, just above the base transport and under the redirect
// and retry middlewares, it logs every hop and every attempt. It never
// modifies the request or the response.
func LogWithOptions(o LogOptions) Middleware {
	o.Redact = slices.Clone(o.Redact)
	return func(next http.RoundTripper) http.RoundTripper {
		return &logger{next: orDefault(next), fixed: o}
	}
}

// LogFrom is LogWithOptions with the options read from source on every
// request, for a Session whose sensitive headers may be named after its
// stack is built. source must be safe for concurrent use and must not
// modify the Redact slice it returned earlier.
func LogFrom(source func() LogOptions) Middleware {
	return func(next http.RoundTripper) http.RoundTripper {
		return &logger{next: orDefault(next), source: source}
	}
}

type logger struct {
	next   http.RoundTripper
	fixed  LogOptions
	source func() LogOptions // when set, read instead of fixed
	fields sync.Pool         // of *logFields, so that a logged request allocates no field slice
}

// logFields holds the fields of one entry: the seven of a response, error,
// and the two header objects.
type logFields [11]zap.Field

func (l *logger) CloseIdleConnections() { CloseIdleConnections(l.next) }

func (l *logger) RoundTrip(req *http.Request) (*http.Response, error) {
	o := l.fixed
	if l.source != nil {
		o = l.source()
	}
	if !o.Enabled() {
		return l.next.RoundTrip(req)
	}
	start := time.Now()
	resp, err := l.next.RoundTrip(req)
	l.write(o, req, resp, err, time.Since(start), CacheLookup(req.Context()))
	return resp, err
}

// write logs the entry of one request, as LogWithOptions describes, with
// a cache field when cacheWhy is not "".
func (l *logger) write(o LogOptions, req *http.Request, resp *http.Response, err error, elapsed time.Duration, cacheWhy string) {
	var ce *zapcore.CheckedEntry
	if err != nil {
		ce = o.Logger.Check(max(o.Level, zapcore.WarnLevel), "request failed")
	} else {
		ce = o.Logger.Check(o.Level, "request")
	}
	if ce == nil {
		return
	}
	fp, _ := l.fields.Get().(*logFields)
	if fp == nil {
		fp = new(logFields)
	}
	method := req.Method
	if method == "" {
		method = http.MethodGet
	}
	f := append(fp[:0],
		zap.String("method", method),
		zap.Stringer("url", (*wireURL)(req.URL)),
	)
	if err == nil {
		f = append(f, zap.Int("status", resp.StatusCode), zap.Int64("bytes", resp.ContentLength))
	}
	f = append(f,
		zap.Duration("duration", elapsed),
		zap.Int("attempt", Attempt(req.Context())),
		zap.Int("hop", redirectHop(req)),
	)
	if cacheWhy != "" {
		f = append(f, zap.String("cache", cacheWhy))
	}
	if err != nil {
		f = append(f, zap.Error(err))
	}
	if o.Logger.Core().Enabled(zapcore.DebugLevel) {
		f = append(f, zap.Object("request_headers", redactedHeader{req.Header, o.Redact}))
		if resp != nil {
			f = append(f, zap.Object("response_headers", redactedHeader{resp.Header, o.Redact}))
		}
	}
	ce.Write(f...)
	clear(fp[:]) // drop references to the request, response and error
	l.fields.Put(fp)
}

// redirectHop counts the redirects that led to req, through the
// Request.Response links the redirect middleware (and net/http's Client)
// set on every hop.
func redirectHop(req *http.Request) int {
	n := 0
	for r := req; r != nil && r.Response != nil; r = r.Response.Request {
		n++
	}
	return n
}

// wireURL formats a URL as it goes on the wire: no userinfo (url.URL's
// Redacted keeps the user name; a log keeps nothing), no fragment. It is a
// fmt.Stringer so that the string is built only by an encoder that writes
// the entry.
type wireURL url.URL

func (u *wireURL) String() string {
	if u == nil {
		return ""
	}
	cp := url.URL(*u)
	cp.User = nil
	cp.Fragment, cp.RawFragment = "", ""
	return cp.String()
}

// redactedHeader logs a header map in key order, with sensitive values
// replaced.
type redactedHeader struct {
	h      http.Header
	redact []string
}

func (r redactedHeader) MarshalLogObject(enc zapcore.ObjectEncoder) error {
	for _, k := range slices.Sorted(maps.Keys(r.h)) {
		v := strings.Join(r.h[k], ", ")
		if r.sensitive(k) {
			v = "[redacted]"
		}
		enc.AddString(k, v)
	}
	return nil
}

func (r redactedHeader) sensitive(name string) bool {
	for _, lists := range [2][]string{loggedSensitive[:], r.redact} {
		for _, s := range lists {
			if strings.EqualFold(s, name) {
				return true
			}
		}
	}
	return false
}
