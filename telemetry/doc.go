// Package telemetry traces and measures what a relay session sends, with
// OpenTelemetry: one INTERNAL span per call, one CLIENT span per physical
// send under it — every redirect hop, retry attempt and authentication
// round — named and attributed by the stable HTTP client semantic
// conventions, with http.request.resend_count on every send after a call's
// first, whatever made it. A send's span ends when its response headers
// arrive or it fails, so a body nobody closes leaves no span open.
//
//	s := client.NewSession(telemetry.With(telemetry.Options{
//		TracerProvider: tp, MeterProvider: mp, // nil: the global ones
//	}))
//
// It exists because otelhttp, placed under an http.Client or a retry
// wrapper, makes one span per RoundTrip wherever it sits, never counts
// resends, and ends its span only when the body is closed. It is a module
// of its own (github.com/relayhttp/relay/telemetry) so that relay's core
// never requires OpenTelemetry. See docs/telemetry.md for the span tree,
// the attributes, the metrics and what it costs.
package telemetry
