package cookiejar

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Format is the layout of a cookie file.
type Format int

const (
	// JSON is relay's own format: every attribute of every cookie, creation
	// and last-access times included, so a jar saved and loaded again is the
	// same jar.
	JSON Format = iota
	// Netscape is the cookies.txt format of Netscape, Firefox's old
	// exports, wget and curl (curl -b FILE reads it, curl -c FILE writes it).
	// It has no SameSite, creation or access time.
	Netscape
)

// String returns "JSON" or "Netscape".
func (f Format) String() string {
	switch f {
	case JSON:
		return "JSON"
	case Netscape:
		return "Netscape"
	}
	return fmt.Sprintf("Format(%d)", int(f))
}

// SaveOptions configures Save. A nil *SaveOptions is the zero value: JSON,
// persistent cookies only.
type SaveOptions struct {
	// Format is the file format; the zero value is JSON.
	Format Format
	// IncludeSession saves session cookies (those without Max-Age or
	// Expires) too. Browsers and Requests drop them when the session ends;
	// curl -c keeps them. In a Netscape file their expiry is 0.
	IncludeSession bool
}

// maxFileSize bounds what Load reads: a full jar (3000 cookies of 4 KiB)
// fits several times over.
const maxFileSize = 64 << 20

// ErrCorrupt is matched (errors.Is) by the *CorruptError of a cookie file
// that cannot be parsed.
var ErrCorrupt = errors.New("cookiejar: corrupt cookie file")

// CorruptError reports a cookie file that Load cannot parse. Load then
// leaves the jar as it was, and the next Save to Path moves the file aside
// instead of replacing it.
type CorruptError struct {
	Path   string // the file, when known
	Line   int    // 1-based line of the first error
	Reason string
}

func (e *CorruptError) Error() string {
	if e.Path == "" {
		return fmt.Sprintf("cookiejar: corrupt cookie file: line %d: %s", e.Line, e.Reason)
	}
	return fmt.Sprintf("cookiejar: corrupt cookie file %s: line %d: %s", e.Path, e.Line, e.Reason)
}

// Is makes errors.Is(err, ErrCorrupt) true.
func (e *CorruptError) Is(target error) bool { return target == ErrCorrupt }

// parseFile detects the format of a cookie file and parses it: JSON when the
// first byte that is not white space (after an optional UTF-8 byte order
// mark) is '{', Netscape otherwise. An empty file is an empty Netscape file.
func parseFile(data []byte) ([]entry, Format, error) {
	rest := bytes.TrimPrefix(data, []byte("\uFEFF"))
	rest = bytes.TrimLeft(rest, " \t\r\n")
	if len(rest) > 0 && rest[0] == '{' {
		entries, err := parseJSON(data)
		return entries, JSON, err
	}
	entries, err := parseNetscape(data)
	return entries, Netscape, err
}

// Save writes the jar's cookies that have not expired (session cookies only
// with o.IncludeSession) to the file path, in o.Format. A nil o means JSON
// without session cookies.
//
// The file is replaced atomically: Save writes a temporary file in the same
// folder with mode 0600, flushes it to disk, renames it over path and flushes
// the folder, so after a crash path holds the whole old or the whole new
// snapshot. The cookies are copied under the jar's lock and written outside
// it: Save does not hold up requests, and cookies set while it writes go to
// the next Save.
//
// Save never overwrites a file it cannot parse (a corrupt jar, or some other
// file given by mistake): it first renames it to path + ".corrupt-" + a UTC
// time stamp in the same folder, where it stays for the user to inspect.
// Path itself must be a regular file or absent.
func (j *Jar) Save(path string, o *SaveOptions) error {
	return j.save(path, o, time.Now())
}

func (j *Jar) save(path string, o *SaveOptions, now time.Time) error {
	var opts SaveOptions
	if o != nil {
		opts = *o
	}
	entries := j.snapshot(now, opts.IncludeSession)
	var data []byte
	switch opts.Format {
	case JSON:
		var err error
		if data, err = encodeJSON(entries); err != nil {
			return err
		}
	case Netscape:
		data = encodeNetscape(entries)
	default:
		return fmt.Errorf("cookiejar: saving %s: unknown format %v", path, opts.Format)
	}
	if err := keepCorruptAside(path, now); err != nil {
		return err
	}
	return writeAtomic(path, data, j.wrapWriter)
}

