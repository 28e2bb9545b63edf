package record

import (
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"sync"

	"github.com/relayhttp/relay/middleware"
)

// Recorder records and replays the sends of the sessions and clients it
// is plugged into (Middleware), in one HAR file. It is safe for
// concurrent use.
type Recorder struct {
	path string
	mode Mode
	opts compiled

	mu     sync.Mutex
	log    Log     // the file's log: its creator, pages and, for RecordMissing, its entries
	idx    *index  // Replay and RecordMissing
	sends  []*send // what this recorder recorded, in the order the sends started
	closed bool

	create createTemp // os.CreateTemp; tests make it fail
}

// send is one entry being recorded: its request and response head are
// known, its response body is still being read by the caller.
type send struct {
	once   sync.Once
	finish func(complete bool)

	mu       sync.Mutex
	entry    Entry // complete once finished
	finished bool
}

// Open returns a Recorder of the HAR file at path in mode, with the
// default options. Replay needs the file; RecordMissing reads it if it
// exists; Record and Passthrough do not read it.
func Open(path string, mode Mode) (*Recorder, error) {
	return OpenWithOptions(path, mode, Options{})
}

// OpenWithOptions is Open with options.
func OpenWithOptions(path string, mode Mode, o Options) (*Recorder, error) {
	switch mode {
	case Record, Replay, RecordMissing, Passthrough:
	default:
		return nil, fmt.Errorf("record: unknown mode %d", mode)
	}
	c, err := o.compile()
	if err != nil {
		return nil, err
	}
	r := &Recorder{path: path, mode: mode, opts: c, create: createOSTemp}
	r.log = Log{Version: harVersion, Creator: creator}
	if mode == Replay || mode == RecordMissing {
		log, err := readCassette(path)
		switch {
		case err == nil:
			r.log = log
		case mode == RecordMissing && errors.Is(err, fs.ErrNotExist):
		default:
			return nil, err
		}
		r.idx = newIndex(r.log.Entries, c.matchHeaders)
	}
	return r, nil
}

// Mode returns the recorder's mode.
func (r *Recorder) Mode() Mode { return r.mode }

// Path returns the recorder's file.
func (r *Recorder) Path() string { return r.path }

// Middleware returns the recorder as a middleware for the per-send
// position (client.Session.UseSend, or client.WithRecorder), where it sees
// every physical send — each redirect hop, retry attempt and
// authentication round — with the session's headers and credentials
// applied. It may also wrap any transport (middleware.Chain); it then
// records what that transport is given.
func (r *Recorder) Middleware() middleware.Middleware {
	return r.MiddlewareWithSensitive(nil)
}

// MiddlewareWithSensitive is Middleware with sensitive called at every
// send for more header names to redact: client.WithRecorder passes the
// session's MarkSensitive names this way, so that a header marked after
// the recorder was added is redacted too. sensitive may be nil.
func (r *Recorder) MiddlewareWithSensitive(sensitive func() []string) middleware.Middleware {
	return func(next http.RoundTripper) http.RoundTripper {
		if next == nil {
			next = http.DefaultTransport
		}
		return &transport{r: r, next: next, sensitive: sensitive}
	}
}

// Close ends the recording and, in Record and RecordMissing modes, writes
// the file atomically (a temporary file in the same folder, then a
// rename): the entries in the order their sends started, after the
// file's own in RecordMissing. A response body still open is recorded as
// far as it was read, marked _truncated. RecordMissing with nothing new
// leaves the file as it is. Sends after Close fail with ErrClosed; a
// second Close does nothing.
func (r *Recorder) Close() error {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return nil
	}
	r.closed = true
	sends := r.sends
	r.mu.Unlock()

	for _, s := range sends {
		s.once.Do(func() { s.finish(false) })
	}
	if r.mode == Replay || r.mode == Passthrough || (r.mode == RecordMissing && len(sends) == 0) {
		return nil
	}
	h := &HAR{Log: r.log}
	h.Log.Entries = make([]Entry, 0, len(r.log.Entries)+len(sends))
	for _, e := range r.log.Entries {
		h.Log.Entries = append(h.Log.Entries, toWire(e))
	}
	for _, s := range sends {
		e, _ := s.done()
		h.Log.Entries = append(h.Log.Entries, toWire(e))
	}
	if r.mode == Record {
		h.Log.Pages, h.Log.Browser = nil, nil
	}
	return writeFileWith(r.path, h, r.create)
}

// Entries returns the entries recorded so far whose response bodies have
// been read to the end or closed, in send order, redacted, bodies raw (not
// in base64). The slice is the caller's; the entries' own slices are
// shared and must not be changed.
func (r *Recorder) Entries() []Entry {
	r.mu.Lock()
	sends := r.sends
	r.mu.Unlock()
	var out []Entry
	for _, s := range sends {
		if e, ok := s.done(); ok {
			out = append(out, e)
		}
	}
	return out
}

// begin reserves the next entry's place, or reports that the recorder is
// closed.
func (r *Recorder) begin(s *send) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return ErrClosed
	}
	r.sends = append(r.sends, s)
	return nil
}

func (r *Recorder) isClosed() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.closed
}
