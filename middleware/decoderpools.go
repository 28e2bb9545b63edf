package middleware

import (
	"bufio"
	"compress/gzip"
	"io"
	"sync"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/zstd"
)

// Making a decoder costs more than decoding most bodies: a gzip reader
// holds about 40 KiB of tables and buffers, a brotli reader allocates about
// 70 KiB of them for a 2 KiB body, a zstd decoder about 13 KiB and a dozen
// allocations. Each Decompress middleware keeps the decoders its responses
// are done with and starts the next response of the same coding on one.
//
// A pooled decoder keeps the buffers of the largest stream it decoded, up
// to its window (16 MiB for brotli, zstdMaxWindow for zstd), until the pool
// drops it, within two garbage collections. A decoder made per response
// would have allocated those buffers for every such response instead.

// decoderPools are the decoders of one Decompress middleware, by coding;
// deflate's are not pooled (rare on the web).
type decoderPools struct {
	gzip   sync.Pool // of *gzipDecoder
	brotli sync.Pool // of *brotli.Reader
	zstd   sync.Pool // of *zstd.Decoder
}

// zstdOptions make a decoder that decodes in Read, without goroutines, and
// refuses windows over RFC 9659's limit.
var zstdOptions = []zstd.DOption{
	zstd.WithDecoderConcurrency(1),
	zstd.WithDecoderLowmem(true),
	zstd.WithDecoderMaxWindow(zstdMaxWindow),
	zstd.WithDecoderMaxMemory(zstdMaxWindow),
	zstd.WithDecodeBuffersBelow(0), // never decode a whole buffer at once
}

func (p *decoderPools) getGzip() *gzipDecoder {
	if g, ok := p.gzip.Get().(*gzipDecoder); ok {
		return g
	}
	return new(gzipDecoder)
}

// putGzip drops g's reference to its input and pools it.
func (p *decoderPools) putGzip(g *gzipDecoder) {
	g.br.Reset(nil)
	p.gzip.Put(g)
}

// getBrotli returns a brotli reader of in.
func (p *decoderPools) getBrotli(in io.Reader) *brotli.Reader {
	if r, ok := p.brotli.Get().(*brotli.Reader); ok {
		_ = r.Reset(in) // cannot fail: it only starts a new stream
		return r
	}
	return brotli.NewReader(in)
}

// putBrotli drops r's reference to its input and pools it; Reset recovers
// a reader that failed.
func (p *decoderPools) putBrotli(r *brotli.Reader) {
	_ = r.Reset(nil)
	p.brotli.Put(r)
}

// getZstd returns a zstd decoder of in.
func (p *decoderPools) getZstd(in io.Reader) (*zstd.Decoder, error) {
	if d, ok := p.zstd.Get().(*zstd.Decoder); ok {
		if err := d.Reset(in); err == nil {
			return d, nil
		}
	}
	return zstd.NewReader(in, zstdOptions...)
}

// putZstd drops d's reference to its input and pools it.
func (p *decoderPools) putZstd(d *zstd.Decoder) {
	_ = d.Reset(nil) // sets a "nil input" error until the next Reset
	p.zstd.Put(d)
}

// gzipDecoder is a gzip reader with the input buffer it reads through.
// Owning the buffer lets a pooled decoder drop its reference to the body.
type gzipDecoder struct {
	br bufio.Reader
	zr gzip.Reader
}
