package middleware_test

import (
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"strings"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/relayhttp/relay/middleware"
)

func ExampleLog() {
	// A stand-in for a server: /old redirects to /new, which answers 200.
	server := middleware.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
		resp := &http.Response{StatusCode: http.StatusOK, Header: http.Header{}, Body: io.NopCloser(strings.NewReader("hello")), ContentLength: 5, Request: req}
		if req.URL.Path == "/old" {
			resp.StatusCode, resp.Body, resp.ContentLength = http.StatusMovedPermanently, http.NoBody, 0
			resp.Header.Set("Location", "/new")
		}
		return resp, nil
	})

	// A JSON logger on stdout without timestamps, its durations rounded to
	// the second so that this example's output is stable.
	enc := zapcore.NewJSONEncoder(zapcore.EncoderConfig{
		MessageKey:  "msg",
		LevelKey:    "level",
		EncodeLevel: zapcore.LowercaseLevelEncoder,
		EncodeDuration: func(d time.Duration, enc zapcore.PrimitiveArrayEncoder) {
			enc.AppendString(d.Round(time.Second).String())
		},
	})
	logger := zap.New(zapcore.NewCore(enc, zapcore.AddSync(os.Stdout), zapcore.InfoLevel))

	// Logging goes innermost, under redirects (and retries), so that every
	// hop and attempt is logged. The user name and password never are.
	c := middleware.Wrap(&http.Client{Transport: server},
		middleware.Redirects(middleware.RedirectOptions{}),
		middleware.Log(logger),
	)
	resp, err := c.Get("https://alice:secret@api.example.com/old")
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	fmt.Println(resp.StatusCode)
	// Output:
	// {"level":"info","msg":"request","method":"GET","url":"https://api.example.com/old","status":301,"bytes":0,"duration":"0s","attempt":1,"hop":0}
	// {"level":"info","msg":"request","method":"GET","url":"https://api.example.com/new","status":200,"bytes":5,"duration":"0s","attempt":1,"hop":1}
	// 200
}
