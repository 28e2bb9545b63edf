// Package httpbintest runs go-httpbin — the httpbin.org endpoints that
// Requests' documentation uses — on a loopback port, for relay's tests,
// examples and tour. Nothing here reaches the internet.
package httpbintest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"

	"github.com/mccutchen/go-httpbin/v2/httpbin"
)

// New starts go-httpbin on 127.0.0.1. The caller closes the server.
func New() *httptest.Server {
	return httptest.NewServer(Handler())
}

// NewTLS starts go-httpbin over TLS with httptest's certificate; the
// server's Certificate() is the root to trust.
func NewTLS() *httptest.Server {
	return httptest.NewTLSServer(Handler())
}

// Handler is the go-httpbin handler relay's tests use: large bodies allowed,
// so uploads of several MiB can be echoed.
func Handler() http.Handler {
	return httpbin.New(httpbin.WithMaxBodySize(1 << 30)).Handler()
}

// Echo is the JSON that go-httpbin's /get, /post, /put, /anything … return.
type Echo struct {
	Args    url.Values        `json:"args"`
	Headers http.Header       `json:"headers"`
	Method  string            `json:"method"`
	URL     string            `json:"url"`
	Data    string            `json:"data"`
	Files   url.Values        `json:"files"`
	Form    url.Values        `json:"form"`
	JSON    json.RawMessage   `json:"json"`
	Cookies map[string]string `json:"cookies"`
}
