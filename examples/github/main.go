// Command github walks through the "HTTP Verbs" part of Python Requests'
// Advanced Usage guide with relay: a session with the GitHub API that GETs
// a commit and an issue, tries OPTIONS, pages through the issue's comments,
// and POSTs, PATCHes, DELETEs and HEADs a comment with Basic auth; and the
// guide's OPTIONS call to a well-behaved API that answers with Allow.
//
//	go run ./examples/github
//
// It runs offline: the guide's URLs are answered by an embedded fake of those
// GitHub endpoints (fake.go, with JSON fixtures in testdata/) and of the cats
// API, on loopback (offline.go). Each step prints what it does and checks
// what it sees; the program exits with status 1 if any step misbehaves,
// after running the others.
//
// With -cassette replay (or RELAY_GITHUB_CASSETTE=replay) no server is
// started at all: every exchange is replayed from the committed cassette
// testdata/github.har, with a transport that refuses every request
// (cassette.go). -cassette record runs against the fakes and writes the
// cassette again: go run ./examples/github -cassette record -o
// examples/github/testdata/github.har.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/relayhttp/relay/client"
	"github.com/relayhttp/relay/record"
)

// A step is one exchange of the guide. run prints what it does through
// walk.say and returns an error when what it saw is not what the guide saw.
type step struct {
	title string
	run   func(ctx context.Context, w *walk) error
}

var steps = []step{
	{"GET a commit and read its JSON", getCommit},
	{"OPTIONS on GitHub: 500", optionsGitHub},
	{"OPTIONS on an API that implements it: Allow", optionsCats},
	{"GET an issue", getIssue},
	{"GET its comments, following Link: rel=\"next\"", getComments},
	{"POST a comment without credentials", postWithoutAuth},
	{"POST a comment with Basic auth", postComment},
	{"PATCH the comment", patchComment},
	{"DELETE the comment", deleteComment},
	{"HEAD the comment: rate-limit headers", headComment},
}

// timeout bounds the whole walkthrough, so a hung step cannot hang CI.
const timeout = 30 * time.Second

func main() {
	mode := flag.String("cassette", os.Getenv("RELAY_GITHUB_CASSETTE"), "replay the committed cassette, or record it again (record)")
	output := flag.String("o", "testdata/github.har", "where -cassette record writes the cassette")
	flag.Parse()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	switch m, err := record.ParseMode(*mode, record.Passthrough); {
	case err != nil:
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	case m == record.Replay:
		os.Exit(runReplay(ctx, os.Stdout, steps))
	case m == record.Record:
		os.Exit(runRecord(ctx, os.Stdout, steps, *output))
	case m == record.Passthrough:
		os.Exit(run(ctx, os.Stdout, steps))
	default:
		fmt.Fprintf(os.Stderr, "-cassette %s: want replay or record\n", m)
		os.Exit(2)
	}
}

// run starts the fake APIs, runs every step with one session, prints a
// summary and returns the exit status: 0 when every step passed.
func run(ctx context.Context, out io.Writer, steps []step) int {
	o := startOffline()
	defer o.Close()
	w := &walk{s: newSession(o), out: out}
	defer w.s.CloseIdleConnections()
	fmt.Fprintln(out, "relay: the HTTP verbs walkthrough, against a fake api.github.com on loopback.")
	return runSteps(ctx, w, steps)
}

// runSteps runs every step with w's session, prints a summary and returns
// the exit status: 0 when every step passed.
func runSteps(ctx context.Context, w *walk, steps []step) int {
	out := w.out
	var failures []string
	for i, st := range steps {
		fmt.Fprintf(out, "\n%d. %s\n", i+1, st.title)
		if err := runStep(ctx, w, st); err != nil {
			fmt.Fprintf(out, "   FAIL: %v\n", err)
			failures = append(failures, fmt.Sprintf("%d. %s: %v", i+1, st.title, err))
		}
	}
	if len(failures) > 0 {
		fmt.Fprintf(out, "\n%d of %d steps failed:\n", len(failures), len(steps))
		for _, f := range failures {
			fmt.Fprintln(out, "  ", f)
		}
		return 1
	}
	fmt.Fprintf(out, "\nAll %d steps passed.\n", len(steps))
	return 0
}

// newSession returns the session of the walkthrough: GitHub's media type and
// API version in its headers, and o's transport under it.
func newSession(o *offline) *client.Session {
	s := client.NewSession(client.WithTransport(o.transport))
	s.Headers.Set("Accept", "application/vnd.github+json")
	s.Headers.Set("X-GitHub-Api-Version", "2022-11-28")
	return s
}

// runStep runs one step, turning a panic into its failure so that the other
// steps still run.
func runStep(ctx context.Context, w *walk, st step) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	return st.run(ctx, w)
}
