package client_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"iter"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/relayhttp/relay/client"
	"github.com/relayhttp/relay/internal/testenv"
)

// received is what a recording server saw of one request.
type received struct {
	Method, ContentType string
	ContentLength       int64
	TransferEncoding    []string
	Body                []byte
}

// recorder starts a server that records every request's body and framing.
func recorder(t *testing.T) (*httptest.Server, func() []received) {
	t.Helper()
	var mu sync.Mutex
	var got []received
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = append(got, received{r.Method, r.Header.Get("Content-Type"), r.ContentLength, r.TransferEncoding, b})
		mu.Unlock()
		w.WriteHeader(200)
	}))
	t.Cleanup(srv.Close)
	return srv, func() []received {
		mu.Lock()
		defer mu.Unlock()
		return append([]received(nil), got...)
	}
}

func TestJSONAndFormBodies(t *testing.T) {
	srv := httpbin(t)
	s := newSession(t)
	e := echo(t, mustDo(t, s, "POST", srv.URL+"/post", client.JSON(map[string]any{"name": "relay", "n": 2})))
	var sent map[string]any
	if err := json.Unmarshal(e.JSON, &sent); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]any{"name": "relay", "n": 2.0}, sent); diff != "" {
		t.Errorf("JSON body mismatch (-want +got):\n%s", diff)
	}
	if got := e.Headers.Get("Content-Type"); got != "application/json" {
		t.Errorf("Content-Type = %q", got)
	}
	e = echo(t, mustDo(t, s, "PUT", srv.URL+"/put", client.Form(url.Values{"a": {"1", "2"}, "b": {"x&y"}})))
	if diff := cmp.Diff(url.Values{"a": {"1", "2"}, "b": {"x&y"}}, e.Form); diff != "" {
		t.Errorf("form mismatch (-want +got):\n%s", diff)
	}
	// An explicit Content-Type wins over the body's.
	e = echo(t, mustDo(t, s, "POST", srv.URL+"/post", client.JSON(1), client.Header("Content-Type", "application/vnd.api+json")))
	if got := e.Headers.Get("Content-Type"); got != "application/vnd.api+json" {
		t.Errorf("Content-Type = %q, want the explicit one", got)
	}
}

func TestJSONThatDoesNotEncode(t *testing.T) {
	srv, got := recorder(t)
	s := newSession(t)
	_, err := s.Post(context.Background(), srv.URL, client.JSON(make(chan int)))
	var jerr *json.UnsupportedTypeError
	if !errors.As(err, &jerr) {
		t.Fatalf("err = %v, want a *json.UnsupportedTypeError", err)
	}
	if n := len(got()); n != 0 {
		t.Errorf("the server saw %d requests; nothing should be sent", n)
	}
}

