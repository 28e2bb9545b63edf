package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
)

// offline is the walkthrough's whole network: the fake GitHub API over TLS
// and the cats API over plain HTTP, both on loopback, and a transport that
// dials them for the guide's host names and refuses any other address. The
// steps therefore use the guide's URLs as they are, and print no random
// port, yet nothing can reach the internet.
type offline struct {
	github    *httptest.Server // https://api.github.com
	cats      *httptest.Server // http://a-good-website.com
	transport *http.Transport
}

// startOffline starts the servers. Close stops them.
func startOffline() *offline {
	o := &offline{
		github: httptest.NewUnstartedServer(newFakeGitHub()),
		cats:   httptest.NewServer(catsAPI()),
	}
	o.github.Config.ErrorLog = log.New(io.Discard, "", 0) // a client that gives up mid-handshake is not news
	o.github.StartTLS()

	addrs := map[string]string{
		"api.github.com:443":    o.github.Listener.Addr().String(),
		"a-good-website.com:80": o.cats.Listener.Addr().String(),
	}
	var d net.Dialer
	roots := x509.NewCertPool()
	roots.AddCert(o.github.Certificate())
	o.transport = &http.Transport{
		Proxy: nil, // never a proxy from the environment
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			to, ok := addrs[addr]
			if !ok {
				return nil, fmt.Errorf("offline walkthrough: no server for %s", addr)
			}
			return d.DialContext(ctx, network, to)
		},
		// httptest's certificate is issued to example.com: the fake's TLS
		// is verified against that name, whatever host the URL names.
		TLSClientConfig: &tls.Config{RootCAs: roots, ServerName: "example.com"},
	}
	return o
}

// Close closes the client's idle connections and stops the servers.
func (o *offline) Close() {
	o.transport.CloseIdleConnections()
	o.github.Close()
	o.cats.Close()
}
