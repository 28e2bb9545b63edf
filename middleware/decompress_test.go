package middleware

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/google/go-cmp/cmp"
	"github.com/klauspost/compress/flate"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zlib"
	"github.com/klauspost/compress/zstd"
)

// encode returns data encoded with the named coding ("deflate" is
// zlib-wrapped, "rawdeflate" is bare RFC 1951). It fails t on error.
func encode(t testing.TB, name string, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	var w io.WriteCloser
	var err error
	switch name {
	case "gzip":
		w, err = gzip.NewWriterLevel(&buf, gzip.BestCompression)
	case "deflate":
		w, err = zlib.NewWriterLevel(&buf, zlib.BestCompression)
	case "rawdeflate":
		w, err = flate.NewWriter(&buf, flate.BestCompression)
	case "br":
		w = brotli.NewWriterLevel(&buf, brotli.DefaultCompression)
	case "zstd":
		w, err = zstd.NewWriter(&buf, zstd.WithEncoderConcurrency(1), zstd.WithWindowSize(1<<20))
	default:
		t.Fatalf("encode: unknown coding %q", name)
	}
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// encodeAll applies the codings in order, as a server listing them in
// Content-Encoding would.
func encodeAll(t testing.TB, data []byte, names ...string) []byte {
	t.Helper()
	for _, n := range names {
		data = encode(t, n, data)
	}
	return data
}

// reply is what the test server sends for one path.
type reply struct {
	status   int
	encoding []string // Content-Encoding lines
	body     []byte
}

// newServer starts a loopback server answering each path with its reply
// (404 for others) and a client whose transport is wrapped in mw. The
// client's transport does no decompression of its own, as relay's does not.
func newServer(t *testing.T, mw Middleware, replies map[string]reply) (*httptest.Server, *http.Client) {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rep, ok := replies[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header()["Content-Encoding"] = rep.encoding
		w.Header().Set("Content-Length", fmt.Sprint(len(rep.body)))
		w.Header().Set("Content-Type", "application/octet-stream")
		if rep.status != 0 {
			w.WriteHeader(rep.status)
		}
		_, _ = w.Write(rep.body)
	}))
	t.Cleanup(srv.Close)
	tr := &http.Transport{DisableCompression: true}
	t.Cleanup(tr.CloseIdleConnections)
	return srv, &http.Client{Transport: mw(tr)}
}

// got is the part of a response the tests compare.
type got struct {
	Status        int
	Encoding      []string
	Length        []string
	ContentLength int64
	Uncompressed  bool
	Body          string
}

func summarize(t *testing.T, resp *http.Response) got {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading body: %v", err)
	}
	return got{
		Status:        resp.StatusCode,
		Encoding:      resp.Header["Content-Encoding"],
		Length:        resp.Header["Content-Length"],
		ContentLength: resp.ContentLength,
		Uncompressed:  resp.Uncompressed,
		Body:          string(b),
	}
}

func decoded(body string) got {
	return got{Status: 200, ContentLength: -1, Uncompressed: true, Body: body}
}

