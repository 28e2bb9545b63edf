package middleware_test

import (
	"io"
	"net/http"
	"testing"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/relayhttp/relay/middleware"
)

// discardLogger returns a production-configured JSON logger at level that
// writes to io.Discard: the whole cost of building and encoding an entry,
// without the cost of a write.
func discardLogger(level zapcore.Level) *zap.Logger {
	enc := zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig())
	return zap.New(zapcore.NewCore(enc, zapcore.AddSync(io.Discard), level))
}

// BenchmarkLog measures the logging middleware alone, over an in-memory
// next: "none" is the bare next, so the other rows minus "none" are the
// middleware's cost per request.
func BenchmarkLog(b *testing.B) {
	resp := &http.Response{StatusCode: 200, ContentLength: 1234, Header: http.Header{"Content-Type": {"application/json"}}, Body: http.NoBody}
	next := middleware.RoundTripperFunc(func(*http.Request) (*http.Response, error) { return resp, nil })
	req, err := http.NewRequest(http.MethodGet, "https://user:secret@api.example.com/v1/items?page=2", nil)
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer t0ken")
	for _, bc := range []struct {
		name string
		rt   http.RoundTripper
	}{
		{"none", next},
		{"nil", middleware.Log(nil)(next)},
		{"nop", middleware.Log(zap.NewNop())(next)},
		{"info-logger-at-warn", middleware.Log(discardLogger(zapcore.WarnLevel))(next)},
		{"info", middleware.Log(discardLogger(zapcore.InfoLevel))(next)},
		{"debug-with-headers", middleware.Log(discardLogger(zapcore.DebugLevel))(next)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := bc.rt.RoundTrip(req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
