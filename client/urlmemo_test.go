package client

import (
	"context"
	"fmt"
	"net/http"
	"reflect"
	"sync"
	"testing"
)

// memoURLs are URLs whose parse keeps every field of url.URL busy between
// them: ports (an empty one too), IPv6, escapes, queries, fragments, an
// opaque URL, a path-only one.
var memoURLs = []string{
	"http://example.test/get",
	"https://example.test:8443/a%2Fb/c?x=1&y=%20#frag%21",
	"http://example.test:/empty-port",
	"http://[::1]:8080/v6?q",
	"https://example.test/?",
	"mailto:someone@example.test",
	"/relative/path?only",
	"HTTP://Example.TEST/Mixed",
}

// sameRequest fails t unless got is what net/http builds for raw.
func sameRequest(t *testing.T, ctx context.Context, got *http.Request, raw string) {
	t.Helper()
	want, err := http.NewRequestWithContext(ctx, http.MethodGet, raw, nil)
	if err != nil {
		t.Fatalf("%q: net/http: %v", raw, err)
	}
	if !reflect.DeepEqual(got.URL, want.URL) || got.Host != want.Host {
		t.Errorf("%q: URL %#v host %q, want %#v host %q", raw, got.URL, got.Host, want.URL, want.Host)
	}
	if got.Method != want.Method || got.Proto != want.Proto || got.ProtoMajor != 1 || got.ProtoMinor != 1 ||
		got.Body != nil || got.GetBody != nil || got.ContentLength != 0 || len(got.Header) != 0 || got.Header == nil ||
		got.Context() != ctx {
		t.Errorf("%q: request %+v, want %+v", raw, got, want)
	}
}

func TestURLMemoBuildsWhatNetHTTPBuilds(t *testing.T) {
	var m urlMemo
	ctx := context.Background()
	for range 2 { // parsed, then remembered (one turn of the four slots and more)
		for _, raw := range memoURLs {
			req, err := m.newRequest(ctx, http.MethodGet, raw)
			if err != nil {
				t.Fatalf("%q: %v", raw, err)
			}
			sameRequest(t, ctx, req, raw)
		}
	}
	for range 3 { // four URLs fit: every call after the first finds its own
		for _, raw := range memoURLs[:4] {
			req, _ := m.newRequest(ctx, http.MethodGet, raw)
			sameRequest(t, ctx, req, raw)
		}
	}
	if n := m.remembered(); n != 4 {
		t.Errorf("%d URLs remembered, want 4", n)
	}
}

// remembered counts the memo's stored URLs.
func (m *urlMemo) remembered() int {
	n := 0
	for i := range m.slots {
		if m.slots[i].Load() != nil {
			n++
		}
	}
	return n
}

func TestURLMemoRequestOwnsItsURL(t *testing.T) {
	var m urlMemo
	ctx := context.Background()
	raw := "http://example.test/get?a=1"
	for range 3 {
		req, err := m.newRequest(ctx, http.MethodGet, raw)
		if err != nil {
			t.Fatal(err)
		}
		sameRequest(t, ctx, req, raw)
		req.URL.Path, req.URL.RawQuery, req.URL.Host, req.Host = "/changed", "b=2", "other.test", "other.test"
	}
}

func TestURLMemoKeepsNoCredentials(t *testing.T) {
	var m urlMemo
	for _, raw := range []string{"https://user:secret@example.test/", "https://user@example.test/", "https://example.test/p@th"} {
		req, err := m.newRequest(context.Background(), http.MethodGet, raw)
		if err != nil {
			t.Fatal(err)
		}
		sameRequest(t, context.Background(), req, raw)
	}
	if n := m.remembered(); n != 0 {
		t.Errorf("%d URLs with an @ remembered, want none", n)
	}
}

func TestURLMemoErrorsAsNetHTTP(t *testing.T) {
	var m urlMemo
	ctx := context.Background()
	for _, c := range []struct{ method, raw string }{
		{"GET", "http://exa mple.test/"},
		{"GET", "http://example.test/\x7f\n"},
		{"GET", "http://[::1/"},
		{"BAD METHOD", "http://example.test/"},
	} {
		_, want := http.NewRequestWithContext(ctx, c.method, c.raw, nil)
		for range 2 {
			if _, got := m.newRequest(ctx, c.method, c.raw); fmt.Sprint(got) != fmt.Sprint(want) || got == nil {
				t.Errorf("%s %q: error %v, want %v", c.method, c.raw, got, want)
			}
		}
	}
	// A bad method on a remembered URL is refused as for any other.
	if _, err := m.newRequest(ctx, "GET", memoURLs[0]); err != nil {
		t.Fatal(err)
	}
	if _, err := m.newRequest(ctx, "BAD METHOD", memoURLs[0]); err == nil {
		t.Error("a bad method on a remembered URL: no error")
	}
}

func TestURLMemoConcurrent(t *testing.T) {
	var m urlMemo
	ctx := context.Background()
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				raw := memoURLs[(g+i)%6]
				req, err := m.newRequest(ctx, http.MethodGet, raw)
				if err != nil {
					t.Error(err)
					return
				}
				sameRequest(t, ctx, req, raw)
				req.URL.Path = "/mine"
			}
		})
	}
	wg.Wait()
}

func FuzzURLMemo(f *testing.F) {
	for _, raw := range memoURLs {
		f.Add(raw)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		var m urlMemo
		ctx := context.Background()
		want, wantErr := http.NewRequestWithContext(ctx, http.MethodGet, raw, nil)
		for range 2 {
			got, err := m.newRequest(ctx, http.MethodGet, raw)
			if fmt.Sprint(err) != fmt.Sprint(wantErr) {
				t.Fatalf("%q: error %v, want %v", raw, err, wantErr)
			}
			if err == nil && (!reflect.DeepEqual(got.URL, want.URL) || got.Host != want.Host) {
				t.Fatalf("%q: URL %#v host %q, want %#v host %q", raw, got.URL, got.Host, want.URL, want.Host)
			}
		}
	})
}
