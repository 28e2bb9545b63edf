package middleware

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// A password that url.Parse reads as a port and a path, a query or a
// fragment (it was not percent-encoded) must not reach the error either.
func TestProxyErrorsHideOddPasswords(t *testing.T) {
	for _, raw := range []string{
		"http://u:4711/hunter2@p.test:3128",
		"http://u:4711?hunter2@p.test:3128",
		"http://u:4711#hunter2@p.test:3128",
		"http://u:4711hunter2@p.test:3128/x",
		"http://u:123456/hunter2@p.test",
	} {
		_, err := ParseProxyURL(raw)
		if err == nil {
			t.Errorf("ParseProxyURL(%q) accepted it", raw)
			continue
		}
		if strings.Contains(err.Error(), "hunter2") || strings.Contains(err.Error(), "4711") || strings.Contains(err.Error(), "123456") {
			t.Errorf("ParseProxyURL(%q): error %q shows the password", raw, err)
		}
	}
	for _, key := range []string{"http://u:hunter2@p.test", "u:hunter2@p.test:3128", "all://u:hunter2@p.test:1/"} {
		_, err := NewProxySelector(ProxyConfig{Proxies: map[string]string{key: "http://p.test:1"}})
		if err == nil {
			t.Errorf("key %q accepted", key)
			continue
		}
		if strings.Contains(err.Error(), "hunter2") {
			t.Errorf("key %q: error %q shows the password", key, err)
		}
	}
}

// A request whose Method is "" is a GET (net/http's rule): it is retried.
func TestRetryEmptyMethodIsGET(t *testing.T) {
	calls := 0
	next := RoundTripperFunc(func(r *http.Request) (*http.Response, error) {
		calls++
		code := http.StatusServiceUnavailable
		if calls > 1 {
			code = http.StatusOK
		}
		return &http.Response{StatusCode: code, Body: http.NoBody, Request: r}, nil
	})
	rt := Retry(RetryOptions{BaseDelay: -1})(next)
	u, _ := url.Parse("http://a.test/")
	resp, err := rt.RoundTrip(&http.Request{URL: u, Header: http.Header{}})
	if err != nil || resp.StatusCode != http.StatusOK || calls != 2 {
		t.Fatalf("resp %v, err %v after %d calls; want 200 after 2", resp, err, calls)
	}
}

// A Location key with no value is a 3xx without Location: returned as it is,
// not a panic.
func TestRedirectEmptyLocationSlice(t *testing.T) {
	next := RoundTripperFunc(func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: http.StatusFound, Header: http.Header{"Location": {}}, Body: http.NoBody, Request: r}, nil
	})
	req, _ := http.NewRequest("GET", "http://a.test/", nil)
	resp, err := Redirects(RedirectOptions{})(next).RoundTrip(req)
	if err != nil || resp.StatusCode != http.StatusFound {
		t.Fatalf("resp %v, err %v; want the 302 itself", resp, err)
	}
}

// A response the timeout middleware returns with a nil error is never
// cancelled afterwards by its response-header timer, even when the timer
// expired as the response arrived (time.Timer.Stop reports false before the
// AfterFunc goroutine has run). Many timers expiring at once delay that
// goroutine, which makes the race show on most runs.
func TestTimeoutResponseHeaderRaceAtDeadline(t *testing.T) {
	d := 50 * time.Microsecond
	next := RoundTripperFunc(func(r *http.Request) (*http.Response, error) {
		start := time.Now()
		for range 2000 {
			time.AfterFunc(d, func() {})
		}
		for time.Since(start) < d+100*time.Microsecond {
		}
		return &http.Response{StatusCode: http.StatusOK, Body: io.NopCloser(strings.NewReader("x")), Request: r}, nil
	})
	rt := Timeout(Timeouts{ResponseHeader: d})(next)
	var got []*http.Response
	for range 100 {
		req, _ := http.NewRequest("GET", "http://a.test/", nil)
		resp, err := rt.RoundTrip(req)
		if err == nil {
			got = append(got, resp)
		}
	}
	time.Sleep(20 * time.Millisecond)
	bad := 0
	for _, resp := range got {
		var te *TimeoutError
		if errors.As(context.Cause(resp.Request.Context()), &te) {
			bad++
		}
		resp.Body.Close()
	}
	if bad > 0 {
		t.Errorf("%d of %d responses returned with a nil error had their context cancelled by the timer", bad, len(got))
	}
}

func TestEmptyLocationIsNotFollowed(t *testing.T) {
	calls := 0
	base := RoundTripperFunc(func(r *http.Request) (*http.Response, error) {
		calls++
		return &http.Response{StatusCode: http.StatusFound, Header: http.Header{"Location": {""}}, Body: http.NoBody, Request: r}, nil
	})
	rt := Chain(base, Redirects(RedirectOptions{}))
	req, _ := http.NewRequest("GET", "http://x.test/", nil)
	resp, err := rt.RoundTrip(req)
	if err != nil || resp.StatusCode != http.StatusFound || calls != 1 {
		t.Errorf("status %v, err %v, %d calls; want the 302 itself after one call", resp, err, calls)
	}
}
