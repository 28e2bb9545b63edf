package middleware_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/relayhttp/relay/middleware"
)

// capture returns a base transport that stores the request it receives.
func capture(got **http.Request) http.RoundTripper {
	return middleware.RoundTripperFunc(func(r *http.Request) (*http.Response, error) {
		*got = r
		return ok(r)
	})
}

func TestDefaults(t *testing.T) {
	headers := http.Header{"User-Agent": {"relay"}, "X-Session": {"s"}, "X-Both": {"session"}}
	params := url.Values{"per_page": {"10"}, "page": {"1"}, "tag": {"a", "b"}}
	cases := []struct {
		name       string
		url        string
		header     http.Header
		without    []string
		wantHeader http.Header
		wantQuery  string
	}{
		{
			name:       "merged",
			url:        "http://x.test/p",
			wantHeader: http.Header{"User-Agent": {"relay"}, "X-Session": {"s"}, "X-Both": {"session"}},
			wantQuery:  "page=1&per_page=10&tag=a&tag=b",
		},
		{
			name:       "request wins",
			url:        "http://x.test/p?page=3&page=4&z=%2F",
			header:     http.Header{"X-Both": {"request"}},
			wantHeader: http.Header{"User-Agent": {"relay"}, "X-Session": {"s"}, "X-Both": {"request"}},
			wantQuery:  "page=3&page=4&z=%2F&per_page=10&tag=a&tag=b",
		},
		{
			name:       "without",
			url:        "http://x.test/p?page=1&per_page=1&tag=c",
			without:    []string{"x-session", "User-Agent"},
			wantHeader: http.Header{"X-Both": {"session"}, "User-Agent": {}},
			wantQuery:  "page=1&per_page=1&tag=c",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got *http.Request
			rt := middleware.Chain(capture(&got), middleware.Defaults(headers, params))
			ctx := context.Background()
			if c.without != nil {
				ctx = middleware.WithoutHeaders(ctx, c.without...)
			}
			req, _ := http.NewRequestWithContext(ctx, "GET", c.url, nil)
			for k, v := range c.header {
				req.Header[k] = v
			}
			before, beforeURL := req.Header.Clone(), req.URL.String()
			resp, err := rt.RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if diff := cmp.Diff(c.wantHeader, got.Header); diff != "" {
				t.Errorf("header mismatch (-want +got):\n%s", diff)
			}
			if got.URL.RawQuery != c.wantQuery {
				t.Errorf("query = %q, want %q", got.URL.RawQuery, c.wantQuery)
			}
			if diff := cmp.Diff(before, req.Header); diff != "" || req.URL.String() != beforeURL {
				t.Errorf("the caller's request was modified:\n%s", diff)
			}
		})
	}
}

func TestDefaultsSkipMergedAndCompleteRequests(t *testing.T) {
	var got *http.Request
	rt := middleware.Chain(capture(&got), middleware.Defaults(http.Header{"X-A": {"1"}}, nil))
	req, _ := http.NewRequestWithContext(middleware.WithDefaultsMerged(context.Background()), "GET", "http://x.test/", nil)
	rt.RoundTrip(req)
	if got != req || got.Header.Get("X-A") != "" {
		t.Error("a request marked merged must pass untouched")
	}
	req, _ = http.NewRequest("GET", "http://x.test/", nil)
	req.Header.Set("X-A", "mine")
	rt.RoundTrip(req)
	if got != req {
		t.Error("a request that already has every default must not be cloned")
	}
}

func TestDefaultsCopiesItsMaps(t *testing.T) {
	h := http.Header{"X-A": {"1"}}
	rt := middleware.Defaults(h, nil)
	h.Set("X-A", "2")
	var got *http.Request
	req, _ := http.NewRequest("GET", "http://x.test/", nil)
	rt(capture(&got)).RoundTrip(req)
	if got.Header.Get("X-A") != "1" {
		t.Errorf("X-A = %q: Defaults must copy the header set", got.Header.Get("X-A"))
	}
}

// TestMergedValuesAreCopies: editing a merged header in place must not write
// into the defaults it came from.
func TestMergedValuesAreCopies(t *testing.T) {
	defaults := http.Header{"User-Agent": {"relay"}, "Accept": {"*/*"}}
	req, _ := http.NewRequest("GET", "http://x.test/", nil)
	middleware.MergeDefaults(req, defaults, nil)
	req.Header["User-Agent"][0] = "edited"
	req.Header["Accept"][0] = "edited"
	if defaults.Get("User-Agent") != "relay" || defaults.Get("Accept") != "*/*" {
		t.Errorf("editing the request changed the defaults: %v", defaults)
	}
}
