package cachetests

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"
)

// Subject is the cache under test: given the transport to the origin and
// the clock to judge time by, it returns the RoundTripper the runner sends
// every request of one test through. It is called once per test, so each
// test starts with an empty cache unless the subject shares its store. When
// the test ends, the runner calls the RoundTripper's Close method, if it
// has one (io.Closer), so that a cache's own goroutines can end.
type Subject func(base http.RoundTripper, clock Clock) http.RoundTripper

// Options configures a run. The zero value runs the suite in private-cache
// mode with the default skips and a fake clock, one test at a time.
type Options struct {
	// Name names the subject in the Report (and its Markdown tables).
	Name string
	// Skip lists the tests not to run, by id, each with the reason it
	// cannot apply. Nil means DefaultSkips(); an empty map skips nothing
	// but the tests marked cdn_only. An id the suite does not have is an
	// error, so that a renamed test is noticed.
	Skip map[string]string
	// RealClock runs the tests in real time (RealClock): the suite's pauses
	// are slept, about three seconds each, and the subject may read
	// time.Now. Otherwise each test has a fake clock that pauses move.
	RealClock bool
	// Parallel runs the tests at once (as parallel subtests in Run, 25 at
	// a time in Results, as the suite does), which a RealClock run needs
	// to finish in a minute rather than a quarter of an hour.
	Parallel bool
}

// runner runs the suite's tests against one subject.
type runner struct {
	subject Subject
	opts    Options
	skip    map[string]string
	groups  []*group
	origin  *origin
	base    *http.Transport

	mu     sync.Mutex
	report *Report
}

func newRunner(s Subject, o Options) (*runner, error) {
	if s == nil {
		return nil, errors.New("cachetests: no subject")
	}
	groups, err := loadSuite()
	if err != nil {
		return nil, err
	}
	rep, err := newReport(o.Name, groups, "not run")
	if err != nil {
		return nil, err
	}
	skip := o.Skip
	if skip == nil {
		skip = defaultSkips
	}
	var unknown []string
	for id := range skip {
		if _, ok := rep.Result(id); !ok {
			unknown = append(unknown, id)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return nil, fmt.Errorf("cachetests: Options.Skip names tests the suite does not have: %s", strings.Join(unknown, ", "))
	}
	return &runner{
		subject: s, opts: o, skip: skip, groups: groups, report: rep,
		origin: newOrigin(),
		base:   newBase(),
	}, nil
}

// newBase returns the transport to the origin. Nothing between the
// subject and the origin: no proxy from the environment, no transparent
// gzip (it would decode the tests' Content-Encoding bodies, which are not
// encoded), and a connection per request, since the origin closes each.
func newBase() *http.Transport {
	return &http.Transport{DisableCompression: true, DisableKeepAlives: true}
}

func (rn *runner) close() {
	rn.base.CloseIdleConnections()
	rn.origin.close()
}

// skipReason says why t is not run in private-cache mode, or "". Tests
// marked browser_only are private-cache tests and run; tests marked
// browser_skip run unless Skip names them, since most are skipped in
// browsers for want of an API (conditional requests, manual redirects,
// interim responses) that a client library has.
func (rn *runner) skipReason(t *test) string {
	if t.CDNOnly {
		return whyCDN
	}
	return rn.skip[t.ID]
}

// runOne runs test t and records its result.
func (rn *runner) runOne(t *test) Result {
	rn.mu.Lock()
	res, _ := rn.report.Result(t.ID) // the laid-out entry
	rn.mu.Unlock()
	res.Reason = ""
	if why := rn.skipReason(t); why != "" {
		res.Outcome, res.Reason = Skipped, why
		rn.record(res)
		return res
	}
	var c pauseClock = newFakeClock()
	if rn.opts.RealClock {
		c = RealClock{}
	}
	tr := &testRun{t: t, id: newID(), url: rn.origin.srv.URL, clock: c}
	tr.rt = rn.subject(rn.base, c)
	f := tr.run(rn.origin)
	if c, ok := tr.rt.(io.Closer); ok {
		if err := c.Close(); err != nil && f == nil {
			f = &failure{harness: true, msg: "closing the subject: " + err.Error()}
		}
	}
	rn.origin.state(tr.id) // forget the test, if it ended early
	switch {
	case f == nil:
		res.Outcome = Passed
	case f.harness:
		res.Outcome = HarnessFailed
	case f.setup:
		res.Outcome = SetupFailed
	default:
		res.Outcome = Failed
	}
	if f != nil {
		res.Reason = f.msg
		res.Transcript = tr.transcript
	}
	rn.record(res)
	return res
}

func (rn *runner) record(res Result) {
	rn.mu.Lock()
	defer rn.mu.Unlock()
	rn.report.set(res)
}

// Results runs the suite against s and returns the report. It fails only if
// the run cannot start (a bad Options.Skip).
func Results(s Subject, o Options) (*Report, error) {
	rn, err := newRunner(s, o)
	if err != nil {
		return nil, err
	}
	defer rn.close()
	limit := 1
	if o.Parallel {
		limit = 25
	}
	sem := make(chan struct{}, limit)
	var wg sync.WaitGroup
	for _, g := range rn.groups {
		for _, t := range g.Tests {
			sem <- struct{}{}
			wg.Go(func() {
				defer func() { <-sem }()
				rn.runOne(t)
			})
		}
	}
	wg.Wait()
	return rn.report, nil
}

// Run runs the suite against s, each test as the subtest group/id (e.g.
// "cc-freshness/freshness-max-age"), and returns the report. A required
// test that does not pass fails its subtest, with the reason and the
// exchange; an optimal or check test only logs. Skipped tests, and those
// -run leaves out, are skipped subtests and Skipped results.
func Run(t *testing.T, s Subject, o Options) *Report {
	t.Helper()
	rn, err := newRunner(s, o)
	if err != nil {
		t.Fatal(err)
	}
	defer rn.close()
	for _, g := range rn.groups {
		t.Run(g.ID, func(t *testing.T) {
			for _, tc := range g.Tests {
				t.Run(tc.ID, func(t *testing.T) {
					if o.Parallel {
						t.Parallel()
					}
					judge(t, rn.runOne(tc))
				})
			}
		})
	}
	rn.mu.Lock()
	defer rn.mu.Unlock()
	return rn.report
}

// subtest is what judge needs of a *testing.T.
type subtest interface {
	Helper()
	Skip(args ...any)
	Errorf(format string, args ...any)
	Logf(format string, args ...any)
}

// judge ends subtest t as res says.
func judge(t subtest, res Result) {
	t.Helper()
	switch {
	case res.Outcome == Skipped:
		t.Skip(res.Reason)
	case res.Outcome == Passed:
	case res.Kind == Required:
		t.Errorf("%s\n%s\n%s", res.Name, res, strings.Join(res.Transcript, "\n"))
	default:
		t.Logf("%s (allowed for a %s test)\n%s", res, res.Kind, strings.Join(res.Transcript, "\n"))
	}
}
