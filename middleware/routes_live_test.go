package middleware_test

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/relayhttp/relay/explain"
	"github.com/relayhttp/relay/middleware"
)

// BenchmarkRoutesFromProxyKeys measures the route middleware of a session
// whose Proxies map holds n keys for other hosts, for a request that goes
// direct: what a request pays to notice that the map did not change. The
// cost should not grow with n.
func BenchmarkRoutesFromProxyKeys(b *testing.B) {
	for _, name := range proxyEnvVars {
		b.Setenv(name, "")
	}
	ok := &http.Response{StatusCode: http.StatusOK, Body: http.NoBody}
	next := middleware.RoundTripperFunc(func(*http.Request) (*http.Response, error) { return ok, nil })
	for _, n := range []int{1, 8, 9, 100, 10000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			proxies := make(map[string]string, n)
			for i := range n {
				proxies[fmt.Sprintf("http://p%d.example.test", i)] = "http://127.0.0.1:9"
			}
			mw, err := middleware.RoutesFrom(func() middleware.RouteOptions {
				return middleware.RouteOptions{Proxies: proxies, TrustEnv: true, Name: "Session"}
			})
			if err != nil {
				b.Fatal(err)
			}
			rt := mw(next)
			req, _ := http.NewRequest(http.MethodGet, "http://127.0.0.1:8080/small", nil)
			b.ReportAllocs()
			for b.Loop() {
				_, _ = rt.RoundTrip(req)
			}
		})
	}
}

// liveRoutes is a route middleware reading the map *m on every request, as
// a Session does, and a function that sends one request for target through
// it and returns the route the next RoundTripper saw, as summary writes it,
// or the request's error.
func liveRoutes(t *testing.T, m *map[string]string, trustEnv bool) func(target string) string {
	t.Helper()
	mw, _ := middleware.RoutesFrom(func() middleware.RouteOptions {
		return middleware.RouteOptions{Proxies: *m, TrustEnv: trustEnv, Name: "Session"}
	})
	return routeOf(t, mw)
}

// routeOf returns a function that sends one request for target through mw
// and returns the route the next RoundTripper saw, as summary writes it,
// or "error: " and the request's error.
func routeOf(t *testing.T, mw middleware.Middleware) func(target string) string {
	t.Helper()
	var seen string
	rt := mw(middleware.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
		seen = "none"
		if r, ok := middleware.RouteFromContext(req.Context()); ok {
			seen = summary(&r)
		}
		return &http.Response{StatusCode: http.StatusOK, Body: http.NoBody, Request: req}, nil
	}))
	return func(target string) string {
		req, err := http.NewRequest(http.MethodGet, target, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := rt.RoundTrip(req); err != nil {
			return "error: " + err.Error()
		}
		return seen
	}
}

// padded returns a map of n keys for hosts no test asks for, plus kv (key,
// value, key, value, …): large enough for its keys to be checked one by one.
func padded(n int, kv ...string) map[string]string {
	m := make(map[string]string, n+len(kv)/2)
	for i := range n {
		m[fmt.Sprintf("http://pad%d.test", i)] = "http://pad:1"
	}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return m
}

