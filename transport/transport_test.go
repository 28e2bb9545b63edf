package transport

import (
	"bytes"
	"compress/gzip"
	"crypto/tls"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/relayhttp/relay/internal/pkitest"
)

// poolSettings are the fields of an *http.Transport that New sets.
type poolSettings struct {
	MaxIdleConnsPerHost int
	MaxIdleConns        int
	DisableCompression  bool
	ForceAttemptHTTP2   bool
	InsecureSkipVerify  bool
	HasTLSConfig        bool
}

func settingsOf(tr *http.Transport) poolSettings {
	return poolSettings{
		MaxIdleConnsPerHost: tr.MaxIdleConnsPerHost,
		MaxIdleConns:        tr.MaxIdleConns,
		DisableCompression:  tr.DisableCompression,
		ForceAttemptHTTP2:   tr.ForceAttemptHTTP2,
		InsecureSkipVerify:  tr.TLSClientConfig != nil && tr.TLSClientConfig.InsecureSkipVerify,
		HasTLSConfig:        tr.TLSClientConfig != nil,
	}
}

func TestNewSettings(t *testing.T) {
	clearEnv(t)
	tests := []struct {
		name string
		opts []Option
		want poolSettings
	}{
		{
			name: "defaults",
			want: poolSettings{MaxIdleConnsPerHost: 100, MaxIdleConns: 100, DisableCompression: true, ForceAttemptHTTP2: true, HasTLSConfig: true},
		},
		{
			name: "small pool keeps the total",
			opts: []Option{MaxIdleConnsPerHost(4)},
			want: poolSettings{MaxIdleConnsPerHost: 4, MaxIdleConns: 100, DisableCompression: true, ForceAttemptHTTP2: true, HasTLSConfig: true},
		},
		{
			name: "large pool raises the total",
			opts: []Option{MaxIdleConnsPerHost(500)},
			want: poolSettings{MaxIdleConnsPerHost: 500, MaxIdleConns: 500, DisableCompression: true, ForceAttemptHTTP2: true, HasTLSConfig: true},
		},
		{
			name: "last option wins",
			opts: []Option{MaxIdleConnsPerHost(7), MaxIdleConnsPerHost(9)},
			want: poolSettings{MaxIdleConnsPerHost: 9, MaxIdleConns: 100, DisableCompression: true, ForceAttemptHTTP2: true, HasTLSConfig: true},
		},
		{
			name: "custom TLS config keeps HTTP/2",
			opts: []Option{TLSConfig(&tls.Config{MinVersion: tls.VersionTLS13}), DialContext(dialTo("127.0.0.1:1"))},
			want: poolSettings{MaxIdleConnsPerHost: 100, MaxIdleConns: 100, DisableCompression: true, ForceAttemptHTTP2: true, HasTLSConfig: true},
		},
		{
			name: "insecure",
			opts: []Option{InsecureSkipVerify()},
			want: poolSettings{MaxIdleConnsPerHost: 100, MaxIdleConns: 100, DisableCompression: true, ForceAttemptHTTP2: true, InsecureSkipVerify: true, HasTLSConfig: true},
		},
		{
			name: "nil options are skipped",
			opts: []Option{nil, TLSConfig(nil), Logger(nil), DialContext(nil)},
			want: poolSettings{MaxIdleConnsPerHost: 100, MaxIdleConns: 100, DisableCompression: true, ForceAttemptHTTP2: true, HasTLSConfig: true},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := mustNew(t, tt.opts...)
			if diff := cmp.Diff(tt.want, settingsOf(tr)); diff != "" {
				t.Errorf("transport settings mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestNewBadPoolSize(t *testing.T) {
	for _, n := range []int{0, -1} {
		_, err := New(MaxIdleConnsPerHost(n), IgnoreEnvironment())
		if err == nil || !strings.HasPrefix(err.Error(), "transport: MaxIdleConnsPerHost") {
			t.Errorf("New(MaxIdleConnsPerHost(%d)) error = %v, want a MaxIdleConnsPerHost error", n, err)
		}
	}
}

func TestNewReturnsFreshTransports(t *testing.T) {
	a := mustNew(t, IgnoreEnvironment())
	b := mustNew(t, IgnoreEnvironment())
	if a == b {
		t.Fatal("two New calls returned the same transport")
	}
	if a == http.DefaultTransport || b == http.DefaultTransport {
		t.Fatal("New returned http.DefaultTransport")
	}
	if a.TLSClientConfig == b.TLSClientConfig {
		t.Error("two transports share one *tls.Config")
	}
	if def := http.DefaultTransport.(*http.Transport); def.DisableCompression || def.MaxIdleConnsPerHost != 0 {
		t.Errorf("http.DefaultTransport was modified: DisableCompression=%v MaxIdleConnsPerHost=%d",
			def.DisableCompression, def.MaxIdleConnsPerHost)
	}
}

func TestHTTP2(t *testing.T) {
	p := pkitest.New(t, "h2")
	srv := p.NewServer(t, pkitest.ServerOptions{HTTP2: true})
	mtls := p.NewServer(t, pkitest.ServerOptions{HTTP2: true, RequireClientCert: true})
	tests := []struct {
		name string
		url  string
		opts []Option
		want string
	}{
		{"CA bundle", srv.URL, []Option{CABundle(p.CAFile)}, "anonymous"},
		{"base TLS config", srv.URL, []Option{TLSConfig(&tls.Config{RootCAs: p.Pool(), MinVersion: tls.VersionTLS12})}, "anonymous"},
		{"custom dialer", "https://a.test/", []Option{CABundle(p.CAFile), DialContext(dialTo(srv.Listener.Addr().String()))}, "anonymous"},
		{"client certificate", mtls.URL, []Option{CABundle(p.CAFile), ClientCert(p.ClientCertFile, p.ClientKeyFile)}, p.ClientCN},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := mustNew(t, append(tt.opts, IgnoreEnvironment())...)
			proto, body, err := get(t, tr, tt.url)
			if err != nil {
				t.Fatal(err)
			}
			if proto != 2 {
				t.Errorf("ProtoMajor = %d, want 2", proto)
			}
			if body != tt.want {
				t.Errorf("body = %q, want %q", body, tt.want)
			}
		})
	}
}

func TestNoTransparentDecompression(t *testing.T) {
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write([]byte("hello"))
	_ = zw.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Accept-Encoding", r.Header.Get("Accept-Encoding"))
		w.Header().Set("Content-Encoding", "gzip")
		_, _ = w.Write(gz.Bytes())
	}))
	defer srv.Close()

	tr := mustNew(t, IgnoreEnvironment())
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL, nil)
	resp, err := tr.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if got := resp.Header.Get("X-Accept-Encoding"); got != "" {
		t.Errorf("transport sent Accept-Encoding %q, want none", got)
	}
	if resp.Uncompressed || !bytes.Equal(body, gz.Bytes()) {
		t.Errorf("body was decoded (Uncompressed=%v, %q)", resp.Uncompressed, body)
	}
}

