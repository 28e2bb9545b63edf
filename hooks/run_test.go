package hooks_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/relayhttp/relay/hooks"
	"github.com/relayhttp/relay/middleware"
)

func TestRequestHookEditsAClone(t *testing.T) {
	srv := newServer(t)
	var reg hooks.Registry
	reg.OnRequest(func(r *http.Request) error {
		r.Header.Set("X-Hook", "yes")
		r.URL.Path = "/edited"
		return nil
	})
	req, err := http.NewRequest(http.MethodGet, srv.URL+"/original", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Caller", "1")
	resp, err := hooks.Middleware(&reg)(srv.Client().Transport).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := readAll(t, resp), "/edited yes"; got != want {
		t.Errorf("server saw %q, want %q", got, want)
	}
	if got := req.Header.Get("X-Hook"); got != "" {
		t.Errorf("caller's request got X-Hook %q; it must not be modified", got)
	}
	if req.URL.Path != "/original" {
		t.Errorf("caller's URL path changed to %q", req.URL.Path)
	}
}

func TestRequestHookReplacesBody(t *testing.T) {
	var got string
	next := middleware.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
		b, _ := io.ReadAll(req.Body)
		req.Body.Close()
		got = string(b)
		return &http.Response{StatusCode: 200, Body: http.NoBody, Request: req}, nil
	})
	orig := newBody("original")
	ctx := hooks.WithRequestHook(context.Background(), func(r *http.Request) error {
		r.Body = io.NopCloser(strings.NewReader("replaced"))
		return nil
	})
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, "http://example.test/", orig)
	if _, err := hooks.Middleware(nil)(next).RoundTrip(req); err != nil {
		t.Fatal(err)
	}
	if got != "replaced" {
		t.Errorf("sent body %q, want %q", got, "replaced")
	}
	if !orig.closed.Load() {
		t.Error("the replaced request body was not closed")
	}
}

var errHook = errors.New("not today")

func TestHookFailures(t *testing.T) {
	srv := newServer(t)
	tests := []struct {
		name    string
		ctx     func(context.Context) context.Context
		next    func(http.RoundTripper) http.RoundTripper
		wantErr string
		wantIs  error
		panics  bool
	}{
		{
			name: "request error",
			ctx: func(ctx context.Context) context.Context {
				return hooks.WithRequestHook(ctx, func(*http.Request) error { return errHook })
			},
			wantErr: "hooks: request hook: not today",
			wantIs:  errHook,
		},
		{
			name: "request panic",
			ctx: func(ctx context.Context) context.Context {
				return hooks.WithRequestHook(ctx, func(*http.Request) error { panic("boom") })
			},
			wantErr: "hooks: request hook: panic: boom",
			panics:  true,
		},
		{
			name: "response error",
			ctx: func(ctx context.Context) context.Context {
				return hooks.WithResponseHook(ctx, func(*http.Response) (*http.Response, error) { return nil, errHook })
			},
			wantErr: "hooks: response hook: not today",
			wantIs:  errHook,
		},
		{
			name: "response panic",
			ctx: func(ctx context.Context) context.Context {
				return hooks.WithResponseHook(ctx, func(*http.Response) (*http.Response, error) { panic(errHook) })
			},
			wantErr: "hooks: response hook: panic: not today",
			wantIs:  errHook,
			panics:  true,
		},
		{
			name: "response panic after a replacement",
			ctx: func(ctx context.Context) context.Context {
				ctx = hooks.WithResponseHook(ctx, func(*http.Response) (*http.Response, error) {
					return &http.Response{StatusCode: 200, Body: newBody("replacement")}, nil
				})
				return hooks.WithResponseHook(ctx, func(*http.Response) (*http.Response, error) { panic("boom") })
			},
			wantErr: "hooks: response hook: panic: boom",
			panics:  true,
		},
		{
			name: "error panic",
			ctx: func(ctx context.Context) context.Context {
				return hooks.WithErrorHook(ctx, func(*http.Request, error) { panic("boom") })
			},
			next: func(http.RoundTripper) http.RoundTripper {
				return middleware.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
					middleware.CloseRequestBody(req)
					return nil, errHook
				})
			},
			wantErr: "not today; hooks: error hook: panic: boom",
			wantIs:  errHook,
			panics:  true,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := &bodyRecorder{next: srv.Client().Transport}
			var next http.RoundTripper = rec
			if tc.next != nil {
				next = tc.next(rec)
			}
			reqBody := newBody("payload")
			req, _ := http.NewRequestWithContext(tc.ctx(context.Background()), http.MethodPost, srv.URL, reqBody)
			resp, err := hooks.Middleware(nil)(next).RoundTrip(req)
			if err == nil {
				resp.Body.Close()
				t.Fatal("no error")
			}
			if resp != nil {
				t.Errorf("got a response with the error")
			}
			if got := err.Error(); got != tc.wantErr {
				t.Errorf("error %q, want %q", got, tc.wantErr)
			}
			if tc.wantIs != nil && !errors.Is(err, tc.wantIs) {
				t.Errorf("errors.Is(%v, %v) = false", err, tc.wantIs)
			}
			var pe *hooks.PanicError
			if got := errors.As(err, &pe); got != tc.panics {
				t.Errorf("errors.As(err, *PanicError) = %v, want %v", got, tc.panics)
			} else if got && len(pe.Stack) == 0 {
				t.Error("PanicError without a stack")
			}
			if !reqBody.closed.Load() {
				t.Error("request body not closed")
			}
			for i, closed := range rec.closed() {
				if !closed {
					t.Errorf("response body %d not closed", i)
				}
			}
		})
	}
}

