package auth_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/relayhttp/relay/auth"
	"github.com/relayhttp/relay/internal/httpbintest"
	"github.com/relayhttp/relay/middleware"
)

func TestBearerAgainstHTTPBin(t *testing.T) {
	srv := httpbintest.New()
	defer srv.Close()
	c := newClient(t, auth.Bearer("abc.def"))
	req, _ := http.NewRequest("GET", srv.URL+"/bearer", nil)
	if code, body := get(t, c, req); code != 200 || !strings.Contains(body, `"token": "abc.def"`) {
		t.Errorf("status %d %s", code, body)
	}
}

type ctxKey struct{}

func TestBearerFunc(t *testing.T) {
	var calls atomic.Int32
	a := auth.BearerFunc(func(ctx context.Context) (string, error) {
		calls.Add(1)
		if ctx.Value(ctxKey{}) != "mine" {
			return "", errors.New("the request's context was not passed")
		}
		return fmt.Sprintf("token-%d", calls.Load()), nil
	})
	rec := &recorder{}
	rt := middleware.Chain(rec, auth.Middleware(a))
	ctx := context.WithValue(context.Background(), ctxKey{}, "mine")
	for range 3 {
		req, _ := http.NewRequestWithContext(ctx, "GET", "http://h/", nil)
		resp, err := rt.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	if got := strings.Join(rec.take(), ","); got != "Bearer token-1,Bearer token-2,Bearer token-3" || calls.Load() != 3 {
		t.Errorf("sent %s after %d calls; want one call per request", got, calls.Load())
	}
}

func TestBearerErrorsHideTheToken(t *testing.T) {
	sentinel := errors.New("refresh failed")
	for _, tc := range []struct {
		name string
		a    auth.Authenticator
		want string
		is   error
	}{
		{"empty", auth.Bearer(""), "auth: bearer token is empty", nil},
		{"CRLF", auth.Bearer("s3cret\r\nX-Evil: 1"), "auth: bearer token has a control character", nil},
		{"func CRLF", auth.BearerFunc(func(context.Context) (string, error) { return "s3cret\n", nil }), "auth: bearer token has a control character", nil},
		{"func error", auth.BearerFunc(func(context.Context) (string, error) { return "", sentinel }), "auth: bearer token: refresh failed", sentinel},
		{"nil func", auth.BearerFunc(nil), "auth: BearerFunc was given a nil function", nil},
	} {
		rec := &recorder{}
		req, _ := http.NewRequest("GET", "http://h/", nil)
		_, err := middleware.Chain(rec, auth.Middleware(tc.a)).RoundTrip(req)
		if err == nil || err.Error() != tc.want || tc.is != nil && !errors.Is(err, tc.is) {
			t.Errorf("%s: err = %v, want %s", tc.name, err, tc.want)
		}
		if len(rec.take()) != 0 {
			t.Errorf("%s: a request was sent", tc.name)
		}
	}
	a := auth.Bearer("s3cret")
	if s := fmt.Sprintf("%v %+v %#v %s", a, a, a, a); strings.Contains(s, "s3cret") {
		t.Errorf("formatting shows the token: %s", s)
	}
}
