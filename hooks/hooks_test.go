package hooks_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/relayhttp/relay/hooks"
	"github.com/relayhttp/relay/middleware"
)

// recordingBody is a body that records whether it was closed.
type recordingBody struct {
	io.Reader
	closed atomic.Bool
}

func newBody(s string) *recordingBody { return &recordingBody{Reader: strings.NewReader(s)} }

func (b *recordingBody) Close() error {
	b.closed.Store(true)
	return nil
}

// bodyRecorder wraps next and swaps each response body for a recordingBody,
// so a test can tell whether the middleware above closed it.
type bodyRecorder struct {
	next http.RoundTripper
	mu   sync.Mutex
	seen []*recordingBody
}

func (b *bodyRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := b.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	data, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	rb := newBody(string(data))
	b.mu.Lock()
	b.seen = append(b.seen, rb)
	b.mu.Unlock()
	resp.Body = rb
	return resp, nil
}

func (b *bodyRecorder) closed() []bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	var c []bool
	for _, rb := range b.seen {
		c = append(c, rb.closed.Load())
	}
	return c
}

// newServer answers /redirect/N with a 302 to /redirect/N-1 (/final at 0),
// /status/N with N, and anything else with 200 and the path as body.
func newServer(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var n int
		switch {
		case strings.HasPrefix(r.URL.Path, "/redirect/"):
			fmt.Sscanf(r.URL.Path, "/redirect/%d", &n)
			if n <= 1 {
				http.Redirect(w, r, "/final", http.StatusFound)
				return
			}
			http.Redirect(w, r, fmt.Sprintf("/redirect/%d", n-1), http.StatusFound)
		case strings.HasPrefix(r.URL.Path, "/status/"):
			fmt.Sscanf(r.URL.Path, "/status/%d", &n)
			w.WriteHeader(n)
			io.WriteString(w, r.URL.Path)
		default:
			io.WriteString(w, r.URL.Path+" "+r.Header.Get("X-Hook"))
		}
	}))
	t.Cleanup(func() {
		srv.Client().CloseIdleConnections()
		srv.Close()
	})
	return srv
}

func get(t *testing.T, rt http.RoundTripper, ctx context.Context, url string) (*http.Response, error) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	return rt.RoundTrip(req)
}

