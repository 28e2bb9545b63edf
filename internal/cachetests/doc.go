// Package cachetests judges an HTTP cache written as an http.RoundTripper
// by the public cache-tests suite (github.com/http-tests/cache-tests, the
// suite behind cache-tests.fyi), ported to Go, in private-cache mode.
//
// relay's cache is one middleware in a stack: what it must do is RFC 9111,
// and the suite is the common yardstick that browsers, proxies and CDNs are
// measured by. Its tests are data (testdata/cache-tests.json, exported by
// the suite itself; testdata/README.md says from which commit and how):
// each is a sequence of requests, what the origin answers to each, the
// pauses between them, and what the client should see. This package is the
// suite's engine: an origin server and a client that replays the tests
// through the cache under test.
//
// # Use
//
//	func TestConformance(t *testing.T) {
//		cachetests.Run(t, func(base http.RoundTripper, clock cachetests.Clock) http.RoundTripper {
//			return newCache(base, clock.Now) // the cache under test, fresh per test
//		}, cachetests.Options{Name: "relay (Memory)"})
//	}
//
// Run makes each test a subtest named group/id; a required test that does
// not pass fails, with the reason and the whole exchange; an optimal or
// check test only logs. Results runs the same outside a test and returns
// the Report: each test's outcome with its reason, totals per group and
// kind (Report.Totals, counting a test as cache-tests.fyi does, failed
// when a test it depends on fails), and Markdown tables (Report.Markdown)
// beside the published browser results (Published).
//
// # How it runs a test
//
// The origin is an httptest server. Each test gets a fresh id, and the
// origin answers each request to /test/<id>/… as the step its Req-Num field
// names, like the suite's Node server (test-engine/server): integer dates
// become HTTP dates relative to its now, Location fields become paths with
// magic_locations, a step expecting validation gets a 304 when the request
// carries the previous response's ETag or Last-Modified (and a 999 when it
// does not), and every response carries Server-Request-Count, Server-Now
// and the other fields by which the runner tells a cached response from a
// fresh one. The origin records every request; "cached" means the origin
// never saw the request. Its responses are written as raw bytes, fields as
// given (two lines for a field given twice, Content-Type on a 304), each on
// its own connection.
//
// The subject is built once per test around a transport to the origin, and
// is handed the test's Clock. By default that is a fake clock, shared with
// the origin, that the suite's three-second pauses move instantly; the
// whole suite then runs in well under a second. Options.RealClock runs in
// real time, for a subject that reads time.Now.
//
// # Private-cache mode
//
// Tests marked cdn_only are skipped. Tests marked browser_only are about
// private caches and run. Tests marked browser_skip run unless Options.Skip
// names them: the suite skips them in browsers either because they are
// about shared caches (those are in DefaultSkips, with the reason) or
// because a browser's fetch() cannot make them (a conditional request of
// its own, a manual redirect, interim responses), which a client library
// can. No request carries the Pragma and Cache-Control fields that the
// suite's command-line client adds to defeat Fetch's own cache.
//
// # Where it departs from the suite's JavaScript
//
//   - When the origin closes the connection instead of answering
//     (disconnect), a proxy answers 502 where a client library returns an
//     error. The runner takes the subject's error as such an answer: it is
//     not from the cache, it has no fields, and a test that checks neither
//     status nor body passes (stale-close-must-revalidate). The suite's
//     browser and Node clients fail those tests on the network error.
//   - A [name, value] entry of expected_response_headers_missing is
//     checked (the field must not contain value); the suite's JavaScript
//     reads the field in a way that never finds it, so never fails there.
//   - An expected interim response's fields are checked for their values,
//     not only their presence.
//   - Set-Cookie is checked like any field: a Go client can read it, where
//     browsers cannot (the suite skips it for them).
//
// Everything else follows the suite's engine, messages included. Against a
// client with no cache, this runner and the suite's own, run with Node,
// agree on the outcome and message of every test both run but the
// disconnect ones (TestAgreesWithSuiteRunner); against Squid, a real cache,
// on all but six, each explained (TestAgreesWithSuiteRunnerSquid, which
// runs where squid is installed).
package cachetests
