// Package testenv tells tests about the machine and the build they run in.
//
// A test that moves a lot of data sizes itself with RaceEnabled: the race
// detector slows such tests fifty-fold, and scripts/test.sh runs them once
// more without it at full size.
//
// A test that runs an external program (tinyproxy, curl, python3 with
// Requests) asks for it with NeedProgram. Every behaviour such a test checks
// is also checked by an in-process twin that always runs, so a machine with
// only Go and git passes the whole suite; the external test adds the real
// program on machines that have it. Where it is missing the test is skipped
// and the skip written down for scripts/test.sh's summary line, unless
// RELAY_REQUIRE_EXTERNAL=1 (set by .ci/run) makes the absence a failure.
package testenv

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// The environment variables the package reads.
const (
	// RequireExternalEnv set to 1 turns a missing external program into a
	// test failure; unset, empty or 0, the test is skipped. .ci/run sets it.
	RequireExternalEnv = "RELAY_REQUIRE_EXTERNAL"
	// SkippedFileEnv names a file to which every skip for a missing program
	// appends one line: "what<TAB>how to install it<TAB>top-level test
	// name". scripts/test.sh sets it and prints the summary. Unset, skips
	// are only reported by go test.
	SkippedFileEnv = "RELAY_SKIPPED_FILE"
)

// NeedProgram returns the absolute path of the program name, looked up in
// $PATH. When it is not installed, NeedProgram ends the test through
// Unavailable with install as the hint (a command such as "apt-get install
// -y tinyproxy"): a skip, or with RELAY_REQUIRE_EXTERNAL=1 a failure.
func NeedProgram(t testing.TB, name, install string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		Unavailable(t, name, install, err)
	}
	return path
}

// Unavailable ends the test because what it needs (a program, a module for
// one: "python3 module requests") is not on this machine, with err saying
// why and install saying how to get it. It is the one place that decides
// between the two outcomes:
//
//   - RELAY_REQUIRE_EXTERNAL=1: t.Fatalf, the absence is a failure;
//   - otherwise: the skip is appended to the file named by
//     RELAY_SKIPPED_FILE, if set, and the test is skipped with t.Skipf.
//
// A RELAY_REQUIRE_EXTERNAL other than "", "0" or "1", or a skip file that
// cannot be written, fails the test: a skip is never silent. Unavailable
// does not return.
func Unavailable(t testing.TB, what, install string, err error) {
	t.Helper()
	required, perr := requireExternal()
	if perr != nil {
		t.Fatal(perr)
	}
	if required {
		t.Fatalf("%s is not available (%v), and %s=1 makes that a failure; install it: %s",
			what, err, RequireExternalEnv, install)
	}
	if werr := recordSkip(t.Name(), what, install); werr != nil {
		t.Fatalf("%s is not available (%v), and recording the skip failed: %v", what, err, werr)
	}
	t.Skipf("%s is not available (%v): skipped; install it (%s) to run this test, or set %s=1 to make this a failure",
		what, err, install, RequireExternalEnv)
}

// requireExternal reads RELAY_REQUIRE_EXTERNAL.
func requireExternal() (bool, error) {
	switch v := os.Getenv(RequireExternalEnv); v {
	case "", "0":
		return false, nil
	case "1":
		return true, nil
	default:
		return false, fmt.Errorf("testenv: %s=%q: want 1 (missing programs fail the tests) or 0", RequireExternalEnv, v)
	}
}

// recordSkip appends the skip of test to the file RELAY_SKIPPED_FILE names,
// if any, as one write: test binaries of several packages append to it at
// once.
func recordSkip(test, what, install string) error {
	path := os.Getenv(SkippedFileEnv)
	if path == "" {
		return nil
	}
	top, _, _ := strings.Cut(test, "/")
	clean := func(s string) string { return strings.NewReplacer("\t", " ", "\n", " ").Replace(s) }
	line := clean(what) + "\t" + clean(install) + "\t" + clean(top) + "\n"
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(line); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
