package cachetests

import (
	"fmt"
	"maps"
	"os"
	"regexp"
	"slices"
	"testing"
)

// normalize blanks what differs from run to run in a message: test ids
// (UUIDs) and HTTP dates.
var normalize = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT`)

// verdict is a result as the two runners are compared: outcome and
// message.
func verdict(res Result) string {
	return res.Outcome.String() + ": " + normalize.ReplaceAllString(res.Reason, "…")
}

// compareWithSuiteRunner compares got, this runner's report, with the
// suite's own runner's results in file (testdata/suiterunner/), test by
// test, for the tests both ran. A test in deviations must differ, for the
// reason given; every other test must agree on outcome and message. It
// returns how many agree, and what is wrong with the others, by id.
func compareWithSuiteRunner(t *testing.T, got *Report, file string, deviations map[string]string) (agree int, wrong map[string]string) {
	t.Helper()
	data, err := os.ReadFile("testdata/suiterunner/" + file)
	if err != nil {
		t.Fatal(err)
	}
	groups, err := loadSuite()
	if err != nil {
		t.Fatal(err)
	}
	want, err := reportFromResults("suite runner", groups, data)
	if err != nil {
		t.Fatal(err)
	}
	wrong = make(map[string]string)
	for _, g := range want.Groups {
		for _, w := range g.Results {
			r, _ := got.Result(w.ID)
			if w.Outcome == Skipped || r.Outcome == Skipped {
				continue
			}
			why, deviates := deviations[w.ID]
			switch same := verdict(w) == verdict(r); {
			case same && deviates:
				wrong[w.ID] = fmt.Sprintf("both runners say %q, but it is listed as a deviation (%s)", verdict(r), why)
			case !same && !deviates:
				wrong[w.ID] = fmt.Sprintf("\n  suite's runner: %s\n  this runner:    %s", verdict(w), verdict(r))
			case same:
				agree++
			}
		}
	}
	return agree, wrong
}

// reportWrong fails t for each entry of wrong.
func reportWrong(t *testing.T, wrong map[string]string) {
	t.Helper()
	ids := slices.Sorted(maps.Keys(wrong))
	for _, id := range ids {
		t.Errorf("%s: %s", id, wrong[id])
	}
	if len(wrong) > 0 {
		t.Log("if the suite's runner changed, record its results again as testdata/suiterunner/README.md says")
	}
}

// disconnectDeviations are the tests whose origin disconnects: the suite's
// Node client fails them on the network error; this runner takes the
// subject's error as the origin's answer (doc.go).
var disconnectDeviations = map[string]string{
	"stale-close":                  "network error",
	"stale-sie-close":              "network error",
	"stale-close-must-revalidate":  "network error",
	"stale-close-proxy-revalidate": "network error",
	"stale-close-no-cache":         "network error",
	"stale-close-s-maxage=2":       "network error",
	"stale-warning-stored":         "network error",
	"stale-warning-become":         "network error",
}

// TestAgreesWithSuiteRunner compares this runner with the suite's own,
// judging the same client with no cache: testdata/suiterunner/nocache.json
// is what the suite's runner (Node's fetch, which has no cache) reported,
// recorded as testdata/suiterunner/README.md says.
func TestAgreesWithSuiteRunner(t *testing.T) {
	got := results(t, passThrough, Options{Skip: map[string]string{}})
	deviations := map[string]string{
		"headers-store-Transfer-Encoding": "Go's transport refuses the unknown coding",
	}
	for id, why := range disconnectDeviations {
		deviations[id] = why
	}
	agree, wrong := compareWithSuiteRunner(t, got, "nocache.json", deviations)
	reportWrong(t, wrong)
	if agree < 300 {
		t.Errorf("only %d tests compared and agree", agree)
	}
}
