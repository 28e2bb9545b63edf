package transport_test

import (
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"

	"github.com/relayhttp/relay/middleware"
	"github.com/relayhttp/relay/transport"
)

// A server with a certificate from a private CA, and a client that trusts
// exactly that CA.
func ExampleNew() {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "hello over %s", r.Proto)
	}))
	defer srv.Close()

	// Write the server's CA certificate where a CA bundle would be.
	dir, err := os.MkdirTemp("", "relay-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	bundle := filepath.Join(dir, "ca.pem")
	caPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(bundle, caPEM, 0o600); err != nil {
		log.Fatal(err)
	}

	rt, err := transport.New(transport.CABundle(bundle))
	if err != nil {
		log.Fatal(err)
	}
	client := &http.Client{Transport: rt}
	defer client.CloseIdleConnections()

	resp, err := client.Get(srv.URL)
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	fmt.Println(resp.Status, string(body))

	// The concrete type is *http.Transport, with relay's defaults.
	t := rt.(*http.Transport)
	fmt.Println(t.MaxIdleConnsPerHost, t.DisableCompression)
	// Output:
	// 200 OK hello over HTTP/1.1
	// 100 true
}

// A missing CA bundle is an error from New, naming the file and where its
// path came from.
func ExampleCABundle_missing() {
	_, err := transport.New(transport.CABundle("/nonexistent/ca.pem"))
	fmt.Println(err)
	// Output:
	// transport: CA bundle (from CABundle option): open /nonexistent/ca.pem: no such file or directory
}

// A Router sends each request through the transport mounted under the
// longest matching prefix.
func ExampleRouter() {
	reply := func(name string) http.RoundTripper {
		return middleware.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
			return &http.Response{
				StatusCode: http.StatusOK,
				Body:       http.NoBody,
				Header:     http.Header{"X-Transport": {name}},
				Request:    req,
			}, nil
		})
	}
	r := transport.NewRouter()
	for prefix, name := range map[string]string{
		"https://":                   "default",
		"https://api.example.com":    "api",
		"https://api.example.com/v2": "api v2",
	} {
		if err := r.Mount(prefix, reply(name)); err != nil {
			log.Fatal(err)
		}
	}
	client := &http.Client{Transport: r}
	for _, u := range []string{
		"https://api.example.com/v1/users",
		"https://api.example.com/v2/users",
		"https://api.example.com/v20",
		"https://api.example.com.evil.net/",
		"https://www.example.com/",
		"http://api.example.com/",
	} {
		resp, err := client.Get(u)
		if err != nil {
			fmt.Println(err)
			continue
		}
		resp.Body.Close()
		fmt.Printf("%s -> %s\n", u, resp.Header.Get("X-Transport"))
	}
	// Output:
	// https://api.example.com/v1/users -> api
	// https://api.example.com/v2/users -> api v2
	// https://api.example.com/v20 -> api
	// https://api.example.com.evil.net/ -> default
	// https://www.example.com/ -> default
	// Get "http://api.example.com/": transport: no transport mounted for http://api.example.com/
}

// Match shows which mount a URL would use without sending anything.
func ExampleRouter_Match() {
	local := middleware.RoundTripperFunc(func(*http.Request) (*http.Response, error) {
		return nil, errors.New("not sent in this example")
	})
	r := transport.NewRouter()
	if err := r.Mount("http://localhost:8080", local); err != nil {
		log.Fatal(err)
	}
	for _, raw := range []string{
		"http://LOCALHOST:8080/anything",
		"http://localhost/",
		"http://localhost:8081/",
	} {
		u, _ := url.Parse(raw)
		_, ok := r.Match(u)
		fmt.Println(raw, ok)
	}
	// Output:
	// http://LOCALHOST:8080/anything true
	// http://localhost/ false
	// http://localhost:8081/ false
}