// Load reads a cookie file written by Save, by curl -c, or by any tool that
// writes the Netscape cookies.txt format, and merges its cookies into the
// jar. The format is detected from the content.
//
// Load is all or nothing: a file that does not parse is an error matching
// ErrCorrupt, a *CorruptError with the line at fault, and the jar is left as
// it was. A missing file is an error matching fs.ErrNotExist, which a
// program that starts without a jar can ignore.
//
// Merging follows the rules the jar applies to Set-Cookie, for a file may
// come from elsewhere: expired cookies, cookies the jar could not have
// stored (an invalid name or value, more than MaxCookieSize bytes, a domain
// cookie for a public suffix, a __Secure- or __Host- cookie without its
// requirements) are skipped, and the limits evict the least recently used.
// A cookie in the file replaces one in the jar with the same domain, path
// and name only if its creation time is later; a Netscape file has no
// creation times, so its cookies never replace cookies already in the jar
// and are stamped with the time of the Load.
func (j *Jar) Load(path string) error {
	return j.load(path, time.Now())
}

func (j *Jar) load(path string, now time.Time) error {
	data, err := readLimited(path)
	if err != nil {
		var ce *CorruptError
		if errors.As(err, &ce) {
			return err
		}
		return fmt.Errorf("cookiejar: loading %s: %w", path, err)
	}
	entries, format, err := parseFile(data)
	if err != nil {
		var ce *CorruptError
		if errors.As(err, &ce) {
			ce.Path = path
			return ce
		}
		return fmt.Errorf("cookiejar: loading %s: %w", path, err)
	}
	j.merge(entries, format, now)
	return nil
}

// merge adds loaded entries to the jar.
func (j *Jar) merge(entries []entry, format Format, now time.Time) {
	if format == Netscape {
		for i := range entries {
			entries[i].Created, entries[i].LastAccess = now, now
		}
	}
	// Oldest first, so creation order and access order stay meaningful.
	slices.SortStableFunc(entries, func(a, b entry) int {
		if c := a.Created.Compare(b.Created); c != 0 {
			return c
		}
		return a.LastAccess.Compare(b.LastAccess)
	})
	j.mu.Lock()
	defer j.mu.Unlock()
	var keys []string
	seen := make(map[string]bool)
	for i := range entries {
		e := entries[i]
		if !j.loadable(&e, now) {
			continue
		}
		key := j.jarKey(e.Domain)
		id := e.id()
		if old, ok := j.entries[key][id]; ok && (format == Netscape || !e.Created.After(old.Created)) {
			continue
		}
		j.insert(key, &e, false)
		if !seen[key] {
			seen[key] = true
			keys = append(keys, key)
		}
	}
	j.enforceLimits(keys, now)
}

// loadable applies to a loaded entry the checks SetCookies applies to a
// received cookie. It canonicalises e's domain. Locked.
func (j *Jar) loadable(e *entry, now time.Time) bool {
	if e.expired(now) || !validName(e.Name) || !validValue(e.Value) || !validPath(e.Path) {
		return false
	}
	if len(e.Name)+len(e.Value)+len(e.Domain)+len(e.Path) > MaxCookieSize {
		return false
	}
	d := strings.ToLower(strings.TrimPrefix(e.Domain, "."))
	if !validDomain(d) {
		return false
	}
	e.Domain = d
	if isIP(d) {
		e.HostOnly = true
	} else if !e.HostOnly {
		if ps := j.psl.PublicSuffix(d); ps != "" && !hasDotSuffix(d, ps) {
			return false // a domain cookie for a public suffix
		}
	}
	return prefixOK(e.Name, e.Secure, e.Secure, e.HostOnly, e.Path)
}

// validDomain reports whether d looks like a canonical host name or IP
// address: lower-case letters, digits, '-', '_', '.', and ':' for IPv6,
// without empty labels at either end.
func validDomain(d string) bool {
	if d == "" || d[0] == '.' || d[len(d)-1] == '.' {
		return false
	}
	for i := 0; i < len(d); i++ {
		b := d[i]
		if !('a' <= b && b <= 'z' || '0' <= b && b <= '9' || b == '-' || b == '_' || b == '.' || b == ':') {
			return false
		}
	}
	return true
}
