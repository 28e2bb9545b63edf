package cookiejar

import (
	"cmp"
	"net/http"
	"slices"
	"time"
)

// entry is a stored cookie.
type entry struct {
	Name       string
	Value      string
	Quoted     bool
	Domain     string // lower-case ASCII, no leading dot; the host for a host-only cookie
	Path       string
	SameSite   http.SameSite
	Secure     bool
	HttpOnly   bool
	Persistent bool
	HostOnly   bool
	Expires    time.Time // endOfTime for a session cookie
	Created    time.Time
	LastAccess time.Time

	seq    uint64 // creation order, for a deterministic Cookies order
	access uint64 // access order, for least-recently-used eviction
}

// endOfTime is when session cookies expire.
var endOfTime = time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)

// id identifies a cookie in the jar: RFC 6265 replaces a cookie with the same
// name, domain and path.
func (e *entry) id() string {
	return e.Domain + ";" + e.Path + ";" + e.Name
}

func (e *entry) expired(now time.Time) bool {
	return !e.Expires.After(now)
}

// lessRecent orders entries by last access, oldest first.
func lessRecent(a, b *entry) int {
	if c := a.LastAccess.Compare(b.LastAccess); c != 0 {
		return c
	}
	return cmp.Compare(a.access, b.access)
}

// insert stores e under key, replacing the cookie with the same id. A
// replaced cookie keeps its creation time when keepCreated is set (RFC 6265
// §5.3 step 11.3). Locked.
func (j *Jar) insert(key string, e *entry, keepCreated bool) {
	sub := j.entries[key]
	if sub == nil {
		sub = make(map[string]*entry)
		j.entries[key] = sub
	}
	id := e.id()
	if old, ok := sub[id]; ok {
		if keepCreated {
			e.Created, e.seq = old.Created, old.seq
		} else {
			e.seq = j.seq
			j.seq++
		}
	} else {
		e.seq = j.seq
		j.seq++
		j.count.Add(1)
	}
	e.access = j.tick
	j.tick++
	sub[id] = e
}

// remove deletes the cookie id under key, if there is one. Locked.
func (j *Jar) remove(key, id string) bool {
	sub := j.entries[key]
	if _, ok := sub[id]; !ok {
		return false
	}
	delete(sub, id)
	j.count.Add(-1)
	if len(sub) == 0 {
		delete(j.entries, key)
	}
	return true
}

// enforceLimits evicts cookies after insertions under keys: expired ones
// first, then the least recently used, of each domain and then of the jar.
// Callers insert a batch, then call it once, so that a batch of n cookies
// costs O(n log n), not O(n²). Locked.
func (j *Jar) enforceLimits(keys []string, now time.Time) {
	for _, key := range keys {
		if sub := j.entries[key]; len(sub) > MaxCookiesPerDomain {
			j.evict(map[string]map[string]*entry{key: sub}, len(sub)-MaxCookiesPerDomain, now)
		}
	}
	if j.count.Load() > MaxCookies {
		j.evict(j.entries, int(j.count.Load())-MaxCookies, now)
	}
}

// evict removes n cookies from the submaps of m (which may be j.entries):
// the expired ones, then the least recently used. Locked.
func (j *Jar) evict(m map[string]map[string]*entry, n int, now time.Time) {
	type ref struct {
		key string
		e   *entry
	}
	var live []ref
	for key, sub := range m {
		for id, e := range sub {
			if e.expired(now) {
				j.remove(key, id)
				n--
				continue
			}
			live = append(live, ref{key, e})
		}
	}
	if n <= 0 {
		return
	}
	slices.SortFunc(live, func(a, b ref) int { return lessRecent(a.e, b.e) })
	for _, r := range live[:min(n, len(live))] {
		j.remove(r.key, r.e.id())
	}
}
