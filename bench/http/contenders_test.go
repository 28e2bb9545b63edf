package httpbench

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"testing"

	"github.com/carlmjohnson/requests"

	"github.com/relayhttp/relay/client"
)

// The report's rows: the operations every contender does, the same way a
// careful user of each would write them.
const (
	rowSmallGET   = "small GET"
	rowSessionGET = "session GET"
	rowPostJSON   = "POST JSON"
	rowHTTP2      = "HTTP/2 GET" // the small GET over TLS with HTTP/2, against the report's second server
)

// reportRows are the rows measured one request after another; peerRows
// are those of the comparison with carlmjohnson/requests.
var (
	reportRows = []string{rowSmallGET, rowSessionGET, rowPostJSON, rowHTTP2}
	peerRows   = []string{rowSmallGET, rowSessionGET, rowPostJSON}
)

// op is one request of a row, checked: an error if the answer is not the
// expected one. It is safe for concurrent use.
type op func(ctx context.Context) error

// contender is a client the report measures. setup builds its client for a
// row against srv and returns the row's operation, or nil for a row it does
// not take part in; the client's idle connections are closed when tb ends.
type contender struct {
	name  string
	setup func(tb testing.TB, srv *server, row string) op
}

// contenders are bare net/http first (the reference every ratio divides by),
// relay, and carlmjohnson/requests: the fastest Go peer per request when
// issue 15 was written. The last is a second net/http client, the same as
// the first: its ratio, which the same client would make 1.00×, is the
// report's own error.
var contenders = []contender{
	{"net/http", bareOps},
	{"relay", relayOps},
	{"carlmjohnson/requests", requestsOps},
	{"net/http + relay's headers", bareWithRelayHeadersOps},
	{"net/http again", bareOps},
}

// The places in contenders the report reads by name.
const (
	relayAt       = 1
	peerAt        = 2
	withHeadersAt = 3
	againAt       = 4
)

// bareWithRelayHeadersOps: the small GET of net/http sending the three
// headers a relay Session sends by default (one more than net/http's two,
// and a longer Accept-Encoding), to tell their cost on the loopback server
// from relay's own. It takes part in the small GET rows only.
func bareWithRelayHeadersOps(tb testing.TB, srv *server, row string) op {
	if row != rowSmallGET {
		return nil
	}
	c, tr := bareClient()
	tb.Cleanup(tr.CloseIdleConnections)
	h := newSession().Headers
	u := srv.URL + "/small"
	return func(ctx context.Context) error {
		req, err := bareGetWith(ctx, u, h)
		if err != nil {
			return err
		}
		return checkHello(bareDo(c, req))
	}
}

// bareGetWith returns a GET of u carrying h's headers, as a user of
// net/http sets defaults of their own.
func bareGetWith(ctx context.Context, u string, h http.Header) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	for name, values := range h {
		req.Header[name] = values
	}
	return req, nil
}

// sessionCookie is the one cookie the session GET's jar holds.
var sessionCookie = &http.Cookie{Name: "session", Value: "abc123"}

// jarFor returns a net/http cookie jar holding sessionCookie for srv.
func jarFor(tb testing.TB, srv *server) http.CookieJar {
	jar, err := cookiejar.New(nil)
	if err != nil {
		tb.Fatal(err)
	}
	u, _ := url.Parse(srv.URL)
	jar.SetCookies(u, []*http.Cookie{sessionCookie})
	return jar
}

func checkHello(b []byte, err error) error {
	if err != nil {
		return err
	}
	if !bytes.Equal(b, hello) {
		return fmt.Errorf("body %q, want %q", b, hello)
	}
	return nil
}

func checkEcho(b []byte, err error) error {
	if err != nil {
		return err
	}
	if !bytes.Contains(b, []byte(`"Ada Lovelace"`)) {
		return fmt.Errorf("body %q is not the posted JSON", b)
	}
	return nil
}

