package cache_test

import (
	"io"
	"net/http"
	"runtime"
	"strconv"
	"testing"

	"github.com/relayhttp/relay/cache"
	"github.com/relayhttp/relay/internal/testenv"
)

// TestLargeBodyKeepsTheHeapFlat streams a 1 GiB response (64 MiB under the
// race detector) of unknown length through a cache with a 1 MiB cap: the
// body passes through, is not stored, and the heap stays flat.
func TestLargeBodyKeepsTheHeapFlat(t *testing.T) {
	size := int64(1 << 30)
	if testenv.RaceEnabled {
		size = 64 << 20
	}
	clk := newClock()
	o := newOrigin(t, clk, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Cache-Control", "max-age=60")
		chunk := make([]byte, 1<<20)
		for sent := int64(0); sent < size; sent += int64(len(chunk)) { // chunked: no Content-Length
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	rt := client(t, clk, cache.Options{MaxEntryBytes: 1 << 20})
	req, _ := http.NewRequest("GET", o.URL, nil)
	resp, err := rt.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	var peak uint64
	var ms runtime.MemStats
	buf := make([]byte, 256<<10)
	var n int64
	for {
		k, err := resp.Body.Read(buf)
		n += int64(k)
		if n%(32<<20) < int64(k) {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	resp.Body.Close()
	if n != size {
		t.Fatalf("read %d bytes, want %d", n, size)
	}
	if peak > 48<<20 {
		t.Errorf("heap reached %d MiB while streaming %d MiB through the cache", peak>>20, size>>20)
	}
	req, _ = http.NewRequest("GET", o.URL, nil)
	resp, err = rt.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if cache.StatusOf(resp) != cache.Miss {
		t.Errorf("a body over the cap was stored: %v", cache.StatusOf(resp))
	}
}

// TestMemoryStaysWithinItsBound fills a Memory store of 4 MiB with forty
// different 512 KiB responses through the cache: after each, the heap holds
// at most the bound plus the entry in flight (and the test's own slack),
// and the oldest entries have left.
func TestMemoryStaysWithinItsBound(t *testing.T) {
	const bound, entry = 4 << 20, 512 << 10
	clk := newClock()
	o := newOrigin(t, clk, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Cache-Control", "max-age=600")
		_, _ = w.Write(make([]byte, entry))
	})
	rt := client(t, clk, cache.Options{Store: cache.Memory(bound), MaxEntryBytes: 1 << 20})
	get := func(i int) cache.Status {
		req, _ := http.NewRequest("GET", o.URL+"/"+strconv.Itoa(i), nil)
		resp, err := rt.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(io.Discard, resp.Body); err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return cache.StatusOf(resp)
	}
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	for i := range 40 {
		get(i)
		runtime.GC()
		runtime.ReadMemStats(&ms)
		if grown := int64(ms.HeapAlloc) - int64(base); grown > bound+entry+(2<<20) {
			t.Fatalf("after %d entries of 512 KiB the heap grew by %d KiB, over the 4 MiB bound plus one entry", i+1, grown>>10)
		}
	}
	if st := get(39); st != cache.Hit {
		t.Errorf("the newest entry: %v, want a hit", st)
	}
	if st := get(0); st != cache.Miss {
		t.Errorf("the oldest entry: %v, want a miss (evicted)", st)
	}
}
