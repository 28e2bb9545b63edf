// Command tour walks through relay's features against an embedded go-httpbin
// server on loopback: a runnable version of the first half of Python
// Requests' "Advanced Usage" page.
//
//	go run ./examples/tour
//
// Each step prints what it does and checks what it sees. The tour never
// touches the internet; it exits with status 1 if any step misbehaves, after
// running the others.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// A step is one stop of the tour. run prints what it does through env.say
// and returns an error when what it saw is not what relay promises.
type step struct {
	title string
	run   func(ctx context.Context, e *env) error
}

var steps = []step{
	{"Session objects", sessionObjects},
	{"Request and response objects", requestAndResponse},
	{"Prepared requests", preparedRequests},
	{"SSL certificate verification", certVerification},
	{"Client-side certificates", clientCertificates},
	{"Body content workflow (Stream)", bodyContentWorkflow},
	{"Streaming uploads", streamingUploads},
	{"Chunk-encoded requests", chunkedRequests},
	{"POST multiple multipart-encoded files", multipartFiles},
	{"Body size cap", bodySizeCap},
	{"Custom authentication", customAuth},
	{"Digest, Bearer and netrc", authSchemes},
	{"Redirects and history", redirects},
	{"Cookies", cookies},
	{"Event hooks", eventHooks},
	{"Transport adapters (Mount) and middlewares (Use)", transportAdapters},
	{"Link headers and pagination", linkHeaders},
	{"Encodings", encodings},
	{"Decompression", decompression},
	{"Errors: Err and StatusError", statusErrors},
	{"Timeouts", timeouts},
	{"Phase timeouts", phaseTimeouts},
	{"Logging and retries", loggedRetries},
	{"Proxies", proxies},
	{"Caching (RFC 9111)", caching},
	{"The package-level client.Get", packageLevelGet},
	{"Session.Client for code that takes an *http.Client", sessionClient},
	{"Explain: the decision trail of a call", explaining},
	{"Record and replay (HAR cassettes)", recordReplay},
}

// tourTimeout bounds the whole tour, so a hung step cannot hang CI.
const tourTimeout = 30 * time.Second

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), tourTimeout)
	code := run(ctx, os.Stdout, os.Stderr, steps)
	cancel()
	os.Exit(code)
}

// run starts the servers, runs every step printing to out, and returns the
// exit status: 0 when every step passed. The failures are summed up on
// errOut too, so that they show when out is thrown away (as CI does).
func run(ctx context.Context, out, errOut io.Writer, steps []step) int {
	e, err := newEnv(out)
	if err != nil {
		fmt.Fprintln(errOut, "tour: starting the servers:", err)
		return 1
	}
	defer e.Close()
	fmt.Fprintln(out, "relay tour: go-httpbin is listening on loopback as http://httpbin (and https://httpbin-tls).")

	var failures []string
	for i, s := range steps {
		fmt.Fprintf(out, "\n%d. %s\n", i+1, s.title)
		if err := runStep(ctx, e, s); err != nil {
			msg := e.clean(err.Error())
			fmt.Fprintf(out, "   FAIL: %s\n", msg)
			failures = append(failures, fmt.Sprintf("%d. %s: %s", i+1, s.title, msg))
		}
	}
	if len(failures) > 0 {
		summary := fmt.Sprintf("%d of %d steps failed:\n   %s\n", len(failures), len(steps), strings.Join(failures, "\n   "))
		fmt.Fprintf(out, "\n%s", summary)
		fmt.Fprintf(errOut, "tour: %s", summary)
		return 1
	}
	fmt.Fprintf(out, "\nAll %d steps passed.\n", len(steps))
	return 0
}

// runStep runs one step, turning a panic into its failure so that the other
// steps still run.
func runStep(ctx context.Context, e *env, s step) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	return s.run(ctx, e)
}
