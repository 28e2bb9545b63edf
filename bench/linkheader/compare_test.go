package linkheader_test

import (
	"fmt"
	"slices"
	"strings"

	peterhellberg "github.com/peterhellberg/link"
	tomnomnom "github.com/tomnomnom/linkheader"

	relay "github.com/relayhttp/relay/linkheader"
)

// norm writes one link in a form the three libraries can be compared in,
// meant to be read rather than parsed: <URL> | rel=… | name=value…, the
// values unquoted and the parameters in name order.
func norm(url, rel string, params map[string]string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<%s>", url)
	if rel != "" {
		fmt.Fprintf(&b, " | rel=%s", rel)
	}
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, " | %s=%s", k, params[k])
	}
	return b.String()
}

// The parse functions return each library's links normalized and sorted
// (peterhellberg/link returns a map, which has no order).

func parseRelay(h string) []string {
	var out []string
	for _, l := range relay.Parse(h) {
		out = append(out, norm(l.URL, l.Rel, l.Params))
	}
	slices.Sort(out)
	return out
}

func parseTomnomnom(h string) []string {
	var out []string
	for _, l := range tomnomnom.Parse(h) {
		out = append(out, norm(l.URL, l.Rel, l.Params))
	}
	slices.Sort(out)
	return out
}

func parsePeterhellberg(h string) []string {
	var out []string
	seen := map[*peterhellberg.Link]bool{}
	for _, l := range peterhellberg.Parse(h) {
		if !seen[l] {
			seen[l] = true
			out = append(out, norm(l.URI, l.Rel, l.Extra))
		}
	}
	slices.Sort(out)
	return out
}

// The next functions return the URL of the link with relation type "next"
// as each library's own API finds it, or "" when it finds none.

func nextRelay(h string) string {
	return relay.ByRel(relay.Parse(h), nil)["next"].URL
}

func nextTomnomnom(h string) string {
	if ls := tomnomnom.Parse(h).FilterByRel("next"); len(ls) > 0 {
		return ls[0].URL
	}
	return ""
}

func nextPeterhellberg(h string) string {
	if l, ok := peterhellberg.Parse(h)["next"]; ok {
		return l.URI
	}
	return ""
}
