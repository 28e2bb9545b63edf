package cachetests

import (
	"fmt"
	"slices"
	"strings"
)

// Kind is what a test's failure means, as the suite classes its tests.
type Kind int

const (
	// Required tests check what RFC 9111 requires.
	Required Kind = iota
	// Optimal tests check what an optimal cache does (reuse where it may);
	// failing one is allowed.
	Optimal
	// Check tests record a behaviour (yes or no) and judge nothing.
	Check
)

func (k Kind) String() string {
	switch k {
	case Required:
		return "required"
	case Optimal:
		return "optimal"
	case Check:
		return "check"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

func kindOf(s string) (Kind, error) {
	switch s {
	case "", "required":
		return Required, nil
	case "optimal":
		return Optimal, nil
	case "check":
		return Check, nil
	}
	return 0, fmt.Errorf("cachetests: unknown test kind %q", s)
}

// Outcome is how a test ended.
type Outcome int

const (
	// Skipped: not run; the Result's Reason says why.
	Skipped Outcome = iota
	// Passed: every check held. For a Check test: yes.
	Passed
	// Failed: a check of the cache failed, or the subject returned an
	// error. For an Optimal test: an optional failure; for a Check: no.
	Failed
	// SetupFailed: a step the test relies on did not behave as the test
	// needs (a response not stored, a retried request), so the test says
	// nothing about what it checks.
	SetupFailed
	// HarnessFailed: the runner could not finish (no response in time, a
	// step the runner cannot make).
	HarnessFailed
	// DependencyFailed is never a Result's Outcome: Report.Counted gives it
	// to a test that ran while a test it depends on did not pass, as
	// cache-tests.fyi shows such a test.
	DependencyFailed
)

func (o Outcome) String() string {
	switch o {
	case Skipped:
		return "skipped"
	case Passed:
		return "passed"
	case Failed:
		return "failed"
	case SetupFailed:
		return "setup failed"
	case HarnessFailed:
		return "harness failed"
	case DependencyFailed:
		return "dependency failed"
	}
	return fmt.Sprintf("Outcome(%d)", int(o))
}

// Result is one test's result.
type Result struct {
	ID        string // the suite's id, e.g. "freshness-max-age"
	Name      string // the suite's one-line description (Markdown)
	Group     string // the id of the test's group
	Kind      Kind
	Outcome   Outcome
	Reason    string   // why it did not pass, or why it was skipped
	DependsOn []string // the ids of the tests its result rests on
	// Transcript is the exchange with the subject and the origin, one
	// message a line, kept when the test did not pass.
	Transcript []string
}

// Group is the results of one test group of the suite, in suite order.
type Group struct {
	ID, Name string
	Results  []Result
}

// Report is the results of one subject on the whole suite.
type Report struct {
	Name   string // the subject's name, for tables
	Groups []Group
}

// Result returns the result of test id.
func (r *Report) Result(id string) (Result, bool) {
	for _, g := range r.Groups {
		for _, res := range g.Results {
			if res.ID == id {
				return res, true
			}
		}
	}
	return Result{}, false
}

// Unmet returns the dependencies of test id that do not count as passed
// (Counted), in order.
func (r *Report) Unmet(id string) []string {
	return r.unmet(id, map[string]bool{id: true})
}

func (r *Report) unmet(id string, visiting map[string]bool) []string {
	res, _ := r.Result(id)
	var unmet []string
	for _, d := range res.DependsOn {
		if visiting[d] || r.counted(d, visiting) != Passed {
			unmet = append(unmet, d) // a cycle never passes
		}
	}
	return unmet
}

// Counted returns the outcome test id counts as, as cache-tests.fyi shows
// it: its own, but DependencyFailed if it ran while a test it depends on
// does not count as passed.
func (r *Report) Counted(id string) Outcome {
	return r.counted(id, map[string]bool{})
}

func (r *Report) counted(id string, visiting map[string]bool) Outcome {
	res, _ := r.Result(id)
	if res.Outcome == Skipped {
		return Skipped
	}
	visiting[id] = true
	defer delete(visiting, id)
	if len(r.unmet(id, visiting)) > 0 {
		return DependencyFailed
	}
	return res.Outcome
}

// Totals counts tests by the outcome they count as.
type Totals struct {
	Passed, Failed, SetupFailed, HarnessFailed, DependencyFailed, Skipped int
}

// Run is the number of tests that ran.
func (t Totals) Run() int {
	return t.Passed + t.Failed + t.SetupFailed + t.HarnessFailed + t.DependencyFailed
}

func (t Totals) String() string {
	return fmt.Sprintf("%d passed, %d failed, %d setup failed, %d harness failed, %d dependency failed, %d skipped",
		t.Passed, t.Failed, t.SetupFailed, t.HarnessFailed, t.DependencyFailed, t.Skipped)
}

// Totals counts the tests of kind k in group (every group if ""), by
// Counted.
func (r *Report) Totals(group string, k Kind) Totals {
	var t Totals
	for _, g := range r.Groups {
		if group != "" && g.ID != group {
			continue
		}
		for _, res := range g.Results {
			if res.Kind != k {
				continue
			}
			switch r.Counted(res.ID) {
			case Passed:
				t.Passed++
			case Failed:
				t.Failed++
			case SetupFailed:
				t.SetupFailed++
			case HarnessFailed:
				t.HarnessFailed++
			case DependencyFailed:
				t.DependencyFailed++
			default:
				t.Skipped++
			}
		}
	}
	return t
}

// IDs returns the ids of the tests of kind k whose own outcome is o, in
// suite order.
func (r *Report) IDs(k Kind, o Outcome) []string {
	var ids []string
	for _, g := range r.Groups {
		for _, res := range g.Results {
			if res.Kind == k && res.Outcome == o {
				ids = append(ids, res.ID)
			}
		}
	}
	return ids
}

// Unpassed returns the results of the tests of kind k that ran and do not
// count as passed (Counted): failed themselves, or resting on a test that
// did not pass. A subject that meets the suite's required tests has none
// of kind Required.
func (r *Report) Unpassed(k Kind) []Result {
	var out []Result
	for _, g := range r.Groups {
		for _, res := range g.Results {
			if o := r.Counted(res.ID); res.Kind == k && o != Passed && o != Skipped {
				out = append(out, res)
			}
		}
	}
	return out
}

// String is the result in one line, with the reason.
func (res Result) String() string {
	s := fmt.Sprintf("%s (%s): %s", res.ID, res.Kind, res.Outcome)
	if res.Reason != "" {
		s += ": " + res.Reason
	}
	return s
}

// newReport lays out a report of every test of groups, all Skipped with
// reason until a result replaces them.
func newReport(name string, groups []*group, reason string) (*Report, error) {
	r := &Report{Name: name}
	for _, g := range groups {
		rg := Group{ID: g.ID, Name: g.Name}
		for _, t := range g.Tests {
			k, err := kindOf(t.Kind)
			if err != nil {
				return nil, err
			}
			rg.Results = append(rg.Results, Result{
				ID: t.ID, Name: strings.TrimSpace(t.Name), Group: g.ID, Kind: k,
				Outcome: Skipped, Reason: reason, DependsOn: slices.Clone(t.DependsOn),
			})
		}
		r.Groups = append(r.Groups, rg)
	}
	return r, nil
}

// set replaces the result of res.ID.
func (r *Report) set(res Result) {
	for gi := range r.Groups {
		for i := range r.Groups[gi].Results {
			if r.Groups[gi].Results[i].ID == res.ID {
				r.Groups[gi].Results[i] = res
				return
			}
		}
	}
}
