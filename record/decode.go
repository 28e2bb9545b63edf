package record

import (
	"bytes"
	"compress/flate"
	"errors"
	"io"
	"strings"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zlib"
	"github.com/klauspost/compress/zstd"
)

// maxCodings bounds the content codings decoded, as the decompression
// middleware does.
const maxCodings = 5

// parseCodings returns the content codings of Content-Encoding values in
// the order they were applied (identity left out); ok is false when one is
// not gzip, deflate, br or zstd, or there are more than maxCodings.
func parseCodings(values []string) (codings []string, ok bool) {
	for _, v := range values {
		for elem := range strings.SplitSeq(v, ",") {
			c := strings.ToLower(strings.Trim(elem, " \t"))
			switch c {
			case "", "identity":
				continue
			case "gzip", "x-gzip", "deflate", "br", "zstd":
				codings = append(codings, c)
			default:
				return nil, false
			}
		}
	}
	return codings, len(codings) <= maxCodings
}

// decodeBody decodes raw, the first bytes of a body encoded with codings,
// keeping at most max decoded bytes (max < 0: no bound). complete says
// whether raw is the whole body. It returns the decoded bytes and whether
// they are only a part of the body (raw incomplete, or the decoded body
// longer than max); ok is false when raw does not decode.
func decodeBody(raw []byte, codings []string, complete bool, max int64) (out []byte, partial, ok bool) {
	var r io.Reader = bytes.NewReader(raw)
	var closers []func()
	defer func() {
		for _, c := range closers {
			c()
		}
	}()
	for i := len(codings) - 1; i >= 0; i-- {
		switch codings[i] {
		case "gzip", "x-gzip":
			zr, err := gzip.NewReader(r)
			if err != nil {
				return nil, false, false
			}
			r = zr
		case "deflate":
			br := bufioPeek(r)
			head, _ := br.Peek(2)
			if isZlibHeader(head) {
				zr, err := zlib.NewReader(br)
				if err != nil {
					return nil, false, false
				}
				r = zr
			} else {
				r = flate.NewReader(br)
			}
		case "br":
			r = brotli.NewReader(r)
		case "zstd":
			zr, err := zstd.NewReader(r, zstd.WithDecoderConcurrency(1), zstd.WithDecoderLowmem(true))
			if err != nil {
				return nil, false, false
			}
			closers = append(closers, zr.Close)
			r = zr
		}
	}
	var b bytes.Buffer
	var err error
	if max < 0 {
		_, err = b.ReadFrom(r)
	} else {
		_, err = b.ReadFrom(io.LimitReader(r, max+1))
	}
	switch {
	case max >= 0 && int64(b.Len()) > max:
		return b.Bytes()[:max], true, true
	case err == nil:
		return b.Bytes(), !complete, true
	case !complete && (errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF)):
		return b.Bytes(), true, true // the part that was kept
	}
	return nil, false, false
}

// peekReader is a reader that can look at its first bytes.
type peekReader struct {
	r   io.Reader
	buf []byte
}

func bufioPeek(r io.Reader) *peekReader { return &peekReader{r: r} }

// Peek returns up to n first bytes without consuming them.
func (p *peekReader) Peek(n int) ([]byte, error) {
	for len(p.buf) < n {
		b := make([]byte, n-len(p.buf))
		k, err := p.r.Read(b)
		p.buf = append(p.buf, b[:k]...)
		if err != nil {
			return p.buf, err
		}
	}
	return p.buf[:n], nil
}

func (p *peekReader) Read(b []byte) (int, error) {
	if len(p.buf) > 0 {
		n := copy(b, p.buf)
		p.buf = p.buf[n:]
		return n, nil
	}
	return p.r.Read(b)
}

func (p *peekReader) ReadByte() (byte, error) {
	var b [1]byte
	_, err := io.ReadFull(p, b[:])
	return b[0], err
}

// isZlibHeader reports whether b starts with a zlib header (RFC 1950
// §2.2), which tells deflate as servers should send it from the raw
// deflate some send instead.
func isZlibHeader(b []byte) bool {
	return len(b) >= 2 && b[0]&0x0f == 8 && b[0]>>4 <= 7 && (uint16(b[0])<<8|uint16(b[1]))%31 == 0
}
