package linkheader

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestFormat(t *testing.T) {
	for _, tt := range []struct {
		links []Link
		want  string
	}{
		{nil, ""},
		{[]Link{{URL: "https://x.test/?page=2", Rel: "next"}}, `<https://x.test/?page=2>; rel="next"`},
		{[]Link{{URL: "a", Rel: "next"}, {URL: "b"}}, `<a>; rel="next", <b>`},
		{
			[]Link{{URL: "a", Rel: "prev next", Params: p("title", `say "hi" \o/`, "crossorigin", "", "anchor", "#x")}},
			`<a>; rel="prev next"; anchor="#x"; crossorigin; title="say \"hi\" \\o/"`,
		},
		{[]Link{{URL: "a", Params: p("title*", "€ rates", "x*", "")}}, `<a>; title*=UTF-8''%E2%82%AC%20rates; x*=UTF-8''`},
		{[]Link{{URL: "a>b", Params: p("rel", "ignored", "bad name", "x", "", "y")}}, `<a%3Eb>`},
		{[]Link{{URL: "a", Params: p("t*", "\xff")}}, `<a>; t*=UTF-8''%EF%BF%BD`},
	} {
		if got := Format(tt.links); got != tt.want {
			t.Errorf("Format(%v) = %s, want %s", tt.links, got, tt.want)
		}
		if len(tt.links) == 1 {
			if got := tt.links[0].String(); got != tt.want {
				t.Errorf("String() = %s, want %s", got, tt.want)
			}
		}
	}
}

// TestFormatRoundTrip checks Parse(Format(Parse(x))) == Parse(x) on the
// table of TestParse; FuzzParse checks it on anything.
func TestFormatRoundTrip(t *testing.T) {
	for _, tt := range parseTests {
		links := Parse(tt.in...)
		out := Format(links)
		if diff := cmp.Diff(links, Parse(out)); diff != "" {
			t.Errorf("%v: Format gave %q, which parses differently (-first +second):\n%s", tt, out, diff)
		}
	}
}
