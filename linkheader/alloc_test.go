//go:build !race

package linkheader

import "testing"

// The race detector changes allocation counts, so this file is built only
// without it; scripts/test.sh runs it in its pass without -race.

// TestParseAllocations checks that parsing does not copy what it need not
// copy: a header without escapes, extended values or parameters other than
// rel costs one allocation, and a map (two allocations) is made only for a
// link with other parameters.
func TestParseAllocations(t *testing.T) {
	for _, tt := range []struct {
		in   string
		max  float64
		name string
	}{
		{githubHeader, 1, "github: the result slice only"},
		{rfcExamples[0], 3, "title: slice and one map"},
		{`<a>; title="x\"y"`, 4, "escape: slice, map, unescaped string"},
		{`<a>; title*=UTF-8''%e2%82%ac`, 4, "title*: slice, map, decoded string"},
		{rfcExamples[3], 7, "rfc title*: slice, two maps, two decoded strings"},
	} {
		n := testing.AllocsPerRun(100, func() { Parse(tt.in) })
		if n > tt.max {
			t.Errorf("%s: Parse(%q) made %v allocations, want at most %v", tt.name, tt.in, n, tt.max)
		}
	}
}
