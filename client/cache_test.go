package client_test

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/relayhttp/relay/cache"
	"github.com/relayhttp/relay/client"
	"github.com/relayhttp/relay/internal/httpbintest"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"
)

// TestSessionCache: with s.Cache set, a second GET of a cacheable URL is a
// hit that never reaches the origin; bodies are stored as they came off the
// wire (gzip) and decoded on every read; without s.Cache nothing is cached.
func TestSessionCache(t *testing.T) {
	var hits atomic.Int32
	bin := httpbintest.Handler()
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte("compressed hello"))
	zw.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if r.URL.Path == "/gz" {
			w.Header().Set("Cache-Control", "max-age=60")
			w.Header().Set("Content-Encoding", "gzip")
			w.Header().Set("Vary", "Accept-Encoding")
			w.Write(gz.Bytes())
			return
		}
		bin.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)

	s := newSession(t)
	for i := range 2 {
		r := mustDo(t, s, "GET", srv.URL+"/cache/60")
		if want := []cache.Status{cache.None, cache.None}[i]; cache.StatusOf(r.Response) != want {
			t.Fatalf("without a cache: status %v", cache.StatusOf(r.Response))
		}
	}
	if hits.Load() != 2 {
		t.Fatalf("without a cache the origin saw %d requests, want 2", hits.Load())
	}

	s.Cache = cache.New(cache.Options{})
	hits.Store(0)
	for i, want := range []cache.Status{cache.Miss, cache.Hit} {
		r := mustDo(t, s, "GET", srv.URL+"/cache/60")
		if got := cache.StatusOf(r.Response); got != want {
			t.Errorf("request %d: %v, want %v", i, got, want)
		}
		r = mustDo(t, s, "GET", srv.URL+"/gz")
		if txt := text(t, r); txt != "compressed hello" || cache.StatusOf(r.Response) != want {
			t.Errorf("gzip request %d: %q, %v", i, txt, cache.StatusOf(r.Response))
		}
	}
	if hits.Load() != 2 {
		t.Errorf("with a cache the origin saw %d requests, want 2", hits.Load())
	}
}

// TestCacheStatusLogged: each attempt the cache sends says why in the log
// line's "cache" field; a hit sends nothing, and its line says "hit".
func TestCacheStatusLogged(t *testing.T) {
	srv := httpbin(t)
	core, logs := observer.New(zapcore.InfoLevel)
	s := newSession(t, client.WithLogger(zap.New(core)))
	s.Cache = cache.New(cache.Options{})
	for range 2 {
		mustDo(t, s, "GET", srv.URL+"/etag/abc") // stored (ETag), then revalidated
	}
	mustDo(t, s, "GET", srv.URL+"/cache/60")
	mustDo(t, s, "GET", srv.URL+"/cache/60") // a hit: no attempt, one line
	var got []string
	for _, e := range logs.FilterMessage("request").All() {
		m := e.ContextMap()
		got = append(got, fmt.Sprint(m["cache"], " ", m["status"]))
	}
	if diff := cmp.Diff([]string{"miss 200", "revalidate 304", "miss 200", "hit 200"}, got); diff != "" {
		t.Errorf("cache fields of the logged attempts (-want +got):\n%s", diff)
	}
}