func TestResponseReplacement(t *testing.T) {
	srv := newServer(t)
	replacement := newBody("replacement")
	tests := []struct {
		name       string
		hook       hooks.ResponseHook
		wantBody   string
		wantClosed bool // the original body, once the caller got the response
	}{
		{
			name:     "nil keeps",
			hook:     func(*http.Response) (*http.Response, error) { return nil, nil },
			wantBody: "/ ",
		},
		{
			name:     "same keeps",
			hook:     func(r *http.Response) (*http.Response, error) { return r, nil },
			wantBody: "/ ",
		},
		{
			name: "replaced",
			hook: func(*http.Response) (*http.Response, error) {
				return &http.Response{StatusCode: 200, Body: replacement}, nil
			},
			wantBody:   "replacement",
			wantClosed: true,
		},
		{
			name: "copy sharing the body",
			hook: func(r *http.Response) (*http.Response, error) {
				cp := *r
				cp.StatusCode = 299
				return &cp, nil
			},
			wantBody: "/ ",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := &bodyRecorder{next: srv.Client().Transport}
			ctx := hooks.WithResponseHook(context.Background(), tc.hook)
			resp, err := get(t, hooks.Middleware(nil)(rec), ctx, srv.URL)
			if err != nil {
				t.Fatal(err)
			}
			if resp.Request == nil {
				t.Error("response without Request")
			}
			if diff := cmp.Diff([]bool{tc.wantClosed}, rec.closed()); diff != "" {
				t.Errorf("original body closed before the caller read (-want +got):\n%s", diff)
			}
			if got := readAll(t, resp); got != tc.wantBody {
				t.Errorf("body %q, want %q", got, tc.wantBody)
			}
		})
	}
}

func TestErrorHooksSeeTransportErrorsOnly(t *testing.T) {
	srv := newServer(t)
	dead := httptest.NewServer(http.NotFoundHandler())
	deadURL := dead.URL
	dead.Close()
	tests := []struct {
		url       string
		wantCalls int
	}{
		{srv.URL + "/status/404", 0},
		{srv.URL + "/status/500", 0},
		{srv.URL + "/status/503", 0},
		{deadURL, 1},
	}
	for _, tc := range tests {
		t.Run(tc.url, func(t *testing.T) {
			var calls []error
			ctx := hooks.WithErrorHook(context.Background(), func(req *http.Request, err error) {
				if req == nil {
					t.Error("error hook got a nil request")
				}
				calls = append(calls, err)
			})
			resp, err := get(t, hooks.Middleware(nil)(srv.Client().Transport), ctx, tc.url)
			if err == nil {
				resp.Body.Close()
			}
			if len(calls) != tc.wantCalls {
				t.Fatalf("error hook called %d times, want %d", len(calls), tc.wantCalls)
			}
			if tc.wantCalls > 0 && calls[0] != err {
				t.Errorf("error hook got %v, the call returned %v", calls[0], err)
			}
		})
	}
}
