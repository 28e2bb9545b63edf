package cachetests

import (
	"bytes"
	"flag"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/gregjones/httpcache"

	"github.com/relayhttp/relay/cache"
	"github.com/relayhttp/relay/internal/cachetests"
)

var update = flag.Bool("update", false, "rewrite the cache-tests section of docs/cache.md")

const (
	docPath = "../../docs/cache.md"
	begin   = "<!-- begin cache-tests: written by `go test ./cachetests -update` in bench/; do not edit -->\n"
	end     = "<!-- end cache-tests -->\n"
	anchor  = "gregjones/httpcache"
)

// relaySubject is relay's cache with its defaults over Memory, on the
// runner's clock.
func relaySubject(base http.RoundTripper, clock cachetests.Clock) http.RoundTripper {
	c := cache.New(cache.Options{Store: cache.Memory(8 << 20), Now: clock.Now})
	return c.Middleware()(base)
}

// httpcacheSubject is gregjones/httpcache, the Go cache most used, with
// its memory cache. It reads time.Now, so it runs in real time.
func httpcacheSubject(base http.RoundTripper, _ cachetests.Clock) http.RoundTripper {
	t := httpcache.NewMemoryCacheTransport()
	t.Transport = base
	return t
}

// TestCacheTestsTable runs relay and gregjones/httpcache on the same
// runner and checks the tables in docs/cache.md against the results:
// relay's column exactly, the other only with -update (it runs on the wall
// clock, 25 tests at a time, and a loaded machine may move a timing test).
func TestCacheTestsTable(t *testing.T) {
	relay, err := cachetests.Results(relaySubject, cachetests.Options{Name: "relay"})
	if err != nil {
		t.Fatal(err)
	}
	anchorRep, err := cachetests.Results(httpcacheSubject, cachetests.Options{Name: anchor, RealClock: true, Parallel: true})
	if err != nil {
		t.Fatal(err)
	}
	published, err := cachetests.Published()
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []cachetests.Kind{cachetests.Required, cachetests.Optimal} {
		t.Logf("%s: relay %s; %s %s", k, relay.Totals("", k), anchor, anchorRep.Totals("", k))
	}
	// The runner tells the caches apart: httpcache's known faults show.
	if got := anchorRep.Totals("", cachetests.Required).Failed; got == 0 {
		t.Errorf("%s fails no required test: the runner cannot tell it from relay", anchor)
	}

	var b bytes.Buffer
	if err := relay.Markdown(&b, append([]*cachetests.Report{anchorRep}, published...)...); err != nil {
		t.Fatal(err)
	}
	table := strings.ReplaceAll("\n"+b.String(), "\n## ", "\n### ")[1:]

	doc, err := os.ReadFile(docPath)
	if err != nil {
		t.Fatal(err)
	}
	before, rest, ok1 := strings.Cut(string(doc), begin)
	old, after, ok2 := strings.Cut(rest, end)
	if !ok1 || !ok2 {
		t.Fatalf("%s has no section between %q and %q", docPath, begin, end)
	}
	if *update {
		if err := os.WriteFile(docPath, []byte(before+begin+table+end+after), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if diff := differs(old, table, anchor); diff != "" {
		t.Errorf("docs/cache.md is not current (run go test ./cachetests -update in bench/):\n%s", diff)
	}
}

// differs compares two tables line by line but for the cells of column
// name, and returns the first difference.
func differs(old, fresh, name string) string {
	ol, fl := strings.Split(old, "\n"), strings.Split(fresh, "\n")
	if len(ol) != len(fl) {
		return "the tables have different numbers of lines"
	}
	skip := -1
	for i := range fl {
		oc, fc := strings.Split(ol[i], " | "), strings.Split(fl[i], " | ")
		if !strings.HasPrefix(fl[i], "|") {
			skip = -1
		} else if j := indexOf(fc, name); j >= 0 {
			skip = j
		}
		if skip >= 0 && len(oc) == len(fc) && skip < len(fc) {
			oc[skip], fc[skip] = "", ""
		}
		if strings.Join(oc, " | ") != strings.Join(fc, " | ") {
			return "docs: " + ol[i] + "\nnow:  " + fl[i]
		}
	}
	return ""
}

func indexOf(cells []string, name string) int {
	for i, c := range cells {
		if strings.TrimSpace(c) == name {
			return i
		}
	}
	return -1
}
