package cachetests

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// smallReport is a report of three tests: b depends on a, c on b.
func smallReport(a, b, c Outcome) *Report {
	return &Report{Name: "x", Groups: []Group{
		{ID: "g1", Name: "One | two", Results: []Result{
			{ID: "a", Name: "A", Group: "g1", Kind: Optimal, Outcome: a},
			{ID: "b", Name: "B", Group: "g1", Kind: Required, Outcome: b, DependsOn: []string{"a"}},
		}},
		{ID: "g2", Name: "Three", Results: []Result{
			{ID: "c", Name: "C", Group: "g2", Kind: Required, Outcome: c, DependsOn: []string{"b"}, Reason: "why not"},
		}},
	}}
}

func TestCountedDependencies(t *testing.T) {
	r := smallReport(Failed, Passed, Passed)
	if got := r.Counted("a"); got != Failed {
		t.Errorf("a counts as %v, want failed", got)
	}
	if got := r.Counted("b"); got != DependencyFailed {
		t.Errorf("b, passed while a failed, counts as %v, want dependency failed", got)
	}
	if got := r.Counted("c"); got != DependencyFailed {
		t.Errorf("c, passed while b counts as failed, counts as %v, want dependency failed", got)
	}
	if diff := cmp.Diff([]string{"a"}, r.Unmet("b")); diff != "" {
		t.Errorf("Unmet(b) (-want +got):\n%s", diff)
	}
	if got, want := r.Totals("", Required), (Totals{DependencyFailed: 2}); got != want {
		t.Errorf("required totals %v, want %v", got, want)
	}
	var unpassed []string
	for _, res := range r.Unpassed(Required) {
		unpassed = append(unpassed, res.ID)
	}
	if diff := cmp.Diff([]string{"b", "c"}, unpassed); diff != "" {
		t.Errorf("Unpassed(Required) (-want +got):\n%s", diff)
	}

	r = smallReport(Passed, Passed, Skipped)
	if got, want := r.Totals("g1", Required), (Totals{Passed: 1}); got != want {
		t.Errorf("g1 required totals %v, want %v", got, want)
	}
	if got, want := r.Totals("", Required), (Totals{Passed: 1, Skipped: 1}); got != want {
		t.Errorf("required totals %v, want %v", got, want)
	}
	if got := r.Counted("c"); got != Skipped {
		t.Errorf("a skipped test counts as %v, want skipped", got)
	}
	if got := r.Unpassed(Required); len(got) != 0 {
		t.Errorf("Unpassed(Required) with a skipped test = %v, want none", got)
	}
}

func TestMarkdown(t *testing.T) {
	r := smallReport(Passed, Failed, Skipped)
	other := smallReport(Failed, Passed, Passed)
	other.Name = "y"
	var b strings.Builder
	if err := r.Markdown(&b, other); err != nil {
		t.Fatal(err)
	}
	want := `| tests passed | x | y |
| --- | ---: | ---: |
| required | 0 of 1 | 0 of 2 |
| optimal | 1 of 1 | 0 of 1 |
| check | 0 of 0 | 0 of 0 |

Of the tests run: passed of those not skipped, a test counting as passed only if the tests it depends on pass.

## One \| two

| test | kind | x | y |
| --- | --- | :---: | :---: |
| A ` + "`a`" + ` | optimal | ✅ | ⚠️ |
| B ` + "`b`" + ` | required | ⛔️ | ⚪️ |

x, required tests: 0 of 1 passed
x, optimal tests: 1 of 1 passed

## Three

| test | kind | x | y |
| --- | --- | :---: | :---: |
| C ` + "`c`" + ` | required | - | ⚪️ |

Skipped for x:

- ` + "`c`" + `: why not
`
	if diff := cmp.Diff(want, b.String()); diff != "" {
		t.Errorf("Markdown (-want +got):\n%s", diff)
	}
}

func TestSymbol(t *testing.T) {
	for _, tc := range []struct {
		k    Kind
		o    Outcome
		want string
	}{
		{Required, Passed, "✅"}, {Required, Failed, "⛔️"}, {Optimal, Failed, "⚠️"},
		{Check, Passed, "Y"}, {Check, Failed, "N"}, {Optimal, SetupFailed, "🔹"},
		{Required, HarnessFailed, "⁉️"}, {Check, DependencyFailed, "⚪️"}, {Required, Skipped, "-"},
	} {
		if got := Symbol(tc.k, tc.o); got != tc.want {
			t.Errorf("Symbol(%v, %v) = %s, want %s", tc.k, tc.o, got, tc.want)
		}
	}
}

// TestPublished checks the browser results against what the vendored files
// say of a few tests.
func TestPublished(t *testing.T) {
	reports, err := Published()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range reports {
		names = append(names, r.Name)
	}
	if diff := cmp.Diff([]string{"Chrome 143", "Firefox 146", "Safari 26.2"}, names); diff != "" {
		t.Fatalf("browsers (-want +got):\n%s", diff)
	}
	chrome := reports[0]
	for id, want := range map[string]string{
		"freshness-max-age":                         "passed",
		"stale-close":                               "failed: Failed to fetch",
		"headers-store-Set-Cookie":                  `failed: Response 2 header Set-Cookie is "null", not "a=c"`,
		"304-etag-update-response-Content-Encoding": `failed: Response 2 header Content-Encoding is "arizqhypgxofwne", not "askcumewogyqias"`,
		"conditional-304-etag":                      "skipped: not in the published results", // browser_skip
		"cdn-max-age":                               "skipped: not in the published results",
	} {
		res, _ := chrome.Result(id)
		if got := strings.TrimPrefix(res.String(), res.ID+" ("+res.Kind.String()+"): "); got != want {
			t.Errorf("Chrome %s: got %q, want %q", id, got, want)
		}
	}
	if got, want := chrome.Totals("", Required), (Totals{Passed: 117, Failed: 18, DependencyFailed: 2, Skipped: 26}); got != want {
		t.Errorf("Chrome required totals %v, want %v", got, want)
	}
}
