package record_test

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/relayhttp/relay/client"
	"github.com/relayhttp/relay/record"
)

// exchange is one call of the recording tests.
type exchange struct {
	method, path string
	opts         []client.Option
}

var exchanges = []exchange{
	{"GET", "/get?b=2&a=1&a=0", nil},
	{"POST", "/post", []client.Option{client.JSON(map[string]any{"name": "relay", "n": 1})}},
	{"POST", "/post", []client.Option{client.Form(url.Values{"x": {"1"}, "y": {"2"}})}},
	{"GET", "/redirect/2", nil},
	{"GET", "/gzip", nil},
	{"GET", "/bytes/64?seed=7", nil},
	{"GET", "/status/418", nil},
	{"HEAD", "/get", nil},
}

// TestRecordThenReplay records calls to go-httpbin, closes the server, and
// replays them from the cassette with a transport that fails if reached:
// every status and body comes back, the redirect's hops included.
func TestRecordThenReplay(t *testing.T) {
	srv := httpbin(t)
	path := cassette(t)
	rec := open(t, path, record.Record, record.Options{})
	s := session(t, rec)
	type result struct {
		status int
		body   string
	}
	var want []result
	for _, x := range exchanges {
		st, body := do(t, s, x.method, srv.URL+x.path, x.opts...)
		want = append(want, result{st, body})
	}
	if err := rec.Close(); err != nil {
		t.Fatal(err)
	}
	s.CloseIdleConnections()
	srv.Close()

	_, h := readCassette(t, path)
	var got []string
	for _, e := range h.Log.Entries {
		got = append(got, e.Request.Method+" "+strings.TrimPrefix(e.Request.URL, srv.URL))
	}
	wantEntries := []string{
		"GET /get?b=2&a=1&a=0", "POST /post", "POST /post",
		"GET /redirect/2", "GET /relative-redirect/1", "GET /get",
		"GET /gzip", "GET /bytes/64?seed=7", "GET /status/418", "HEAD /get",
	}
	if strings.Join(got, "\n") != strings.Join(wantEntries, "\n") {
		t.Fatalf("entries, one per send, in order:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(wantEntries, "\n"))
	}
	gz := h.Log.Entries[6]
	if ce := header(gz.Response.Headers, "Content-Encoding"); ce != "gzip" || !strings.Contains(gz.Response.Content.Text, `"gzipped": true`) {
		t.Errorf("gzip entry: Content-Encoding %q, text %q; want the header kept and the text decoded", ce, gz.Response.Content.Text)
	}
	if bin := h.Log.Entries[7].Response.Content; bin.Encoding != "base64" || bin.Size != 64 {
		t.Errorf("binary entry: encoding %q size %d, want base64 and 64", bin.Encoding, bin.Size)
	}
	if p := h.Log.Entries[1].Request.PostData; p == nil || !strings.HasPrefix(p.MimeType, "application/json") || !strings.Contains(p.Text, `"relay"`) {
		t.Errorf("JSON request body: %+v", p)
	}

	replay := open(t, path, record.Replay, record.Options{})
	rs := session(t, replay, offline(t))
	for i, x := range exchanges {
		st, body := do(t, rs, x.method, srv.URL+x.path, x.opts...)
		if st != want[i].status || body != want[i].body {
			t.Errorf("replayed %s %s = %d %q, recorded %d %q", x.method, x.path, st, body, want[i].status, want[i].body)
		}
	}
	r, err := rs.Get(t.Context(), srv.URL+"/redirect/2")
	if err == nil {
		t.Errorf("a fourth identical redirect replayed (%d): entries must be used once", r.StatusCode)
	}
}

// TestReplayServesDecodedBody checks the choice for compressed responses:
// the cassette holds the decoded body (as browsers export it) with the
// response's headers, and replay serves that body without Content-Encoding
// and with its own Content-Length, even to a caller asking for the raw
// body.
func TestReplayServesDecodedBody(t *testing.T) {
	text := strings.Repeat("hello, compressed world; ", 40)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		_, _ = zw.Write([]byte(text))
		_ = zw.Close()
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set("Content-Type", "text/plain")
		_, _ = w.Write(b.Bytes())
	}))
	defer srv.Close()
	path := cassette(t)
	rec := open(t, path, record.Record, record.Options{})
	if _, body := do(t, session(t, rec), "GET", srv.URL); body != text {
		t.Fatalf("recording: body %q", body)
	}
	if err := rec.Close(); err != nil {
		t.Fatal(err)
	}
	_, h := readCassette(t, path)
	c := h.Log.Entries[0].Response
	if c.Content.Text != text || c.Content.Size != record.Size(len(text)) || c.BodySize >= c.Content.Size || c.Content.Compression != c.Content.Size-c.BodySize {
		t.Errorf("content %+v, bodySize %d: want the decoded text, its size, the wire size and the bytes saved", c.Content, c.BodySize)
	}

	replay := open(t, path, record.Replay, record.Options{})
	s := session(t, replay, offline(t))
	r, err := s.Get(t.Context(), srv.URL, client.Raw())
	if err != nil {
		t.Fatal(err)
	}
	b, err := r.Bytes()
	if err != nil || string(b) != text || r.Header.Get("Content-Encoding") != "" || r.ContentLength != int64(len(text)) {
		t.Errorf("replayed raw: %q, %v, Content-Encoding %q, length %d", b, err, r.Header.Get("Content-Encoding"), r.ContentLength)
	}
}

func header(hs []record.NameValue, name string) string {
	for _, h := range hs {
		if strings.EqualFold(h.Name, name) {
			return h.Value
		}
	}
	return ""
}
