package linkheader_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	peterhellberg "github.com/peterhellberg/link"
	tomnomnom "github.com/tomnomnom/linkheader"

	relay "github.com/relayhttp/relay/linkheader"
)

// benchInputs are the headers all three libraries parse in the benchmarks.
// On github and 100links they return the same links; on rfc the other two
// leave title* undecoded, and peterhellberg/link, which indexes by relation
// type, also keeps only one link per rel value and drops extension relation
// types that start with "http".
var benchInputs = []struct{ name, in string }{
	{"github", `<https://api.github.com/repositories/1300192/issues?page=2>; rel="prev", ` +
		`<https://api.github.com/repositories/1300192/issues?page=4>; rel="next", ` +
		`<https://api.github.com/repositories/1300192/issues?page=515>; rel="last", ` +
		`<https://api.github.com/repositories/1300192/issues?page=1>; rel="first"`},
	// The examples of RFC 8288 §3.5 as one field value.
	{"rfc", `<http://example.com/TheBook/chapter2>; rel="previous"; title="previous chapter", ` +
		`</>; rel="http://example.net/foo", ` +
		`</terms>; rel="copyright"; anchor="#foo", ` +
		`</TheBook/chapter2>; rel="previous"; title*=UTF-8'de'letztes%20Kapitel, ` +
		`</TheBook/chapter4>; rel="next"; title*=UTF-8'de'n%c3%a4chstes%20Kapitel, ` +
		`<http://example.org/>; rel="start http://example.net/relation/other", ` +
		`<https://example.org/>; rel="start", <https://example.org/index>; rel="index"`},
	{"100links", hundredLinks()},
}

func hundredLinks() string {
	var b strings.Builder
	for i := range 100 {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, `<https://api.example.com/items?page=%d&per_page=100>; rel="item%d"; title="Item %d"`, i, i, i)
	}
	return b.String()
}

// Typed sinks keep the results alive without boxing them in an interface,
// which would add an allocation to every result.
var (
	sinkRelay         []relay.Link
	sinkRelayByRel    map[string]relay.Link
	sinkTomnomnom     tomnomnom.Links
	sinkPeterhellberg peterhellberg.Group
)

// BenchmarkParse compares the parsers on the same inputs. relay is Parse
// alone; relay+ByRel adds the index by relation type, which is what
// peterhellberg/link's Parse returns.
func BenchmarkParse(b *testing.B) {
	base, _ := url.Parse("https://api.github.com/repositories/1300192/issues?page=3")
	for _, in := range benchInputs {
		b.Run(in.name+"/relay", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sinkRelay = relay.Parse(in.in)
			}
		})
		b.Run(in.name+"/relay+ByRel", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sinkRelayByRel = relay.ByRel(relay.Parse(in.in), base)
			}
		})
		b.Run(in.name+"/tomnomnom", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sinkTomnomnom = tomnomnom.Parse(in.in)
			}
		})
		b.Run(in.name+"/peterhellberg", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sinkPeterhellberg = peterhellberg.Parse(in.in)
			}
		})
	}
}

// TestBenchInputsAgree checks that on the github and 100links inputs all
// three libraries return the same links, so that those benchmarks compare
// equal work.
func TestBenchInputsAgree(t *testing.T) {
	for _, in := range benchInputs {
		if in.name == "rfc" {
			continue
		}
		want := parseRelay(in.in)
		if got := parseTomnomnom(in.in); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: tomnomnom/linkheader returns %q, relay %q", in.name, got, want)
		}
		if got := parsePeterhellberg(in.in); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: peterhellberg/link returns %q, relay %q", in.name, got, want)
		}
	}
}
