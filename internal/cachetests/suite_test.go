package cachetests

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestSuiteShape pins the vendored suite: its groups, the tests of each
// kind, and the tests the private-cache mode leaves out. Updating
// testdata/cache-tests.json means updating these numbers, knowingly.
func TestSuiteShape(t *testing.T) {
	groups, err := loadSuite()
	if err != nil {
		t.Fatal(err)
	}
	type shape struct {
		Groups, Tests                        int
		Required, Optimal, Check             int
		CDNOnly, BrowserOnly, BrowserSkip    int
		Steps, Pauses, Validations, Disconns int
	}
	var got shape
	got.Groups = len(groups)
	for _, g := range groups {
		for _, tc := range g.Tests {
			got.Tests++
			k, err := kindOf(tc.Kind)
			if err != nil {
				t.Fatal(err)
			}
			switch k {
			case Required:
				got.Required++
			case Optimal:
				got.Optimal++
			case Check:
				got.Check++
			}
			if tc.CDNOnly {
				got.CDNOnly++
			}
			if tc.BrowserOnly {
				got.BrowserOnly++
			}
			if tc.BrowserSkip {
				got.BrowserSkip++
			}
			for _, s := range tc.Steps {
				got.Steps++
				if s.PauseAfter {
					got.Pauses++
				}
				if s.ExpectedType == "etag_validated" || s.ExpectedType == "lm_validated" {
					got.Validations++
				}
				if s.Disconnect {
					got.Disconns++
				}
			}
		}
	}
	want := shape{
		Groups: 25, Tests: 370,
		Required: 163, Optimal: 107, Check: 100,
		CDNOnly: 24, BrowserOnly: 5, BrowserSkip: 46,
		Steps: 779, Pauses: 274, Validations: 32, Disconns: 8,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("suite shape (-want +got):\n%s", diff)
	}
}

// TestDefaultSkips checks that every default skip names a test of the
// suite that is not cdn_only (those are skipped anyway), with a reason, and
// that DefaultSkips returns a copy.
func TestDefaultSkips(t *testing.T) {
	groups, err := loadSuite()
	if err != nil {
		t.Fatal(err)
	}
	byID := make(map[string]*test)
	for _, g := range groups {
		for _, tc := range g.Tests {
			byID[tc.ID] = tc
		}
	}
	skips := DefaultSkips()
	if len(skips) != 16 {
		t.Errorf("%d default skips, want 16", len(skips))
	}
	for id, why := range skips {
		tc := byID[id]
		switch {
		case tc == nil:
			t.Errorf("default skip %s: no such test", id)
		case tc.CDNOnly:
			t.Errorf("default skip %s: cdn_only, skipped anyway", id)
		case why == "":
			t.Errorf("default skip %s: no reason", id)
		}
	}
	delete(skips, "other-authorization")
	if _, ok := DefaultSkips()["other-authorization"]; !ok {
		t.Error("DefaultSkips returned the package's own map")
	}
}
