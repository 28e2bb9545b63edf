package client_test

import (
	"context"
	"net/http/httptest"
	"testing"

	"go.uber.org/goleak"

	"github.com/relayhttp/relay/client"
	"github.com/relayhttp/relay/internal/httpbintest"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// httpbin starts go-httpbin for one test.
func httpbin(t testing.TB) *httptest.Server {
	t.Helper()
	srv := httpbintest.New()
	t.Cleanup(srv.Close)
	return srv
}

// newSession returns a session whose idle connections are closed when the
// test ends, so goleak sees no connection goroutines.
func newSession(t testing.TB, opts ...client.SessionOption) *client.Session {
	t.Helper()
	s := client.NewSession(opts...)
	t.Cleanup(s.CloseIdleConnections)
	return s
}

// echo decodes go-httpbin's echo of a request.
func echo(t testing.TB, r *client.Response) httpbintest.Echo {
	t.Helper()
	var e httpbintest.Echo
	if err := r.JSON(&e); err != nil {
		t.Fatal(err)
	}
	return e
}

// mustGet fails the test on a transport error.
func mustDo(t testing.TB, s *client.Session, method, url string, opts ...client.Option) *client.Response {
	t.Helper()
	r, err := s.Do(context.Background(), method, url, opts...)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	return r
}