func TestDecompressCodings(t *testing.T) {
	text := []byte(strings.Repeat("relay decodes what it asked for. ", 200))
	want := string(text)
	tests := []struct {
		name     string
		encoding []string
		body     []byte
	}{
		{"gzip", []string{"gzip"}, encode(t, "gzip", text)},
		{"x-gzip", []string{"x-gzip"}, encode(t, "gzip", text)},
		{"gzip upper case", []string{"GZip"}, encode(t, "gzip", text)},
		{"gzip multi-member", []string{"gzip"}, append(encode(t, "gzip", text[:100]), encode(t, "gzip", text[100:])...)},
		{"deflate zlib", []string{"deflate"}, encode(t, "deflate", text)},
		{"deflate raw", []string{"deflate"}, encode(t, "rawdeflate", text)},
		{"br", []string{"br"}, encode(t, "br", text)},
		{"zstd", []string{"zstd"}, encode(t, "zstd", text)},
		{"stacked in one line", []string{"gzip, br"}, encodeAll(t, text, "gzip", "br")},
		{"stacked in two lines", []string{"deflate", "zstd"}, encodeAll(t, text, "deflate", "zstd")},
		{"stacked raw deflate under gzip", []string{"deflate,gzip"}, encodeAll(t, text, "rawdeflate", "gzip")},
		{"five stacked", []string{"gzip, deflate", "br, zstd, gzip"}, encodeAll(t, text, "gzip", "deflate", "br", "zstd", "gzip")},
		{"identity and empty elements skipped", []string{" , identity,\tgzip ,, IDENTITY", ""}, encode(t, "gzip", text)},
		{"five stacked and identity", []string{"identity, gzip, gzip, gzip, gzip, gzip, identity"}, encodeAll(t, text, "gzip", "gzip", "gzip", "gzip", "gzip")},
	}
	replies := map[string]reply{}
	for i, tt := range tests {
		replies[fmt.Sprintf("/%d", i)] = reply{encoding: tt.encoding, body: tt.body}
	}
	srv, c := newServer(t, Decompress(), replies)
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := c.Get(fmt.Sprintf("%s/%d", srv.URL, i))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(decoded(want), summarize(t, resp)); diff != "" {
				t.Errorf("response mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecompressIdentityOnlyUntouched(t *testing.T) {
	srv, c := newServer(t, Decompress(), map[string]reply{"/": {encoding: []string{"identity"}, body: []byte("plain")}})
	resp, err := c.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	want := got{Status: 200, Encoding: []string{"identity"}, Length: []string{"5"}, ContentLength: 5, Body: "plain"}
	if diff := cmp.Diff(want, summarize(t, resp)); diff != "" {
		t.Errorf("response mismatch (-want +got):\n%s", diff)
	}
}

func TestDecompressTooManyCodings(t *testing.T) {
	six := encodeAll(t, []byte("x"), "gzip", "gzip", "gzip", "gzip", "gzip", "gzip")
	srv, c := newServer(t, Decompress(), map[string]reply{
		"/six":   {encoding: []string{"gzip, gzip, gzip", "gzip, gzip, gzip"}, body: six},
		"/two":   {encoding: []string{"gzip, gzip"}, body: six},
		"/seven": {encoding: []string{"gzip, gzip, gzip, gzip, gzip, gzip, nope"}, body: six},
	})
	resp, err := c.Get(srv.URL + "/six")
	if err == nil {
		resp.Body.Close()
		t.Fatal("six stacked codings: no error")
	}
	if !errors.Is(err, ErrTooManyCodings) {
		t.Errorf("six stacked codings: error %v does not wrap ErrTooManyCodings", err)
	}
	if !strings.Contains(err.Error(), "middleware: too many content codings: Content-Encoding lists 6, the limit is 5") {
		t.Errorf("six stacked codings: error %q", err)
	}

	// An unknown coding anywhere leaves the response untouched, however
	// long the list: nothing is decoded, so nothing is refused.
	resp, err = c.Get(srv.URL + "/seven")
	if err != nil {
		t.Fatalf("unknown coding among seven: %v", err)
	}
	if g := summarize(t, resp); g.Body != string(six) || g.Uncompressed {
		t.Errorf("unknown coding among seven: the body was changed")
	}

	// The bound is an option.
	_, c1 := newServer(t, DecompressWithOptions(DecompressOptions{MaxCodings: 1}), nil)
	resp, err = c1.Get(srv.URL + "/two")
	if !errors.Is(err, ErrTooManyCodings) {
		if err == nil {
			resp.Body.Close()
		}
		t.Errorf("MaxCodings 1, two codings: error %v, want ErrTooManyCodings", err)
	}
}

func TestDecompressTooManyCodingsDrainsAndCloses(t *testing.T) {
	body := &trackedBody{Reader: strings.NewReader("encoded")}
	rt := Decompress()(RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
		return &http.Response{
			StatusCode: 200, Request: req, ContentLength: -1, Body: body,
			Header: http.Header{"Content-Encoding": {"br, br, br, br, br, br"}},
		}, nil
	}))
	resp, err := rt.RoundTrip(httptest.NewRequest("GET", "http://example.test/", nil))
	if resp != nil || !errors.Is(err, ErrTooManyCodings) {
		t.Fatalf("RoundTrip = %v, %v; want nil, ErrTooManyCodings", resp, err)
	}
	if !body.closed.Load() || body.Len() != 0 {
		t.Errorf("body closed %v with %d bytes unread; want drained and closed", body.closed.Load(), body.Len())
	}
}

func TestDecompressWithOptionsNegativePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("MaxCodings -1 did not panic")
		}
	}()
	DecompressWithOptions(DecompressOptions{MaxCodings: -1})
}