// TestPoolKeepsConnectionsForConcurrentGoroutines holds 64 requests open at
// once, twice in a row. A pool as large as cleanhttp's (GOMAXPROCS+1) closes
// most of the 64 connections after the first round and dials them again for
// the second; the default pool keeps them all.
func TestPoolKeepsConnectionsForConcurrentGoroutines(t *testing.T) {
	const goroutines = 64
	var conns atomic.Int64
	arrived := make(chan struct{})
	release := make(chan struct{})
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		arrived <- struct{}{}
		<-release
		_, _ = w.Write([]byte("ok"))
	}))
	srv.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()

	tr := mustNew(t, IgnoreEnvironment())
	round := func() int64 {
		before := conns.Load()
		var wg sync.WaitGroup
		for range goroutines {
			wg.Go(func() {
				if _, body, err := get(t, tr, srv.URL); err != nil || body != "ok" {
					t.Errorf("GET = %q, %v", body, err)
				}
			})
		}
		// All requests are in the handler at once, each on its own
		// connection, before any is answered.
		for range goroutines {
			<-arrived
		}
		for range goroutines {
			release <- struct{}{}
		}
		wg.Wait()
		return conns.Load() - before
	}
	if n := round(); n != goroutines {
		t.Fatalf("first round opened %d connections, want %d", n, goroutines)
	}
	// A connection is returned to the pool just after its body is read, so
	// a few may still be on their way back when the second round starts.
	if n := round(); n > goroutines/8 {
		t.Errorf("second round opened %d new connections, want about 0: the idle pool dropped them", n)
	}
}

func TestProxy(t *testing.T) {
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("proxied " + r.URL.String()))
	}))
	defer proxy.Close()
	proxyURL, _ := url.Parse(proxy.URL)

	t.Run("option", func(t *testing.T) {
		tr := mustNew(t, Proxy(http.ProxyURL(proxyURL)))
		_, body, err := get(t, tr, "http://origin.invalid/x")
		if err != nil {
			t.Fatal(err)
		}
		if want := "proxied http://origin.invalid/x"; body != want {
			t.Errorf("body = %q, want %q", body, want)
		}
	})
	t.Run("environment by default", func(t *testing.T) {
		tr := mustNew(t)
		if funcPointer(tr.Proxy) != funcPointer(http.ProxyFromEnvironment) {
			t.Error("Proxy is not http.ProxyFromEnvironment")
		}
	})
	t.Run("IgnoreEnvironment goes direct", func(t *testing.T) {
		tr := mustNew(t, IgnoreEnvironment())
		if tr.Proxy != nil {
			t.Error("Proxy is set")
		}
	})
	t.Run("explicit proxy beats IgnoreEnvironment", func(t *testing.T) {
		tr := mustNew(t, IgnoreEnvironment(), Proxy(http.ProxyURL(proxyURL)))
		if _, body, err := get(t, tr, "http://origin.invalid/"); err != nil || !strings.HasPrefix(body, "proxied") {
			t.Errorf("GET = %q, %v; want a proxied response", body, err)
		}
	})
}

func funcPointer(f any) uintptr {
	if f == nil || reflect.ValueOf(f).IsNil() {
		return 0
	}
	return reflect.ValueOf(f).Pointer()
}
