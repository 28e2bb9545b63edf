package main

import (
	"context"
	_ "embed"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"

	"github.com/relayhttp/relay/client"
	"github.com/relayhttp/relay/middleware"
	"github.com/relayhttp/relay/record"
)

// cassette is testdata/github.har, the walkthrough recorded against the
// fakes (with runRecord), embedded so that the replay runs from any folder.
//
//go:embed testdata/github.har
var cassette []byte

// refuse is the replay's base transport: a request that reaches it is a
// bug, since replay never touches the network.
var refuse = middleware.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
	return nil, fmt.Errorf("replay reached the network: %s %s", req.Method, req.URL)
})

// runReplay runs the steps from the cassette alone: no server is started.
func runReplay(ctx context.Context, out io.Writer, steps []step) int {
	dir, err := os.MkdirTemp("", "relay-github-")
	if err != nil {
		fmt.Fprintln(out, err)
		return 1
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "github.har")
	if err := os.WriteFile(path, cassette, 0o600); err != nil {
		fmt.Fprintln(out, err)
		return 1
	}
	rec, err := record.Open(path, record.Replay)
	if err != nil {
		fmt.Fprintln(out, err)
		return 1
	}
	defer rec.Close()
	w := &walk{s: sessionOver(refuse, rec), out: out}
	fmt.Fprintln(out, "relay: the HTTP verbs walkthrough, replayed from testdata/github.har; nothing is sent.")
	return runSteps(ctx, w, steps)
}

// runRecord runs the steps against the fakes and records them into the
// cassette at path.
func runRecord(ctx context.Context, out io.Writer, steps []step, path string) int {
	o := startOffline()
	defer o.Close()
	rec, err := record.Open(path, record.Record)
	if err != nil {
		fmt.Fprintln(out, err)
		return 1
	}
	w := &walk{s: sessionOver(o.transport, rec), out: out}
	fmt.Fprintf(out, "relay: the HTTP verbs walkthrough, against the fakes, recorded into %s.\n", path)
	code := runSteps(ctx, w, steps)
	w.s.CloseIdleConnections()
	if err := rec.Close(); err != nil {
		fmt.Fprintln(out, err)
		return 1
	}
	return code
}

// sessionOver is newSession's session over rt, with rec recording or
// replaying every send.
func sessionOver(rt http.RoundTripper, rec *record.Recorder) *client.Session {
	s := client.NewSession(client.WithTransport(rt), client.WithRecorder(rec))
	s.Headers.Set("Accept", "application/vnd.github+json")
	s.Headers.Set("X-GitHub-Api-Version", "2022-11-28")
	return s
}
