package record_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/relayhttp/relay/client"
	"github.com/relayhttp/relay/internal/httpbintest"
	"github.com/relayhttp/relay/middleware"
	"github.com/relayhttp/relay/record"
)

// httpbin starts go-httpbin for one test.
func httpbin(t testing.TB) *httptest.Server {
	t.Helper()
	srv := httpbintest.New()
	t.Cleanup(srv.Close)
	return srv
}

// cassette is a path for a cassette in the test's temporary folder.
func cassette(t testing.TB) string {
	t.Helper()
	return filepath.Join(t.TempDir(), "cassette.har")
}

// open opens a recorder, closed when the test ends if the test did not.
func open(t testing.TB, path string, mode record.Mode, o record.Options) *record.Recorder {
	t.Helper()
	rec, err := record.OpenWithOptions(path, mode, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = rec.Close() })
	return rec
}

// session returns a session with rec plugged in, its idle connections
// closed when the test ends.
func session(t testing.TB, rec *record.Recorder, opts ...client.SessionOption) *client.Session {
	t.Helper()
	s := client.NewSession(append([]client.SessionOption{client.WithRecorder(rec)}, opts...)...)
	t.Cleanup(s.CloseIdleConnections)
	return s
}

// offline is a base transport that fails the test if anything reaches it:
// replay must never touch the network.
func offline(t testing.TB) client.SessionOption {
	return client.WithTransport(middleware.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
		t.Errorf("replay reached the network: %s %s", req.Method, req.URL)
		return nil, http.ErrServerClosed
	}))
}

// get does a request and returns the status and body, failing the test on
// an error.
func do(t testing.TB, s *client.Session, method, url string, opts ...client.Option) (int, string) {
	t.Helper()
	r, err := s.Do(context.Background(), method, url, opts...)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	b, err := r.Bytes()
	if err != nil {
		t.Fatalf("%s %s: reading the body: %v", method, url, err)
	}
	return r.StatusCode, string(b)
}

// readCassette reads a written cassette, checks that it is strict HAR 1.2
// and returns its bytes and parsed form.
func readCassette(t testing.TB, path string) ([]byte, *record.HAR) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	assertValidHAR(t, b)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h, err := record.ReadHAR(f)
	if err != nil {
		t.Fatal(err)
	}
	return b, h
}

func bytesReader(b []byte) io.Reader { return bytes.NewReader(b) }

func contains(b []byte, s string) bool { return bytes.Contains(b, []byte(s)) }
