// Package httpbench measures relay's Session against bare net/http in the
// same run, on a loopback httptest server: a small GET, a small JSON POST,
// streamed downloads and uploads, and 64 goroutines sharing one client.
//
// Every benchmark has two sub-benchmarks side by side, .../net-http and
// .../relay, doing the same work: compare them, not runs made on different
// days. The targets, and the numbers measured on the reference machine, are
// in docs/benchmarks.md. The package's test runs each benchmark body once
// with small sizes, so `go test ./...` exercises it without benchmarking.
//
// Run them from the bench module:
//
//	go test -run XXX -bench . -benchmem -count 5 ./http/
package httpbench
