package client_test

import (
	"context"
	"fmt"
	"net"
	"testing"

	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/relayhttp/relay/transport"
)

func jsonDecode(r io.Reader, v any) error { return json.NewDecoder(r).Decode(v) }

func itoa(i int) string { return strconv.Itoa(i) }

func cannedResponse(req *http.Request, body string) *http.Response {
	return &http.Response{
		StatusCode:    200,
		Status:        "200 OK",
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        http.Header{"Content-Type": {"text/plain; charset=utf-8"}},
		Body:          io.NopCloser(strings.NewReader(body)),
		ContentLength: int64(len(body)),
		Request:       req,
	}
}

func atoi(s string) int { n, _ := strconv.Atoi(strings.TrimSpace(s)); return n }

type jsonSyntaxError = json.SyntaxError

func tlsConfig(roots *x509.CertPool) *tls.Config { return &tls.Config{RootCAs: roots} }

// loopbackOnly is a base transport like a Session's own that dials only
// loopback addresses: a test that sends a request to a made-up name directly
// gets an error, never a DNS query or a connection off this machine.
func loopbackOnly(t testing.TB) http.RoundTripper {
	t.Helper()
	var d net.Dialer
	rt, err := transport.New(transport.IgnoreEnvironment(), transport.Proxy(nil),
		transport.DialContext(func(ctx context.Context, network, addr string) (net.Conn, error) {
			host, _, err := net.SplitHostPort(addr)
			if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
				return nil, fmt.Errorf("test dialer: %s is not a loopback address", addr)
			}
			return d.DialContext(ctx, network, addr)
		}))
	if err != nil {
		t.Fatal(err)
	}
	return rt
}