// TestRoutesFromLargeMapChanges: every kind of change to a large Proxies map
// — a value changed in place, a key added or removed (also while another is
// removed or added, so that the size stays the same), a key in another
// spelling, the map replaced — is seen at the next request its URL can be
// matched by, and a bad map fails requests with the error Routes reports
// for it until it is fixed.
func TestRoutesFromLargeMapChanges(t *testing.T) {
	setProxyEnv(t, "HTTP_PROXY", "http://env:1")
	m := padded(20, "http", "http://p1:1")
	get := liveRoutes(t, &m, true)
	const target = "http://api.test/x"
	step := func(what string, change func(), want string) {
		t.Helper()
		change()
		if got := get(target); got != want {
			t.Errorf("%s:\ngot  %q\nwant %q", what, got, want)
		}
	}
	swap := func(pad int, k, v string) func() { // the size stays the same
		return func() {
			delete(m, fmt.Sprintf("http://pad%d.test", pad))
			m[k] = v
		}
	}
	step("start", func() {}, `http://p1:1 ← Session.Proxies["http"]`)
	step("a value changed in place", func() { m["http"] = "http://p2:1" }, `http://p2:1 ← Session.Proxies["http"]`)
	step("a host key instead of a pad", swap(0, "http://api.test", "http://p3:1"), `http://p3:1 ← Session.Proxies["http://api.test"]`)
	step("the host key set to direct in place", func() { m["http://api.test"] = "" }, `direct ← Session.Proxies["http://api.test"]`)
	step("a host:port key instead of a pad", swap(1, "http://api.test:80", "socks5h://p4:1"), `socks5h://p4:1 ← Session.Proxies["http://api.test:80"]`)
	step("a pad instead of the host:port key", func() {
		delete(m, "http://api.test:80")
		m["http://pad1.test"] = "http://pad:1"
	}, `direct ← Session.Proxies["http://api.test"]`)
	step("the host key removed", func() { delete(m, "http://api.test") }, `http://p2:1 ← Session.Proxies["http"]`)
	step("a key in another spelling", func() { m["HTTP://Api.Test:80/"] = "http://p5:1" }, `http://p5:1 ← Session.Proxies["HTTP://Api.Test:80/"]`)
	step("that key changed in place", func() { m["HTTP://Api.Test:80/"] = "http://p6:1" }, `http://p6:1 ← Session.Proxies["HTTP://Api.Test:80/"]`)
	step("its normal spelling as well, instead of a pad", swap(2, "http://api.test:80", "http://p7:1"),
		`error: middleware: proxy keys "http://api.test:80" and another spelling of "http://api.test:80" both given`)
	step("the other spelling removed, a pad back", func() {
		delete(m, "HTTP://Api.Test:80/")
		m["http://pad2.test"] = "http://pad:1"
	}, `http://p7:1 ← Session.Proxies["http://api.test:80"]`)
	step("a pad instead of it", func() {
		delete(m, "http://api.test:80")
		m["http://pad0.test"] = "http://pad:1"
	}, `http://p2:1 ← Session.Proxies["http"]`)

	bad := maps.Clone(m)
	bad["http"] = "ftp://u:hunter2@p:1"
	_, want := middleware.RoutesFrom(func() middleware.RouteOptions {
		return middleware.RouteOptions{Proxies: bad, TrustEnv: true, Name: "Session"}
	})
	if want == nil || strings.Contains(want.Error(), "hunter2") {
		t.Fatalf("RoutesFrom of a bad map: %v", want)
	}
	step("a bad value in place", func() { m["http"] = "ftp://u:hunter2@p:1" }, "error: "+want.Error())
	step("a pad changed in place while the map is bad", func() { m["http://pad3.test"] = "http://pad:2" }, "error: "+want.Error())
	step("the bad value fixed in place", func() { m["http"] = "http://p8:1" }, `http://p8:1 ← Session.Proxies["http"]`)

	step("the http key removed: the environment", func() { delete(m, "http") }, `http://env:1 ← environment variable HTTP_PROXY`)
	step("a no_proxy key instead of a pad", swap(4, "no_proxy", "api.test"), `direct ← environment variable NO_PROXY`)
	step("the no_proxy key changed in place", func() { m["no_proxy"] = "other.test" }, `http://env:1 ← environment variable HTTP_PROXY`)
	step("an all key instead of a pad", swap(5, "all", "http://p9:1"), `http://p9:1 ← Session.Proxies["all"]`)
	step("an all://host key instead of a pad", swap(6, "all://api.test", ""), `direct ← Session.Proxies["all://api.test"]`)
	step("an http key instead of a pad", swap(7, "http", "http://p10:1"), `direct ← Session.Proxies["all://api.test"]`)

	step("the map replaced by one of the same size", func() {
		next := maps.Clone(m)
		next["all://api.test"] = "http://p11:1"
		m = next
	}, `http://p11:1 ← Session.Proxies["all://api.test"]`)
	step("the map replaced by one of the same size with a key in another spelling", func() {
		next := maps.Clone(m)
		delete(next, "http://pad8.test")
		next["HTTP://API.test"] = "http://p12:1"
		m = next
	}, `http://p12:1 ← Session.Proxies["HTTP://API.test"]`)
	step("the map replaced by a small one", func() { m = map[string]string{"http": "http://p13:1"} }, `http://p13:1 ← Session.Proxies["http"]`)
	step("the map replaced by nil", func() { m = nil }, `http://env:1 ← environment variable HTTP_PROXY`)
}

