package client

import (
	"bufio"
	"io"

	"github.com/relayhttp/relay/charset"
)

// decodePeek is the buffer of a decoded body: room for the charset
// package's guess sample and one byte more, which tells the guess that the
// body goes on after the sample.
const decodePeek = charset.DefaultSampleBytes + 1

// Decode makes later reads of the body — Body, Lines, Chunks — yield text
// decoded to UTF-8 with r.Encoding, as they arrive (Requests'
// iter_lines(decode_unicode=True)). Bytes that do not decode become U+FFFD.
//
// When Encoding is empty it is set first. On a streamed response it is
// determined from the headers and as few of the body's first bytes as
// charset.Peek needs: 3 when a byte order mark or the header decides, or
// the media type has a default and no in-body declaration; 1024 for HTML and
// XML; 64 KiB when only the guess can decide. Decode waits for those bytes,
// or for the end of the body.
//
// Call it before reading. On a body already in memory it decodes that, and
// Bytes and Text go on returning the body and its text as they did. On a
// streamed body, Bytes, Text and JSON read the decoded text. A second call
// does nothing.
func (r *Response) Decode() {
	if r.decoding {
		return
	}
	r.decoding = true
	body := r.Body
	br := bufio.NewReaderSize(body, decodePeek)
	if r.Encoding == "" {
		if r.enc == "" {
			r.enc = charset.Peek(contentType(r.Header), br).Name
		}
		r.Encoding = r.enc
	}
	r.Body = decodedBody{Reader: charset.NewReader(br, r.Encoding), Closer: body}
	r.textBody = !r.read
}

// decodedBody reads decoded text and closes the wire body.
type decodedBody struct {
	io.Reader
	io.Closer
}
