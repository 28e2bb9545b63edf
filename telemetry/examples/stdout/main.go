// Command stdout sends a few requests through a relay session with
// telemetry on and exports their spans to standard output with the
// OpenTelemetry SDK's stdout exporter: a call redirected once and a call
// answered after a Digest challenge, against an embedded httpbin, so it
// needs no network.
//
//	go run ./examples/stdout        (from the telemetry module)
package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"go.opentelemetry.io/otel/exporters/stdout/stdouttrace"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/relayhttp/relay/auth"
	"github.com/relayhttp/relay/client"
	"github.com/relayhttp/relay/internal/httpbintest"
	"github.com/relayhttp/relay/telemetry"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "stdout:", err)
		os.Exit(1)
	}
}

// run makes the calls and writes their spans, as JSON, to w.
func run(w io.Writer) error {
	srv := httpbintest.New()
	defer srv.Close()

	exporter, err := stdouttrace.New(stdouttrace.WithWriter(w), stdouttrace.WithPrettyPrint())
	if err != nil {
		return err
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exporter))
	defer tp.Shutdown(context.Background())

	s := client.NewSession(telemetry.With(telemetry.Options{
		TracerProvider: tp,
		Propagators:    propagation.TraceContext{},
	}))
	defer s.CloseIdleConnections()

	ctx, root := tp.Tracer("examples/stdout").Start(context.Background(), "example")
	defer root.End()
	for _, call := range []struct {
		path string
		opts []client.Option
	}{
		{"/redirect/1", nil},
		{"/digest-auth/auth/user/passwd/MD5", []client.Option{client.WithAuth(auth.Digest("user", "passwd"))}},
	} {
		r, err := s.Get(ctx, srv.URL+call.path, call.opts...)
		if err != nil {
			return err
		}
		if _, err := r.Bytes(); err != nil {
			return err
		}
		if r.StatusCode != 200 {
			return fmt.Errorf("%s: status %d", call.path, r.StatusCode)
		}
	}
	return nil
}
