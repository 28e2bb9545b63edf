package middleware_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/relayhttp/relay/middleware"
)

// tag returns a middleware that records its name on the way in and out.
func tag(name string, trace *[]string) middleware.Middleware {
	return func(next http.RoundTripper) http.RoundTripper {
		return middleware.RoundTripperFunc(func(r *http.Request) (*http.Response, error) {
			*trace = append(*trace, "in "+name)
			resp, err := next.RoundTrip(r)
			*trace = append(*trace, "out "+name)
			return resp, err
		})
	}
}

func ok(r *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: 200, Body: io.NopCloser(strings.NewReader("")), Request: r}, nil
}

func TestChainOrder(t *testing.T) {
	var trace []string
	base := middleware.RoundTripperFunc(func(r *http.Request) (*http.Response, error) {
		trace = append(trace, "base")
		return ok(r)
	})
	rt := middleware.Chain(base, tag("a", &trace), nil, tag("b", &trace))
	req, _ := http.NewRequest("GET", "http://example.test/", nil)
	resp, err := rt.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if diff := cmp.Diff([]string{"in a", "in b", "base", "out b", "out a"}, trace); diff != "" {
		t.Errorf("order mismatch (-want +got):\n%s", diff)
	}
}

func TestChainNilBaseIsDefaultTransport(t *testing.T) {
	if rt := middleware.Chain(nil); rt != http.DefaultTransport {
		t.Errorf("Chain(nil) = %T, want http.DefaultTransport", rt)
	}
}

func TestWrapCopiesTheClient(t *testing.T) {
	var trace []string
	base := middleware.RoundTripperFunc(ok)
	orig := &http.Client{Transport: base, Timeout: 7}
	wrapped := middleware.Wrap(orig, tag("w", &trace))
	if wrapped == orig || orig.Transport == nil || wrapped.Timeout != 7 {
		t.Fatal("Wrap must return a copy with the same settings")
	}
	if _, isFunc := orig.Transport.(middleware.RoundTripperFunc); !isFunc {
		t.Error("Wrap modified the original client's transport")
	}
	resp, err := wrapped.Get("http://example.test/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if len(trace) != 2 {
		t.Errorf("the wrapped client did not run the middleware: %v", trace)
	}
	if middleware.Wrap(nil).Transport != http.DefaultTransport {
		t.Error("Wrap(nil) should wrap http.DefaultTransport")
	}
}

// idleCounter counts CloseIdleConnections calls.
type idleCounter struct {
	http.RoundTripper
	n int
}

func (c *idleCounter) CloseIdleConnections() { c.n++ }

func TestBuiltinsForwardCloseIdleConnections(t *testing.T) {
	base := &idleCounter{RoundTripper: middleware.RoundTripperFunc(ok)}
	rt := middleware.Chain(base, middleware.Defaults(nil, nil), middleware.Decompress())
	(&http.Client{Transport: rt}).CloseIdleConnections()
	if base.n != 1 {
		t.Errorf("CloseIdleConnections reached the base %d times, want 1", base.n)
	}
}

func TestDrainAndClose(t *testing.T) {
	body := &countingBody{r: strings.NewReader(strings.Repeat("x", 10*middleware.DrainLimit))}
	middleware.DrainAndClose(&http.Response{Body: body})
	if !body.closed || body.read > middleware.DrainLimit {
		t.Errorf("read %d bytes, closed=%v; want at most DrainLimit and closed", body.read, body.closed)
	}
	middleware.DrainAndClose(nil) // must not panic
}

type countingBody struct {
	r      io.Reader
	read   int
	closed bool
}

func (b *countingBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	b.read += n
	return n, err
}

func (b *countingBody) Close() error { b.closed = true; return nil }
