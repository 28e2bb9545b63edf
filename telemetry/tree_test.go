package telemetry_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"

	"github.com/relayhttp/relay/client"
	"github.com/relayhttp/relay/telemetry"
)

// The span tree docs/telemetry.md draws: a call redirected once whose
// second hop is retried once.
func TestRedirectThenRetryTree(t *testing.T) {
	h := newHarness(t)
	var b atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/a":
			http.Redirect(w, r, "/b", http.StatusFound)
		case b.Add(1) == 1:
			w.WriteHeader(http.StatusServiceUnavailable)
		default:
			fmt.Fprint(w, "ok")
		}
	}))
	defer srv.Close()
	s := h.session(t, client.WithRetry(client.RetryOptions{BaseDelay: -1}))
	ctx, root := h.root(context.Background())
	r, err := s.Get(ctx, srv.URL+"/a")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Bytes(); err != nil {
		t.Fatal(err)
	}
	root.End()

	var tree []string
	for _, sp := range h.spans.GetSpans() {
		if sp.Name == "caller" {
			continue
		}
		line := sp.SpanKind.String() + " " + sp.Name
		for _, k := range []attribute.Key{semconv.URLFullKey, semconv.HTTPResponseStatusCodeKey, semconv.HTTPRequestResendCountKey, telemetry.SendCauseKey, telemetry.AttemptKey, telemetry.SendsKey, telemetry.RedirectsKey, telemetry.RetriesKey, telemetry.BodyOutcomeKey} {
			if v, ok := attr(sp, k); ok {
				line += " " + string(k) + "=" + strings.TrimPrefix(v.Emit(), srv.URL)
			}
		}
		tree = append(tree, line)
	}
	want := []string{
		"client GET url.full=/a http.response.status_code=302 relay.send.cause=first relay.attempt=1",
		"client GET url.full=/b http.response.status_code=503 http.request.resend_count=1 relay.send.cause=redirect relay.attempt=1",
		"client GET url.full=/b http.response.status_code=200 http.request.resend_count=2 relay.send.cause=retry relay.attempt=2",
		"internal relay GET url.full=/a http.response.status_code=200 relay.sends=3 relay.redirects=1 relay.retries=1",
		"internal relay body relay.body.outcome=eof",
	}
	if strings.Join(tree, "\n") != strings.Join(want, "\n") {
		t.Errorf("spans:\n%s\nwant:\n%s", strings.Join(tree, "\n"), strings.Join(want, "\n"))
	}
}
