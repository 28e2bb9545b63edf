package client_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/relayhttp/relay/auth"
)

type callerKey int

// TestCallerContext checks what a request keeps of a deep caller's context
// (as a server handler's is): relay values the caller set in it still
// apply (here the request's authenticator, under five values of the
// caller's), and the caller's own values still reach the middlewares
// (here a request hook), as they do when the context holds no relay value
// at all and the session bounds relay's lookups on top of it (relayctx).
func TestCallerContext(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, p, _ := r.BasicAuth()
		w.Write([]byte(u + ":" + p))
	}))
	t.Cleanup(srv.Close)
	s := newSession(t)
	var seen []any
	s.Hooks.OnRequest(func(req *http.Request) error {
		seen = append(seen, req.Context().Value(callerKey(0)))
		return nil
	})
	withAuth := auth.NewContext(context.Background(), auth.Basic("ada", "s3cret"))
	for name, base := range map[string]context.Context{"with a relay value": withAuth, "without": context.Background()} {
		seen = nil
		ctx := base
		for i := range 5 {
			ctx = context.WithValue(ctx, callerKey(i), name)
		}
		ctx, cancel := context.WithCancel(ctx)
		r, err := s.Get(ctx, srv.URL)
		cancel()
		if err != nil {
			t.Fatal(err)
		}
		want := ":"
		if base == withAuth {
			want = "ada:s3cret"
		}
		if got, _ := r.Text(); got != want {
			t.Errorf("%s: the server saw credentials %q, want %q", name, got, want)
		}
		if len(seen) != 1 || seen[0] != name {
			t.Errorf("%s: the request hook saw the caller's value %v, want [%s]", name, seen, name)
		}
	}
}
