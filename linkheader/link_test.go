package linkheader

import (
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestHasRel(t *testing.T) {
	for _, tt := range []struct {
		rel, ask string
		want     bool
	}{
		{"next", "next", true},
		{"next", "NEXT", true},
		{"Next", "next", true},
		{"prev next", "next", true},
		{" prev\tnext ", "next", true},
		{"nextpage", "next", false},
		{"next", "nex", false},
		{"prev next", "prev next", false},
		{"", "", false},
		{"next", "", false},
		{"start http://example.net/relation/other", "HTTP://EXAMPLE.NET/RELATION/OTHER", true},
	} {
		if got := (Link{Rel: tt.rel}).HasRel(tt.ask); got != tt.want {
			t.Errorf("Link{Rel: %q}.HasRel(%q) = %v, want %v", tt.rel, tt.ask, got, tt.want)
		}
	}
}

func TestParam(t *testing.T) {
	l := Parse(`<a>; rel=next; title="EUR rates"; title*=UTF-8''%e2%82%ac%20rates; type=text/html; crossorigin`)[0]
	for _, tt := range []struct {
		name   string
		want   string
		wantOK bool
	}{
		{"title", "€ rates", true},
		{"TITLE", "€ rates", true},
		{"title*", "€ rates", true},
		{"type", "text/html", true},
		{"Type", "text/html", true},
		{"crossorigin", "", true},
		{"rel", "next", true},
		{"REL", "next", true},
		{"media", "", false},
		{"", "", false},
	} {
		got, ok := l.Param(tt.name)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("Param(%q) = %q, %v; want %q, %v", tt.name, got, ok, tt.want, tt.wantOK)
		}
	}
	if got, ok := Parse(`<a>; title="plain"`)[0].Param("title"); got != "plain" || !ok {
		t.Errorf(`Param("title") without title* = %q, %v; want "plain", true`, got, ok)
	}
	if got, ok := (Link{}).Param("rel"); got != "" || ok {
		t.Errorf(`Param("rel") without rel = %q, %v; want "", false`, got, ok)
	}
	if n := testing.AllocsPerRun(100, func() { l.Param("Title") }); n != 0 && !raceEnabled {
		t.Errorf("Param made %v allocations, want 0", n)
	}
}

func TestByRel(t *testing.T) {
	base, err := url.Parse("https://api.example.com/v1/items?page=3#frag")
	if err != nil {
		t.Fatal(err)
	}
	links := Parse(
		`<?page=4>; rel="next"; title=Next, </v1/items?page=1>; rel="first prev"`,
		`<https://other.example/x?page=9>; rel=last, <//cdn.example/p>; rel=Preload`,
		`<not-used>; rel=NEXT, <no-rel>, <http://[::1>; rel=broken, <>; rel=self`,
	)
	got := ByRel(links, base)
	want := map[string]Link{
		"next":    {URL: "https://api.example.com/v1/items?page=4", Rel: "next", Params: p("title", "Next")},
		"first":   {URL: "https://api.example.com/v1/items?page=1", Rel: "first prev"},
		"prev":    {URL: "https://api.example.com/v1/items?page=1", Rel: "first prev"},
		"last":    {URL: "https://other.example/x?page=9", Rel: "last"},
		"preload": {URL: "https://cdn.example/p", Rel: "Preload"},
		"broken":  {URL: "http://[::1", Rel: "broken"},
		"self":    {URL: "https://api.example.com/v1/items?page=3", Rel: "self"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ByRel mismatch (-want +got):\n%s", diff)
	}

	got = ByRel(links, nil)
	if g, w := got["next"].URL, "?page=4"; g != w {
		t.Errorf("ByRel with nil base: next URL = %q, want %q", g, w)
	}
	if got := ByRel(nil, base); got == nil || len(got) != 0 {
		t.Errorf("ByRel(nil) = %#v, want an empty map", got)
	}
}

func TestHasScheme(t *testing.T) {
	for in, want := range map[string]bool{
		"https://x.test/": true, "urn:isbn:1": true, "a+b-c.d:x": true, "HTTP://X": true,
		"": false, "/a:b": false, "?q=a:b": false, "#a:b": false, ":x": false, "1a:x": false,
		"a/b:c": false, "a": false, "//host:80/": false,
	} {
		if got := hasScheme(in); got != want {
			t.Errorf("hasScheme(%q) = %v, want %v", in, got, want)
		}
	}
}
