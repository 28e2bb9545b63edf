package linkheader

import (
	"fmt"
	"strings"
	"testing"
)

// TestParseLinearFailedExtParams checks that a link with many extended
// parameters whose values do not decode, each with a new name, is parsed in
// linear time: the names already seen must not be rescanned for each one.
func TestParseLinearFailedExtParams(t *testing.T) {
	n := adversarialSize()
	var b strings.Builder
	b.WriteString("<a>")
	for i := 0; b.Len() < n; i++ {
		fmt.Fprintf(&b, ";p%d*=x", i)
	}
	in := b.String()
	var p parser
	links := p.field(in, nil)
	if len(links) != 1 || links[0].Params != nil {
		t.Fatalf("Parse gave %d links, want one without parameters", len(links))
	}
	if p.work > 4*len(in)+16 {
		t.Errorf("parsing %d bytes examined %d bytes, want at most 4 per input byte", len(in), p.work)
	}
}

// TestByRelKeysMatchHasRel checks that every key ByRel gives is a relation
// type the link has by HasRel, for relation types that strings.ToLower
// changes beyond ASCII ("İ" lower-cases to "i̇", which HasRel does not match).
func TestByRelKeysMatchHasRel(t *testing.T) {
	for _, in := range []string{"<>;rel=İ", `<a>; rel="NEXT İx K"`} {
		for key, l := range ByRel(Parse(in), nil) {
			if !l.HasRel(key) {
				t.Errorf("%q: ByRel key %q for a link with Rel %q", in, key, l.Rel)
			}
		}
	}
	if _, ok := ByRel(Parse(`<a>; rel="NEXT"`), nil)["next"]; !ok {
		t.Error(`ByRel does not lower-case "NEXT"`)
	}
}
