package record_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/relayhttp/relay/cache"
	"github.com/relayhttp/relay/client"
	"github.com/relayhttp/relay/record"
	"github.com/relayhttp/relay/transport"
)

// TestCaptureTLSTimings captures two sends to a TLS server, with relay's
// transport (which makes the handshake inside its dialer) and with a plain
// *http.Transport (where net/http makes it): the first send shows the
// handshake in ssl, part of connect; the second, on the same connection,
// shows no dns, connect or ssl.
func TestCaptureTLSTimings(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("ok"))
	}))
	defer srv.Close()
	relayTransport, err := transport.New(transport.InsecureSkipVerify(), transport.IgnoreEnvironment())
	if err != nil {
		t.Fatal(err)
	}
	plain := srv.Client().Transport.(*http.Transport).Clone()
	for name, rt := range map[string]http.RoundTripper{"relay transport": relayTransport, "http.Transport": plain} {
		t.Run(name, func(t *testing.T) {
			c := record.NewHAR()
			s := captureSession(t, c, client.WithTransport(rt))
			do(t, s, http.MethodGet, srv.URL+"/a")
			do(t, s, http.MethodGet, srv.URL+"/b")
			es := c.Entries()
			if len(es) != 2 {
				t.Fatalf("%d entries, want 2", len(es))
			}
			for i, e := range es {
				checkEntryTimings(t, i, e)
			}
			first, second := es[0].Timings, es[1].Timings
			if first.SSL <= 0 || first.Connect < first.SSL {
				t.Errorf("first send: ssl %v, connect %v; want ssl > 0 and connect ≥ ssl", first.SSL, first.Connect)
			}
			if first.DNS != -1 {
				t.Errorf("first send to an IP address: dns %v, want -1", first.DNS)
			}
			if second.DNS != -1 || second.Connect != -1 || second.SSL != -1 {
				t.Errorf("second send, reused connection: dns %v, connect %v, ssl %v; want -1 each", second.DNS, second.Connect, second.SSL)
			}
			if es[0].Connection != es[1].Connection {
				t.Errorf("connections %q and %q, want the same one", es[0].Connection, es[1].Connection)
			}
		})
	}
}

// TestCaptureReusedConnectionTimings: the first send to a host name
// resolves it and connects; the second, on the pooled connection, does
// neither, and its dns, connect and ssl are -1.
func TestCaptureReusedConnectionTimings(t *testing.T) {
	srv := httpbin(t)
	byName := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
	c := record.NewHAR()
	s := captureSession(t, c)
	do(t, s, http.MethodGet, byName+"/get")
	do(t, s, http.MethodGet, byName+"/get")
	es := c.Entries()
	if len(es) != 2 {
		t.Fatalf("%d entries, want 2", len(es))
	}
	for i, e := range es {
		checkEntryTimings(t, i, e)
	}
	first, second := es[0].Timings, es[1].Timings
	if first.DNS < 0 || first.Connect < 0 || first.SSL != -1 {
		t.Errorf("first send: dns %v, connect %v, ssl %v; want dns ≥ 0, connect ≥ 0, ssl -1", first.DNS, first.Connect, first.SSL)
	}
	if second.DNS != -1 || second.Connect != -1 || second.SSL != -1 {
		t.Errorf("second send: dns %v, connect %v, ssl %v; want -1 each", second.DNS, second.Connect, second.SSL)
	}
	if second.Blocked < 0 {
		t.Errorf("second send: blocked %v, want ≥ 0", second.Blocked)
	}
}

// TestCaptureCacheStatus: a send the cache makes carries why (miss,
// revalidate) in cache._status; a hit sends nothing and is no entry.
func TestCaptureCacheStatus(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/fresh":
			w.Header().Set("Cache-Control", "max-age=60")
		case "/etag":
			w.Header().Set("Cache-Control", "no-cache")
			w.Header().Set("ETag", `"v1"`)
			if r.Header.Get("If-None-Match") == `"v1"` {
				w.WriteHeader(http.StatusNotModified)
				return
			}
		}
		_, _ = w.Write([]byte("body of " + r.URL.Path))
	}))
	defer srv.Close()
	c := record.NewHAR()
	s := captureSession(t, c)
	s.Cache = cache.New(cache.Options{})
	for _, p := range []string{"/fresh", "/fresh", "/etag", "/etag"} {
		if _, body := do(t, s, http.MethodGet, srv.URL+p); body != "body of "+p {
			t.Fatalf("GET %s: %q", p, body)
		}
	}
	es := c.Entries()
	want := []struct {
		path, status string
		code         int
	}{{"/fresh", "miss", 200}, {"/etag", "miss", 200}, {"/etag", "revalidate", 304}}
	if len(es) != len(want) {
		t.Fatalf("%d entries, want %d (the hit is not a send)", len(es), len(want))
	}
	for i, w := range want {
		if !strings.HasSuffix(es[i].Request.URL, w.path) || es[i].Cache.Status != w.status || es[i].Response.Status != w.code {
			t.Errorf("entry %d: %s %d _status %q, want %s %d %q", i, es[i].Request.URL, es[i].Response.Status, es[i].Cache.Status, w.path, w.code, w.status)
		}
	}
	var b strings.Builder
	if _, err := c.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	assertValidHAR(t, []byte(b.String()))
	if !strings.Contains(b.String(), `"_status": "revalidate"`) {
		t.Errorf("the file does not say revalidate")
	}
}
