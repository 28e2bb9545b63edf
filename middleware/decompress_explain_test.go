package middleware

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/relayhttp/relay/explain"
)

// TestDecompressExplains checks the decode decision a response's trail
// gets: decoded, or left as sent and why, and none without a
// Content-Encoding.
func TestDecompressExplains(t *testing.T) {
	gz := encodeAll(t, []byte("hello"), "gzip")
	srv, c := newServer(t, Decompress(), map[string]reply{
		"/gzip":     {encoding: []string{"gzip"}, body: gz},
		"/two":      {encoding: []string{"gzip", "br"}, body: encodeAll(t, []byte("hello"), "gzip", "br")},
		"/range":    {status: http.StatusPartialContent, encoding: []string{"gzip"}, body: gz[:4]},
		"/unknown":  {encoding: []string{"x-custom"}, body: []byte("hello")},
		"/identity": {encoding: []string{"identity"}, body: []byte("hello")},
		"/plain":    {body: []byte("hello")},
	})
	for _, tc := range []struct {
		method, path string
		raw          bool
		want         string // the decode line, "" for none
	}{
		{"GET", "/gzip", false, "decode Content-Encoding: gzip decoded (as the body is read; Content-Encoding and Content-Length are removed)"},
		{"GET", "/two", false, "decode Content-Encoding: gzip, br decoded (as the body is read; Content-Encoding and Content-Length are removed)"},
		{"GET", "/gzip", true, "decode Content-Encoding: gzip skipped (RawBody: the caller asked for the body as sent)"},
		{"HEAD", "/gzip", false, "decode Content-Encoding: gzip skipped (a response to HEAD has no body)"},
		{"GET", "/range", false, "decode Content-Encoding: gzip skipped (a range of an encoded representation cannot be decoded on its own)"},
		{"GET", "/unknown", false, "decode Content-Encoding: x-custom skipped (a coding relay does not know)"},
		{"GET", "/identity", false, ""},
		{"GET", "/plain", false, ""},
	} {
		ctx, trail := explain.With(context.Background())
		if tc.raw {
			ctx = WithRawBody(ctx)
		}
		req, err := http.NewRequestWithContext(ctx, tc.method, srv.URL+tc.path, nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", tc.method, tc.path, err)
		}
		summarize(t, resp)
		var lines []string
		for _, d := range trail.Find(explain.KindDecode, "") {
			lines = append(lines, d.String())
		}
		if got := strings.Join(lines, "\n"); got != tc.want {
			t.Errorf("%s %s (raw %v): trail says %q, want %q", tc.method, tc.path, tc.raw, got, tc.want)
		}
	}
}

// TestUndecodableReasons checks that every response undecodable refuses
// gets a reason, and that a decodable one gets none.
func TestUndecodableReasons(t *testing.T) {
	for _, tc := range []struct {
		method string
		resp   *http.Response
		want   bool // a reason
	}{
		{"GET", &http.Response{StatusCode: 200, Body: http.NoBody, ContentLength: -1}, true},
		{"GET", &http.Response{StatusCode: 200, ContentLength: -1}, true},
		{"GET", &http.Response{StatusCode: 200, Body: nopBody{}, ContentLength: 0}, true},
		{"GET", &http.Response{StatusCode: 200, Body: nopBody{}, ContentLength: -1, Uncompressed: true}, true},
		{"CONNECT", &http.Response{StatusCode: 200, Body: nopBody{}, ContentLength: -1}, true},
		{"GET", &http.Response{StatusCode: 204, Body: nopBody{}, ContentLength: -1}, true},
		{"GET", &http.Response{StatusCode: 304, Body: nopBody{}, ContentLength: -1}, true},
		{"GET", &http.Response{StatusCode: 308, Body: nopBody{}, ContentLength: -1}, true},
		{"GET", &http.Response{StatusCode: 103, Body: nopBody{}, ContentLength: -1}, true},
		{"GET", &http.Response{StatusCode: 200, Body: nopBody{}, ContentLength: -1}, false},
		{"POST", &http.Response{StatusCode: 404, Body: nopBody{}, ContentLength: 10}, false},
		{"GET", &http.Response{StatusCode: 300, Body: nopBody{}, ContentLength: 10}, false},
	} {
		if got := undecodable(tc.method, tc.resp); (got != "") != tc.want {
			t.Errorf("%s, %d (body %T, length %d, uncompressed %v): reason %q, want one: %v",
				tc.method, tc.resp.StatusCode, tc.resp.Body, tc.resp.ContentLength, tc.resp.Uncompressed, got, tc.want)
		}
	}
}

// nopBody is a response body that is not http.NoBody.
type nopBody struct{}

func (nopBody) Read([]byte) (int, error) { return 0, nil }
func (nopBody) Close() error             { return nil }
