package linkheader_test

import (
	"fmt"
	"net/http"
	"net/url"

	"github.com/relayhttp/relay/linkheader"
)

func ExampleParse() {
	h := http.Header{}
	h.Add("Link", `<https://example.com/search?q=a,b;c>; rel="next"; title="Page 2, of 9"`)
	h.Add("Link", `</style.css>; rel=preload; as=style; crossorigin, </TheBook/chapter4>; rel=next; title*=UTF-8'de'n%c3%a4chstes%20Kapitel`)

	for _, l := range linkheader.Parse(h.Values("Link")...) {
		fmt.Printf("%s rel=%q params=%q\n", l.URL, l.Rel, l.Params)
	}
	// Output:
	// https://example.com/search?q=a,b;c rel="next" params=map["title":"Page 2, of 9"]
	// /style.css rel="preload" params=map["as":"style" "crossorigin":""]
	// /TheBook/chapter4 rel="next" params=map["title*":"nächstes Kapitel"]
}

func ExampleLink_HasRel() {
	links := linkheader.Parse(`<https://example.org/>; rel="start http://example.net/relation/other"`)
	fmt.Println(links[0].HasRel("START"))
	fmt.Println(links[0].HasRel("http://example.net/relation/other"))
	fmt.Println(links[0].HasRel("other"))
	// Output:
	// true
	// true
	// false
}

func ExampleLink_Param() {
	l := linkheader.Parse(`</rates>; title="EUR rates"; title*=UTF-8''%e2%82%ac%20rates`)[0]
	title, _ := l.Param("title") // prefers title* when it decoded
	fmt.Println(title)
	fmt.Println(l.Params["title"])
	// Output:
	// € rates
	// EUR rates
}

func ExampleByRel() {
	// A GitHub-style pagination header; the last link is relative, as
	// RFC 8288 allows.
	header := `<https://api.github.com/repositories/1300192/issues?page=2>; rel="prev", ` +
		`<https://api.github.com/repositories/1300192/issues?page=4>; rel="next", ` +
		`</repositories/1300192/issues?page=515>; rel="last", ` +
		`<https://api.github.com/repositories/1300192/issues?page=1>; rel="first"`
	// The URL the response was finally fetched from, after redirects.
	final, _ := url.Parse("https://api.github.com/repositories/1300192/issues?page=3")

	links := linkheader.ByRel(linkheader.Parse(header), final)
	fmt.Println(links["next"].URL)
	fmt.Println(links["last"].URL)
	if _, ok := links["next"]; ok {
		fmt.Println("there is a next page")
	}
	// Output:
	// https://api.github.com/repositories/1300192/issues?page=4
	// https://api.github.com/repositories/1300192/issues?page=515
	// there is a next page
}

func ExampleFormat() {
	links := []linkheader.Link{
		{URL: "https://api.example.com/items?page=2", Rel: "next"},
		{URL: "https://api.example.com/items?page=9", Rel: "last", Params: map[string]string{"title*": "€ rates"}},
	}
	fmt.Println(linkheader.Format(links))
	// Output:
	// <https://api.example.com/items?page=2>; rel="next", <https://api.example.com/items?page=9>; rel="last"; title*=UTF-8''%E2%82%AC%20rates
}