func TestDecompressUnknownCodingUntouched(t *testing.T) {
	gz := encode(t, "gzip", []byte("hello"))
	for _, enc := range [][]string{{"compress"}, {"gzip, x-unknown"}, {"x-unknown, gzip"}, {"gzip", "gzip;q=1"}, {"gz ip"}} {
		t.Run(strings.Join(enc, "|"), func(t *testing.T) {
			srv, c := newServer(t, Decompress(), map[string]reply{"/": {encoding: enc, body: gz}})
			resp, err := c.Get(srv.URL)
			if err != nil {
				t.Fatal(err)
			}
			want := got{Status: 200, Encoding: enc, Length: []string{fmt.Sprint(len(gz))}, ContentLength: int64(len(gz)), Body: string(gz)}
			if diff := cmp.Diff(want, summarize(t, resp)); diff != "" {
				t.Errorf("response mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// trackedBody is an in-memory response body that records Close.
type trackedBody struct {
	*strings.Reader
	closed atomic.Bool
}

func (b *trackedBody) Close() error { b.closed.Store(true); return nil }

func TestDecompressNotDecoded(t *testing.T) {
	gz := string(encode(t, "gzip", []byte("hello")))
	tests := []struct {
		name   string
		method string
		status int
		length int64
		ctx    func(context.Context) context.Context
	}{
		{name: "HEAD", method: "HEAD", status: 200},
		{name: "CONNECT", method: "CONNECT", status: 200},
		{name: "101", status: 101},
		{name: "204", status: 204},
		{name: "206", status: 206},
		{name: "304", status: 304},
		{name: "301", status: 301},
		{name: "302", status: 302},
		{name: "303", status: 303},
		{name: "307", status: 307},
		{name: "308", status: 308},
		{name: "no body", status: 200, length: 0},
		{name: "raw body", status: 200, ctx: WithRawBody},
		{name: "raw body and removed Accept-Encoding", status: 200, ctx: func(ctx context.Context) context.Context {
			return WithRawBody(WithoutHeaders(ctx, "accept-encoding"))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			method := orGET(tt.method)
			length := int64(len(gz))
			if tt.name == "no body" {
				length = 0
			}
			body := &trackedBody{Reader: strings.NewReader(gz)}
			header := http.Header{"Content-Encoding": {"gzip"}, "Content-Length": {fmt.Sprint(length)}}
			rt := Decompress()(RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
				return &http.Response{StatusCode: tt.status, Request: req, ContentLength: length, Body: body, Header: header.Clone()}, nil
			}))
			req := httptest.NewRequest(method, "http://example.test/", nil)
			if tt.ctx != nil {
				req = req.WithContext(tt.ctx(req.Context()))
			}
			resp, err := rt.RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if resp.Body != io.ReadCloser(body) {
				t.Errorf("body replaced by %T", resp.Body)
			}
			if diff := cmp.Diff(header, resp.Header); diff != "" {
				t.Errorf("header mismatch (-want +got):\n%s", diff)
			}
			if resp.ContentLength != length || resp.Uncompressed {
				t.Errorf("ContentLength %d, Uncompressed %v; want %d, false", resp.ContentLength, resp.Uncompressed, length)
			}
		})
	}
}

// rwBody is the read-write body of a 101 response.
type rwBody struct{ io.ReadWriteCloser }

func TestDecompressKeeps101Writer(t *testing.T) {
	c1, c2 := net.Pipe()
	defer c1.Close()
	defer c2.Close()
	rt := Decompress()(RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
		return &http.Response{
			StatusCode: 101, Request: req, Body: rwBody{c1},
			Header: http.Header{"Content-Encoding": {"gzip"}, "Upgrade": {"websocket"}, "Connection": {"Upgrade"}},
		}, nil
	}))
	resp, err := rt.RoundTrip(httptest.NewRequest("GET", "http://example.test/", nil))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := resp.Body.(io.ReadWriteCloser); !ok {
		t.Errorf("101 body %T is not an io.ReadWriteCloser", resp.Body)
	}
}

func TestDecompressRedirectNotDecodedOnTheWire(t *testing.T) {
	gz := encode(t, "gzip", []byte("moved"))
	srv, c := newServer(t, Decompress(), map[string]reply{"/": {status: 302, encoding: []string{"gzip"}, body: gz}})
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := c.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	want := got{Status: 302, Encoding: []string{"gzip"}, Length: []string{fmt.Sprint(len(gz))}, ContentLength: int64(len(gz)), Body: string(gz)}
	if diff := cmp.Diff(want, summarize(t, resp)); diff != "" {
		t.Errorf("response mismatch (-want +got):\n%s", diff)
	}
}

func TestDecompressRawBodyOnTheWire(t *testing.T) {
	gz := encode(t, "gzip", []byte("raw"))
	srv, c := newServer(t, Decompress(), map[string]reply{"/": {encoding: []string{"gzip"}, body: gz}})
	req, err := http.NewRequestWithContext(WithRawBody(context.Background()), "GET", srv.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	want := got{Status: 200, Encoding: []string{"gzip"}, Length: []string{fmt.Sprint(len(gz))}, ContentLength: int64(len(gz)), Body: string(gz)}
	if diff := cmp.Diff(want, summarize(t, resp)); diff != "" {
		t.Errorf("response mismatch (-want +got):\n%s", diff)
	}
}

func TestDecompressAcceptEncoding(t *testing.T) {
	type sent struct {
		AcceptEncoding []string
		SameRequest    bool // the next RoundTripper got the caller's request
	}
	tests := []struct {
		name   string
		header http.Header
		ctx    func(context.Context) context.Context
		method string
		want   sent
	}{
		{name: "added", header: http.Header{"X-Other": {"1"}}, want: sent{AcceptEncoding: []string{AcceptEncoding}}},
		{name: "added to nil header", want: sent{AcceptEncoding: []string{AcceptEncoding}}},
		{name: "added to HEAD", method: "HEAD", want: sent{AcceptEncoding: []string{AcceptEncoding}}},
		{name: "caller's kept", header: http.Header{"Accept-Encoding": {"identity"}}, want: sent{AcceptEncoding: []string{"identity"}, SameRequest: true}},
		{name: "caller's empty key kept", header: http.Header{"Accept-Encoding": nil}, want: sent{SameRequest: true}},
		{name: "removed", ctx: func(ctx context.Context) context.Context { return WithoutHeaders(ctx, "X-A", "accept-encoding") }, want: sent{SameRequest: true}},
		{name: "other header removed", ctx: func(ctx context.Context) context.Context { return WithoutHeaders(ctx, "X-A") }, want: sent{AcceptEncoding: []string{AcceptEncoding}}},
		{name: "raw body", ctx: WithRawBody, want: sent{SameRequest: true}},
		{name: "range", header: http.Header{"Range": {"bytes=10-"}}, want: sent{SameRequest: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(orGET(tt.method), "http://example.test/a?b=c", nil)
			req.Header = tt.header
			if tt.ctx != nil {
				req = req.WithContext(tt.ctx(req.Context()))
			}
			before := req.Header.Clone()
			var g sent
			rt := Decompress()(RoundTripperFunc(func(out *http.Request) (*http.Response, error) {
				g = sent{AcceptEncoding: out.Header["Accept-Encoding"], SameRequest: out == req}
				if out.Context() != req.Context() {
					t.Error("the request's context was replaced")
				}
				return &http.Response{StatusCode: 200, Request: out, Body: http.NoBody, Header: http.Header{}}, nil
			}))
			resp, err := rt.RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if diff := cmp.Diff(tt.want, g); diff != "" {
				t.Errorf("sent request mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(before, req.Header); diff != "" {
				t.Errorf("caller's request modified (-before +after):\n%s", diff)
			}
		})
	}
}

func TestDecompressAcceptEncodingOnTheWire(t *testing.T) {
	var seen atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen.Store(r.Header.Values("Accept-Encoding"))
	}))
	defer srv.Close()
	tr := &http.Transport{DisableCompression: true}
	defer tr.CloseIdleConnections()
	c := &http.Client{Transport: Decompress()(tr)}
	for _, tt := range []struct {
		name string
		ctx  context.Context
		want []string
	}{
		{"default", context.Background(), []string{"gzip, deflate, br, zstd"}},
		{"removed", WithoutHeaders(context.Background(), "Accept-Encoding"), nil},
	} {
		req, err := http.NewRequestWithContext(tt.ctx, "GET", srv.URL, nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if diff := cmp.Diff(tt.want, seen.Load().([]string)); diff != "" {
			t.Errorf("%s: Accept-Encoding received (-want +got):\n%s", tt.name, diff)
		}
		if _, ok := req.Header["Accept-Encoding"]; ok {
			t.Errorf("%s: the caller's request gained an Accept-Encoding", tt.name)
		}
	}
}

func TestDecompressCorrupt(t *testing.T) {
	text := bytes.Repeat([]byte("corrupt me "), 2000)
	flip := func(b []byte, i int) []byte {
		b = bytes.Clone(b)
		b[i] ^= 0xff
		return b
	}
	gz := encode(t, "gzip", text)
	trailer := flip(gz, len(gz)-6) // CRC-32
	bigWindow := func() []byte {
		var buf bytes.Buffer
		w, err := zstd.NewWriter(&buf, zstd.WithEncoderConcurrency(1), zstd.WithWindowSize(32<<20), zstd.WithSingleSegment(false))
		if err != nil {
			t.Fatal(err)
		}
		_, _ = w.Write(make([]byte, 1<<20)) // enough data for the encoder to keep its window
		_ = w.Close()
		return buf.Bytes()
	}()
	tests := []struct {
		name     string
		encoding string
		body     []byte
		prefix   string
		is       error
	}{
		{"gzip checksum", "gzip", trailer, "middleware: decoding gzip body: ", gzip.ErrChecksum},
		{"gzip header", "gzip", []byte("this is not gzip at all"), "middleware: decoding gzip body: ", gzip.ErrHeader},
		{"gzip truncated", "gzip", gz[:len(gz)/2], "middleware: decoding gzip body: ", io.ErrUnexpectedEOF},
		{"deflate garbage", "deflate", []byte{0xff, 0xff, 0xff, 0xff}, "middleware: decoding deflate body: ", nil},
		{"zlib checksum", "deflate", func() []byte { z := encode(t, "deflate", text); return flip(z, len(z)-1) }(), "middleware: decoding deflate body: ", zlib.ErrChecksum},
		{"br garbage", "br", []byte("not brotli, not at all, no"), "middleware: decoding br body: ", nil},
		{"zstd magic", "zstd", []byte("not zstd"), "middleware: decoding zstd body: ", nil},
		{"zstd window over 8 MiB", "zstd", bigWindow, "middleware: decoding zstd body: ", nil},
		{"gzip under br", "gzip, br", encode(t, "br", trailer), "middleware: decoding gzip body: ", gzip.ErrChecksum},
	}
	replies := map[string]reply{}
	for i, tt := range tests {
		replies[fmt.Sprintf("/%d", i)] = reply{encoding: []string{tt.encoding}, body: tt.body}
	}
	srv, c := newServer(t, Decompress(), replies)
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := c.Get(fmt.Sprintf("%s/%d", srv.URL, i))
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			_, err = io.ReadAll(resp.Body)
			if err == nil {
				t.Fatal("corrupt body read without error")
			}
			if !strings.HasPrefix(err.Error(), tt.prefix) || strings.Count(err.Error(), "middleware:") != 1 {
				t.Errorf("error %q, want one prefix %q", err, tt.prefix)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("error %q does not wrap %v", err, tt.is)
			}
		})
	}
}

