package linkheader_test

import (
	"slices"
	"testing"
)

// wrongResultTests are Link headers on which github.com/tomnomnom/linkheader
// or github.com/peterhellberg/link return other links than RFC 8288 defines.
// want is the correct result, which relay must return; tomnomnom and
// peterhellberg record what those libraries return today (links normalized by
// norm and sorted). The *Next fields give the URL each library's own lookup
// finds for rel="next": relay's ByRel, tomnomnom's FilterByRel and
// peterhellberg's Group. If a library is fixed, its test fails: update the
// record, and the table in docs/linkheader.md.
var wrongResultTests = []struct {
	name                                       string
	in                                         string
	want, tomnomnom, peterhellberg             []string
	wantNext, tomnomnomNext, peterhellbergNext string
}{
	{
		name:          "comma in URI",
		in:            `<https://x.test/search?q=a,b>; rel="next"`,
		want:          []string{`<https://x.test/search?q=a,b> | rel=next`},
		tomnomnom:     nil,
		peterhellberg: []string{`<https://x.test/search?q=ab> | rel=next`},
		wantNext:      "https://x.test/search?q=a,b", tomnomnomNext: "", peterhellbergNext: "https://x.test/search?q=ab",
	},
	{
		name:          "semicolon in URI",
		in:            `<https://x.test/a;v=1>; rel="next"`,
		want:          []string{`<https://x.test/a;v=1> | rel=next`},
		tomnomnom:     nil,
		peterhellberg: []string{`<https://x.test/a;v=1> | rel=next`},
		wantNext:      "https://x.test/a;v=1", tomnomnomNext: "", peterhellbergNext: "https://x.test/a;v=1",
	},
	{
		name:          "comma in quoted title",
		in:            `<https://x.test/2>; rel="next"; title="Page 2, of 9", <https://x.test/9>; rel="last"`,
		want:          []string{`<https://x.test/2> | rel=next | title=Page 2, of 9`, `<https://x.test/9> | rel=last`},
		tomnomnom:     []string{`<https://x.test/2> | rel=next | title=Page 2`, `<https://x.test/9> | rel=last`},
		peterhellberg: []string{`<https://x.test/2> | rel=next | title=Page 2 of 9`, `<https://x.test/9> | rel=last`},
		wantNext:      "https://x.test/2", tomnomnomNext: "https://x.test/2", peterhellbergNext: "https://x.test/2",
	},
	{
		name:          "escaped quote in title",
		in:            `<https://x.test/2>; rel="next"; title="say \"hi\""`,
		want:          []string{`<https://x.test/2> | rel=next | title=say "hi"`},
		tomnomnom:     []string{`<https://x.test/2> | rel=next | title=say \"hi\`},
		peterhellberg: []string{`<https://x.test/2> | rel=next | title=say \`},
		wantNext:      "https://x.test/2", tomnomnomNext: "https://x.test/2", peterhellbergNext: "https://x.test/2",
	},
	{
		name:          "parameter without value",
		in:            `</style.css>; rel=preload; as=style; crossorigin`,
		want:          []string{`</style.css> | rel=preload | as=style | crossorigin=`},
		tomnomnom:     []string{`</style.css> | rel=preload | as=style | crossorigin=`},
		peterhellberg: []string{`</style.css> | rel=preload | as=style`},
		wantNext:      "", tomnomnomNext: "", peterhellbergNext: "",
	},
	{
		name:          "upper-case REL",
		in:            `<https://x.test/2>; REL="next"`,
		want:          []string{`<https://x.test/2> | rel=next`},
		tomnomnom:     []string{`<https://x.test/2> | rel=next`},
		peterhellberg: nil,
		wantNext:      "https://x.test/2", tomnomnomNext: "https://x.test/2", peterhellbergNext: "",
	},
	{
		name:          "spaces around =",
		in:            `<https://x.test/2>; rel = "next"`,
		want:          []string{`<https://x.test/2> | rel=next`},
		tomnomnom:     []string{`<https://x.test/2> | rel = "next`},
		peterhellberg: []string{`<https://x.test/2> | rel=next`},
		wantNext:      "https://x.test/2", tomnomnomNext: "", peterhellbergNext: "https://x.test/2",
	},
	{
		name:          "title* (RFC 8187)",
		in:            `<https://x.test/2>; rel="next"; title*=UTF-8'de'n%c3%a4chstes%20Kapitel`,
		want:          []string{`<https://x.test/2> | rel=next | title*=nächstes Kapitel`},
		tomnomnom:     []string{`<https://x.test/2> | rel=next | title*=UTF-8'de'n%c3%a4chstes%20Kapitel`},
		peterhellberg: []string{`<https://x.test/2> | rel=next | title*=UTF-8'de'n%c3%a4chstes%20Kapitel`},
		wantNext:      "https://x.test/2", tomnomnomNext: "https://x.test/2", peterhellbergNext: "https://x.test/2",
	},
	{
		name:          "two relation types",
		in:            `<https://x.test/9>; rel="next last"`,
		want:          []string{`<https://x.test/9> | rel=next last`},
		tomnomnom:     []string{`<https://x.test/9> | rel=next last`},
		peterhellberg: []string{`<https://x.test/9> | rel=next last`},
		wantNext:      "https://x.test/9", tomnomnomNext: "", peterhellbergNext: "",
	},
	{
		name:          "repeated rel: first wins",
		in:            `<https://x.test/2>; rel="next"; rel="prev"`,
		want:          []string{`<https://x.test/2> | rel=next`},
		tomnomnom:     []string{`<https://x.test/2> | rel=prev`},
		peterhellberg: []string{`<https://x.test/2> | rel=prev`},
		wantNext:      "https://x.test/2", tomnomnomNext: "", peterhellbergNext: "https://x.test/2",
	},
	{
		name:          "link without parameters",
		in:            `<https://x.test/0>, <https://x.test/2>; rel="next"`,
		want:          []string{`<https://x.test/0>`, `<https://x.test/2> | rel=next`},
		tomnomnom:     []string{`<https://x.test/0>`, `<https://x.test/2> | rel=next`},
		peterhellberg: []string{`<https://x.test/0> <https://x.test/2> | rel=next`},
		wantNext:      "https://x.test/2", tomnomnomNext: "https://x.test/2", peterhellbergNext: "https://x.test/0> <https://x.test/2",
	},
	{
		name:          "malformed element",
		in:            `<https://x.test/2>; rel="next", junk, <https://x.test/1>; rel="prev"`,
		want:          []string{`<https://x.test/1> | rel=prev`, `<https://x.test/2> | rel=next`},
		tomnomnom:     []string{`<https://x.test/1> | rel=prev`, `<https://x.test/2> | rel=next`},
		peterhellberg: nil,
		wantNext:      "https://x.test/2", tomnomnomNext: "https://x.test/2", peterhellbergNext: "",
	},
}

func TestWrongResults(t *testing.T) {
	for _, tt := range wrongResultTests {
		got := parseRelay(tt.in)
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: relay parsed %#q as %#q, want %#q", tt.name, tt.in, got, tt.want)
		}
		if got := nextRelay(tt.in); got != tt.wantNext {
			t.Errorf("%s: relay's next link in %#q is %q, want %q", tt.name, tt.in, got, tt.wantNext)
		}
		if slices.Equal(tt.tomnomnom, tt.want) && slices.Equal(tt.peterhellberg, tt.want) &&
			tt.tomnomnomNext == tt.wantNext && tt.peterhellbergNext == tt.wantNext {
			t.Errorf("%s: both libraries are recorded as right; the case does not belong here", tt.name)
		}
		for _, lib := range []struct {
			name         string
			parse        func(string) []string
			next         func(string) string
			record       []string
			recordedNext string
		}{
			{"tomnomnom/linkheader", parseTomnomnom, nextTomnomnom, tt.tomnomnom, tt.tomnomnomNext},
			{"peterhellberg/link", parsePeterhellberg, nextPeterhellberg, tt.peterhellberg, tt.peterhellbergNext},
		} {
			if got := lib.parse(tt.in); !slices.Equal(got, lib.record) {
				t.Errorf("%s: %s parsed %#q as %#q, recorded %#q (correct: %#q)", tt.name, lib.name, tt.in, got, lib.record, tt.want)
			}
			if got := lib.next(tt.in); got != lib.recordedNext {
				t.Errorf("%s: %s found next link %q in %#q, recorded %q (correct: %q)", tt.name, lib.name, got, tt.in, lib.recordedNext, tt.wantNext)
			}
		}
	}
}
