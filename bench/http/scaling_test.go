package httpbench

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/relayhttp/relay/client"
)

// The scaling benchmarks measure one session GET of /small while one
// dimension of the session grows: each has a row per size, and a cost that
// stays flat from the smallest to the largest (within 1.2×) unless the
// work really grows with it (hooks run, headers are sent), and then
// linearly. docs/benchmarks.md has the table.

func benchScale(b *testing.B, sizes []int, setup func(b *testing.B, s *client.Session, n int, origin string)) {
	srv := newServer(b)
	target := srv.URL + "/small"
	ctx := context.Background()
	for _, n := range sizes {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			s := newSession()
			defer s.CloseIdleConnections()
			setup(b, s, n, srv.URL)
			if _, err := relayGet(ctx, s, target); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := relayGet(ctx, s, target); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkScaleJar: a jar holding n cookies over 1,000 other domains (and
// one cookie of the origin's, sent with every request).
func BenchmarkScaleJar(b *testing.B) {
	benchScale(b, []int{10, 1000, 100000}, func(b *testing.B, s *client.Session, n int, origin string) {
		for i := range n {
			u := &url.URL{Scheme: "http", Host: fmt.Sprintf("d%d.example.test", i%1000), Path: "/"}
			s.Jar.SetCookies(u, []*http.Cookie{{Name: "c" + strconv.Itoa(i), Value: "v", Path: "/"}})
		}
		u, _ := url.Parse(origin)
		s.Jar.SetCookies(u, []*http.Cookie{{Name: "session", Value: "s", Path: "/"}})
	})
}

// BenchmarkScaleMounts: n mounts of other hosts besides the session's own
// transport, which serves the request.
func BenchmarkScaleMounts(b *testing.B) {
	benchScale(b, []int{1, 100, 10000}, func(b *testing.B, s *client.Session, n int, _ string) {
		for i := range n {
			if err := s.Mount(fmt.Sprintf("http://m%d.example.test/api/", i), http.DefaultTransport); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkScaleProxyKeys: a proxies map of n keys for other hosts; the
// request goes direct.
func BenchmarkScaleProxyKeys(b *testing.B) {
	benchScale(b, []int{1, 100, 10000}, func(b *testing.B, s *client.Session, n int, _ string) {
		s.Proxies = map[string]string{}
		for i := range n {
			s.Proxies[fmt.Sprintf("http://p%d.example.test", i)] = "http://127.0.0.1:9"
		}
	})
}

// BenchmarkScaleHooks: n request hooks and n response hooks, each doing
// nothing: the cost is theirs, linear in n.
func BenchmarkScaleHooks(b *testing.B) {
	benchScale(b, []int{0, 10, 100}, func(b *testing.B, s *client.Session, n int, _ string) {
		for range n {
			s.Hooks.OnRequest(func(*http.Request) error { return nil })
			s.Hooks.OnResponse(func(r *http.Response) (*http.Response, error) { return r, nil })
		}
	})
}

// BenchmarkScaleHeaders: n session headers, all sent: linear in n.
func BenchmarkScaleHeaders(b *testing.B) {
	benchScale(b, []int{1, 100}, func(b *testing.B, s *client.Session, n int, _ string) {
		for i := range n {
			s.Headers.Set("X-Header-"+strconv.Itoa(i), "value")
		}
	})
}
