package client_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/relayhttp/relay/client"
	"github.com/relayhttp/relay/internal/proxytest"
)

// TestThroughGoproxy is TestThroughTinyproxy's in-process twin, run on
// every machine: a session's requests through a real forward proxy library
// (elazarl/goproxy), open and with Basic proxy authentication.
func TestThroughGoproxy(t *testing.T) {
	srv := httpbin(t)
	gp := proxytest.Goproxy(t, proxytest.GoproxyOptions{})
	s := newSession(t)
	s.Proxies = map[string]string{"all": gp.URL.String()}
	r := mustDo(t, s, "GET", srv.URL+"/headers")
	if via := r.Header.Get("Via"); via != "1.1 relay-goproxy (goproxy)" {
		t.Errorf("response Via = %q, want goproxy's", via)
	}
	e := echo(t, r)
	if via := e.Headers.Get("Via"); via != "1.1 relay-goproxy (goproxy)" {
		t.Errorf("Via = %q, want goproxy's", via)
	}
	if diff := cmp.Diff([]string{"GET " + srv.URL + "/headers"}, gp.Targets()); diff != "" {
		t.Errorf("what goproxy handled (-want +got):\n%s", diff)
	}

	locked := proxytest.Goproxy(t, proxytest.GoproxyOptions{User: "u", Password: "p"})
	s.Proxies = map[string]string{"all": locked.URLWithAuth("u", "p").String()}
	e = echo(t, mustDo(t, s, "GET", srv.URL+"/headers"))
	if _, ok := e.Headers["Proxy-Authorization"]; ok || e.Headers.Get("Via") == "" {
		t.Errorf("through the proxy with credentials, the origin got %v; want a Via and no Proxy-Authorization", e.Headers)
	}
	_, err := s.Get(context.Background(), srv.URL+"/get", client.Proxy(locked.URL.String()))
	if !errors.Is(err, client.ErrProxyAuthRequired) {
		t.Errorf("without credentials: err = %v, want ErrProxyAuthRequired", err)
	}
	if got := len(locked.Targets()); got != 2 {
		t.Errorf("the locked proxy handled %d requests, want 2", got)
	}
}