// failingBody returns data, then err.
type failingBody struct {
	data []byte
	err  error
}

func (b *failingBody) Read(p []byte) (int, error) {
	if len(b.data) == 0 {
		return 0, b.err
	}
	n := copy(p, b.data)
	b.data = b.data[n:]
	return n, nil
}

func (b *failingBody) Close() error { return nil }

func TestDecompressTransportErrorNotWrapped(t *testing.T) {
	errNet := errors.New("connection reset by a test")
	gz := encode(t, "gzip", bytes.Repeat([]byte("x"), 100000))
	for _, enc := range []string{"gzip", "gzip, gzip"} {
		t.Run(enc, func(t *testing.T) {
			data := gz
			if enc == "gzip, gzip" {
				data = encode(t, "gzip", gz)
			}
			rt := Decompress()(RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
				return &http.Response{StatusCode: 200, Request: req, ContentLength: -1,
					Body:   &failingBody{data: data[:len(data)/2], err: errNet},
					Header: http.Header{"Content-Encoding": {enc}}}, nil
			}))
			resp, err := rt.RoundTrip(httptest.NewRequest("GET", "http://example.test/", nil))
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			_, err = io.ReadAll(resp.Body)
			if err != errNet {
				t.Errorf("read error %v, want the body's own error", err)
			}
		})
	}
}