func TestBodyFraming(t *testing.T) {
	srv, got := recorder(t)
	s := newSession(t)
	file := filepath.Join(t.TempDir(), "upload.bin")
	if err := os.WriteFile(file, []byte("0123456789"), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Seek(3, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	pr, pw := io.Pipe()
	go func() { pw.Write([]byte("piped")); pw.Close() }()
	chunks := func(yield func([]byte) bool) {
		for _, c := range []string{"ab", "", "cd"} {
			if !yield([]byte(c)) {
				return
			}
		}
	}
	cases := []struct {
		name    string
		opt     client.Option
		want    string
		length  int64
		chunked bool
	}{
		{"bytes.Reader", client.Body(bytes.NewReader([]byte("hello"))), "hello", 5, false},
		{"strings.Reader", client.Body(strings.NewReader("hi")), "hi", 2, false},
		{"bytes.Buffer", client.Body(bytes.NewBufferString("buf")), "buf", 3, false},
		{"file from offset", client.Body(f), "3456789", 7, false},
		{"empty", client.Body(strings.NewReader("")), "", 0, false},
		{"pipe", client.Body(pr), "piped", -1, true},
		{"chunks", client.Chunks(iter.Seq[[]byte](chunks)), "abcd", -1, true},
	}
	for _, c := range cases {
		mustDo(t, s, "POST", srv.URL, c.opt)
	}
	for i, r := range got() {
		c := cases[i]
		if string(r.Body) != c.want || r.ContentLength != c.length || (len(r.TransferEncoding) > 0) != c.chunked {
			t.Errorf("%s: server got %q, Content-Length %d, Transfer-Encoding %v; want %q, %d, chunked=%v",
				c.name, r.Body, r.ContentLength, r.TransferEncoding, c.want, c.length, c.chunked)
		}
	}
	if pos, _ := f.Seek(0, io.SeekCurrent); pos != 3 {
		t.Errorf("the file's offset moved to %d; relay reads files at offsets", pos)
	}
	if _, err := f.Stat(); err != nil {
		t.Errorf("relay closed the caller's file: %v", err)
	}
}

func TestPreparedBodiesCanBeReplayed(t *testing.T) {
	s := newSession(t)
	for name, opt := range map[string]client.Option{
		"json":      client.JSON([]int{1, 2}),
		"form":      client.Form(url.Values{"a": {"b"}}),
		"reader":    client.Body(strings.NewReader("abc")),
		"multipart": client.Multipart(client.FormField("a", "b"), client.FormFile("f", "f.txt", strings.NewReader("xyz"))),
	} {
		req, err := s.Prepare(context.Background(), "POST", "http://example.test/", opt)
		if err != nil {
			t.Fatal(err)
		}
		first, _ := io.ReadAll(req.Body)
		req.Body.Close()
		if req.GetBody == nil {
			t.Errorf("%s: no GetBody", name)
			continue
		}
		again, err := req.GetBody()
		if err != nil {
			t.Fatal(err)
		}
		second, _ := io.ReadAll(again)
		again.Close()
		if !bytes.Equal(first, second) || int64(len(first)) != req.ContentLength {
			t.Errorf("%s: replay %q differs from first %q (Content-Length %d)", name, second, first, req.ContentLength)
		}
	}
}

func TestMultipart(t *testing.T) {
	srv := httpbin(t)
	s := newSession(t)
	e := echo(t, mustDo(t, s, "POST", srv.URL+"/post", client.Multipart(
		client.FormField("title", "report"),
		client.FormFile("file", "report.csv", strings.NewReader("a,b\n1,2\n")),
		client.FormFile("raw", "blob", io.MultiReader(strings.NewReader("unknown "), strings.NewReader("length"))),
	)))
	if diff := cmp.Diff(url.Values{"title": {"report"}}, e.Form); diff != "" {
		t.Errorf("form mismatch (-want +got):\n%s", diff)
	}
	if got := e.Files.Get("file"); !strings.Contains(got, "a,b") && got != "a,b\n1,2\n" {
		t.Errorf("file part = %q", got)
	}
	if !strings.HasPrefix(e.Headers.Get("Content-Type"), "multipart/form-data; boundary=") {
		t.Errorf("Content-Type = %q", e.Headers.Get("Content-Type"))
	}
}

func TestMultipartLengthIsExact(t *testing.T) {
	srv, got := recorder(t)
	s := newSession(t)
	mustDo(t, s, "POST", srv.URL, client.Multipart(
		client.FormField("a", `quote " and newline`+"\n"),
		client.FormFile("f", "x.json", bytes.NewReader(make([]byte, 1000))),
	))
	r := got()[0]
	if r.ContentLength != int64(len(r.Body)) || len(r.TransferEncoding) != 0 {
		t.Errorf("Content-Length %d for %d bytes (Transfer-Encoding %v)", r.ContentLength, len(r.Body), r.TransferEncoding)
	}
	if !strings.Contains(string(r.Body), "Content-Type: application/json") {
		t.Error("a .json file part should say application/json")
	}
}

// zeros is an endless reader of zero bytes that allocates nothing.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// TestLargeUploadsDoNotBuffer uploads 1 GiB (32 MiB under the race
// detector; .ci/run also runs it without) and checks the client allocated
// far less than that.
func TestLargeUploadsDoNotBuffer(t *testing.T) {
	size := int64(1 << 30)
	if testenv.RaceEnabled {
		size = 32 << 20
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := io.Copy(io.Discard, r.Body)
		w.Write([]byte(itoa(int(n))))
	}))
	t.Cleanup(srv.Close)
	s := newSession(t)
	for name, opt := range map[string]client.Option{
		"body":      client.Body(io.LimitReader(zeros{}, size)),
		"multipart": client.Multipart(client.FormFile("f", "big.bin", io.LimitReader(zeros{}, size))),
	} {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		r := mustDo(t, s, "POST", srv.URL, opt)
		runtime.ReadMemStats(&after)
		text, _ := r.Text()
		if n := int64(atoi(text)); n < size {
			t.Errorf("%s: server read %d bytes, want at least %d", name, n, size)
		}
		if grew := after.TotalAlloc - before.TotalAlloc; grew > 16<<20 {
			t.Errorf("%s: uploading %d MiB allocated %d MiB; the body must stream", name, size>>20, grew>>20)
		}
	}
}