// bareOps: an http.Client tuned like relay's base transport; the session
// GET sets the default headers itself and has the client's Jar.
func bareOps(tb testing.TB, srv *server, row string) op {
	c, tr := bareClient()
	if row == rowHTTP2 {
		c, tr = h2Bare(tb, srv)
	}
	tb.Cleanup(tr.CloseIdleConnections)
	switch row {
	case rowHTTP2:
		u := srv.URL + "/small"
		return func(context.Context) error { return checkHello(bareGet(c, u)) }
	case rowSmallGET:
		u := srv.URL + "/small"
		return func(context.Context) error { return checkHello(bareGet(c, u)) }
	case rowSessionGET:
		c.Jar = jarFor(tb, srv)
		defaults := http.Header{"X-Api-Version": {"2"}, "X-Client": {"bench"}}
		u := srv.URL + "/session"
		return func(ctx context.Context) error {
			req, err := bareGetWith(ctx, u, defaults)
			if err != nil {
				return err
			}
			req.Header.Set("X-Request-Id", "42")
			req.URL.RawQuery = url.Values{"page": {"2"}}.Encode()
			return checkHello(bareDo(c, req))
		}
	case rowPostJSON:
		u := srv.URL + "/json"
		return func(ctx context.Context) error { return checkEcho(barePostJSON(ctx, c, u, samplePayload)) }
	}
	panic("no row " + row)
}

// relayOps: a default Session; the session GET's defaults are the
// session's Headers and Jar.
func relayOps(tb testing.TB, srv *server, row string) op {
	s := newSession()
	if row == rowHTTP2 {
		s = h2Session(tb, srv)
	}
	tb.Cleanup(s.CloseIdleConnections)
	switch row {
	case rowHTTP2:
		u := srv.URL + "/small"
		return func(ctx context.Context) error { return checkHello(relayGet(ctx, s, u)) }
	case rowSmallGET:
		u := srv.URL + "/small"
		return func(ctx context.Context) error { return checkHello(relayGet(ctx, s, u)) }
	case rowSessionGET:
		s.Headers.Set("X-Api-Version", "2")
		s.Headers.Set("X-Client", "bench")
		base, _ := url.Parse(srv.URL)
		s.Jar.SetCookies(base, []*http.Cookie{sessionCookie})
		u := srv.URL + "/session"
		return func(ctx context.Context) error {
			r, err := s.Get(ctx, u, client.Header("X-Request-Id", "42"), client.Param("page", "2"))
			if err != nil {
				return err
			}
			b, err := r.Bytes()
			if err == nil {
				err = statusOK(r.StatusCode)
			}
			return checkHello(b, err)
		}
	case rowPostJSON:
		u := srv.URL + "/json"
		return func(ctx context.Context) error { return checkEcho(relayPostJSON(ctx, s, u, samplePayload)) }
	}
	panic("no row " + row)
}

// requestsOps: carlmjohnson/requests builders over the same tuned
// transport; the session GET clones a base builder that has the defaults.
func requestsOps(tb testing.TB, srv *server, row string) op {
	c, tr := bareClient()
	if row == rowHTTP2 {
		c, tr = h2Bare(tb, srv)
	}
	tb.Cleanup(tr.CloseIdleConnections)
	fetch := func(ctx context.Context, rb *requests.Builder) ([]byte, error) {
		var buf bytes.Buffer
		err := rb.ToBytesBuffer(&buf).Fetch(ctx)
		return buf.Bytes(), err
	}
	switch row {
	case rowSmallGET, rowHTTP2:
		u := srv.URL + "/small"
		return func(ctx context.Context) error { return checkHello(fetch(ctx, requests.URL(u).Client(c))) }
	case rowSessionGET:
		c.Jar = jarFor(tb, srv)
		base := requests.URL(srv.URL+"/session").Client(c).
			Header("X-Api-Version", "2").Header("X-Client", "bench")
		return func(ctx context.Context) error {
			return checkHello(fetch(ctx, base.Clone().Header("X-Request-Id", "42").Param("page", "2")))
		}
	case rowPostJSON:
		u := srv.URL + "/json"
		return func(ctx context.Context) error {
			return checkEcho(fetch(ctx, requests.URL(u).Client(c).BodyJSON(samplePayload)))
		}
	}
	panic("no row " + row)
}
