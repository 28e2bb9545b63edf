package origin

import (
	"net/http"
	"net/url"
	"testing"
)

func TestKeeps(t *testing.T) {
	cases := []struct {
		from, to string
		want     bool
	}{
		{"http://a.test/x", "http://a.test/y", true},
		{"http://A.test:80/", "http://a.test/", true},
		{"http://a.test/", "https://a.test/", true},       // the upgrade Requests allows
		{"http://a.test:8080/", "https://a.test/", false}, // not on default ports
		{"http://a.test/", "https://a.test:8443/", false},
		{"https://a.test/", "http://a.test/", false}, // downgrade
		{"https://a.test/", "https://a.test:444/", false},
		{"https://a.test/", "https://sub.a.test/", false},
		{"https://a.test/", "https://b.test/", false},
	}
	for _, c := range cases {
		f, _ := url.Parse(c.from)
		to, _ := url.Parse(c.to)
		if got := Keeps(Of(f), Of(to)); got != c.want {
			t.Errorf("Keeps(%s, %s) = %v, want %v", c.from, c.to, got, c.want)
		}
	}
}

// chain builds the requests of a redirect chain through the URLs, linked
// as net/http's Client links them.
func chain(urls ...string) *http.Request {
	var prev *http.Request
	for _, u := range urls {
		req, _ := http.NewRequest("GET", u, nil)
		if prev != nil {
			req.Response = &http.Response{Request: prev}
		}
		prev = req
	}
	return prev
}

func TestStillOn(t *testing.T) {
	cases := []struct {
		urls []string
		want bool
	}{
		{[]string{"http://a.test/"}, true},
		{[]string{"http://a.test/", "http://a.test/2"}, true},
		{[]string{"http://a.test/", "https://a.test/"}, true},
		{[]string{"http://a.test/", "http://b.test/"}, false},
		{[]string{"http://a.test/", "http://b.test/", "http://a.test/back"}, false},
		{[]string{"https://a.test/", "http://a.test/", "https://a.test/"}, false},
	}
	for _, c := range cases {
		req := chain(c.urls...)
		if got := StillOn(req); got != c.want {
			t.Errorf("StillOn(%v) = %v, want %v", c.urls, got, c.want)
		}
		if First(req).URL.String() != c.urls[0] {
			t.Errorf("First(%v) = %s", c.urls, First(req).URL)
		}
	}
}