func readAll(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestOrder(t *testing.T) {
	srv := newServer(t)
	var mu sync.Mutex
	var got []string
	note := func(s string) {
		mu.Lock()
		got = append(got, s)
		mu.Unlock()
	}
	reqHook := func(name string) hooks.RequestHook {
		return func(*http.Request) error { note("request " + name); return nil }
	}
	respHook := func(name string) hooks.ResponseHook {
		return func(*http.Response) (*http.Response, error) { note("response " + name); return nil, nil }
	}
	errHook := func(name string) hooks.ErrorHook {
		return func(*http.Request, error) { note("error " + name) }
	}
	var reg hooks.Registry
	reg.OnRequest(reqHook("s1"))
	reg.OnResponse(respHook("s1"))
	reg.OnError(errHook("s1"))
	reg.OnRequest(reqHook("s2"))
	reg.OnResponse(respHook("s2"))
	reg.OnError(errHook("s2"))
	ctx := context.Background()
	ctx = hooks.WithErrorHook(ctx, errHook("r1"))
	ctx = hooks.WithResponseHook(ctx, respHook("r1"))
	ctx = hooks.WithRequestHook(ctx, reqHook("r1"))
	ctx = hooks.WithRequestHook(ctx, reqHook("r2"))
	ctx = hooks.WithResponseHook(ctx, respHook("r2"))
	ctx = hooks.WithErrorHook(ctx, errHook("r2"))

	failing := middleware.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
		return nil, errors.New("dial refused")
	})
	for _, tc := range []struct {
		name string
		next http.RoundTripper
		want []string
	}{
		{"response", srv.Client().Transport, []string{
			"request s1", "request s2", "request r1", "request r2",
			"response s1", "response s2", "response r1", "response r2",
		}},
		{"error", failing, []string{
			"request s1", "request s2", "request r1", "request r2",
			"error s1", "error s2", "error r1", "error r2",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got = nil
			resp, err := get(t, hooks.Middleware(&reg)(tc.next), ctx, srv.URL)
			if err == nil {
				resp.Body.Close()
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("hook order mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestContextHooksDoNotLeakIntoParent(t *testing.T) {
	var calls []string
	parent := hooks.WithRequestHook(context.Background(), func(*http.Request) error { calls = append(calls, "parent"); return nil })
	_ = hooks.WithRequestHook(parent, func(*http.Request) error { calls = append(calls, "child"); return nil })
	next := middleware.RoundTripperFunc(func(*http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 200, Body: http.NoBody}, nil
	})
	if _, err := get(t, hooks.Middleware(nil)(next), parent, "http://example.test/"); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"parent"}, calls); diff != "" {
		t.Errorf("hooks run mismatch (-want +got):\n%s", diff)
	}
}

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

// event is what a hook saw, for comparing sequences.
type event struct {
	Kind, Path string
	Status     int
}

type recorder struct {
	mu     sync.Mutex
	events []event
}

func (r *recorder) add(e event) {
	r.mu.Lock()
	r.events = append(r.events, e)
	r.mu.Unlock()
}

func (r *recorder) register(reg *hooks.Registry) {
	reg.OnRequest(func(req *http.Request) error {
		r.add(event{"request", req.URL.Path, 0})
		return nil
	})
	reg.OnResponse(func(resp *http.Response) (*http.Response, error) {
		r.add(event{"response", resp.Request.URL.Path, resp.StatusCode})
		return nil, nil
	})
	reg.OnError(func(req *http.Request, err error) {
		r.add(event{"error", req.URL.Path, 0})
	})
}

func TestHops(t *testing.T) {
	srv := newServer(t)
	base := srv.Client().Transport
	asked := hooks.WithHops(context.Background())
	final := []event{{"request", "/redirect/2", 0}, {"response", "/final", 200}}
	every := []event{
		{"request", "/redirect/2", 0}, {"response", "/redirect/2", 302},
		{"request", "/redirect/1", 0}, {"response", "/redirect/1", 302},
		{"request", "/final", 0}, {"response", "/final", 200},
	}
	tests := []struct {
		name string
		ctx  context.Context
		path string
		// stack builds the chain over base, as a session would.
		stack func(reg *hooks.Registry) http.RoundTripper
		want  []event
	}{
		{
			name: "default: final response only",
			ctx:  context.Background(),
			path: "/redirect/2",
			stack: func(reg *hooks.Registry) http.RoundTripper {
				return middleware.Chain(base, hooks.Middleware(reg), middleware.Redirects(middleware.RedirectOptions{}), hooks.HopMiddleware(reg))
			},
			want: final,
		},
		{
			name: "asked: every hop, none twice",
			ctx:  asked,
			path: "/redirect/2",
			stack: func(reg *hooks.Registry) http.RoundTripper {
				return middleware.Chain(base, hooks.Middleware(reg), middleware.Redirects(middleware.RedirectOptions{}), hooks.HopMiddleware(reg))
			},
			want: every,
		},
		{
			name: "asked, no hop middleware: final only",
			ctx:  asked,
			path: "/redirect/2",
			stack: func(reg *hooks.Registry) http.RoundTripper {
				return middleware.Chain(base, hooks.Middleware(reg), middleware.Redirects(middleware.RedirectOptions{}))
			},
			want: final,
		},
		{
			name: "asked, hop middleware alone",
			ctx:  asked,
			path: "/redirect/2",
			stack: func(reg *hooks.Registry) http.RoundTripper {
				return middleware.Chain(base, middleware.Redirects(middleware.RedirectOptions{}), hooks.HopMiddleware(reg))
			},
			want: every,
		},
		{
			name: "asked: a redirect error after hooked hops is hooked once",
			ctx:  asked,
			path: "/redirect/3",
			stack: func(reg *hooks.Registry) http.RoundTripper {
				return middleware.Chain(base, hooks.Middleware(reg), middleware.Redirects(middleware.RedirectOptions{Max: 1}), hooks.HopMiddleware(reg))
			},
			want: []event{
				{"request", "/redirect/3", 0}, {"response", "/redirect/3", 302},
				{"request", "/redirect/2", 0}, {"response", "/redirect/2", 302},
				{"error", "/redirect/3", 0},
			},
		},
		{
			name: "asked: a transport error is hooked once",
			ctx:  asked,
			path: "/redirect/1",
			stack: func(reg *hooks.Registry) http.RoundTripper {
				failFinal := middleware.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
					if req.URL.Path == "/final" {
						return nil, errHook
					}
					return base.RoundTrip(req)
				})
				return middleware.Chain(failFinal, hooks.Middleware(reg), middleware.Redirects(middleware.RedirectOptions{}), hooks.HopMiddleware(reg))
			},
			want: []event{
				{"request", "/redirect/1", 0}, {"response", "/redirect/1", 302},
				{"request", "/final", 0}, {"error", "/final", 0},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var reg hooks.Registry
			var rec recorder
			rec.register(&reg)
			resp, err := get(t, tc.stack(&reg), tc.ctx, srv.URL+tc.path)
			if err == nil {
				readAll(t, resp)
			}
			if diff := cmp.Diff(tc.want, rec.events); diff != "" {
				t.Errorf("events mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestHopsRetry has a toy retry middleware under Redirects: each attempt is
// hooked when asked, and the final response once otherwise.
func TestHopsRetry(t *testing.T) {
	srv := newServer(t)
	base := srv.Client().Transport
	var attempts atomic.Int32
	flaky := middleware.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
		if attempts.Add(1)%2 == 1 {
			return nil, errHook
		}
		return base.RoundTrip(req)
	})
	retry := func(next http.RoundTripper) http.RoundTripper {
		return middleware.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
			if resp, err := next.RoundTrip(req); err == nil {
				return resp, nil
			}
			return next.RoundTrip(req.Clone(req.Context()))
		})
	}
	for _, tc := range []struct {
		ctx  context.Context
		want []event
	}{
		{context.Background(), []event{{"request", "/x", 0}, {"response", "/x", 200}}},
		{hooks.WithHops(context.Background()), []event{
			{"request", "/x", 0}, {"error", "/x", 0},
			{"request", "/x", 0}, {"response", "/x", 200},
		}},
	} {
		var reg hooks.Registry
		var rec recorder
		rec.register(&reg)
		rt := middleware.Chain(flaky, hooks.Middleware(&reg), middleware.Redirects(middleware.RedirectOptions{}), retry, hooks.HopMiddleware(&reg))
		resp, err := get(t, rt, tc.ctx, srv.URL+"/x")
		if err != nil {
			t.Fatal(err)
		}
		readAll(t, resp)
		if diff := cmp.Diff(tc.want, rec.events); diff != "" {
			t.Errorf("hops=%v: events mismatch (-want +got):\n%s", hooks.Hops(tc.ctx), diff)
		}
	}
}

func TestConcurrent(t *testing.T) {
	srv := newServer(t)
	var reg hooks.Registry
	var responses atomic.Int64
	reg.OnResponse(func(*http.Response) (*http.Response, error) { responses.Add(1); return nil, nil })
	rt := middleware.Chain(srv.Client().Transport, hooks.Middleware(&reg), middleware.Redirects(middleware.RedirectOptions{}), hooks.HopMiddleware(&reg))
	const n = 64
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			ctx := context.Background()
			if i%2 == 0 {
				ctx = hooks.WithHops(ctx)
			}
			ctx = hooks.WithRequestHook(ctx, func(r *http.Request) error {
				r.Header.Set("X-Hook", fmt.Sprint(i))
				return nil
			})
			resp, err := get(t, rt, ctx, srv.URL+"/redirect/1")
			if err != nil {
				t.Error(err)
				return
			}
			if got, want := readAll(t, resp), fmt.Sprintf("/final %d", i); got != want {
				t.Errorf("body %q, want %q", got, want)
			}
		})
		if i%8 == 0 {
			reg.OnRequest(func(*http.Request) error { return nil }) // registering while requests run
		}
	}
	wg.Wait()
	// Odd requests: the final response; even ones: the 302 and the final.
	if got, want := responses.Load(), int64(n/2+n); got < want {
		t.Errorf("%d responses hooked, want at least %d", got, want)
	}
}

