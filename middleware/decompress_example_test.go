package middleware_test

import (
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"

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