func TestDecompressClose(t *testing.T) {
	body := &trackedBody{Reader: strings.NewReader(string(encode(t, "zstd", []byte("hello"))))}
	rt := Decompress()(RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 200, Request: req, ContentLength: -1, Body: body, Header: http.Header{"Content-Encoding": {"zstd"}}}, nil
	}))
	resp, err := rt.RoundTrip(httptest.NewRequest("GET", "http://example.test/", nil))
	if err != nil {
		t.Fatal(err)
	}
	p := make([]byte, 2)
	if n, err := resp.Body.Read(p); n != 2 || err != nil {
		t.Fatalf("Read = %d, %v", n, err)
	}
	if err := resp.Body.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if !body.closed.Load() {
		t.Error("the original body was not closed")
	}
	if err := resp.Body.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, err := resp.Body.Read(p); !errors.Is(err, errReadAfterClose) {
		t.Errorf("Read after Close: %v", err)
	}
	b := resp.Body.(*decodedBody)
	if b.r != nil || b.closers != nil {
		t.Error("the decoders are still referenced after Close")
	}
}

// TestDecompressCloseDuringRead closes a body from another goroutine while
// a Read waits for the server; the Read must return and the decoders be
// released without a race.
func TestDecompressCloseDuringRead(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "zstd")
		zw, _ := zstd.NewWriter(w, zstd.WithEncoderConcurrency(1))
		_, _ = zw.Write([]byte("first part"))
		_ = zw.Flush()
		w.(http.Flusher).Flush()
		<-release
		_ = zw.Close()
	}))
	defer srv.Close()
	defer close(release)
	tr := &http.Transport{DisableCompression: true}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: Decompress()(tr)}).Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	p := make([]byte, len("first part"))
	if _, err := io.ReadFull(resp.Body, p); err != nil {
		t.Fatal(err)
	}
	done := make(chan error)
	go func() {
		_, err := resp.Body.Read(make([]byte, 10))
		done <- err
	}()
	time.Sleep(20 * time.Millisecond) // let the Read block; the test passes either way
	if err := resp.Body.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if err := <-done; err == nil {
		t.Error("the blocked Read returned no error after Close")
	}
	if _, err := resp.Body.Read(p); !errors.Is(err, errReadAfterClose) {
		t.Errorf("Read after Close: %v", err)
	}
}

