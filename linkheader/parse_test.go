package linkheader

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Headers used by tests, fuzz seeds and benchmarks.
const (
	githubHeader = `<https://api.github.com/repositories/1300192/issues?page=2>; rel="prev", ` +
		`<https://api.github.com/repositories/1300192/issues?page=4>; rel="next", ` +
		`<https://api.github.com/repositories/1300192/issues?page=515>; rel="last", ` +
		`<https://api.github.com/repositories/1300192/issues?page=1>; rel="first"`
)

// rfcExamples are the examples of RFC 8288 §3.5, each one field value.
var rfcExamples = []string{
	`<http://example.com/TheBook/chapter2>; rel="previous"; title="previous chapter"`,
	`</>; rel="http://example.net/foo"`,
	`</terms>; rel="copyright"; anchor="#foo"`,
	`</TheBook/chapter2>; rel="previous"; title*=UTF-8'de'letztes%20Kapitel, ` +
		`</TheBook/chapter4>; rel="next"; title*=UTF-8'de'n%c3%a4chstes%20Kapitel`,
	`<http://example.org/>; rel="start http://example.net/relation/other"`,
	`<https://example.org/>; rel="start", <https://example.org/index>; rel="index"`,
}

type parseTest struct {
	name string
	in   []string
	want []Link
}

func (tt parseTest) String() string { return fmt.Sprintf("%s: Parse(%q)", tt.name, tt.in) }

