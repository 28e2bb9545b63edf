// Package record records the HTTP traffic of a relay session (or of any
// http.RoundTripper) into a HAR 1.2 file, a cassette, and replays it
// offline, with secrets redacted before anything is written.
//
// # Why this package exists
//
// Tests of code that calls an HTTP API record real traffic once and
// replay it. The recorders that exist (go-vcr in Go; vcrpy and betamax for
// Requests) write formats nothing else opens, match every header by
// default — so deleting Authorization from a cassette breaks replay —
// miss the response's Set-Cookie when filtering, compare JSON bodies byte
// for byte, and buffer streamed bodies whole. Browsers, proxies and API
// tools all read and write HAR. Inside relay's stack the recorder sits at
// the per-send position, innermost: it sees every redirect hop, retry
// attempt and authentication round as the transport sends it.
//
//	rec, err := record.Open("testdata/api.har", record.Replay) // or Record, RecordMissing, Passthrough
//	s := client.NewSession(client.WithRecorder(rec))
//	defer rec.Close() // writes the file in Record and RecordMissing modes
//
// What it does: one entry per physical send, in order; matching by
// method, URL (the query as a multiset) and body (JSON by value, forms by
// field), headers only when named, or a function of the caller's;
// identical requests replayed in recorded order; redaction of credentials,
// cookies, URL userinfo and secret-looking parameters and fields, with
// stable placeholders, applied to the live request too so that matching
// still works; bodies recorded while the caller reads them, capped, in
// base64 when not UTF-8; files written atomically. docs/record.md is the
// guide.
//
// NewHAR is the live form: a Capture never answers, and keeps HAR of what
// a session sent, with timings from net/http/httptrace, the resolved
// redirectURL of each hop and the cache's reason for a send, redacted the
// same way (client.WithCapture plugs it in).
//
// The HAR types (HAR, Entry, …), ReadHAR, WriteHAR and WriteFile are
// usable on their own, for HAR files from anywhere.
package record
