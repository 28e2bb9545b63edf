package middleware

// A relay Session's Proxies map is a plain field its user may change
// between requests, and the route middleware must see each change at the
// next request. Comparing the whole map with the one it compiled costs
// time in proportion to the map, so for a large map each request instead
// checks, in the live map, only the keys that can match its URL
// (ProxySelector.choose with a live map): at most seven (the four that name
// its host, its scheme, "all" and "no_proxy"), in their normal form and in
// the spelling the map gave them, whatever the size of the map. A change to
// any other key is seen when the map's size changes, when the map is
// replaced, or when a request that can match the key is made.
// routeConfig.compiledFrom decides which of the two checks a configuration
// gets.

import (
	"maps"
	"reflect"
)

// compareWhole is the size up to which a Proxies map is copied and
// compared whole at each request, as it was before the keys were checked
// one by one: it notices every change, even to a key the request cannot
// match, for 20 to 40 ns a key (BenchmarkRoutesFromProxyKeys on a shared
// 2-core machine: a direct request through the middleware costs about
// 175 ns with one key, 160-190 ns with 9 to 10,000 keys checked one by one,
// 310-480 ns with eight compared whole: a bounded price for seeing every
// change to the small maps most sessions have).
const compareWhole = 8

// proxiesSeen is what a compiled configuration keeps of its Proxies map to
// tell whether the map of a later request is still the one it was compiled
// from.
type proxiesSeen struct {
	frozen bool              // the map cannot change (Routes copied it)
	copy   map[string]string // a small map, or one that failed to compile: a copy, compared whole
	m      map[string]string // a larger map: the map itself, recognised by identity and size
	size   int
}

func seeProxies(m map[string]string, frozen, failed bool) proxiesSeen {
	switch {
	case frozen:
		return proxiesSeen{frozen: true}
	case failed || len(m) <= compareWhole:
		return proxiesSeen{copy: maps.Clone(m)}
	}
	return proxiesSeen{m: m, size: len(m)}
}

// still reports whether live, as far as it can be compared as a whole, is
// still the map p was seen of: the same, or for a large map the same map
// with the same number of keys. When the keys of live must be checked one
// by one besides, it returns live (else nil). Holding on to the map, as p
// does, keeps its address from being reused by another map.
func (p *proxiesSeen) still(live map[string]string) (bool, map[string]string) {
	switch {
	case p.frozen:
		return true, nil
	case p.m == nil:
		return maps.Equal(p.copy, live), nil
	}
	same := len(live) == p.size && reflect.ValueOf(live).UnsafePointer() == reflect.ValueOf(p.m).UnsafePointer()
	return same, live
}

// rawKey is a key of the map as it was given, with its value: what the live
// map must still hold for a compiled entry to stand.
type rawKey struct {
	key, value string
	set        bool
}

// in reports whether live still holds what k was compiled from, the normal
// form of k's key being norm: k's key with its value, and, when that key is
// spelt otherwise, no key spelt norm beside it (which would make the map
// invalid). For a k that is not set, it reports whether live has no key
// spelt norm.
func (k rawKey) in(live map[string]string, norm string) bool {
	if !k.set {
		return !hasKey(live, norm)
	}
	if v, ok := live[k.key]; !ok || v != k.value {
		return false
	}
	return k.key == norm || !hasKey(live, norm)
}

func hasKey(m map[string]string, k string) bool {
	_, ok := m[k]
	return ok
}

// lookup returns the entry of the key norm, in normal form (found: there is
// one). With live not nil, fresh reports whether live still says about norm
// what s was compiled from: the entry's key as given with its value, or no
// key spelt norm when there was no entry. Neither string(norm) allocates:
// Go converts a byte slice used only as a map key or in a comparison in
// place.
func (s *ProxySelector) lookup(norm []byte, live map[string]string) (e proxyEntry, found, fresh bool) {
	e, found = s.byKey[string(norm)]
	if live == nil {
		return e, found, true
	}
	if !found {
		_, added := live[string(norm)]
		return e, false, !added
	}
	if v, ok := live[e.key.key]; !ok || v != e.key.value {
		return e, true, false
	}
	if e.key.key != string(norm) {
		if _, twice := live[string(norm)]; twice {
			return e, true, false
		}
	}
	return e, true, true
}
