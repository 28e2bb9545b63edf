package cachetests

import (
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// counts is how many tests of each kind ended each way, by their own
// outcome.
type counts struct {
	Passed, Failed, SetupFailed, HarnessFailed, Skipped int
}

func countsOf(r *Report, k Kind) counts {
	return counts{
		Passed: len(r.IDs(k, Passed)), Failed: len(r.IDs(k, Failed)),
		SetupFailed: len(r.IDs(k, SetupFailed)), HarnessFailed: len(r.IDs(k, HarnessFailed)),
		Skipped: len(r.IDs(k, Skipped)),
	}
}

func results(t *testing.T, s Subject, o Options) *Report {
	t.Helper()
	r, err := Results(s, o)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// expectsCached reports whether a step of t that is not setup expects its
// response from the cache.
func expectsCached(t *test) bool {
	return slices.ContainsFunc(t.Steps, func(s *step) bool {
		return s.ExpectedType == "cached" && !s.isSetup("expected_type")
	})
}

// TestPassThroughFails runs the suite against a client with no cache: the
// tests that want a response from the cache must fail, those that want one
// from the origin may pass. The counts were checked against the suite's own
// JavaScript runner with Node's fetch (no cache) at the vendored commit:
// they agree on every test both run but the disconnect tests, where a
// RoundTripper's error is taken as the origin's answer (see doc.go).
func TestPassThroughFails(t *testing.T) {
	r := results(t, passThrough, Options{})
	want := map[Kind]counts{
		Required: {Passed: 83, Failed: 19, SetupFailed: 41, Skipped: 20},
		Optimal:  {Passed: 1, Failed: 91, SetupFailed: 2, Skipped: 13},
		Check:    {Passed: 23, Failed: 50, SetupFailed: 20, Skipped: 7},
	}
	for k, w := range want {
		if diff := cmp.Diff(w, countsOf(r, k)); diff != "" {
			t.Errorf("%s tests (-want +got):\n%s", k, diff)
		}
	}
	groups, err := loadSuite()
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range groups {
		for _, tc := range g.Tests {
			res, _ := r.Result(tc.ID)
			if expectsCached(tc) && res.Outcome == Passed {
				t.Errorf("%s expects a cached response, yet passed without a cache", tc.ID)
			}
		}
	}
	for id, want := range map[string]string{
		"freshness-none":           "passed",
		"freshness-max-age":        "failed: Response 2 does not come from cache",
		"conditional-lm-stale":     "passed", // the client's own If-Modified-Since reaches the origin, which answers 304
		"headers-store-Connection": "setup failed: Response 2 does not come from cache",
		"vary-no-match":            "passed",
		"cdn-max-age":              "skipped: " + whyCDN,
		"other-authorization":      "skipped: " + defaultSkips["other-authorization"],
	} {
		res, _ := r.Result(id)
		if got := strings.TrimPrefix(res.String(), res.ID+" ("+res.Kind.String()+"): "); got != want {
			t.Errorf("%s: got %q, want %q", id, got, want)
		}
	}
}

// TestToyCachePasses runs the suite against toyCache: plain freshness
// passes, and what the toy does not know of (Vary, Age, no-cache,
// invalidation, hop-by-hop fields) fails.
func TestToyCachePasses(t *testing.T) {
	r := results(t, newToyCache, Options{})
	want := map[Kind]counts{
		Required: {Passed: 88, Failed: 44, SetupFailed: 11, Skipped: 20},
		Optimal:  {Passed: 35, Failed: 58, SetupFailed: 1, Skipped: 13},
		Check:    {Passed: 13, Failed: 62, SetupFailed: 18, Skipped: 7},
	}
	for k, w := range want {
		if diff := cmp.Diff(w, countsOf(r, k)); diff != "" {
			t.Errorf("%s tests (-want +got):\n%s", k, diff)
		}
	}
	for id, want := range map[string]string{
		"freshness-max-age":               "passed",
		"freshness-max-age-stale":         "passed",
		"status-200-fresh":                "passed",
		"vary-no-match":                   "failed: Response 2 comes from cache",
		"freshness-max-age-age":           "failed: Response 2 comes from cache",
		"cc-resp-no-cache":                "failed: Response 2 comes from cache",
		"invalidate-POST":                 "failed: Response 3 comes from cache",
		"headers-store-TE":                `failed: Response 2 header TE still has value "apetixmbqfujync"`,
		"other-age-update-max-age":        "failed: Response 2 header Age is 30, should be bigger than 32",
		"conditional-etag-strong-respond": "failed: Response 2 status is 200, not 304",
	} {
		res, _ := r.Result(id)
		if got := strings.TrimPrefix(res.String(), res.ID+" ("+res.Kind.String()+"): "); got != want {
			t.Errorf("%s: got %q, want %q", id, got, want)
		}
	}
	res, _ := r.Result("vary-no-match")
	if len(res.Transcript) != 4 || !strings.HasPrefix(res.Transcript[0], "→ 1: GET /test/<id>") || !strings.HasPrefix(res.Transcript[3], "← 2: 200") {
		t.Errorf("vary-no-match failed with the transcript:\n%s\nwant two requests and their responses", strings.Join(res.Transcript, "\n"))
	}
	if res, _ := r.Result("freshness-max-age"); res.Transcript != nil {
		t.Errorf("a test that passed kept its transcript")
	}
	pass := results(t, passThrough, Options{})
	if p, q := r.Totals("", Required).Passed, pass.Totals("", Required).Passed; p <= q {
		t.Errorf("the toy cache counts %d required tests passed, no more than no cache (%d)", p, q)
	}
}

// TestRunSubtests runs the suite with Run, in parallel, skipping the
// required tests the toy cache fails: every subtest passes, and the report
// is the one Results gives.
func TestRunSubtests(t *testing.T) {
	want := results(t, newToyCache, Options{})
	skip := DefaultSkips()
	for _, o := range []Outcome{Failed, SetupFailed, HarnessFailed} {
		for _, id := range want.IDs(Required, o) {
			skip[id] = "the toy cache fails it"
			res, _ := want.Result(id)
			res.Outcome, res.Reason, res.Transcript = Skipped, skip[id], nil
			want.set(res)
		}
	}
	got := Run(t, newToyCache, Options{Name: "toy", Skip: skip, Parallel: true})
	if got.Name != "toy" {
		t.Errorf("report name %q, want toy", got.Name)
	}
	outcomes := func(r *Report) map[string]string {
		m := make(map[string]string)
		for _, g := range r.Groups {
			for _, res := range g.Results {
				m[g.ID+"/"+res.ID] = res.Outcome.String() + ": " + res.Reason
			}
		}
		return m
	}
	if diff := cmp.Diff(outcomes(want), outcomes(got)); diff != "" {
		t.Errorf("Run and Results disagree (-Results +Run):\n%s", diff)
	}
}

// fakeSubtest records how judge ended a subtest.
type fakeSubtest struct{ skipped, errored, logged string }

func (f *fakeSubtest) Helper()                           {}
func (f *fakeSubtest) Skip(args ...any)                  { f.skipped = args[0].(string) }
func (f *fakeSubtest) Errorf(format string, args ...any) { f.errored = format }
func (f *fakeSubtest) Logf(format string, args ...any)   { f.logged = format }

func TestJudge(t *testing.T) {
	for _, tc := range []struct {
		res                Result
		skip, errorf, logf bool
	}{
		{res: Result{Kind: Required, Outcome: Passed}},
		{res: Result{Kind: Required, Outcome: Failed}, errorf: true},
		{res: Result{Kind: Required, Outcome: SetupFailed}, errorf: true},
		{res: Result{Kind: Required, Outcome: HarnessFailed}, errorf: true},
		{res: Result{Kind: Optimal, Outcome: Failed}, logf: true},
		{res: Result{Kind: Check, Outcome: SetupFailed}, logf: true},
		{res: Result{Kind: Required, Outcome: Skipped, Reason: "why"}, skip: true},
	} {
		var f fakeSubtest
		judge(&f, tc.res)
		if (f.skipped != "") != tc.skip || (f.errored != "") != tc.errorf || (f.logged != "") != tc.logf {
			t.Errorf("judge(%v): skipped %q, errored %q, logged %q", tc.res, f.skipped, f.errored, f.logged)
		}
	}
}

func TestNoSubject(t *testing.T) {
	if _, err := Results(nil, Options{}); err == nil {
		t.Error("Results with no subject: no error")
	}
}

func TestUnknownSkip(t *testing.T) {
	_, err := Results(passThrough, Options{Skip: map[string]string{"no-such-test": "x", "freshness-none": "y"}})
	if err == nil || !strings.Contains(err.Error(), "no-such-test") || strings.Contains(err.Error(), "freshness-none") {
		t.Fatalf("Results with an unknown id in Skip: %v, want an error naming it alone", err)
	}
}

// only returns a Skip that skips every test but ids.
func only(t *testing.T, ids ...string) map[string]string {
	t.Helper()
	groups, err := loadSuite()
	if err != nil {
		t.Fatal(err)
	}
	skip := make(map[string]string)
	for _, g := range groups {
		for _, tc := range g.Tests {
			if !slices.Contains(ids, tc.ID) {
				skip[tc.ID] = "not this time"
			}
		}
	}
	return skip
}

// TestClocks checks what clock a subject gets: by default a fake one that
// each pause moves by exactly three seconds, and with RealClock the wall
// clock.
func TestClocks(t *testing.T) {
	var mu sync.Mutex
	var clocks []Clock
	var times []time.Time
	recording := func(base http.RoundTripper, c Clock) http.RoundTripper {
		mu.Lock()
		clocks = append(clocks, c)
		mu.Unlock()
		return roundTripFunc(func(req *http.Request) (*http.Response, error) {
			mu.Lock()
			times = append(times, c.Now())
			mu.Unlock()
			return base.RoundTrip(req)
		})
	}
	// freshness-max-age pauses after its first request.
	results(t, recording, Options{Skip: only(t, "freshness-max-age")})
	if len(clocks) != 1 || len(times) != 2 {
		t.Fatalf("%d subjects made, %d requests: want 1 and 2", len(clocks), len(times))
	}
	if _, ok := clocks[0].(*fakeClock); !ok {
		t.Errorf("the subject got a %T, want the fake clock", clocks[0])
	}
	if d := times[1].Sub(times[0]); d != pause {
		t.Errorf("the fake clock moved %v between the requests, want %v", d, pause)
	}

	clocks, times = nil, nil
	r := results(t, recording, Options{RealClock: true, Skip: only(t, "cc-resp-no-store", "heuristic-200-cached")})
	if len(clocks) != 2 {
		t.Fatalf("%d subjects made, want 2", len(clocks))
	}
	for _, c := range clocks {
		if _, ok := c.(RealClock); !ok {
			t.Errorf("the subject got a %T, want RealClock", c)
		}
	}
	if res, _ := r.Result("cc-resp-no-store"); res.Outcome != Passed {
		t.Errorf("no cache, real time: %v, want passed", res)
	}
	if res, _ := r.Result("heuristic-200-cached"); res.Outcome != Failed {
		t.Errorf("no cache, real time: %v, want failed", res)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(req *http.Request) (*http.Response, error) { return f(req) }
