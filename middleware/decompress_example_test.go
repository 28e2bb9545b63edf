package middleware_test

import (
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"

	"github.com/relayhttp/relay/explain"
	"github.com/relayhttp/relay/middleware"
)

func ExampleDecompress() {
	// A server that gzips its answer when the client accepts it.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Println("Accept-Encoding sent:", r.Header.Get("Accept-Encoding"))
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		_, _ = io.WriteString(zw, "hello from a gzipped body")
		_ = zw.Close()
	}))
	defer srv.Close()

	c := middleware.Wrap(nil, middleware.Decompress())
	defer c.CloseIdleConnections() // forwarded to http.DefaultTransport

	resp, err := c.Get(srv.URL)
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("Content-Encoding: %q, Uncompressed: %v\n", resp.Header.Get("Content-Encoding"), resp.Uncompressed)
	fmt.Println(string(body))
	// Output:
	// Accept-Encoding sent: gzip, deflate, br, zstd
	// Content-Encoding: "", Uncompressed: true
	// hello from a gzipped body
}

func ExampleDecompress_rawBody() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		_, _ = io.WriteString(zw, "kept encoded")
		_ = zw.Close()
	}))
	defer srv.Close()

	c := middleware.Wrap(nil, middleware.Decompress())
	defer c.CloseIdleConnections()

	// A request whose context says RawBody gets the body as it came off
	// the wire (Requests' Response.raw), and no Accept-Encoding is added:
	// this one asks for gzip itself.
	req, err := http.NewRequestWithContext(middleware.WithRawBody(context.Background()), "GET", srv.URL, nil)
	if err != nil {
		log.Fatal(err)
	}
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := c.Do(req)
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	zr, err := gzip.NewReader(resp.Body)
	if err != nil {
		log.Fatal(err)
	}
	body, err := io.ReadAll(zr)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("Content-Encoding: %q\n%s\n", resp.Header.Get("Content-Encoding"), body)
	// Output:
	// Content-Encoding: "gzip"
	// kept encoded
}

// A trail (explain.With; a Session's client.Explain) tells whether a body
// was decoded, and why not when it was not: here a 206 range of a gzipped
// representation, which cannot be decoded on its own.
func ExampleDecompress_explain() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set("Content-Range", "bytes 0-3/40")
		w.WriteHeader(http.StatusPartialContent)
		_, _ = w.Write([]byte{0x1f, 0x8b, 8, 0}) // the first bytes of the gzip stream
	}))
	defer srv.Close()

	c := middleware.Wrap(nil, middleware.Decompress())
	defer c.CloseIdleConnections()

	ctx, trail := explain.With(context.Background())
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)
	if err != nil {
		log.Fatal(err)
	}
	req.Header.Set("Range", "bytes=0-3")
	resp, err := c.Do(req)
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	for _, d := range trail.Find(explain.KindDecode, "") {
		fmt.Println(d)
	}
	// Output:
	// decode Content-Encoding: gzip skipped (a range of an encoded representation cannot be decoded on its own)
}
