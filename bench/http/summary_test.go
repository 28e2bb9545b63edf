package httpbench

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

// How the report sums its passes up and writes its tables.

// summary is a contender's row over all passes: medians of the
// measurements, and medians of the per-pass ratios to net/http.
type summary struct {
	cell
	ratio    float64 // ns/op ratio (sequential rows)
	rpsRatio float64 // req/s ratio (64 goroutines)
	p99Ratio float64
	spread   [2]float64 // first and third quartiles of the per-pass ratios of ratio, or of rpsRatio
}

type report struct {
	passes int
	rows   map[string][]summary
	// own is relay's median per-pass ratio to net/http sending relay's
	// headers, the cost that is relay's own: time for the small GET,
	// req/s for the 64 goroutines.
	own map[string]float64
}

func summarize(cells map[string][][]cell) report {
	r := report{rows: map[string][]summary{}}
	for row, byContender := range cells {
		bare := byContender[0]
		r.passes = len(bare)
		for _, passes := range byContender {
			var s summary
			if len(passes) == 0 {
				r.rows[row] = append(r.rows[row], s) // not in this row
				continue
			}
			s.ns = median(passes, func(c cell) float64 { return c.ns })
			s.allocs = median(passes, func(c cell) float64 { return c.allocs })
			s.rps = median(passes, func(c cell) float64 { return c.rps })
			s.p99 = time.Duration(median(passes, func(c cell) float64 { return float64(c.p99) }))
			ratios := func(f func(cell) float64) []float64 {
				rs := make([]float64, len(passes))
				for i := range passes {
					rs[i] = f(passes[i]) / f(bare[i])
				}
				return rs
			}
			byTime := ratios(func(c cell) float64 { return c.ns })
			s.ratio, s.spread = median(byTime, identity), quartiles(byTime)
			if row == rowParallel {
				byRate := ratios(func(c cell) float64 { return c.rps })
				s.rpsRatio, s.spread = median(byRate, identity), quartiles(byRate)
				s.p99Ratio = median(ratios(func(c cell) float64 { return float64(c.p99) }), identity)
			}
			r.rows[row] = append(r.rows[row], s)
		}
	}
	r.own = map[string]float64{}
	relay, withHeaders := cells[rowSmallGET][relayAt], cells[rowSmallGET][withHeadersAt]
	if len(relay) > 0 && len(relay) == len(withHeaders) {
		rs := make([]float64, len(relay))
		for i := range relay {
			rs[i] = relay[i].ns / withHeaders[i].ns
		}
		r.own[rowSmallGET] = median(rs, identity)
	}
	relay, withHeaders = cells[rowParallel][relayAt], cells[rowParallel][withHeadersAt]
	if len(relay) > 0 && len(relay) == len(withHeaders) {
		rs := make([]float64, len(relay))
		for i := range relay {
			rs[i] = relay[i].rps / withHeaders[i].rps
		}
		r.own[rowParallel] = median(rs, identity)
	}
	return r
}

func identity(x float64) float64 { return x }

// quartiles returns the first and third quartiles of xs (the medians of its
// lower and upper halves, the middle value left out of both), or zeros for
// fewer than two values.
func quartiles(xs []float64) [2]float64 {
	if len(xs) < 2 {
		return [2]float64{}
	}
	v := slices.Sorted(slices.Values(xs))
	half := len(v) / 2
	return [2]float64{median(v[:half], identity), median(v[len(v)-half:], identity)}
}

func median[T any](xs []T, f func(T) float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	v := make([]float64, len(xs))
	for i, x := range xs {
		v[i] = f(x)
	}
	slices.Sort(v)
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}

