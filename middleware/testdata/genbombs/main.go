// Command genbombs writes the compression bombs TestDecompressBomb serves
// into middleware/testdata. The encoded data is cheap to store and to read,
// and dear to make under -race, so it is generated once, here:
//
//	go run ./middleware/testdata/genbombs
//
// ../README.md says what each file is.
package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// zstdMaxWindow is the largest window RFC 9659 allows for HTTP, and the one
// relay's decoder accepts.
const zstdMaxWindow = 8 << 20

var bombs = []struct {
	file  string
	write func(io.Writer) (io.WriteCloser, error)
	size  int // decoded
}{
	// One gzip member of 16 MiB of zeros; 64 of them in a row are a valid
	// multi-member stream decoding to 1 GiB.
	{"zeros-16MiB.gz", func(w io.Writer) (io.WriteCloser, error) {
		return gzip.NewWriterLevel(w, gzip.BestCompression)
	}, 16 << 20},
	// One zstd frame of 16 MiB of zeros with an 8 MiB window; frames
	// concatenate like gzip members.
	{"zeros-16MiB-window-8MiB.zst", func(w io.Writer) (io.WriteCloser, error) {
		return zstd.NewWriter(w, zstd.WithEncoderConcurrency(1), zstd.WithWindowSize(zstdMaxWindow), zstd.WithSingleSegment(false))
	}, 16 << 20},
	// One brotli stream of 1 GiB of zeros with a 16 MiB window (lgwin 24),
	// the largest outside the large-window extension. Brotli streams do not
	// concatenate, so this one is whole.
	{"zeros-1GiB-window-16MiB.br", func(w io.Writer) (io.WriteCloser, error) {
		return brotli.NewWriterOptions(w, brotli.WriterOptions{Quality: 1, LGWin: 24}), nil
	}, 1 << 30},
}

func main() {
	dir := filepath.Join("middleware", "testdata")
	if len(os.Args) > 1 {
		dir = os.Args[1]
	}
	zeros := make([]byte, 1<<20)
	for _, b := range bombs {
		var buf bytes.Buffer
		w, err := b.write(&buf)
		if err != nil {
			fail(err)
		}
		for range b.size / len(zeros) {
			if _, err := w.Write(zeros); err != nil {
				fail(err)
			}
		}
		if err := w.Close(); err != nil {
			fail(err)
		}
		if err := os.WriteFile(filepath.Join(dir, b.file), buf.Bytes(), 0o644); err != nil {
			fail(err)
		}
		fmt.Printf("%s: %d bytes\n", b.file, buf.Len())
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "genbombs:", err)
	os.Exit(1)
}
