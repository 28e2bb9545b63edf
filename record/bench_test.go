package record_test

import (
	"fmt"
	"io"
	"net/http"
	"testing"

	"github.com/relayhttp/relay/middleware"
	"github.com/relayhttp/relay/record"
)

// BenchmarkReplay measures one replayed request through the recorder's
// middleware with cassettes of 10, 100 and 1,000 entries: the time per
// request must stay flat, since matching looks entries up by key and never
// scans them.
func BenchmarkReplay(b *testing.B) {
	for _, n := range []int{10, 100, 1000} {
		b.Run(fmt.Sprintf("entries=%d", n), func(b *testing.B) {
			entries := make([]record.Entry, n)
			for i := range entries {
				entries[i] = entry("GET", fmt.Sprintf("%s/items/%d?page=%d&sort=name", api, i, i%7), "", "", fmt.Sprintf(`{"id":%d}`, i))
			}
			rec := open(b, write(b, entries...), record.Replay, record.Options{Repeat: true})
			rt := rec.Middleware()(middleware.RoundTripperFunc(func(*http.Request) (*http.Response, error) {
				b.Fatal("the network was reached")
				return nil, nil
			}))
			reqs := make([]*http.Request, n)
			for i := range reqs {
				reqs[i], _ = http.NewRequest("GET", fmt.Sprintf("%s/items/%d?sort=name&page=%d", api, i, i%7), nil)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				resp, err := rt.RoundTrip(reqs[i%n])
				if err != nil {
					b.Fatal(err)
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		})
	}
}

// BenchmarkRecord measures recording one small exchange (the transport
// below answers from memory).
func BenchmarkRecord(b *testing.B) {
	rec := open(b, cassette(b), record.Record, record.Options{})
	body := []byte(`{"id":1,"name":"anvil"}`)
	rt := rec.Middleware()(middleware.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 200, Status: "200 OK", Header: http.Header{"Content-Type": {"application/json"}},
			Body: io.NopCloser(bytesReader(body)), ContentLength: int64(len(body)), Request: req}, nil
	}))
	req, _ := http.NewRequest("GET", api+"/items/1?token=abc123", nil)
	req.Header.Set("Authorization", "Bearer abcdef123456")
	b.ReportAllocs()
	for b.Loop() {
		resp, err := rt.RoundTrip(req)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}
