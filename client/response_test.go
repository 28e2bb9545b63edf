package client_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/relayhttp/relay/client"
	"github.com/relayhttp/relay/internal/testenv"
)

func TestResponseBasics(t *testing.T) {
	srv := httpbin(t)
	s := newSession(t)
	r := mustDo(t, s, "GET", srv.URL+"/json")
	var v struct {
		Slideshow struct{ Title string } `json:"slideshow"`
	}
	if err := r.JSON(&v); err != nil || v.Slideshow.Title != "Sample Slide Show" {
		t.Errorf("JSON: %+v, %v", v, err)
	}
	b1, _ := r.Bytes()
	b2, _ := r.Bytes()
	if len(b1) == 0 || &b1[0] != &b2[0] {
		t.Error("Bytes should return the same cached body")
	}
	if r.Elapsed <= 0 {
		t.Errorf("Elapsed = %v", r.Elapsed)
	}
	if got := r.Request.Header.Get("User-Agent"); got != "relay/"+client.Version {
		t.Errorf("Request should be the request as sent; its User-Agent is %q", got)
	}
	// Body still reads, for code written for *http.Response.
	if all, _ := io.ReadAll(r.Body); !bytes.Equal(all, b1) {
		t.Error("Body does not replay the buffered body")
	}
}

func TestJSONErrorNamesTheRequest(t *testing.T) {
	srv := httpbin(t)
	s := newSession(t)
	r := mustDo(t, s, "GET", srv.URL+"/html")
	var v any
	err := r.JSON(&v)
	var syn *jsonSyntaxError
	if !errors.As(err, &syn) || !strings.Contains(err.Error(), "GET "+srv.URL+"/html") {
		t.Errorf("err = %v, want a *json.SyntaxError naming the request", err)
	}
}

func TestErrIsStatusError(t *testing.T) {
	srv := httpbin(t)
	s := newSession(t)
	for code, wantErr := range map[int]bool{200: false, 302: false, 404: true, 503: true} {
		r := mustDo(t, s, "GET", fmt.Sprintf("%s/status/%d", srv.URL, code), client.Param("x", "1"))
		err := r.Err()
		var se *client.StatusError
		if got := errors.As(err, &se); got != wantErr {
			t.Errorf("%d: Err() = %v", code, err)
			continue
		}
		if wantErr && (se.StatusCode != code || se.Method != "GET" || !strings.Contains(se.URL, "/status/") || se.Response != r) {
			t.Errorf("%d: StatusError %+v", code, se)
		}
	}
}

func TestTextDecodesDeclaredCharset(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=ISO-8859-1")
		w.Write([]byte("caf\xe9"))
	}))
	t.Cleanup(srv.Close)
	s := newSession(t)
	r := mustDo(t, s, "GET", srv.URL)
	if got, _ := r.Text(); got != "café" || r.Encoding == "" {
		t.Errorf("Text() = %q with Encoding %q", got, r.Encoding)
	}
	r = mustDo(t, s, "GET", srv.URL)
	r.Encoding = "utf-8" // override: the byte 0xE9 is not UTF-8
	if got, _ := r.Text(); got != "caf\uFFFD" {
		t.Errorf("Text() with Encoding=utf-8 = %q", got)
	}
}

func TestStreamReturnsBeforeTheBody(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("head\r"))
		w.(http.Flusher).Flush()
		<-release
		w.Write([]byte("\nsecond line\r\nthird"))
	}))
	t.Cleanup(srv.Close)
	s := newSession(t)
	r, err := s.Get(context.Background(), srv.URL, client.Stream(), client.Timeout(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	close(release)
	var lines []string
	for line, err := range r.Lines() {
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, string(line))
	}
	// The CR and LF of the first line arrive in different reads.
	if diff := cmp.Diff([]string{"head", "second line", "third"}, lines); diff != "" {
		t.Errorf("lines mismatch (-want +got):\n%s", diff)
	}
}

func TestLinesBoundsLineLength(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("short\n"))
		w.Write(bytes.Repeat([]byte("x"), 200<<10))
	}))
	t.Cleanup(srv.Close)
	s := newSession(t)
	r := mustDo(t, s, "GET", srv.URL, client.Stream())
	var lines int
	var last error
	for _, err := range r.LinesLimit(100 << 10) {
		if err != nil {
			last = err
			break
		}
		lines++
	}
	if lines != 1 || !errors.Is(last, client.ErrLineTooLong) {
		t.Errorf("got %d lines then %v; want 1 line then ErrLineTooLong", lines, last)
	}
}

