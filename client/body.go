package client

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"net/url"
	"os"
	"strings"
	"sync"
)

// bodySpec is a request body as the options build it: the first reader, a
// way to replay it when there is one, and its length when it is known.
type bodySpec struct {
	body        io.ReadCloser
	getBody     func() (io.ReadCloser, error) // nil: cannot be replayed
	length      int64                         // -1: unknown, sent chunked
	contentType string                        // sent unless a Header option sets one
}

// JSON sends v encoded as JSON with Content-Type application/json. A value
// that does not encode fails the call before anything is sent.
func JSON(v any) Option {
	return optionFunc(func(c *requestConfig) {
		b, err := json.Marshal(v)
		if err != nil {
			c.fail(fmt.Errorf("client: encoding the JSON body: %w", err))
			return
		}
		c.body = bytesBody(b, "application/json")
	})
}

// Form sends values URL-encoded with Content-Type
// application/x-www-form-urlencoded, keys sorted.
func Form(values url.Values) Option {
	return optionFunc(func(c *requestConfig) {
		c.body = bytesBody([]byte(values.Encode()), "application/x-www-form-urlencoded")
	})
}

// Body streams r as the request body, without buffering it.
//
// When the length is known it is sent as Content-Length and the body can be
// replayed (for a 307 redirect or an auth challenge): []byte-backed readers
// (*bytes.Buffer, *bytes.Reader, *strings.Reader) and readers that can both
// seek and read at an offset (*os.File on a regular file, *io.SectionReader)
// are read from their current position to the end. Any other reader is sent
// chunked, once.
//
// relay never closes r: the caller owns it, as with Requests' data=. Close a
// file after the call returns (after the body is read, for Stream).
func Body(r io.Reader) Option {
	return optionFunc(func(c *requestConfig) {
		spec, err := readerBody(r)
		if err != nil {
			c.fail(err)
			return
		}
		c.body = spec
	})
}

// Chunks sends the byte slices seq yields as the body, chunked, as they come:
// the Go analogue of a Requests generator body. seq is pulled lazily, once;
// the body cannot be replayed. A slice is not used after the next one is
// asked for, so seq may reuse its buffer.
func Chunks(seq iter.Seq[[]byte]) Option {
	return optionFunc(func(c *requestConfig) {
		c.body = &bodySpec{body: &seqReader{seq: seq}, length: -1}
	})
}

func bytesBody(b []byte, contentType string) *bodySpec {
	return &bodySpec{
		body:        io.NopCloser(bytes.NewReader(b)),
		getBody:     func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil },
		length:      int64(len(b)),
		contentType: contentType,
	}
}

// readerAtSeeker reads at offsets and knows its size: a file, a section.
type readerAtSeeker interface {
	io.ReaderAt
	io.Seeker
}

func readerBody(r io.Reader) (*bodySpec, error) {
	switch v := r.(type) {
	case nil:
		return nil, nil
	case *bytes.Buffer:
		return bytesBody(v.Bytes(), ""), nil
	case *bytes.Reader:
		snapshot := *v
		return replayable(v.Len(), func() io.Reader { s := snapshot; return &s }), nil
	case *strings.Reader:
		snapshot := *v
		return replayable(v.Len(), func() io.Reader { s := snapshot; return &s }), nil
	case *os.File:
		if st, err := v.Stat(); err != nil || !st.Mode().IsRegular() {
			return &bodySpec{body: io.NopCloser(v), length: -1}, nil // a pipe, a device: length unknown
		}
		return sectionBody(v)
	case readerAtSeeker:
		return sectionBody(v)
	}
	return &bodySpec{body: io.NopCloser(r), length: -1}, nil
}

// sectionBody sends r from its current offset to its end, each replay
// through its own io.SectionReader so replays never share a position.
func sectionBody(r readerAtSeeker) (*bodySpec, error) {
	start, err := r.Seek(0, io.SeekCurrent)
	if err != nil {
		return nil, fmt.Errorf("client: body: %w", err)
	}
	end, err := r.Seek(0, io.SeekEnd)
	if err != nil {
		return nil, fmt.Errorf("client: body: %w", err)
	}
	if _, err := r.Seek(start, io.SeekStart); err != nil {
		return nil, fmt.Errorf("client: body: %w", err)
	}
	n := max(end-start, 0)
	return replayable64(n, func() io.Reader { return io.NewSectionReader(r, start, n) }), nil
}

func replayable(n int, open func() io.Reader) *bodySpec {
	return replayable64(int64(n), open)
}

func replayable64(n int64, open func() io.Reader) *bodySpec {
	return &bodySpec{
		body:    io.NopCloser(open()),
		getBody: func() (io.ReadCloser, error) { return io.NopCloser(open()), nil },
		length:  n,
	}
}

// seqReader reads the slices of an iter.Seq, pulling them one at a time.
// The transport may close a body from another goroutine while it is being
// read; mu keeps next and stop from running at once, as iter.Pull requires.
type seqReader struct {
	seq  iter.Seq[[]byte]
	mu   sync.Mutex
	next func() ([]byte, bool)
	stop func()
	cur  []byte
	done bool
}

func (r *seqReader) Read(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for len(r.cur) == 0 {
		if r.done {
			return 0, io.EOF
		}
		if r.next == nil {
			r.next, r.stop = iter.Pull(r.seq)
		}
		chunk, ok := r.next()
		if !ok {
			r.finish()
			return 0, io.EOF
		}
		r.cur = chunk
	}
	n := copy(p, r.cur)
	r.cur = r.cur[n:]
	return n, nil
}

func (r *seqReader) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.finish()
	return nil
}

func (r *seqReader) finish() {
	if r.stop != nil {
		r.stop()
	}
	r.done, r.cur = true, nil
}