// TestRoutesFromLargeMapBadValueElsewhere: a bad value set in place for a
// key the request's URL cannot match is seen by the first request that
// can match it, which fails; from then on, every request fails, until it is
// fixed. A small map fails every request at once.
func TestRoutesFromLargeMapBadValueElsewhere(t *testing.T) {
	setProxyEnv(t)
	for _, pads := range []int{0, 20} {
		m := padded(pads, "http", "http://p1:1", "http://other.test", "http://p2:1")
		get := liveRoutes(t, &m, false)
		m["http://other.test"] = "gopher://p"
		const wantErr = `error: middleware: proxy for "http://other.test": proxy URL gopher://p: scheme "gopher" is not http, https, socks5 or socks5h`
		first := get("http://api.test/")
		switch {
		case pads == 0 && first != wantErr:
			t.Errorf("small map: got %q, want %q", first, wantErr)
		case pads > 0 && first != `http://p1:1 ← Session.Proxies["http"]`:
			t.Errorf("large map, a request the bad key cannot match: got %q", first)
		}
		if got := get("http://other.test/"); got != wantErr {
			t.Errorf("%d pads, a request the bad key can match: got %q, want %q", pads, got, wantErr)
		}
		if got := get("http://api.test/"); got != wantErr {
			t.Errorf("%d pads, the request after: got %q, want %q", pads, got, wantErr)
		}
		m["http://other.test"] = "http://p3:1"
		if got := get("http://api.test/"); got != `http://p1:1 ← Session.Proxies["http"]` {
			t.Errorf("%d pads, fixed: got %q", pads, got)
		}
	}
}

// TestRoutesFromLargeMapAgreesWithRoutes makes a few hundred random changes
// to a large map, of the kinds a request notices at once (values changed in
// place, keys added or removed, keys in their normal spelling added while
// others are removed, the map replaced), and checks after each that a
// middleware reading the live map routes a set of URLs as one compiled
// afresh from a copy of it does.
func TestRoutesFromLargeMapAgreesWithRoutes(t *testing.T) {
	setProxyEnv(t, "HTTP_PROXY", "http://env-http:1", "HTTPS_PROXY", "http://env-https:1", "NO_PROXY", "skip.test")
	normal := []string{"http", "https", "all", "no_proxy", "http://a.test", "https://a.test", "all://a.test",
		"http://a.test:8080", "all://a.test:443", "https://b.test:443", "all://[::1]", "http://skip.test"}
	spellings := func(k string) []string {
		if !strings.Contains(k, "://") {
			return []string{k, strings.ToUpper(k)}
		}
		return []string{k, strings.ToUpper(k), k + "/", " " + strings.ToUpper(k[:1]) + k[1:] + "/"}
	}
	normalOf := func(k string) string { return strings.ToLower(strings.TrimSuffix(strings.TrimSpace(k), "/")) }
	values := []string{"", "http://v1:1", "socks5h://u:p@v2:1080", "v3.test:3128", "https://v4:443"}
	noProxies := []string{"", "a.test", "b.test,[::1]"}
	urls := []string{"http://a.test/", "http://A.TEST:8080/x", "https://a.test/", "https://a.test:443/", "https://b.test/",
		"http://b.test/", "http://skip.test/", "https://skip.test/", "http://[::1]/", "https://[::1]:8443/", "http://c.test/", "ws://a.test/"}

	rng := rand.New(rand.NewPCG(15, 2026))
	pick := func(s []string) string { return s[rng.IntN(len(s))] }
	valueFor := func(k string) string {
		if normalOf(k) == "no_proxy" {
			return pick(noProxies)
		}
		return pick(values)
	}
	m := padded(12)
	pads := func() (ks []string) { // sorted, for a repeatable test
		for k := range m {
			if strings.HasPrefix(k, "http://pad") {
				ks = append(ks, k)
			}
		}
		slices.Sort(ks)
		return ks
	}
	present := func() (ks []string) {
		for k := range m {
			if !strings.HasPrefix(k, "http://pad") {
				ks = append(ks, k)
			}
		}
		slices.Sort(ks)
		return ks
	}
	absent := func() (ks []string) {
		for _, n := range normal {
			if !slices.ContainsFunc(present(), func(k string) bool { return normalOf(k) == n }) {
				ks = append(ks, n)
			}
		}
		return ks
	}
	get := liveRoutes(t, &m, true)
	for step := range 400 {
		var did string
		switch op := rng.IntN(6); {
		case op == 0 && len(present()) > 0:
			k := pick(present())
			m[k] = valueFor(k)
			did = "changed " + k + " in place"
		case op == 1 && len(absent()) > 0:
			k := pick(spellings(pick(absent())))
			m[k] = valueFor(k)
			did = "added " + k
		case op == 2 && len(present()) > 0:
			k := pick(present())
			delete(m, k)
			did = "removed " + k
		case op == 3 && len(absent()) > 0 && len(pads()) > 0:
			p, k := pick(pads()), pick(absent())
			delete(m, p)
			m[k] = valueFor(k)
			did = "added " + k + " instead of " + p
		case op == 4 && len(present()) > 0:
			k, p := pick(present()), fmt.Sprintf("http://pad%d.test", 100+step)
			delete(m, k)
			m[p] = "http://pad:1"
			did = "added " + p + " instead of " + k
		case op == 5:
			m = maps.Clone(m)
			if len(present()) > 0 {
				k := pick(present())
				m[k] = valueFor(k)
			}
			did = "replaced the map"
		default:
			continue
		}
		fresh, err := middleware.Routes(middleware.RouteOptions{Proxies: m, TrustEnv: true, Name: "Session"})
		if err != nil {
			t.Fatalf("step %d (%s) made a bad map: %v", step, did, err)
		}
		want := routeOf(t, fresh)
		for _, u := range urls {
			if got, want := get(u), want(u); got != want {
				t.Errorf("step %d, %s (%d keys): %s\ngot  %q\nwant %q", step, did, len(m), u, got, want)
			}
		}
	}
}