// TestDecompressConcurrent sends many requests at once through one
// middleware, whose gzip decoders are pooled: corrupt bodies among them
// must not spoil the decoders that later requests reuse.
// TestDecompressConcurrent sends good and broken bodies of each pooled
// coding at once, so that decoders go back to their pool after a failure
// and are taken again by other responses: every good body must still
// decode whole, and every broken one fail.
func TestDecompressConcurrent(t *testing.T) {
	replies := map[string]reply{}
	const n = 8
	codings := []string{"gzip", "br", "zstd"}
	want := func(i int) string { return fmt.Sprintf("body number %d %s", i, strings.Repeat("z", i*1000)) }
	for _, c := range codings {
		for i := range n {
			good := encode(t, c, []byte(want(i)))
			replies[fmt.Sprintf("/%s/ok/%d", c, i)] = reply{encoding: []string{c}, body: good}
			bad := bytes.Clone(good)
			if c == "gzip" {
				bad[len(bad)-5] ^= 0xff // the CRC
			} else {
				bad = bad[:len(bad)-3] // cut short
			}
			replies[fmt.Sprintf("/%s/bad/%d", c, i)] = reply{encoding: []string{c}, body: bad}
		}
	}
	srv, c := newServer(t, Decompress(), replies)
	errs := make(chan error, 2*n*len(codings))
	for _, coding := range codings {
		for i := range n {
			for _, kind := range []string{"ok", "bad"} {
				go func() {
					errs <- func() error {
						for range 4 {
							path := fmt.Sprintf("/%s/%s/%d", coding, kind, i)
							resp, err := c.Get(srv.URL + path)
							if err != nil {
								return err
							}
							b, err := io.ReadAll(resp.Body)
							resp.Body.Close()
							switch {
							case kind == "ok" && (err != nil || string(b) != want(i)):
								return fmt.Errorf("%s: %d bytes, error %v", path, len(b), err)
							case kind == "bad" && coding == "gzip" && !errors.Is(err, gzip.ErrChecksum):
								return fmt.Errorf("%s: error %v, want gzip.ErrChecksum", path, err)
							case kind == "bad" && err == nil:
								return fmt.Errorf("%s: read %d bytes without an error", path, len(b))
							}
						}
						return nil
					}()
				}()
			}
		}
	}
	for range 2 * n * len(codings) {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

// idleCounter is a RoundTripper that counts CloseIdleConnections calls.
type idleCounter struct {
	RoundTripperFunc
	n int
}

func (c *idleCounter) CloseIdleConnections() { c.n++ }

func TestDecompressForwardsCloseIdleConnections(t *testing.T) {
	base := &idleCounter{}
	(&http.Client{Transport: Decompress()(base)}).CloseIdleConnections()
	if base.n != 1 {
		t.Errorf("CloseIdleConnections reached the transport %d times, want 1", base.n)
	}
}

func TestDecompressNilNextIsDefaultTransport(t *testing.T) {
	if d := Decompress()(nil).(*decompress); d.next != http.DefaultTransport {
		t.Errorf("nil next became %T", d.next)
	}
}

// readBomb returns the testdata file repeated n times.
func readBomb(t *testing.T, file string, n int) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Repeat(b, n)
}

// smallBuffers is a listener whose connections have small kernel send
// buffers, so a server writing a body blocks once the client stops reading
// instead of handing megabytes to the kernel.
type smallBuffers struct{ net.Listener }

func (l smallBuffers) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetWriteBuffer(8 << 10)
	}
	return c, err
}

// countingBody counts the bytes read from a response body.
type countingBody struct {
	io.ReadCloser
	n *atomic.Int64
}

func (b countingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.n.Add(int64(n))
	return n, err
}

