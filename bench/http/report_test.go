package httpbench

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

// The report's settings. The defaults make the package's test run one short
// pass, which checks every contender's every row and that the report is
// made; the full report (docs/benchmarks.md) is
//
//	env -u SSL_CERT_FILE go test -count=1 -run TestReport -v ./http/ \
//	    -report.passes 30 -report.requests 1500 -report.parallel 8000 -report.update
var (
	reportPasses        = flag.Int("report.passes", 1, "passes of TestReport; each measures every row of every contender, in random order")
	reportRequests      = flag.Int("report.requests", 40, "requests per measurement of a sequential row")
	reportBlock         = flag.Int("report.block", 20, "requests of one contender in a row before the next contender's turn (sequential rows)")
	reportParallel      = flag.Int("report.parallel", 640, "requests per measurement of the 64-goroutine row")
	reportParallelBlock = flag.Int("report.parallel.block", 640, "requests of one contender in the 64-goroutine row before the next contender's turn")
	reportUpdate        = flag.Bool("report.update", false, "write the report into docs/benchmarks.md")
)

const reportGoroutines = 64

// cell is one measurement: a contender's row in one pass.
type cell struct {
	ns     float64 // per request
	allocs float64 // per request, the in-process server's included
	rps    float64 // the 64-goroutine row: requests per second
	p99    time.Duration
}

// TestReport measures every contender on every row, pass after pass, and
// reports each contender's median ratio to bare net/http over the passes.
// Within a pass a sequential row's contenders take turns, a block of
// requests each in a new random order every round (measureInterleaved), so
// that every ratio compares times taken within milliseconds of each other:
// a drifting machine moves both alike. The sequential rows run with
// GOMAXPROCS 1, so that the client and the loopback server share one CPU
// and the time is the work done; the 64-goroutine row runs on all CPUs,
// its contenders taking turns in the same way (measureParallel).
func TestReport(t *testing.T) {
	srv, h2 := newServer(t), newH2Server(t)
	ctx := context.Background()
	rows := append(slices.Clone(reportRows), rowParallel)
	ops := map[string][]op{} // row -> contender -> op
	for _, row := range rows {
		setupRow, rowSrv := row, srv
		switch row {
		case rowParallel:
			setupRow = rowSmallGET
		case rowHTTP2:
			rowSrv = h2
		}
		for _, c := range contenders {
			ops[row] = append(ops[row], c.setup(t, rowSrv, setupRow))
		}
	}
	cells := map[string][][]cell{} // row -> contender -> passes
	for _, row := range rows {
		cells[row] = make([][]cell, len(contenders))
	}
	for range *reportPasses {
		for _, row := range rows {
			var ms []cell
			var err error
			if row == rowParallel {
				ms, err = measureParallel(ctx, ops[row], *reportParallel, *reportParallelBlock)
			} else {
				ms, err = measureInterleaved(ctx, ops[row], *reportRequests, *reportBlock)
			}
			if err != nil {
				t.Fatalf("%s: %v", row, err)
			}
			for i, m := range ms {
				if ops[row][i] != nil {
					cells[row][i] = append(cells[row][i], m)
				}
			}
		}
	}
	r := summarize(cells)
	for _, row := range rows {
		for i, c := range contenders {
			if ops[row][i] == nil {
				continue
			}
			if s := r.rows[row][i]; !(s.ns > 0) || !(s.allocs > 0) || (row == rowParallel && !(s.rps > 0 && s.p99 > 0)) {
				t.Errorf("%s, %s: nothing measured: %+v", c.name, row, s)
			}
		}
	}
	if !(r.own[rowSmallGET] > 0 && r.own[rowParallel] > 0) {
		t.Errorf("relay against net/http with relay's headers: nothing measured: %v", r.own)
	}
	table := r.markdown()
	t.Log("\n" + table)
	if *reportUpdate {
		if err := updateDoc("../../docs/benchmarks.md", table); err != nil {
			t.Fatal(err)
		}
	}
}

const rowParallel = "64 goroutines"

// cpuModel names the CPU, where Linux says.
func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "CPU model unknown"
	}
	for line := range strings.Lines(string(b)) {
		if name, ok := strings.CutPrefix(line, "model name"); ok {
			return strings.TrimSpace(strings.TrimLeft(name, " \t:"))
		}
	}
	return "CPU model unknown"
}

// The report's place in docs/benchmarks.md.
const (
	reportBegin = "<!-- report:begin (bench/http TestReport -report.update) -->\n"
	reportEnd   = "<!-- report:end -->\n"
)

// updateDoc replaces the report between its markers in the file at path.
func updateDoc(path, table string) error {
	doc, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	i, j := bytes.Index(doc, []byte(reportBegin)), bytes.Index(doc, []byte(reportEnd))
	if i < 0 || j < i {
		return fmt.Errorf("%s: no report markers", path)
	}
	out := slices.Concat(doc[:i+len(reportBegin)], []byte("\n"+table+"\n"), doc[j:])
	return os.WriteFile(path, out, 0o644)
}
