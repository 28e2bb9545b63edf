package client_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/relayhttp/relay/client"
	"github.com/relayhttp/relay/transport"
)

// counting starts a server that counts the requests it sees.
func counting(t *testing.T, h http.HandlerFunc) (*httptest.Server, *atomic.Int32) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		if h != nil {
			h(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func TestBadInputIsRejectedBeforeDialing(t *testing.T) {
	srv, hits := counting(t, nil)
	s := newSession(t)
	cases := map[string]func() error{
		"CRLF in a header value": func() error {
			_, err := s.Get(context.Background(), srv.URL, client.Header("X-A", "ok\r\nX-Injected: 1"))
			return err
		},
		"LF in a session header": func() error {
			s2 := newSession(t)
			s2.Headers.Set("X-B", "a\nb")
			_, err := s2.Get(context.Background(), srv.URL)
			return err
		},
		"a session header name that is not a token": func() error {
			s2 := newSession(t)
			s2.Headers["Bad Name"] = []string{"v"}
			_, err := s2.Get(context.Background(), srv.URL)
			return err
		},
		"NUL in a header value": func() error {
			_, err := s.Get(context.Background(), srv.URL, client.Header("X-C", "a\x00b"))
			return err
		},
		"CR in a header name": func() error {
			_, err := s.Get(context.Background(), srv.URL, client.Header("X-D\r", "v"))
			return err
		},
		"LF in the method": func() error {
			_, err := s.Do(context.Background(), "GET\nX", srv.URL)
			return err
		},
		"CRLF in the URL": func() error {
			_, err := s.Get(context.Background(), srv.URL+"/a\r\nb")
			return err
		},
		"nil context": func() error {
			_, err := s.Get(nil, srv.URL) //nolint:staticcheck // the point of the test
			return err
		},
	}
	for name, f := range cases {
		if err := f(); err == nil {
			t.Errorf("%s: no error", name)
		} else if strings.ContainsAny(err.Error(), "\r\n") {
			t.Errorf("%s: the error %q itself carries a line break", name, err)
		}
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the server saw %d requests; bad input must fail before dialing", n)
	}
}

func TestUnmountedScheme(t *testing.T) {
	s := newSession(t)
	_, err := s.Get(context.Background(), "ftp://user:secret@example.test/file")
	if !errors.Is(err, transport.ErrNotMounted) {
		t.Errorf("err = %v, want transport.ErrNotMounted", err)
	}
	if err != nil && strings.Contains(err.Error(), "secret") {
		t.Errorf("the error shows the password: %v", err)
	}
}

func TestPasswordsNeverInErrors(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now: connection refused
	s := newSession(t)
	for _, u := range []string{
		"http://user:hunter2@" + addr + "/",
		"http://user:hunter2@" + addr + "/\x7f bad",
		"http://user:hunter2@exa mple.test/",
	} {
		_, err := s.Get(context.Background(), u)
		if err == nil {
			t.Errorf("%q: no error", u)
			continue
		}
		if strings.Contains(err.Error(), "hunter2") || strings.Contains(err.Error(), "user:") {
			t.Errorf("the error shows the userinfo: %v", err)
		}
	}
}

func TestTimeout(t *testing.T) {
	srv, _ := counting(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	s := newSession(t)
	start := time.Now()
	_, err := s.Get(context.Background(), srv.URL, client.Timeout(100*time.Millisecond))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want context.DeadlineExceeded", err)
	}
	if time.Since(start) > 4*time.Second {
		t.Error("the timeout did not stop the request")
	}
	s.Timeout = 100 * time.Millisecond
	if _, err := s.Get(context.Background(), srv.URL); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("session Timeout: err = %v", err)
	}
}

func TestStreamedBodyHonoursTimeout(t *testing.T) {
	srv, _ := counting(t, func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("start"))
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	s := newSession(t)
	r, err := s.Get(context.Background(), srv.URL, client.Stream(), client.Timeout(200*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	_, err = r.Bytes()
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("reading past the timeout: %v", err)
	}
}

func TestBadCAFromEnvironmentFailsRequests(t *testing.T) {
	t.Setenv("RELAY_CA_BUNDLE", "/nonexistent/ca.pem")
	t.Setenv("SSL_CERT_FILE", "")
	srv, hits := counting(t, nil)
	s := client.NewSession()
	_, err := s.Get(context.Background(), srv.URL)
	if err == nil || !strings.Contains(err.Error(), "/nonexistent/ca.pem") {
		t.Errorf("err = %v, want the bad CA bundle reported", err)
	}
	if hits.Load() != 0 {
		t.Error("a session with a bad CA bundle sent a request")
	}
}
