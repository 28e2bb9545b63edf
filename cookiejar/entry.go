package cookiejar

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Entry is a cookie as the jar keeps it: what a server set, after the jar's
// rules, with the bookkeeping RFC 6265 §5.3 asks for. Entries returned by the
// jar are copies; changing one changes nothing in the jar.
type Entry struct {
	Name  string
	Value string
	// Quoted reports a value that was received in double quotes; it is sent
	// back quoted.
	Quoted bool
	// Domain is lower-case, without a leading dot: the host that set a
	// host-only cookie, or the domain of a domain cookie.
	Domain string
	Path   string
	// Expires is when a persistent cookie expires, and zero for a session
	// cookie.
	Expires  time.Time
	Secure   bool
	HttpOnly bool
	// HostOnly reports a cookie set without a Domain attribute (or by an IP
	// address): it is sent to Domain only, not to its subdomains.
	HostOnly bool
	// Persistent reports a cookie with Max-Age or Expires; the others are
	// session cookies, which Save skips unless asked.
	Persistent bool
	// SameSite is stored and saved but not enforced (see the package doc).
	SameSite   http.SameSite
	Created    time.Time
	LastAccess time.Time
}

// Cookie returns e as an [http.Cookie] with the attributes of a Set-Cookie
// line (Domain only for a domain cookie, Expires only for a persistent one).
func (e Entry) Cookie() *http.Cookie {
	c := &http.Cookie{
		Name:     e.Name,
		Value:    e.Value,
		Quoted:   e.Quoted,
		Path:     e.Path,
		Expires:  e.Expires,
		Secure:   e.Secure,
		HttpOnly: e.HttpOnly,
		SameSite: e.SameSite,
	}
	if !e.HostOnly {
		c.Domain = e.Domain
	}
	return c
}

func (e *entry) export() Entry {
	x := Entry{
		Name:       e.Name,
		Value:      e.Value,
		Quoted:     e.Quoted,
		Domain:     e.Domain,
		Path:       e.Path,
		Secure:     e.Secure,
		HttpOnly:   e.HttpOnly,
		HostOnly:   e.HostOnly,
		Persistent: e.Persistent,
		SameSite:   e.SameSite,
		Created:    e.Created,
		LastAccess: e.LastAccess,
	}
	if e.Persistent {
		x.Expires = e.Expires
	}
	return x
}

// listOrder sorts a listing by domain, path, name, then creation.
func listOrder(a, b *entry) int {
	if c := cmp.Compare(a.Domain, b.Domain); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Path, b.Path); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Name, b.Name); c != 0 {
		return c
	}
	return cmp.Compare(a.seq, b.seq)
}

// All returns every cookie in the jar that has not expired, sorted by
// domain, path and name. Listing does not count as an access for eviction.
func (j *Jar) All() []Entry {
	return j.all(time.Now())
}

func (j *Jar) all(now time.Time) []Entry {
	snap := j.snapshot(now, true)
	out := make([]Entry, len(snap))
	for i := range snap {
		out[i] = snap[i].export()
	}
	return out
}

// snapshot copies the live entries under the lock, in list order; session
// cookies only when withSession is set.
func (j *Jar) snapshot(now time.Time, withSession bool) []entry {
	j.mu.Lock()
	var live []*entry
	for _, sub := range j.entries {
		for _, e := range sub {
			if !e.expired(now) && (withSession || e.Persistent) {
				live = append(live, e)
			}
		}
	}
	out := make([]entry, len(live))
	for i, e := range live {
		out[i] = *e
	}
	j.mu.Unlock()
	slices.SortFunc(out, func(a, b entry) int { return listOrder(&a, &b) })
	return out
}

// Entries returns the cookies a request to u would carry, in the order
// Cookies gives them, with all their attributes. Unlike Cookies, it does not
// count as an access.
func (j *Jar) Entries(u *url.URL) []Entry {
	return j.entriesFor(u, time.Now())
}

func (j *Jar) entriesFor(u *url.URL, now time.Time) []Entry {
	sel := j.selectFor(u, now, false)
	out := make([]Entry, len(sel))
	for i := range sel {
		out[i] = sel[i].export()
	}
	return out
}

// Delete removes the cookie with this domain, path and name, as an Entry
// lists them (a leading dot on domain and upper case are accepted), and
// reports whether there was one.
func (j *Jar) Delete(domain, path, name string) bool {
	domain = strings.ToLower(strings.TrimPrefix(domain, "."))
	if domain == "" {
		return false
	}
	key := j.jarKey(domain)
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.remove(key, domain+";"+path+";"+name)
}

// DeleteFunc removes every cookie for which del returns true and returns how
// many it removed. del is called with the jar locked: it must not call the
// jar's methods.
func (j *Jar) DeleteFunc(del func(Entry) bool) int {
	j.mu.Lock()
	defer j.mu.Unlock()
	n := 0
	for key, sub := range j.entries {
		for id, e := range sub {
			if del(e.export()) {
				j.remove(key, id)
				n++
			}
		}
	}
	return n
}

// Clear removes every cookie.
func (j *Jar) Clear() {
	j.mu.Lock()
	defer j.mu.Unlock()
	clear(j.entries)
	j.count.Store(0)
}
