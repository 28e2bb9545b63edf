package client

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/relayhttp/relay/charset"
	"github.com/relayhttp/relay/explain"
)

// Response is an *http.Response with Requests' conveniences. Its body is
// already in memory unless the request was made with Stream; then the
// caller reads it and closes Body.
//
// A Response is not safe for concurrent use.
type Response struct {
	*http.Response

	// History holds the responses of the redirect hops that led here,
	// oldest first, their bodies drained and closed.
	History []*Response
	// Elapsed is the time from sending the request to having the response
	// headers, as Requests measures it.
	Elapsed time.Duration
	// Encoding is the encoding Text decodes the body with, a name that
	// charset.Decode accepts, such as "utf-8" or "windows-1251".
	//
	// For a response read up front it is set before the call returns, from
	// the headers and the first bytes of the body, by the precedence of
	// charset.Determine: byte order mark, Content-Type charset (an unknown
	// one gives "utf-8", as in Requests), <meta> or XML declaration of an
	// HTML or XML body, the media type's default, a statistical guess. For
	// a streamed response it is "" when the call returns, because the
	// headers alone cannot settle it (a byte order mark in the body wins
	// over them): the first of Text, Bytes, JSON or Decode determines it
	// from the body's first bytes and sets it. The encoding is determined
	// once per response.
	//
	// Set it to override: Text uses a value set here as it is. Setting ""
	// gives back the determined encoding at the next Text.
	Encoding string

	limit    int64   // decoded-size cap of whole-body reads; 0: none
	body     []byte  // the whole body, once read
	read     bool    // body (or readErr) is final
	readErr  error   // why reading the whole body failed
	mem      memBody // Body once the body is in memory
	enc      string  // the determined encoding; "" until determined
	decoding bool    // Decode has wrapped Body
	textBody bool    // body was read through Decode: it is UTF-8 text
	trail    *explain.Trail
}

// memBody is the Body of a response whose body was read up front, so that
// code written for *http.Response can still read it.
type memBody struct{ bytes.Reader }

func (*memBody) Close() error { return nil }

// readBody reads the whole body, within the cap, closes the wire body and
// swaps in an in-memory one. It runs once.
func (r *Response) readBody() error {
	if r.read {
		return r.readErr
	}
	r.read = true
	b, err := readLimited(r.Body, r.limit, r.ContentLength)
	closeErr := r.Body.Close()
	if err == nil && closeErr != nil {
		err = closeErr
	}
	if err != nil {
		r.readErr = err
		return err
	}
	r.body = b
	r.mem.Reset(b)
	r.Body = &r.mem
	r.fillEncoding(b)
	return nil
}

// fillEncoding sets an empty Encoding to the encoding determined for the
// response, determining it from the headers and content, the body or its
// start, the first time only.
func (r *Response) fillEncoding(content []byte) {
	if r.Encoding != "" {
		return
	}
	if r.enc == "" {
		r.enc = charset.Determine(contentType(r.Header), content).Name
	}
	r.Encoding = r.enc
}

// contentType returns the Content-Type field values joined as
// charset.Determine takes them, so that it can resolve several values as
// Fetch does.
func contentType(h http.Header) string {
	v := h["Content-Type"] // a response's header keys are canonical
	if len(v) == 1 {
		return v[0]
	}
	return strings.Join(v, ", ")
}

// readLimited reads all of body, failing with ErrBodyTooLarge past limit
// bytes (0: no limit). Given a size (a Content-Length), it reads into one
// buffer of that size. Otherwise it reads into chunks that each grow by
// half, as io.ReadAll does, and copies them into one slice of the body's
// size at the end: a body of unknown size allocates a little over twice its
// size (a single doubling buffer took up to four times), the result holds
// no spare capacity unless the body fits the first chunk (then returned as
// it is), and the chunks never hold more than limit+1 bytes.
func readLimited(body io.Reader, limit, sizeHint int64) ([]byte, error) {
	size := int64(512)
	if sizeHint >= 0 {
		size = sizeHint + 1 // +1 lets the final Read see EOF without growing
	}
	if limit > 0 && size > limit+1 {
		size = limit + 1
	}
	buf := make([]byte, 0, size)
	var chunks [][]byte
	var inChunks int64 // the bytes of chunks
	for {
		n, err := body.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		read := inChunks + int64(len(buf))
		if limit > 0 && read > limit {
			return nil, bodyTooLarge(limit)
		}
		if err == io.EOF {
			return joinChunks(chunks, buf, read), nil
		}
		if err != nil {
			return nil, err
		}
		if len(buf) == cap(buf) {
			next := int64(cap(buf)) + int64(cap(buf))/2
			if limit > 0 {
				next = min(next, limit+1-read) // at least 1: read <= limit
			}
			chunks, inChunks = append(chunks, buf), read
			buf = make([]byte, 0, next)
		}
	}
}

// joinChunks returns chunks followed by last in one slice of n bytes, or
// last itself when there are no chunks.
func joinChunks(chunks [][]byte, last []byte, n int64) []byte {
	if len(chunks) == 0 {
		return last
	}
	out := make([]byte, 0, n)
	for _, c := range chunks {
		out = append(out, c...)
	}
	return append(out, last...)
}

// Bytes returns the whole body. For a streamed response it reads the rest of
// the body within the size cap and closes it; later calls return the same
// bytes.
func (r *Response) Bytes() ([]byte, error) {
	if err := r.readBody(); err != nil {
		return nil, r.wrap(err)
	}
	return r.body, nil
}

// Text returns the body decoded to UTF-8 with r.Encoding. When Encoding is
// empty (a streamed response, or the user reset it) it is set first to the
// encoding determined for the response, as Encoding's documentation says.
// Bytes that do not decode become U+FFFD; an unknown Encoding decodes as
// UTF-8. Text never fails for a body it could read.
//
// After Decode on a streamed response the body is read as text already:
// Text returns it as Decode decoded it.
func (r *Response) Text() (string, error) {
	b, err := r.Bytes()
	if err != nil {
		return "", err
	}
	if r.textBody {
		return string(b), nil
	}
	r.fillEncoding(b)
	return charset.Decode(b, r.Encoding), nil
}

// JSON decodes the body into v. A UTF-8 byte order mark is skipped (RFC 8259
// §8.1 lets parsers ignore it); an error says which request's body failed.
func (r *Response) JSON(v any) error {
	b, err := r.Bytes()
	if err != nil {
		return err
	}
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	if err := json.Unmarshal(b, v); err != nil {
		return r.wrap(fmt.Errorf("decoding JSON: %w", err))
	}
	return nil
}

// Err returns a *StatusError for a 4xx or 5xx response and nil otherwise
// (Requests' raise_for_status).
func (r *Response) Err() error {
	return statusError(r)
}

// wrap names the request in an error about its response.
func (r *Response) wrap(err error) error {
	if req := r.Request; req != nil && req.URL != nil {
		return fmt.Errorf("client: %s %s: %w", req.Method, withoutUserinfo(req.URL), err)
	}
	return fmt.Errorf("client: %w", err)
}
