package record_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"testing"

	"github.com/relayhttp/relay/client"
	"github.com/relayhttp/relay/internal/testenv"
	"github.com/relayhttp/relay/record"
)

// heapWatch is an io.Writer that discards what it is given and samples the
// heap every MiB, keeping the highest value seen.
type heapWatch struct {
	since, peak uint64
	n           int64
}

func (w *heapWatch) Write(p []byte) (int, error) {
	before := w.n
	w.n += int64(len(p))
	if w.n>>20 != before>>20 {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		w.peak = max(w.peak, ms.HeapAlloc)
	}
	return len(p), nil
}

// TestRecordLargeDownloadMemory records a 64 MiB streamed download (16 MiB
// under the race detector; scripts/test.sh runs it again at full size) and
// checks that the caller's heap grows by less than 16 MiB while it reads:
// the recorder keeps the first MaxBodySize bytes and counts the rest.
func TestRecordLargeDownloadMemory(t *testing.T) {
	size := int64(64 << 20)
	if testenv.RaceEnabled {
		size = 16 << 20
	}
	chunk := make([]byte, 32<<10)
	for i := range chunk {
		chunk[i] = byte('a' + i%26)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Header().Set("Content-Length", strconv.FormatInt(size, 10))
		for sent := int64(0); sent < size; sent += int64(len(chunk)) {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}))
	defer srv.Close()
	rec := open(t, cassette(t), record.Record, record.Options{})
	s := session(t, rec)

	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	w := &heapWatch{since: ms.HeapAlloc}
	r, err := s.Get(t.Context(), srv.URL, client.Stream())
	if err != nil {
		t.Fatal(err)
	}
	n, err := io.Copy(w, r.Body)
	r.Body.Close()
	if err != nil || n != size {
		t.Fatalf("read %d bytes, %v; want %d", n, err, size)
	}
	if growth := int64(w.peak) - int64(w.since); growth > 16<<20 {
		t.Errorf("the heap grew by %d MiB while recording a %d MiB download, want < 16 MiB", growth>>20, size>>20)
	}
	es := rec.Entries()
	if len(es) != 1 || es[0].Response.BodySize != record.Size(size) || !es[0].Response.Content.Truncated ||
		len(es[0].Response.Content.Text) != record.DefaultMaxBodySize {
		t.Errorf("entry: bodySize %d, truncated %v, kept %d", es[0].Response.BodySize, es[0].Response.Content.Truncated, len(es[0].Response.Content.Text))
	}
}