func TestNoHooksNoAllocations(t *testing.T) {
	resp := &http.Response{StatusCode: 200, Body: http.NoBody}
	next := middleware.RoundTripperFunc(func(*http.Request) (*http.Response, error) { return resp, nil })
	var reg hooks.Registry
	rt := middleware.Chain(next, hooks.Middleware(&reg), hooks.HopMiddleware(&reg))
	req, _ := http.NewRequest(http.MethodGet, "http://example.test/", nil)
	if n := testing.AllocsPerRun(100, func() { _, _ = rt.RoundTrip(req) }); n != 0 {
		t.Errorf("%v allocations per request without hooks, want 0", n)
	}
}

func TestCloseIdleConnectionsForwarded(t *testing.T) {
	var n atomic.Int32
	base := closeCounter{&n}
	middleware.CloseIdleConnections(middleware.Chain(base, hooks.Middleware(nil), hooks.HopMiddleware(nil)))
	if n.Load() != 1 {
		t.Errorf("CloseIdleConnections reached the base %d times, want 1", n.Load())
	}
}

type closeCounter struct{ n *atomic.Int32 }

func (c closeCounter) RoundTrip(*http.Request) (*http.Response, error) { return nil, errHook }
func (c closeCounter) CloseIdleConnections()                           { c.n.Add(1) }
