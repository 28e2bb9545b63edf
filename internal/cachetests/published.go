package cachetests

import (
	"embed"
	"encoding/json"
	"fmt"
)

//go:embed testdata/results/*.json
var publishedFiles embed.FS

// publishedBrowsers are the browser results vendored with the suite, with
// the versions its results/index.mjs gives.
var publishedBrowsers = []struct{ file, name string }{
	{"chrome.json", "Chrome 143"},
	{"firefox.json", "Firefox 146"},
	{"safari.json", "Safari 26.2"},
}

// Published returns the suite's published results for Chrome, Firefox and
// Safari at the vendored commit, as Reports on the same tests, classed as
// cache-tests.fyi classes them: a test the browsers did not run (the suite
// skips browser_skip and cdn_only tests for them) is Skipped.
func Published() ([]*Report, error) {
	groups, err := loadSuite()
	if err != nil {
		return nil, err
	}
	var reports []*Report
	for _, b := range publishedBrowsers {
		data, err := publishedFiles.ReadFile("testdata/results/" + b.file)
		if err != nil {
			return nil, err
		}
		r, err := reportFromResults(b.name, groups, data)
		if err != nil {
			return nil, fmt.Errorf("cachetests: %s: %w", b.file, err)
		}
		reports = append(reports, r)
	}
	return reports, nil
}

// reportFromResults makes a Report of a results file of the suite: a map
// from test id to true, or to [error name, message].
func reportFromResults(name string, groups []*group, data []byte) (*Report, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, err
	}
	r, err := newReport(name, groups, "not in the published results")
	if err != nil {
		return nil, err
	}
	for id, v := range raw {
		res, ok := r.Result(id)
		if !ok {
			continue // a test since removed from the suite
		}
		res.Reason = ""
		var pass bool
		if json.Unmarshal(v, &pass) == nil {
			if pass {
				res.Outcome = Passed
			} else {
				res.Outcome = Failed
			}
			r.set(res)
			continue
		}
		var fail []string
		if err := json.Unmarshal(v, &fail); err != nil || len(fail) != 2 {
			return nil, fmt.Errorf("result of %s: want true or [name, message], got %s", id, v)
		}
		res.Reason = fail[1]
		switch fail[0] {
		case "Setup":
			res.Outcome = SetupFailed
		case "AbortError":
			res.Outcome = HarnessFailed
		default: // Assertion, or the client's own error (TypeError)
			res.Outcome = Failed
		}
		r.set(res)
	}
	return r, nil
}