func TestDecompressBomb(t *testing.T) {
	const readSize = 1 << 20
	tests := []struct {
		coding    string
		file      string
		n         int   // copies of file: 1 GiB decoded
		maxGrowth int64 // of the heap in use, and of the bytes allocated
	}{
		{"gzip", "zeros-16MiB.gz", 64, 4 << 20},
		{"zstd", "zeros-16MiB-window-8MiB.zst", 64, zstdMaxWindow + 4<<20},
		// The brotli decoder grows its ring buffer to the 16 MiB window,
		// copying as it goes: about 32 MiB allocated, whatever the size.
		{"br", "zeros-1GiB-window-16MiB.br", 1, 2*16<<20 + 4<<20},
	}
	for _, tt := range tests {
		t.Run(tt.coding, func(t *testing.T) {
			bomb := readBomb(t, tt.file, tt.n)
			var written atomic.Int64
			handlerDone := make(chan struct{})
			srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				defer close(handlerDone)
				w.Header().Set("Content-Encoding", tt.coding)
				w.Header().Set("Content-Length", fmt.Sprint(len(bomb)))
				for chunk := range slices.Chunk(bomb, 4<<10) {
					n, err := w.Write(chunk)
					written.Add(int64(n))
					if err != nil {
						return
					}
				}
			}))
			srv.Listener = smallBuffers{srv.Listener}
			srv.Start()
			defer srv.Close()

			var consumed atomic.Int64
			tr := &http.Transport{
				DisableCompression: true,
				DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
					c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
					if tc, ok := c.(*net.TCPConn); ok {
						_ = tc.SetReadBuffer(8 << 10)
					}
					return c, err
				},
			}
			defer tr.CloseIdleConnections()
			counted := RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
				resp, err := tr.RoundTrip(req)
				if err == nil {
					resp.Body = countingBody{resp.Body, &consumed}
				}
				return resp, err
			})
			c := &http.Client{Transport: Decompress()(counted)}

			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			resp, err := c.Get(srv.URL)
			if err != nil {
				t.Fatal(err)
			}
			n, err := io.CopyN(io.Discard, resp.Body, readSize)
			runtime.ReadMemStats(&after)
			resp.Body.Close()
			if err != nil || n != readSize {
				t.Fatalf("read %d bytes, error %v", n, err)
			}
			<-handlerDone

			growth := int64(after.HeapInuse) - int64(before.HeapInuse)
			allocated := after.TotalAlloc - before.TotalAlloc
			t.Logf("%s: bomb %d bytes; read %d decoded bytes; heap in use grew %d KiB, %d KiB allocated; %d bytes taken off the connection, %d written by the server",
				tt.coding, len(bomb), n, growth>>10, allocated>>10, consumed.Load(), written.Load())
			if growth >= tt.maxGrowth {
				t.Errorf("heap in use grew by %d KiB, want < %d KiB", growth>>10, tt.maxGrowth>>10)
			}
			if allocated >= uint64(tt.maxGrowth) {
				t.Errorf("%d KiB allocated, want < %d KiB", allocated>>10, tt.maxGrowth>>10)
			}
			if c := consumed.Load(); c > int64(len(bomb))/4 {
				t.Errorf("the middleware read %d of the %d encoded bytes to decode %d", c, len(bomb), readSize)
			}
			if w := written.Load(); w == int64(len(bomb)) {
				t.Errorf("the server was made to send the whole bomb (%d bytes)", w)
			}
		})
	}
}

func FuzzDecompress(f *testing.F) {
	hello := []byte("hello, hello, hello")
	for _, seed := range []struct {
		encoding string
		body     []byte
	}{
		{"gzip", encode(f, "gzip", hello)},
		{"x-gzip", encode(f, "gzip", hello)},
		{"deflate", encode(f, "deflate", hello)},
		{"deflate", encode(f, "rawdeflate", hello)},
		{"deflate", []byte{0x78, 0x9c}},
		{"deflate", []byte{0x78}},
		{"deflate", []byte{0x08, 0x1d, 0x00}},
		{"br", encode(f, "br", hello)},
		{"zstd", encode(f, "zstd", hello)},
		{"gzip, br", encodeAll(f, hello, "gzip", "br")},
		{"deflate, gzip\nzstd", encodeAll(f, hello, "deflate", "gzip", "zstd")},
		{" , identity ,\tGZIP,", encode(f, "gzip", hello)},
		{"gzip, gzip, gzip, gzip, gzip, gzip", nil},
		{"compress", hello},
		{"", hello},
		{",,,,", hello},
	} {
		f.Add(seed.encoding, seed.body)
	}
	f.Fuzz(func(t *testing.T, encoding string, body []byte) {
		lines := strings.Split(encoding, "\n")
		codings, n, known := parseCodings(lines, DefaultMaxCodings)
		if known && len(codings) != min(n, DefaultMaxCodings) {
			t.Fatalf("parseCodings(%q) = %v, %d", lines, codings, n)
		}
		_ = isZlibHeader(body)
		rt := Decompress()(RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
			return &http.Response{StatusCode: 200, Request: req, ContentLength: -1,
				Body: io.NopCloser(bytes.NewReader(body)), Header: http.Header{"Content-Encoding": lines}}, nil
		}))
		resp, err := rt.RoundTrip(httptest.NewRequest("GET", "http://example.test/", nil))
		if err != nil {
			if !errors.Is(err, ErrTooManyCodings) {
				t.Fatalf("RoundTrip error %v", err)
			}
			return
		}
		defer resp.Body.Close()
		_, err = io.CopyN(io.Discard, resp.Body, 8<<20)
		if err != nil && err != io.EOF && !strings.HasPrefix(err.Error(), "middleware: decoding ") {
			t.Fatalf("read error %q is not a decoding error", err)
		}
	})
}

