package client

import (
	"bufio"
	"io"

	"github.com/relayhttp/relay/charset"
)

// decodePeek is how much of a streamed body Decode looks at to determine its
// encoding when the headers do not say: the charset package's guess sample.
const decodePeek = charset.DefaultSampleBytes

// Decode makes later reads of the body — Body, Lines, Chunks — yield text
// decoded to UTF-8 with r.Encoding, as they arrive (Requests'
// iter_lines(decode_unicode=True)). When Encoding is empty it is determined
// first, from the headers or, when they declare nothing, from at most the
// first 64 KiB of the body (Decode then waits for them), and stored. Bytes that do not decode become U+FFFD.
//
// Call it before reading. On a body already in memory it decodes that.
func (r *Response) Decode() {
	body := r.Body
	br := bufio.NewReaderSize(body, decodePeek)
	if r.Encoding == "" {
		ct := r.Header.Get("Content-Type")
		bom, _ := br.Peek(4) // a byte order mark wins over everything
		res := charset.Determine(ct, bom)
		if res.Source != charset.BOM && res.Source != charset.Header && res.Source != charset.MediaTypeDefault {
			// Nothing declared: look at the body, without waiting on a
			// live stream longer than it takes to fill the sample.
			prefix, _ := br.Peek(decodePeek) // a short body gives what it has; errors resurface on Read
			res = charset.Determine(ct, prefix)
		}
		r.Encoding = res.Name
	}
	r.Body = decodedBody{Reader: charset.NewReader(br, r.Encoding), Closer: body}
}

// decodedBody reads decoded text and closes the wire body.
type decodedBody struct {
	io.Reader
	io.Closer
}