// markdown writes the report: the run, one line per contender, and the
// issue 15 targets with whether this run met them.
func (r report) markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Run: %s, %s, %d CPUs (%s), %s; %d passes, %d requests per sequential measurement, %d for the 64 goroutines.\n\n",
		time.Now().UTC().Format("2006-01-02"), runtime.Version(), runtime.NumCPU(), cpuModel(), runtime.GOOS+"/"+runtime.GOARCH,
		r.passes, *reportRequests, *reportParallel)
	b.WriteString("| client |")
	for _, row := range reportRows {
		b.WriteString(" " + row + " |")
	}
	b.WriteString(" 64 goroutines: req/s | p99 |\n| --- |" + strings.Repeat(" ---: |", len(reportRows)+2) + "\n")
	for i, c := range contenders {
		fmt.Fprintf(&b, "| %s |", c.name)
		for _, row := range reportRows {
			s, bare := r.rows[row][i], r.rows[row][0]
			switch {
			case s.ns == 0:
				b.WriteString(" — |")
				continue
			case i == 0:
				fmt.Fprintf(&b, " %.1f µs, %.0f allocs |", s.ns/1e3, s.allocs)
			default:
				fmt.Fprintf(&b, " **%.2f×**, %+.0f allocs |", s.ratio, s.allocs-bare.allocs)
			}
		}
		s := r.rows[rowParallel][i]
		switch {
		case s.ns == 0:
			b.WriteString(" — | — |\n")
		case i == 0:
			fmt.Fprintf(&b, " %.0f | %s |\n", s.rps, s.p99.Round(time.Microsecond))
		default:
			fmt.Fprintf(&b, " **%.2f×** | %.2f× |\n", s.rpsRatio, s.p99Ratio)
		}
	}
	b.WriteString("\nRatios are the median over the passes of each pass's ratio to net/http (time per request; for the 64 goroutines, requests per second and p99 latency). Allocations are per request, the in-process server's included, as a difference to net/http's.\n\n")
	if r.passes > 1 {
		fmt.Fprintf(&b, "Relay's per-pass ratios, from the first to the third quartile (half the passes fall inside): %s.\n\n", spreadRows(r))
		fmt.Fprintf(&b, "The report's own error: the ratios of \"net/http again\", a second net/http client the same as the first, are %s (median; first to third quartile).\n\n", againRows(r))
	}
	relay := func(row string) summary { return r.rows[row][relayAt] }
	peer := func(row string) summary { return r.rows[row][peerAt] }
	met := func(ok bool) string {
		if ok {
			return "met"
		}
		return "**not met**"
	}
	bareAllocs := r.rows[rowSmallGET][0].allocs
	sessionAllocs := r.rows[rowSessionGET][0].allocs
	b.WriteString("| target | this run | |\n| --- | --- | --- |\n")
	fmt.Fprintf(&b, "| small GET ≤ 1.03× and no more allocations than net/http | %.2f×, %+.0f allocs | %s |\n",
		relay(rowSmallGET).ratio, relay(rowSmallGET).allocs-bareAllocs,
		met(relay(rowSmallGET).ratio <= 1.03 && relay(rowSmallGET).allocs <= bareAllocs))
	fmt.Fprintf(&b, "| session GET ≤ 1.05× and ≤ +5 allocs | %.2f×, %+.0f allocs | %s |\n",
		relay(rowSessionGET).ratio, relay(rowSessionGET).allocs-sessionAllocs,
		met(relay(rowSessionGET).ratio <= 1.05 && relay(rowSessionGET).allocs-sessionAllocs <= 5))
	fmt.Fprintf(&b, "| POST JSON ≤ 1.03× | %.2f× | %s |\n", relay(rowPostJSON).ratio, met(relay(rowPostJSON).ratio <= 1.03))
	fmt.Fprintf(&b, "| HTTP/2 GET ≤ 1.05× | %.2f× | %s |\n", relay(rowHTTP2).ratio, met(relay(rowHTTP2).ratio <= 1.05))
	fmt.Fprintf(&b, "| 64 goroutines ≥ 0.97× req/s, p99 ≤ 1.05× | %.2f×, p99 %.2f× | %s |\n",
		relay(rowParallel).rpsRatio, relay(rowParallel).p99Ratio,
		met(relay(rowParallel).rpsRatio >= 0.97 && relay(rowParallel).p99Ratio <= 1.05))
	faster := true
	for _, row := range peerRows {
		faster = faster && relay(row).ratio < peer(row).ratio
	}
	faster = faster && relay(rowParallel).rpsRatio > peer(rowParallel).rpsRatio
	fmt.Fprintf(&b, "| faster than carlmjohnson/requests on every row | %s | %s |\n", fasterRows(r), met(faster))
	fmt.Fprintf(&b, "\nRelay against net/http sending relay's three default headers, which is what is relay's own (the median of each pass's ratio): small GET %.2f×, 64 goroutines %.2f× req/s.\n",
		r.own[rowSmallGET], r.own[rowParallel])
	return b.String()
}

// fasterRows lists relay's and carlmjohnson/requests' ratios side by side.
func fasterRows(r report) string {
	var parts []string
	for _, row := range peerRows {
		parts = append(parts, fmt.Sprintf("%s %.2f× vs %.2f×", row, r.rows[row][relayAt].ratio, r.rows[row][peerAt].ratio))
	}
	parts = append(parts, fmt.Sprintf("req/s %.2f× vs %.2f×", r.rows[rowParallel][relayAt].rpsRatio, r.rows[rowParallel][peerAt].rpsRatio))
	return strings.Join(parts, "; ")
}

// spreadRows lists the quartiles of relay's per-pass ratios, row by row.
func spreadRows(r report) string {
	var parts []string
	for _, row := range reportRows {
		q := r.rows[row][relayAt].spread
		parts = append(parts, fmt.Sprintf("%s %.2f–%.2f×", row, q[0], q[1]))
	}
	q := r.rows[rowParallel][relayAt].spread
	parts = append(parts, fmt.Sprintf("64 goroutines %.2f–%.2f× req/s", q[0], q[1]))
	return strings.Join(parts, "; ")
}

// againRows lists the median and quartiles of the second net/http
// client's per-pass ratios, row by row.
func againRows(r report) string {
	var parts []string
	for _, row := range reportRows {
		s := r.rows[row][againAt]
		parts = append(parts, fmt.Sprintf("%s %.2f× (%.2f–%.2f×)", row, s.ratio, s.spread[0], s.spread[1]))
	}
	s := r.rows[rowParallel][againAt]
	parts = append(parts, fmt.Sprintf("64 goroutines %.2f× req/s (%.2f–%.2f×)", s.rpsRatio, s.spread[0], s.spread[1]))
	return strings.Join(parts, "; ")
}

func TestQuartiles(t *testing.T) {
	for _, tc := range []struct {
		xs   []float64
		want [2]float64
	}{
		{[]float64{4, 1, 3, 2}, [2]float64{1.5, 3.5}},
		{[]float64{5, 4, 3, 2, 1}, [2]float64{1.5, 4.5}}, // the middle value is in neither half
		{[]float64{1.1, 0.9}, [2]float64{0.9, 1.1}},
		{[]float64{1}, [2]float64{}},
		{nil, [2]float64{}},
	} {
		in := slices.Clone(tc.xs)
		if got := quartiles(tc.xs); got != tc.want {
			t.Errorf("quartiles(%v) = %v, want %v", in, got, tc.want)
		}
		if !slices.Equal(in, tc.xs) {
			t.Errorf("quartiles reordered its input: %v, was %v", tc.xs, in)
		}
	}
}
