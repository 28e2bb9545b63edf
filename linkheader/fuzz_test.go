package linkheader

import (
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// FuzzParse checks that Parse never panics, stays linear, and that Format
// writes links that Parse reads back as the same links.
func FuzzParse(f *testing.F) {
	for _, s := range rfcExamples {
		f.Add(s)
	}
	f.Add(strings.Join(rfcExamples, ", "))
	f.Add(githubHeader)
	for _, tt := range parseTests {
		f.Add(strings.Join(tt.in, ", "))
	}
	for _, s := range []string{
		`<a>; title="\"", <b>`,
		`<a>; t="x\`,
		`<a>; title*="utf-8'en-US'%C3%A9"; TITLE*=x`,
		`<a>; rel="next" ; ;; ,, <b>;rel=prev;`,
		"<\xff>; t=\"\xfe\"; u*=ISO-8859-1''%ff",
		`<<<<"">"; rel=x`,
		`<a>;x=<b>,c>;y="`,
	} {
		f.Add(s)
	}
	base, _ := url.Parse("https://api.example.com/v1/items?page=3")
	f.Fuzz(func(t *testing.T, in string) {
		var p parser
		p.field(in, nil)
		if p.work > 4*len(in)+16 {
			t.Errorf("parsing %d bytes examined %d bytes", len(in), p.work)
		}
		links := Parse(in)
		out := Format(links)
		again := Parse(out)
		if diff := cmp.Diff(links, again); diff != "" {
			t.Errorf("Parse(%q) then Format gave %q, which parses differently (-first +second):\n%s", in, out, diff)
		}
		if out2 := Format(again); out2 != out {
			t.Errorf("Format is not stable: %q then %q", out, out2)
		}
		for key, l := range ByRel(links, base) {
			if !l.HasRel(key) {
				t.Errorf("ByRel key %q for a link with Rel %q", key, l.Rel)
			}
		}
	})
}