// TestRoutesFromLargeMapConcurrentReaders: requests read a large map from
// many goroutines at once (run with -race), between changes that each round
// of them sees.
func TestRoutesFromLargeMapConcurrentReaders(t *testing.T) {
	setProxyEnv(t)
	m := padded(50, "http", "http://p0:1")
	mw, err := middleware.RoutesFrom(func() middleware.RouteOptions { return middleware.RouteOptions{Proxies: m} })
	if err != nil {
		t.Fatal(err)
	}
	for round := range 5 {
		want := fmt.Sprintf("http://p%d:1", round)
		m["http"] = want
		if round%2 == 1 {
			m[fmt.Sprintf("http://host%d.test", round)] = "" // the size changes too
		}
		var wg sync.WaitGroup
		for g := range 8 {
			wg.Go(func() {
				get := routeOf(t, mw)
				for i := range 50 {
					target := fmt.Sprintf("http://g%d-%d.test/", g, i)
					if got := get(target); got != want+` ← RouteOptions.Proxies["http"]` {
						t.Errorf("round %d: %s: got %q, want %s", round, target, got, want)
						return
					}
				}
			})
		}
		wg.Wait()
	}
}

// TestRoutesFromLargeMapAllocations: checking the keys of a large map one by
// one costs a direct request no allocation.
func TestRoutesFromLargeMapAllocations(t *testing.T) {
	setProxyEnv(t, "HTTPS_PROXY", "http://env.test:3128")
	m := padded(100, "https", "http://p:1", "HTTP://Other.Example.com/", "http://p:1", "no_proxy", "x.test")
	ok := &http.Response{StatusCode: http.StatusOK, Body: http.NoBody}
	next := middleware.RoundTripperFunc(func(*http.Request) (*http.Response, error) { return ok, nil })
	mw, err := middleware.RoutesFrom(func() middleware.RouteOptions { return middleware.RouteOptions{Proxies: m, TrustEnv: true} })
	if err != nil {
		t.Fatal(err)
	}
	rt := mw(next)
	req, _ := http.NewRequest(http.MethodGet, "http://API.example.test:8080/path", nil)
	if n := testing.AllocsPerRun(100, func() { _, _ = rt.RoundTrip(req) }); n != 0 {
		t.Errorf("%v allocations per request, want 0", n)
	}
}

// TestRoutesFromLargeMapExplains: the decision trail names the key that
// chose the route of a large map, in the spelling the map gives it, also
// after a change in place.
func TestRoutesFromLargeMapExplains(t *testing.T) {
	setProxyEnv(t)
	m := padded(20, "HTTP://Api.Test/", "http://p1:1")
	mw, err := middleware.RoutesFrom(func() middleware.RouteOptions {
		return middleware.RouteOptions{Proxies: m, Name: "Session"}
	})
	if err != nil {
		t.Fatal(err)
	}
	rt := mw(middleware.RoundTripperFunc(func(req *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: http.StatusOK, Body: http.NoBody, Request: req}, nil
	}))
	for _, proxy := range []string{"http://p1:1", "http://p2:1"} {
		m["HTTP://Api.Test/"] = proxy
		ctx, trail := explain.With(t.Context())
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://api.test/", nil)
		if _, err := rt.RoundTrip(req); err != nil {
			t.Fatal(err)
		}
		got := trail.Find(explain.KindProxy, proxy)
		if len(got) != 1 || got[0].Source != `Session.Proxies["HTTP://Api.Test/"]` {
			t.Errorf("proxy %s: notes %v, want one from Session.Proxies[\"HTTP://Api.Test/\"]", proxy, trail.Decisions())
		}
	}
}