func TestParseCodings(t *testing.T) {
	type result struct {
		Codings []string
		N       int
		Known   bool
	}
	tests := []struct {
		values []string
		want   result
	}{
		{nil, result{Known: true}},
		{[]string{""}, result{Known: true}},
		{[]string{"gzip"}, result{[]string{"gzip"}, 1, true}},
		{[]string{"X-GZIP"}, result{[]string{"gzip"}, 1, true}},
		{[]string{"gzip, br", "zstd ,deflate"}, result{[]string{"gzip", "br", "zstd", "deflate"}, 4, true}},
		{[]string{" identity ,, identity "}, result{Known: true}},
		{[]string{"br, br, br, br, br, br, br"}, result{[]string{"br", "br", "br", "br", "br"}, 7, true}},
		{[]string{"gzip, compress"}, result{}},
		{[]string{"gzip;q=1"}, result{}},
		{[]string{"gzip br"}, result{}},
	}
	for _, tt := range tests {
		codings, n, known := parseCodings(tt.values, DefaultMaxCodings)
		g := result{N: n, Known: known}
		for _, c := range codings {
			g.Codings = append(g.Codings, c.String())
		}
		if !known {
			g = result{}
		}
		if diff := cmp.Diff(tt.want, g); diff != "" {
			t.Errorf("parseCodings(%q) mismatch (-want +got):\n%s", tt.values, diff)
		}
	}
}

func TestIsZlibHeader(t *testing.T) {
	for _, tt := range []struct {
		b    []byte
		want bool
	}{
		{[]byte{0x78, 0x9c}, true}, // default compression
		{[]byte{0x78, 0x01}, true}, // no compression
		{[]byte{0x78, 0xda}, true}, // best compression
		{[]byte{0x08, 0x1d}, true}, // 256-byte window
		{[]byte{0x78, 0x9d}, false},
		{[]byte{0x88, 0x98}, false}, // window over 32 KiB
		{[]byte{0x79, 0x9c}, false},
		{[]byte{0x78}, false},
		{nil, false},
		{encode(t, "rawdeflate", []byte("hello")), false},
	} {
		if got := isZlibHeader(tt.b); got != tt.want {
			t.Errorf("isZlibHeader(% x) = %v, want %v", tt.b, got, tt.want)
		}
	}
}

// benchBody is an in-memory body whose conversion to io.ReadCloser does
// not allocate, so a benchmark counts the middleware's allocations only.
type benchBody struct{ *bytes.Reader }

func (benchBody) Close() error { return nil }

// benchRoundTrip sends req through Decompress to an in-memory transport
// answering body with the given Content-Encoding, and reads the response
// whole. The transport itself allocates nothing.
func benchRoundTrip(b *testing.B, req *http.Request, encoding string, body []byte, decodedSize int) {
	rd := bytes.NewReader(body)
	header := http.Header{"Content-Type": {"text/plain"}}
	var enc []string
	if encoding != "" {
		enc = []string{encoding}
	}
	resp := &http.Response{}
	rt := Decompress()(RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
		rd.Reset(body)
		if enc != nil {
			header["Content-Encoding"] = enc
		}
		*resp = http.Response{StatusCode: 200, ContentLength: int64(len(body)), Body: benchBody{rd}, Request: req, Header: header}
		return resp, nil
	}))
	buf := make([]byte, 32<<10)
	b.ReportAllocs()
	b.SetBytes(int64(decodedSize))
	for b.Loop() {
		r, err := rt.RoundTrip(req)
		if err != nil {
			b.Fatal(err)
		}
		for {
			_, err := r.Body.Read(buf)
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
		}
		r.Body.Close()
	}
}

// BenchmarkDecompress reads 64 KiB responses through the middleware, and
// 2 KiB ones (…-2KiB), where starting the decoder is most of the cost (the
// pools' case). The "none" case, a response without Content-Encoding to a
// request that has an Accept-Encoding, must report 0 allocs/op.
func BenchmarkDecompress(b *testing.B) {
	text := bytes.Repeat([]byte("relay is an HTTP client framework for Go. "), 64<<10/42)
	withAE := httptest.NewRequest("GET", "http://example.test/", nil)
	withAE.Header.Set("Accept-Encoding", AcceptEncoding)
	b.Run("none", func(b *testing.B) { benchRoundTrip(b, withAE, "", text, len(text)) })
	b.Run("none-adds-accept-encoding", func(b *testing.B) {
		benchRoundTrip(b, httptest.NewRequest("GET", "http://example.test/", nil), "", text, len(text))
	})
	for _, c := range []string{"gzip", "deflate", "br", "zstd"} {
		body := encode(b, c, text)
		b.Run(c, func(b *testing.B) { benchRoundTrip(b, withAE, c, body, len(text)) })
	}
	small := text[:2<<10]
	for _, c := range []string{"gzip", "br", "zstd"} {
		body := encode(b, c, small)
		b.Run(c+"-2KiB", func(b *testing.B) { benchRoundTrip(b, withAE, c, body, len(small)) })
	}
}

// orGET returns method, or GET if it is empty.
func orGET(method string) string {
	if method == "" {
		return http.MethodGet
	}
	return method
}
