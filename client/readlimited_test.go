package client

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"testing/iotest"
)

// TestReadLimited reads bodies around the sizes where readLimited moves to
// a new chunk (512, then half as much again each time), with and without a
// size, under and over a limit, and in pieces of every kind.
func TestReadLimited(t *testing.T) {
	body := bytes.Repeat([]byte("0123456789abcdef"), 1<<12) // 64 KiB
	readers := map[string]func(io.Reader) io.Reader{
		"whole":    func(r io.Reader) io.Reader { return r },
		"one byte": iotest.OneByteReader,
		"half":     iotest.HalfReader,
		"data+EOF": iotest.DataErrReader,
	}
	for _, n := range []int{0, 1, 511, 512, 513, 1280, 1281, 2432, 40000, 1 << 16} {
		for name, wrap := range readers {
			for _, hint := range []int64{-1, int64(n)} {
				for _, limit := range []int64{0, int64(n), int64(n) - 1} {
					want := body[:n]
					got, err := readLimited(wrap(bytes.NewReader(want)), limit, hint)
					switch {
					case limit > 0 && int64(n) > limit:
						if !errors.Is(err, ErrBodyTooLarge) {
							t.Errorf("%d bytes, %s, size %d, limit %d: %v, want ErrBodyTooLarge", n, name, hint, limit, err)
						}
					case err != nil || !bytes.Equal(got, want):
						t.Errorf("%d bytes, %s, size %d, limit %d: %d bytes, %v", n, name, hint, limit, len(got), err)
					case hint < 0 && n > 512 && cap(got) != n:
						t.Errorf("%d bytes of unknown size, %s: capacity %d, want the body's size", n, name, cap(got))
					}
				}
			}
		}
	}
}

// TestReadLimitedBoundsChunks checks that a body of unknown size over the
// limit fails once limit+1 bytes are in, not later, and that what was read
// meanwhile stays within that.
func TestReadLimitedBoundsChunks(t *testing.T) {
	const limit = 10000
	r := &countingReader{r: bytes.NewReader(make([]byte, 1<<20))}
	if _, err := readLimited(r, limit, -1); !errors.Is(err, ErrBodyTooLarge) {
		t.Fatalf("err = %v, want ErrBodyTooLarge", err)
	}
	if r.n != limit+1 {
		t.Errorf("read %d bytes of a body over the limit %d; want limit+1", r.n, limit)
	}
}

type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}