func p(kv ...string) map[string]string {
	m := make(map[string]string, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return m
}

var parseTests = []parseTest{
	// RFC 8288 §3.5.
	{"rfc title", rfcExamples[:1], []Link{
		{URL: "http://example.com/TheBook/chapter2", Rel: "previous", Params: p("title", "previous chapter")},
	}},
	{"rfc extension rel", rfcExamples[1:2], []Link{{URL: "/", Rel: "http://example.net/foo"}}},
	{"rfc anchor", rfcExamples[2:3], []Link{{URL: "/terms", Rel: "copyright", Params: p("anchor", "#foo")}}},
	{"rfc title*", rfcExamples[3:4], []Link{
		{URL: "/TheBook/chapter2", Rel: "previous", Params: p("title*", "letztes Kapitel")},
		{URL: "/TheBook/chapter4", Rel: "next", Params: p("title*", "nächstes Kapitel")},
	}},
	{"rfc two rels", rfcExamples[4:5], []Link{
		{URL: "http://example.org/", Rel: "start http://example.net/relation/other"},
	}},
	{"rfc two links", rfcExamples[5:6], []Link{
		{URL: "https://example.org/", Rel: "start"},
		{URL: "https://example.org/index", Rel: "index"},
	}},
	// The RFC's multi-line example as a client receives it, unfolded.
	{"rfc multi-line", []string{"</TheBook/chapter2>;  rel=\"previous\"; title*=UTF-8'de'letztes%20Kapitel,  </TheBook/chapter4>;  rel=\"next\""}, []Link{
		{URL: "/TheBook/chapter2", Rel: "previous", Params: p("title*", "letztes Kapitel")},
		{URL: "/TheBook/chapter4", Rel: "next"},
	}},
	{"github", []string{githubHeader}, []Link{
		{URL: "https://api.github.com/repositories/1300192/issues?page=2", Rel: "prev"},
		{URL: "https://api.github.com/repositories/1300192/issues?page=4", Rel: "next"},
		{URL: "https://api.github.com/repositories/1300192/issues?page=515", Rel: "last"},
		{URL: "https://api.github.com/repositories/1300192/issues?page=1", Rel: "first"},
	}},

	// Several field values.
	{"field values", []string{`<a>; rel=next`, ``, `<b>; rel=prev, <c>`}, []Link{
		{URL: "a", Rel: "next"}, {URL: "b", Rel: "prev"}, {URL: "c"},
	}},
	{"no input", nil, nil},
	{"empty", []string{""}, nil},
	{"only separators", []string{" , ,\t,"}, nil},

	// Delimiters inside URIs and quoted strings.
	{"comma and semicolon in URI", []string{`<https://x.test/a,b;c=d?e=f,g>; rel="next", <https://x.test/;>; rel=prev`}, []Link{
		{URL: "https://x.test/a,b;c=d?e=f,g", Rel: "next"},
		{URL: "https://x.test/;", Rel: "prev"},
	}},
	{"comma and semicolon in quoted string", []string{`<a>; title="x, y; z=1"; rel="next", <b>`}, []Link{
		{URL: "a", Rel: "next", Params: p("title", "x, y; z=1")},
		{URL: "b"},
	}},
	{"quoted-pair", []string{`<a>; title="say \"hi\", \\o/"; rel=next`}, []Link{
		{URL: "a", Rel: "next", Params: p("title", `say "hi", \o/`)},
	}},
	{"escaped quote before comma", []string{`<a>; title="\", <b>"; rel=x, <c>`}, []Link{
		{URL: "a", Rel: "x", Params: p("title", `", <b>`)}, {URL: "c"},
	}},

	// Parameters.
	{"token values", []string{`<a>; rel=next; type=text/html; hreflang=en-GB`}, []Link{
		{URL: "a", Rel: "next", Params: p("type", "text/html", "hreflang", "en-GB")},
	}},
	{"bare value with spaces", []string{`<a>; rel=next last ; title = two words , <b>`}, []Link{
		{URL: "a", Rel: "next last", Params: p("title", "two words")}, {URL: "b"},
	}},
	{"parameters without value", []string{`<style.css>; rel=preload; as=style; crossorigin; nopush`}, []Link{
		{URL: "style.css", Rel: "preload", Params: p("as", "style", "crossorigin", "", "nopush", "")},
	}},
	{"empty values", []string{`<a>; title=; type=""; rel=`}, []Link{
		{URL: "a", Params: p("title", "", "type", "")},
	}},
	{"names lower-cased", []string{`<a>; REL="Next"; Title="T"; X-Custom=1; TITLE*=utf-8''%E2%82%AC`}, []Link{
		{URL: "a", Rel: "Next", Params: p("title", "T", "x-custom", "1", "title*", "€")},
	}},
	{"whitespace everywhere", []string{" \t< a >\t;\trel\t=\t\"next\"\t;  title =\"t\" \t, \t<b> ;rel= prev "}, []Link{
		{URL: "a", Rel: "next", Params: p("title", "t")}, {URL: "b", Rel: "prev"},
	}},
	{"first rel wins", []string{`<a>; rel=next; rel=prev`}, []Link{{URL: "a", Rel: "next"}}},
	{"first rel wins even when empty", []string{`<a>; rel; rel=prev`}, []Link{{URL: "a"}}},
	{"first parameter wins", []string{`<a>; title=one; Title=two; hreflang=en; hreflang=de`}, []Link{
		{URL: "a", Params: p("title", "one", "hreflang", "en")},
	}},
	{"empty parameters", []string{`<a>;; rel=next;`}, []Link{{URL: "a", Rel: "next"}}},
	{"empty URI", []string{`<>; rel=self`}, []Link{{URL: "", Rel: "self"}}},

	// RFC 8187 extended values.
	{"title* utf-8", []string{`<a>; title*=UTF-8''%e2%82%ac%20rates; title="EUR rates"`}, []Link{
		{URL: "a", Params: p("title*", "€ rates", "title", "EUR rates")},
	}},
	{"title* iso-8859-1 with language", []string{`<a>; title*=iso-8859-1'en'%A3%20rates`}, []Link{
		{URL: "a", Params: p("title*", "£ rates")},
	}},
	{"title* quoted", []string{`<a>; title*="UTF-8'de'n%c3%a4chstes Kapitel"`}, []Link{
		{URL: "a", Params: p("title*", "nächstes Kapitel")},
	}},
	{"title* extension parameter", []string{`<a>; x-label*=UTF-8''caf%C3%A9`}, []Link{
		{URL: "a", Params: p("x-label*", "café")},
	}},
	{"title* unknown charset dropped", []string{`<a>; title*=KOI8-R''%F0; title=plain`}, []Link{
		{URL: "a", Params: p("title", "plain")},
	}},
	{"title* bad percent dropped", []string{`<a>; title*=UTF-8''%e2%8; rel=next`}, []Link{{URL: "a", Rel: "next"}}},
	{"title* invalid UTF-8 dropped", []string{`<a>; title*=UTF-8''%ff`}, []Link{{URL: "a"}}},
	{"title* without quotes dropped", []string{`<a>; title*=hello`}, []Link{{URL: "a"}}},
	{"title* without value dropped", []string{`<a>; title*`}, []Link{{URL: "a"}}},
	{"title* bad first occurrence wins", []string{`<a>; title*=bad; title*=UTF-8''good`}, []Link{{URL: "a"}}},
	{"title* empty", []string{`<a>; title*=UTF-8''`}, []Link{{URL: "a", Params: p("title*", "")}}},

	// Malformed links are skipped; parsing resumes at the next top-level comma.
	{"no angle brackets", []string{`https://x.test/; rel=next, <b>; rel=prev`}, []Link{{URL: "b", Rel: "prev"}}},
	{"unterminated URI", []string{`<https://x.test/; rel=next, <b; rel=prev`}, nil},
	{"URI spans what looks like two links", []string{`<a; rel=next, b>; rel=prev, <c>`}, []Link{
		{URL: "a; rel=next, b", Rel: "prev"}, {URL: "c"},
	}},
	{"junk after URI", []string{`<a> junk; rel=next, <b>`}, []Link{{URL: "b"}}},
	{"two URIs", []string{`<a> <b>; rel=next, <c>`}, []Link{{URL: "c"}}},
	{"junk after quoted value", []string{`<a>; title="t" junk; rel=next, <b>`}, []Link{{URL: "b"}}},
	{"invalid parameter name", []string{`<a>; ti@tle=x; rel=next, <b>`}, []Link{{URL: "b"}}},
	{"missing parameter name", []string{`<a>; =x, <b>`}, []Link{{URL: "b"}}},
	{"unterminated quote", []string{`<a>; title="oops, <b>; rel=next`}, []Link{{URL: "b", Rel: "next"}}},
	{"resync skips quoted comma", []string{`junk "x, <y>", <b>`}, []Link{{URL: "b"}}},
	{"resync skips URI comma", []string{`junk <x, y>, <b>`}, []Link{{URL: "b"}}},
	{"missing comma", []string{`<a>; rel=next <b>; rel=prev`}, []Link{{URL: "a", Rel: "next <b>"}}},
	{"field values do not join", []string{`<a>; title="x`, `y", <b>`}, []Link{{URL: "b"}}},
}

func TestParse(t *testing.T) {
	for _, tt := range parseTests {
		got := Parse(tt.in...)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%v mismatch (-want +got):\n%s", tt, diff)
		}
	}
}

