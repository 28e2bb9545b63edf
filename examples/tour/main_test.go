package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// TestSteps runs every step of the tour against one set of servers, each
// as a subtest, and shows what a failing step printed.
func TestSteps(t *testing.T) {
	var out bytes.Buffer
	e, err := newEnv(&out)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	for _, s := range steps {
		t.Run(s.title, func(t *testing.T) {
			out.Reset()
			if err := runStep(t.Context(), e, s); err != nil {
				t.Errorf("%s\nthe step printed:\n%s", e.clean(err.Error()), out.String())
			}
		})
	}
}

// TestRun runs the tour as main does, twice: it must pass, print the same
// text both times, and print no loopback address or temporary path.
func TestRun(t *testing.T) {
	var first, second bytes.Buffer
	if code := run(t.Context(), &first, &first, steps); code != 0 {
		t.Fatalf("run = %d, want 0; output:\n%s", code, first.String())
	}
	if code := run(t.Context(), &second, &second, steps); code != 0 {
		t.Fatalf("second run = %d, want 0; output:\n%s", code, second.String())
	}
	if first.String() != second.String() {
		t.Errorf("the tour printed different text on two runs:\n--- first\n%s\n--- second\n%s", first.String(), second.String())
	}
	for _, leak := range []string{"127.0.0.1", "[::1]", "localhost", "relay-tour-"} {
		if strings.Contains(first.String(), leak) {
			t.Errorf("the tour printed %q, which changes from run to run:\n%s", leak, first.String())
		}
	}
	if want := fmt.Sprintf("All %d steps passed.", len(steps)); !strings.Contains(first.String(), want) {
		t.Errorf("no success line in:\n%s", first.String())
	}
}

// TestRunReportsFailures checks that a failing or panicking step makes run
// return 1, is named in the summary, and does not stop the steps after it.
func TestRunReportsFailures(t *testing.T) {
	ranLast := false
	fake := []step{
		{"fine", func(context.Context, *env) error { return nil }},
		{"broken", func(_ context.Context, e *env) error {
			return errors.New("saw 500 at " + e.url("/get"))
		}},
		{"panicking", func(context.Context, *env) error { panic("boom") }},
		{"last", func(context.Context, *env) error { ranLast = true; return nil }},
	}
	var out, errOut bytes.Buffer
	if code := run(t.Context(), &out, &errOut, fake); code != 1 {
		t.Errorf("run = %d, want 1", code)
	}
	if !ranLast {
		t.Error("the step after the failures did not run")
	}
	for _, want := range []string{
		"FAIL: saw 500 at http://httpbin/get",
		"FAIL: panic: boom",
		"2 of 4 steps failed:",
		"2. broken: saw 500 at http://httpbin/get",
		"3. panicking: panic: boom",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if !strings.Contains(errOut.String(), "tour: 2 of 4 steps failed:\n   2. broken: saw 500 at http://httpbin/get\n") {
		t.Errorf("the failures are not summed up on errOut:\n%s", errOut.String())
	}
}
