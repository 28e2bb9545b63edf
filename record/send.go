package record

import (
	"net/http"
	"sync"
	"time"

	"github.com/relayhttp/relay/middleware"
)

// transport is a Recorder at one place of one stack.
type transport struct {
	r         *Recorder
	next      http.RoundTripper
	sensitive func() []string
}

var _ http.RoundTripper = (*transport)(nil)

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	r := t.r
	if r.isClosed() {
		middleware.CloseRequestBody(req)
		return nil, ErrClosed
	}
	if r.mode == Passthrough {
		return t.next.RoundTrip(req)
	}
	var sensitive []string
	if t.sensitive != nil {
		sensitive = t.sensitive()
	}
	rb, err := readRequestBody(req, r.opts.maxBody)
	if err != nil {
		return nil, err
	}
	if r.mode == Replay || r.mode == RecordMissing {
		resp, err, answered := r.replay(req, rb, sensitive)
		if answered || r.mode == Replay {
			if rb != nil {
				_ = rb.rest.Close()
			}
			return resp, err
		}
	}
	return t.record(req, rb, sensitive)
}

func (t *transport) CloseIdleConnections() {
	middleware.CloseIdleConnections(t.next)
}

// record sends req, with the body read so far (rb) then the rest, and
// records the exchange; the entry is complete when the caller has read the
// response body to its end or closed it.
func (t *transport) record(req *http.Request, rb *requestBody, sensitive []string) (*http.Response, error) {
	r := t.r
	return recordSend(t.next, req, rb, sendSpec{
		maxBody: r.opts.maxBody, redactor: &r.opts.redactor, sensitive: sensitive, begin: r.begin,
	})
}

// sendSpec is how one send is recorded, by a Recorder or a Capture.
type sendSpec struct {
	maxBody   int64
	redactor  *redactor
	sensitive []string          // the session's sensitive header names
	begin     func(*send) error // reserves the entry's place; an error ends the send unsent

	// timings returns the entry's timings from when the send started, its
	// response headers came (end when it failed) and it ended; nil gives
	// the recorder's: wait and receive, the other phases -1.
	timings func(start, headersAt, end time.Time, failed bool) Timings
	// adjust, when set, changes the finished entry before it is redacted.
	adjust func(*Entry)
}

// recordSend sends req through next, with the body read so far (rb) then
// the rest, and records the exchange as spec says; the entry is complete
// when the caller has read the response body to its end or closed it.
func recordSend(next http.RoundTripper, req *http.Request, rb *requestBody, spec sendSpec) (*http.Response, error) {
	start := time.Now()
	s := &send{}
	e := Entry{StartedDateTime: Time{start}, Request: requestHead(req, rb), Cache: Cache{}}
	var (
		mu        sync.Mutex // guards what finish reads and RoundTrip sets below
		headersAt time.Time
		body      *tap
		codings   []string
		sendErr   error
		bodyLimit = spec.maxBody
	)
	s.finish = func(complete bool) {
		end := time.Now()
		mu.Lock()
		final := e
		ha, bt, cs, serr := headersAt, body, codings, sendErr
		mu.Unlock()
		if rb != nil {
			final.Request.BodySize = Size(rb.size())
		}
		switch {
		case serr != nil:
			final.Response = Response{HTTPVersion: final.Request.HTTPVersion, Cookies: []Cookie{}, Headers: []NameValue{},
				HeadersSize: -1, BodySize: -1, Error: serr.Error()}
			ha = end
		case bt != nil:
			raw, n, eof := bt.snapshot()
			fillBody(&final.Response, raw, n, complete || eof, cs, bodyLimit)
		}
		if ha.IsZero() {
			ha = end
		}
		if spec.timings != nil {
			final.Timings = spec.timings(start, ha, end, serr != nil)
		} else {
			final.Timings = Timings{Blocked: -1, DNS: -1, Connect: -1, SSL: -1, Send: 0,
				Wait: millis(ha.Sub(start)), Receive: millis(end.Sub(ha))}
		}
		final.Time = final.Timings.total()
		if spec.adjust != nil {
			spec.adjust(&final)
		}
		spec.redactor.entry(&final, spec.sensitive)
		s.set(final)
	}
	if err := spec.begin(s); err != nil {
		if rb != nil {
			_ = rb.rest.Close()
		}
		return nil, err
	}

	out := req.WithContext(req.Context()) // a shallow copy: the caller's request is not changed
	if rb != nil {
		out.Body = rb.reader()
	}
	resp, err := next.RoundTrip(out)
	if err != nil {
		mu.Lock()
		sendErr = err
		mu.Unlock()
		s.once.Do(func() { s.finish(false) })
		return nil, err
	}
	mu.Lock()
	headersAt = time.Now()
	e.Response = responseHead(resp)
	if !resp.Uncompressed {
		codings = resp.Header.Values("Content-Encoding")
		var ok bool
		if codings, ok = parseCodings(codings); !ok {
			codings = []string{"unknown"} // decodeBody fails: the body is kept as it came
		}
	}
	mu.Unlock()
	if resp.StatusCode == http.StatusSwitchingProtocols || resp.Body == nil || resp.Body == http.NoBody {
		// An upgraded connection is recorded as its handshake; its body,
		// an io.ReadWriteCloser, is the caller's as it is.
		s.once.Do(func() { s.finish(true) })
		return resp, nil
	}
	bt := &tap{max: bodyLimit}
	mu.Lock()
	body = bt
	mu.Unlock()
	length := resp.ContentLength
	resp.Body = &tappedBody{rc: resp.Body, tap: bt, done: func() {
		_, n, eof := bt.snapshot()
		s.once.Do(func() { s.finish(eof || (length >= 0 && n == length)) })
	}}
	return resp, nil
}

// set stores the finished entry.
func (s *send) set(e Entry) {
	s.mu.Lock()
	s.entry, s.finished = e, true
	s.mu.Unlock()
}

// done returns the finished entry.
func (s *send) done() (Entry, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.entry, s.finished
}
