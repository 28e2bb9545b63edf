package middleware

import (
	"bufio"
	"compress/flate"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"sync"
)

// decodedBody is the body of a decoded response. Its decoders are made at
// the first Read, so RoundTrip never blocks on the body. Close may be called
// concurrently with Read; two Reads at once are refused, not raced.
type decodedBody struct {
	body    io.ReadCloser // the response body as it came
	src     sourceReader  // body, remembering its last error
	codings []coding      // in the order they were applied
	pools   *decoderPools

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
		dec, closeFn, err := newDecoder(c, r, b.pools)
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

// newDecoder starts a decoder of c reading in, from pools but for deflate's,
// and returns what releases it. It may read a header from in. An empty in is
// an empty body, as Go's transport and urllib3 decide.
func newDecoder(c coding, in io.Reader, pools *decoderPools) (io.Reader, func(), error) {
	switch c {
	case codingGzip:
		g := pools.getGzip()
		g.br.Reset(in)
		switch err := g.zr.Reset(&g.br); {
		case err == io.EOF:
			pools.putGzip(g)
			return errReader{io.EOF}, nil, nil
		case err != nil:
			pools.putGzip(g)
			return nil, nil, err
		}
		return &g.zr, func() { pools.putGzip(g) }, nil
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
		r := pools.getBrotli(in)
		return r, func() { pools.putBrotli(r) }, nil
	case codingZstd:
		d, err := pools.getZstd(in)
		if err != nil {
			return nil, nil, err
		}
		return d, func() { pools.putZstd(d) }, nil
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

// errReader is a Reader that returns err.
type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }
