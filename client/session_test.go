package client_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/relayhttp/relay/client"
	"github.com/relayhttp/relay/middleware"
)

func TestSessionDefaultHeaders(t *testing.T) {
	srv := httpbin(t)
	s := newSession(t)
	s.Headers.Set("X-Test", "true")
	e := echo(t, mustDo(t, s, "GET", srv.URL+"/headers", client.Header("X-Test2", "true")))
	for name, want := range map[string]string{
		"User-Agent":      "relay/" + client.Version,
		"Accept":          "*/*",
		"Accept-Encoding": "gzip, deflate, br, zstd",
		"X-Test":          "true",
		"X-Test2":         "true",
	} {
		if got := e.Headers.Get(name); got != want {
			t.Errorf("server saw %s = %q, want %q", name, got, want)
		}
	}
}

func TestSessionRequestHeaderWins(t *testing.T) {
	srv := httpbin(t)
	s := newSession(t)
	s.Headers.Set("X-Test", "session")
	e := echo(t, mustDo(t, s, "GET", srv.URL+"/headers",
		client.Header("x-test", "one"), client.Header("X-Test", "two")))
	if diff := cmp.Diff([]string{"one", "two"}, e.Headers.Values("X-Test")); diff != "" {
		t.Errorf("X-Test mismatch (-want +got):\n%s", diff)
	}
}

func TestWithoutRemovesSessionHeader(t *testing.T) {
	srv := httpbin(t)
	s := newSession(t)
	s.Headers.Set("X-Test", "true")
	e := echo(t, mustDo(t, s, "GET", srv.URL+"/headers", client.Without("x-test", "User-Agent", "Accept-Encoding")))
	for _, name := range []string{"X-Test", "User-Agent", "Accept-Encoding"} {
		if v, ok := e.Headers[name]; ok {
			t.Errorf("server saw %s = %q; Without should have removed it", name, v)
		}
	}
	// The session itself is unchanged: the next request sends the header.
	e = echo(t, mustDo(t, s, "GET", srv.URL+"/headers"))
	if got := e.Headers.Get("X-Test"); got != "true" {
		t.Errorf("next request: X-Test = %q, want true", got)
	}
}

func TestSessionParams(t *testing.T) {
	srv := httpbin(t)
	s := newSession(t)
	s.Params.Set("per_page", "10")
	s.Params.Set("page", "1")
	s.Params["tag"] = []string{"a", "b"}
	e := echo(t, mustDo(t, s, "GET", srv.URL+"/get?page=3&page=4", client.Param("q", "x y"), client.Param("q", "z")))
	want := url.Values{
		"page":     {"3", "4"}, // the URL's own key wins, repeats kept
		"per_page": {"10"},
		"q":        {"x y", "z"},
		"tag":      {"a", "b"},
	}
	if diff := cmp.Diff(want, e.Args); diff != "" {
		t.Errorf("query mismatch (-want +got):\n%s", diff)
	}
}

func TestSessionFieldsReadPerRequest(t *testing.T) {
	srv := httpbin(t)
	s := newSession(t)
	mustDo(t, s, "GET", srv.URL+"/get")
	s.Headers = http.Header{"X-Replaced": {"yes"}} // reassigned after first use
	e := echo(t, mustDo(t, s, "GET", srv.URL+"/headers"))
	if got := e.Headers.Get("X-Replaced"); got != "yes" {
		t.Errorf("X-Replaced = %q: a reassigned Headers map must be used", got)
	}
	if got := e.Headers.Get("User-Agent"); got == "relay/"+client.Version {
		t.Errorf("User-Agent = %q: the replaced map has none, so relay's default must not be sent", got)
	}
}

func TestPrepareSend(t *testing.T) {
	srv := httpbin(t)
	s := newSession(t)
	s.Headers.Set("X-Session", "1")
	req, err := s.Prepare(context.Background(), "PATCH", srv.URL+"/anything", client.JSON(map[string]int{"n": 1}))
	if err != nil {
		t.Fatal(err)
	}
	if got := req.Header.Get("X-Session"); got != "1" {
		t.Fatalf("prepared request lacks the session header: %q", got)
	}
	req.Header.Del("X-Session")
	req.Header.Set("X-Added", "after prepare")
	r, err := s.Send(req)
	if err != nil {
		t.Fatal(err)
	}
	e := echo(t, r)
	if _, ok := e.Headers["X-Session"]; ok {
		t.Error("a header deleted from a prepared request was put back")
	}
	var sent map[string]int
	_ = json.Unmarshal(e.JSON, &sent)
	if e.Headers.Get("X-Added") != "after prepare" || e.Method != "PATCH" || sent["n"] != 1 {
		t.Errorf("server saw %s %s json=%s", e.Method, e.Headers, e.JSON)
	}
}

func TestSendPlainRequestGetsDefaults(t *testing.T) {
	srv := httpbin(t)
	s := newSession(t)
	s.Headers.Set("X-Session", "1")
	req, _ := http.NewRequest("GET", srv.URL+"/headers", nil)
	r, err := s.Send(req, client.Header("X-Opt", "2"))
	if err != nil {
		t.Fatal(err)
	}
	e := echo(t, r)
	if e.Headers.Get("X-Session") != "1" || e.Headers.Get("X-Opt") != "2" {
		t.Errorf("server saw %v", e.Headers)
	}
	if _, ok := req.Header["X-Opt"]; ok {
		t.Error("Send modified the caller's request")
	}
}

func TestClientRunsTheStack(t *testing.T) {
	srv := httpbin(t)
	s := newSession(t)
	s.Headers.Set("X-Test", "true")
	hc := s.Client()
	resp, err := hc.Get(srv.URL + "/gzip")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var e struct {
		Gzipped bool        `json:"gzipped"`
		Headers http.Header `json:"headers"`
	}
	if err := jsonDecode(resp.Body, &e); err != nil {
		t.Fatal(err)
	}
	if !e.Gzipped || e.Headers.Get("X-Test") != "true" || !resp.Uncompressed {
		t.Errorf("gzipped=%v X-Test=%q uncompressed=%v", e.Gzipped, e.Headers.Get("X-Test"), resp.Uncompressed)
	}
}

func TestWithHTTPClient(t *testing.T) {
	srv := httpbin(t)
	var calls atomic.Int32
	base := middleware.RoundTripperFunc(func(r *http.Request) (*http.Response, error) {
		calls.Add(1)
		return http.DefaultTransport.RoundTrip(r)
	})
	hc := &http.Client{Transport: base, Timeout: 3 * time.Second}
	before := *hc
	s := client.NewSession(client.WithHTTPClient(hc))
	if s.Timeout != 3*time.Second {
		t.Errorf("Timeout = %v, want the client's 3s", s.Timeout)
	}
	mustDo(t, s, "GET", srv.URL+"/get")
	if calls.Load() != 1 {
		t.Errorf("the client's transport saw %d requests, want 1", calls.Load())
	}
	if hc.Timeout != before.Timeout || hc.Jar != before.Jar || hc.CheckRedirect != nil {
		t.Error("WithHTTPClient modified the client")
	}
}

func TestMountLongestPrefix(t *testing.T) {
	srv := httpbin(t)
	s := newSession(t, client.WithTransport(loopbackOnly(t)))
	canned := func(body string) http.RoundTripper {
		return middleware.RoundTripperFunc(func(r *http.Request) (*http.Response, error) {
			return cannedResponse(r, body), nil
		})
	}
	if err := s.Mount("http://api.example.test", canned("api")); err != nil {
		t.Fatal(err)
	}
	if err := s.Mount("http://api.example.test/v2/", canned("v2")); err != nil {
		t.Fatal(err)
	}
	for raw, want := range map[string]string{
		"http://api.example.test/x":     "http://api.example.test",
		"http://API.example.test/v2/x":  "http://api.example.test/v2/",
		"http://api.example.test.evil/": "http://",
		"ftp://api.example.test/":       "",
	} {
		u, _ := url.Parse(raw)
		if got, ok := s.MountPrefix(u); got != want || ok != (want != "") {
			t.Errorf("MountPrefix(%s) = %q, %v; want %q", raw, got, ok, want)
		}
	}
	for url, want := range map[string]string{
		"http://api.example.test/x":     "api",
		"http://API.example.test/v2/x":  "v2",
		"http://api.example.test/v2x":   "api",
		"http://api.example.test.evil/": "", // not mounted: goes to the default transport, which dials only loopback
	} {
		r, err := s.Get(context.Background(), url, client.Timeout(2*time.Second))
		if want == "" {
			if err == nil {
				t.Errorf("%s: answered by a mount, want the default transport", url)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", url, err)
		}
		if got, _ := r.Text(); got != want {
			t.Errorf("%s answered by %q, want %q", url, got, want)
		}
	}
	// The default mounts still work.
	if r := mustDo(t, s, "GET", srv.URL+"/status/204"); r.StatusCode != 204 {
		t.Errorf("default mount: status %d", r.StatusCode)
	}
	if err := s.Mount("not a prefix", canned("x")); err == nil {
		t.Error("Mount accepted a prefix without a scheme")
	}
}

func TestConcurrentSession(t *testing.T) {
	srv := httpbin(t)
	s := newSession(t)
	s.Headers.Set("X-Shared", "1")
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for i := range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 5 {
				r, err := s.Get(context.Background(), srv.URL+"/get", client.Param("i", itoa(i*10+j)))
				if err != nil {
					errs <- err
					return
				}
				var e struct{ Args url.Values }
				if err := r.JSON(&e); err != nil || e.Args.Get("i") != itoa(i*10+j) {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent request: %v", err)
	}
}

func TestMisbehavingMounts(t *testing.T) {
	s := newSession(t)
	s.Mount("http://nil-response.test", middleware.RoundTripperFunc(func(*http.Request) (*http.Response, error) {
		return nil, nil
	}))
	s.Mount("http://nil-body.test", middleware.RoundTripperFunc(func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 204, Status: "204 No Content", Header: http.Header{}, Request: r}, nil
	}))
	if _, err := s.Get(context.Background(), "http://nil-response.test/"); err == nil {
		t.Error("a nil response with a nil error must be an error")
	}
	r, err := s.Get(context.Background(), "http://nil-body.test/")
	if err != nil {
		t.Fatal(err)
	}
	if b, err := r.Bytes(); err != nil || len(b) != 0 {
		t.Errorf("a response without Body: %q, %v", b, err)
	}
}

// TestRepeatedOptionsOnTheWire pins the exact query and header values of
// repeated Header and Param options: names canonical, each name's values in
// option order, params sorted by key and escaped as url.Values.Encode does.
func TestRepeatedOptionsOnTheWire(t *testing.T) {
	var query string
	var header http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		query, header = r.URL.RawQuery, r.Header.Clone()
	}))
	defer srv.Close()
	s := newSession(t)
	s.Headers.Set("X-A", "session")
	mustDo(t, s, "GET", srv.URL+"/?z=0",
		client.Header("x-a", "1"), client.Param("b", "2 2"), client.Header("X-B", "3"),
		client.Param("a", "é&"), client.Header("X-A", "4"), client.Param("b", "1"))
	if want := "z=0&a=%C3%A9%26&b=2+2&b=1"; query != want {
		t.Errorf("query = %q, want %q", query, want)
	}
	if got := header["X-A"]; !slices.Equal(got, []string{"1", "4"}) {
		t.Errorf("X-A = %q, want [1 4]: the options' values replace the session's, in order", got)
	}
	if got := header["X-B"]; !slices.Equal(got, []string{"3"}) {
		t.Errorf("X-B = %q, want [3]", got)
	}
}
