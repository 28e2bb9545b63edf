package record_test

import (
	"io"
	"net/http"
	"testing"

	"github.com/relayhttp/relay/record"
)

// BenchmarkCapture measures the capture's cost on a real loopback send,
// against the same send with no capture ("off", what every request costs
// when no capture is installed). Each captured send stays in memory, so
// the capture is replaced every 1,000 sends to keep the heap flat.
func BenchmarkCapture(b *testing.B) {
	srv := httpbin(b)
	for _, on := range []bool{false, true} {
		name := "off"
		if on {
			name = "on"
		}
		b.Run(name, func(b *testing.B) {
			base := &http.Transport{}
			defer base.CloseIdleConnections()
			rt := http.RoundTripper(base)
			if on {
				rt = record.NewHAR().Middleware()(base)
			}
			req, _ := http.NewRequest("GET", srv.URL+"/bytes/256", nil)
			req.Header.Set("Authorization", "Bearer abcdef123456")
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				if on && i%1000 == 999 {
					rt = record.NewHAR().Middleware()(base)
				}
				resp, err := rt.RoundTrip(req)
				if err != nil {
					b.Fatal(err)
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		})
	}
}