func TestChunks(t *testing.T) {
	srv := httpbin(t)
	s := newSession(t)
	r := mustDo(t, s, "GET", srv.URL+"/bytes/1000?seed=1", client.Stream())
	var sizes []int
	var total []byte
	for chunk, err := range r.Chunks(300) {
		if err != nil {
			t.Fatal(err)
		}
		sizes = append(sizes, len(chunk))
		total = append(total, chunk...)
	}
	if diff := cmp.Diff([]int{300, 300, 300, 100}, sizes); diff != "" {
		t.Errorf("chunk sizes (-want +got):\n%s", diff)
	}
	again := mustDo(t, s, "GET", srv.URL+"/bytes/1000?seed=1")
	if b, _ := again.Bytes(); !bytes.Equal(b, total) {
		t.Error("chunks do not add up to the body")
	}
}

func TestBodyCap(t *testing.T) {
	srv := httpbin(t)
	s := newSession(t)
	s.MaxBodySize = 1000
	_, err := s.Get(context.Background(), srv.URL+"/bytes/1001")
	if !errors.Is(err, client.ErrBodyTooLarge) || !strings.Contains(err.Error(), "client.Stream()") {
		t.Fatalf("err = %v, want ErrBodyTooLarge saying how to read more", err)
	}
	if _, err := s.Get(context.Background(), srv.URL+"/bytes/1000"); err != nil {
		t.Errorf("a body at the cap: %v", err)
	}
	if _, err := s.Get(context.Background(), srv.URL+"/bytes/5000", client.MaxBodySize(0)); err != nil {
		t.Errorf("MaxBodySize(0) means no cap: %v", err)
	}
	r := mustDo(t, s, "GET", srv.URL+"/stream-bytes/5000", client.Stream())
	if _, err := r.Bytes(); !errors.Is(err, client.ErrBodyTooLarge) {
		t.Errorf("Bytes on a streamed body over the cap: %v", err)
	}
	if _, err := r.Text(); !errors.Is(err, client.ErrBodyTooLarge) {
		t.Errorf("Text after a failed Bytes: %v", err)
	}
}

// gzipBomb returns a gzip stream of n MiB of zeros, built as repeated
// members so it costs one MiB of compression work.
func gzipBomb(t testing.TB, mib int) []byte {
	var member bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&member, gzip.BestCompression)
	zw.Write(make([]byte, 1<<20))
	zw.Close()
	return bytes.Repeat(member.Bytes(), mib)
}

// TestGzipBombStaysBounded serves a 1 GiB gzip bomb (64 MiB under the race
// detector) to a session with the default 32 MiB cap.
func TestGzipBombStaysBounded(t *testing.T) {
	mib := 1024
	if testenv.RaceEnabled {
		mib = 64
	}
	bomb := gzipBomb(t, mib)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(bomb)
	}))
	t.Cleanup(srv.Close)
	s := newSession(t)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := s.Get(context.Background(), srv.URL)
	runtime.ReadMemStats(&after)
	if !errors.Is(err, client.ErrBodyTooLarge) {
		t.Fatalf("err = %v, want ErrBodyTooLarge", err)
	}
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 100<<20 {
		t.Errorf("reading a %d MiB bomb allocated %d MiB; the cap must bound memory", mib, grew>>20)
	}
	// Raw returns it undecoded, still capped by its wire size.
	r, err := s.Get(context.Background(), srv.URL, client.Raw(), client.Stream())
	if err != nil {
		t.Fatal(err)
	}
	head := make([]byte, 2)
	io.ReadFull(r.Body, head)
	r.Body.Close()
	if head[0] != 0x1f || head[1] != 0x8b || r.Header.Get("Content-Encoding") != "gzip" {
		t.Errorf("Raw body starts %x with Content-Encoding %q; want the gzip stream", head, r.Header.Get("Content-Encoding"))
	}
}

func TestDecodeStreamsText(t *testing.T) {
	body := bytes.Repeat([]byte("\xcf\xf0\xe8\xe2\xe5\xf2\r\n"), 3) // "Привет" in windows-1251
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("declared") != "" {
			w.Header().Set("Content-Type", "text/plain; charset=windows-1251")
		} else {
			w.Header().Set("Content-Type", "application/octet-stream")
		}
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	s := newSession(t)
	for _, q := range []string{"?declared=1", ""} {
		r := mustDo(t, s, "GET", srv.URL+q, client.Stream())
		r.Decode()
		var lines []string
		for line, err := range r.Lines() {
			if err != nil {
				t.Fatal(err)
			}
			lines = append(lines, string(line))
		}
		if diff := cmp.Diff([]string{"Привет", "Привет", "Привет"}, lines); diff != "" || r.Encoding != "windows-1251" {
			t.Errorf("%q: encoding %q, lines (-want +got):\n%s", q, r.Encoding, diff)
		}
	}
}