// adversarial returns inputs of about n bytes meant to make a naive parser
// slow: unterminated brackets and quotes, long runs of delimiters, and many
// small links.
func adversarial(n int) map[string]string {
	rep := func(s string) string { return strings.Repeat(s, n/len(s)) }
	return map[string]string{
		"lt":            rep("<"),
		"gt":            rep(">"),
		"quote":         rep(`"`),
		"semicolon":     rep(";"),
		"comma":         rep(","),
		"space":         rep(" "),
		"backslash":     rep(`\`),
		"lt quote":      rep(`<"`),
		"quote lt":      rep(`"<`),
		"escaped quote": `<a>; t="` + rep(`\"`),
		"junk quotes":   "x " + rep(`\"`),
		"open links":    rep("<a; "),
		"open params":   "<a>" + rep(`; t="`),
		"empty params":  "<a>" + rep(";"),
		"params":        "<a>" + rep("; t=x"),
		"links":         rep("<a>,"),
		"bad links":     rep("<a> x,"),
		"quoted commas": `<a>; t="` + rep(",") + `"`,
		"title*":        "<a>; title*=UTF-8''" + rep("%e2%82%ac"),
		"github":        strings.Repeat(githubHeader+", ", n/len(githubHeader)),
	}
}

// adversarialSize is the size of the adversarial inputs in tests: 1 MiB, or
// 256 KiB under the race detector, which is ten times slower.
func adversarialSize() int {
	if raceEnabled {
		return 1 << 18
	}
	return 1 << 20
}

// TestParseLinear checks that Parse examines each byte of its input a bounded
// number of times, on inputs built to trigger quadratic rescanning.
func TestParseLinear(t *testing.T) {
	n := adversarialSize()
	for name, in := range adversarial(n) {
		var p parser
		p.field(in, nil)
		if p.work > 4*len(in)+16 {
			t.Errorf("%s: parsing %d bytes examined %d bytes, want at most 4 per input byte", name, len(in), p.work)
		}
	}
}

// TestParseMemory checks that the memory Parse allocates is bounded by a
// small multiple of its input plus what the links it returns need.
func TestParseMemory(t *testing.T) {
	n := adversarialSize()
	for name, in := range adversarial(n) {
		links := Parse(in)
		allocs := testing.AllocsPerRun(2, func() { links = Parse(in) })
		// One slice (grown by doubling) and at most one map (two
		// allocations) and one unescaped or decoded string per link.
		if limit := float64(4*len(links) + 64); allocs > limit {
			t.Errorf("%s: %d links took %v allocations, want at most %v", name, len(links), allocs, limit)
		}
	}
}

func BenchmarkParse(b *testing.B) {
	var links strings.Builder
	for i := range 100 {
		if i > 0 {
			links.WriteString(", ")
		}
		fmt.Fprintf(&links, `<https://api.example.com/items?page=%d&per_page=100>; rel="item"; title="Item %d"`, i, i)
	}
	for _, bm := range []struct{ name, in string }{
		{"github", githubHeader},
		{"rfc", strings.Join(rfcExamples, ", ")},
		{"100links", links.String()},
	} {
		b.Run(bm.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(bm.in)))
			for b.Loop() {
				Parse(bm.in)
			}
		})
	}
}

// BenchmarkParseAdversarial measures 1 MiB inputs built to trigger quadratic
// behaviour; each runs in about a millisecond or less.
func BenchmarkParseAdversarial(b *testing.B) {
	for name, in := range adversarial(1 << 20) {
		b.Run(strings.ReplaceAll(name, " ", "_"), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(in)))
			for b.Loop() {
				Parse(in)
			}
		})
	}
}
