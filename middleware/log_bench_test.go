package middleware_test

import (
	"io"
	"net/http"
	"testing"
	"time"

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
	// zap-alone is not the middleware: it is zap writing an entry with the
	// same fields by itself, the floor under the "info" row.
	zl := discardLogger(zapcore.InfoLevel)
	zapAlone := middleware.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
		start := time.Now()
		resp, err := next.RoundTrip(req)
		if ce := zl.Check(zapcore.InfoLevel, "request"); ce != nil {
			ce.Write(zap.String("method", req.Method), zap.String("url", "https://api.example.com/v1/items?page=2"),
				zap.Int("status", resp.StatusCode), zap.Int64("bytes", resp.ContentLength),
				zap.Duration("duration", time.Since(start)), zap.Int("attempt", 1), zap.Int("hop", 0))
		}
		return resp, err
	})
	for _, bc := range []struct {
		name string
		rt   http.RoundTripper
	}{
		{"none", next},
		{"nil", middleware.Log(nil)(next)},
		{"nop", middleware.Log(zap.NewNop())(next)},
		{"info-logger-at-warn", middleware.Log(discardLogger(zapcore.WarnLevel))(next)},
		{"zap-alone", zapAlone},
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
