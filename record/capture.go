package record

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
)

// tap keeps the first max bytes of what is read through a body and counts
// all of them, so that a streamed body is recorded while the caller reads
// it and never held whole.
type tap struct {
	mu   sync.Mutex
	kept []byte
	n    int64
	max  int64 // < 0: keep everything
	eof  bool
}

func (t *tap) add(p []byte, err error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.n += int64(len(p))
	if room := t.max - int64(len(t.kept)); t.max < 0 || room > 0 {
		if t.max >= 0 && int64(len(p)) > room {
			p = p[:room]
		}
		t.kept = append(t.kept, p...)
	}
	if err == io.EOF {
		t.eof = true
	}
}

// snapshot returns what was kept (a copy), the count and whether the body
// was read to its end.
func (t *tap) snapshot() (kept []byte, n int64, eof bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return bytes.Clone(t.kept), t.n, t.eof
}

// tappedBody is a response body read through a tap. When the caller reads
// it to the end, hits an error or closes it, done runs once.
type tappedBody struct {
	rc   io.ReadCloser
	tap  *tap
	once sync.Once
	done func()
}

func (b *tappedBody) Read(p []byte) (int, error) {
	n, err := b.rc.Read(p)
	b.tap.add(p[:n], err)
	if err != nil {
		b.once.Do(b.done)
	}
	return n, err
}

func (b *tappedBody) Close() error {
	err := b.rc.Close()
	b.once.Do(b.done)
	return err
}

// requestBody is a request body of which the first bytes were read
// before the send (to record and match them) and the rest is counted as
// the transport reads it.
type requestBody struct {
	read      []byte // every byte read from the body so far
	prefix    []byte // the first max of them: what is recorded
	truncated bool   // the body is longer than prefix
	rest      io.ReadCloser
	n         atomic.Int64 // bytes of rest read
}

// readRequestBody reads up to max bytes of req's body (all of it when max
// < 0). It returns nil for a request without a body.
func readRequestBody(req *http.Request, max int64) (*requestBody, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return nil, nil
	}
	var buf bytes.Buffer
	var err error
	if max < 0 {
		_, err = buf.ReadFrom(req.Body)
	} else {
		_, err = buf.ReadFrom(io.LimitReader(req.Body, max+1))
	}
	if err != nil {
		_ = req.Body.Close()
		return nil, errors.Join(errors.New("record: reading the request body"), err)
	}
	rb := &requestBody{read: buf.Bytes(), prefix: buf.Bytes(), rest: req.Body}
	if max >= 0 && int64(len(rb.prefix)) > max {
		rb.prefix, rb.truncated = rb.prefix[:max], true
	}
	return rb, nil
}

// size is the body's length as far as it was read: the prefix and what
// the transport read of the rest.
func (rb *requestBody) size() int64 { return int64(len(rb.read)) + rb.n.Load() }

// reader returns the body to send: the bytes read, then the rest.
func (rb *requestBody) reader() io.ReadCloser {
	return &sendBody{r: io.MultiReader(bytes.NewReader(rb.read), countReader{rb.rest, &rb.n}), c: rb.rest}
}

type sendBody struct {
	r io.Reader
	c io.Closer
}

func (b *sendBody) Read(p []byte) (int, error) { return b.r.Read(p) }
func (b *sendBody) Close() error               { return b.c.Close() }

type countReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}
