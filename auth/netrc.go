package auth

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"go.uber.org/zap"

	"github.com/relayhttp/relay/internal/origin"
)

// MaxNetrcSize is the largest netrc file Netrc reads. A real one is a few
// lines; the bound keeps a NETRC variable pointing at a device or a huge file
// from stalling a session.
const MaxNetrcSize = 1 << 20

// NetrcEntry is one entry of a netrc file: a machine, or the default entry.
// Its String and GoString methods do not show the password.
type NetrcEntry struct {
	Machine  string // the host name as written; "" for the default entry
	Default  bool   // the "default" entry, which matches any host
	Login    string
	Password string
	Account  string

	basic Authenticator // Basic(Login, Password), computed once
}

// String formats e in netrc syntax, without the password or account.
func (e NetrcEntry) String() string {
	var b strings.Builder
	if e.Default {
		b.WriteString("default")
	} else {
		b.WriteString("machine " + e.Machine)
	}
	if e.Login != "" {
		b.WriteString(" login " + e.Login)
	}
	if e.Password != "" {
		b.WriteString(" password ***")
	}
	if e.Account != "" {
		b.WriteString(" account ***")
	}
	return b.String()
}

// GoString keeps the password out of %#v too.
func (e NetrcEntry) GoString() string { return "auth.NetrcEntry(" + e.String() + ")" }

// NetrcFile is a parsed netrc file. A nil *NetrcFile is an empty file.
type NetrcFile struct {
	// Path is the file that was read; "" when parsed from bytes or when no
	// file was found.
	Path string

	// Exposed reports that the file's permissions let group or others read
	// or write it (mode&0o077 != 0; never set on Windows). relay uses such a
	// file anyway, as curl does; NetrcSource logs a warning.
	Exposed bool

	machines []NetrcEntry
	def      *NetrcEntry
}

// String formats f without its passwords or accounts: its path and its
// entries as NetrcEntry.String shows them.
func (f NetrcFile) String() string {
	var b strings.Builder
	b.WriteString("netrc")
	if f.Path != "" {
		b.WriteString(" " + f.Path)
	}
	b.WriteString(" {")
	for i, e := range f.Entries() {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(e.String())
	}
	b.WriteString("}")
	return b.String()
}

// GoString keeps the passwords out of %#v too.
func (f NetrcFile) GoString() string { return "auth.NetrcFile(" + f.String() + ")" }

// Entries returns a copy of the file's entries in file order, the default
// entry last.
func (f *NetrcFile) Entries() []NetrcEntry {
	if f == nil {
		return nil
	}
	out := append([]NetrcEntry(nil), f.machines...)
	if f.def != nil {
		out = append(out, *f.def)
	}
	return out
}

// Lookup returns the entry for host: the first machine entry whose name
// equals host (ASCII case-insensitively), else the default entry. host is a
// host name or IP address without a port, as url.URL.Hostname returns it:
// like curl and Requests, relay does not match ports, so an entry applies to
// every port and scheme of its host, and "machine host:8080" matches nothing.
func (f *NetrcFile) Lookup(host string) (NetrcEntry, bool) {
	if e := f.machine(host); e != nil {
		return *e, true
	}
	if f != nil && f.def != nil {
		return *f.def, true
	}
	return NetrcEntry{}, false
}

func (f *NetrcFile) machine(host string) *NetrcEntry {
	if f == nil {
		return nil
	}
	for i := range f.machines {
		if strings.EqualFold(f.machines[i].Machine, host) {
			return &f.machines[i]
		}
	}
	return nil
}

// forHop returns the entry whose credentials go on req, a hop of a redirect
// chain, or nil: the entry for the hop's host unless the chain has been on
// the hop's origin before and left it; the default entry only while the chain
// is on its first origin; nothing for an entry with neither login nor
// password.
func (f *NetrcFile) forHop(req *http.Request) *NetrcEntry {
	if f == nil {
		return nil
	}
	e := f.machine(req.URL.Hostname())
	if e == nil {
		if f.def == nil || !origin.StillOn(req) {
			return nil
		}
		e = f.def
	}
	if e.Login == "" && e.Password == "" || returned(req) {
		return nil
	}
	return e
}

// returned reports whether req's chain was on req's host at some earlier
// hop, then left it, or was on https and has been downgraded to http (where
// the entry would cross the network in clear text). Netrc entries belong to
// hosts, whatever the scheme and port, so a return on another port or scheme
// is a return too.
func returned(req *http.Request) bool {
	here := origin.Of(req.URL).Host
	plain := strings.EqualFold(req.URL.Scheme, "http")
	left := false
	for r := req; r.Response != nil && r.Response.Request != nil; {
		r = r.Response.Request
		if plain && strings.EqualFold(r.URL.Scheme, "https") {
			return true
		}
		if origin.Of(r.URL).Host == here {
			if left {
				return true
			}
		} else {
			left = true
		}
	}
	return false
}

// NetrcPath returns the netrc file relay reads by default: the NETRC
// environment variable if it is set (a leading "~/" is the home directory),
// else .netrc in the user's home directory, or _netrc there if only that one
// exists (as Requests looks for both). It returns "" when NETRC is unset and
// there is no home directory.
func NetrcPath() string {
	home, _ := os.UserHomeDir()
	if p := os.Getenv("NETRC"); p != "" {
		if rest, ok := strings.CutPrefix(p, "~/"); ok && home != "" {
			return filepath.Join(home, rest)
		}
		return p
	}
	if home == "" {
		return ""
	}
	p := filepath.Join(home, ".netrc")
	if _, err := os.Stat(p); err != nil {
		if alt := filepath.Join(home, "_netrc"); fileExists(alt) {
			return alt
		}
	}
	return p
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// Netrc reads and parses the netrc file at path; an empty path means
// NetrcPath(). A file that does not exist is no error: the result is an
// empty file. A file larger than MaxNetrcSize, or one that does not parse
// (see ParseNetrc), is an error naming the path and the line, never a value
// from the file.
func Netrc(path string) (*NetrcFile, error) {
	if path == "" {
		path = NetrcPath()
		if path == "" {
			return &NetrcFile{}, nil
		}
	}
	fh, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return &NetrcFile{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("auth: netrc: %w", err)
	}
	defer fh.Close()
	data, err := io.ReadAll(io.LimitReader(fh, MaxNetrcSize+1))
	if err != nil {
		return nil, fmt.Errorf("auth: netrc: %w", err)
	}
	if len(data) > MaxNetrcSize {
		return nil, fmt.Errorf("auth: netrc %s: larger than %d bytes", path, MaxNetrcSize)
	}
	f, err := parseNetrc(data, path)
	if err != nil {
		return nil, err
	}
	f.Path = path
	if st, err := fh.Stat(); err == nil && runtime.GOOS != "windows" && st.Mode().Perm()&0o077 != 0 {
		f.Exposed = true
	}
	return f, nil
}

// NetrcSource returns a function for MiddlewareOptions.Netrc that reads the
// netrc file at path ("" means NetrcPath(), evaluated on the first call) on
// its first call, and returns that same result, file or error, on every
// later call. If the file is Exposed it logs one warning through log (nil
// means no logging), with the path and mode and nothing read from the file.
// Use one source per session: the file is read once, lazily, so a session
// that never needs netrc never opens it.
func NetrcSource(path string, log *zap.Logger) func() (*NetrcFile, error) {
	if log == nil {
		log = zap.NewNop()
	}
	var (
		once sync.Once
		f    *NetrcFile
		err  error
	)
	return func() (*NetrcFile, error) {
		once.Do(func() {
			f, err = Netrc(path)
			if err == nil && f.Exposed {
				log.Warn("auth: the netrc file can be read or written by other users; it is used anyway, as curl does",
					zap.String("path", f.Path))
			}
		})
		return f, err
	}
}

// ParseNetrc parses the contents of a netrc file, in the format ftp, curl and
// Python's netrc module read:
//
//   - tokens are separated by spaces, tabs and newlines; a token that starts
//     with a double quote runs to the next unescaped double quote on the same
//     line, and inside it \n, \r and \t stand for newline, carriage return
//     and tab and a backslash makes any other byte literal (curl's rules);
//   - "machine NAME" starts an entry for a host and "default" an entry for
//     any host; "login", "password" and "account" each take the next token
//     as their value for the current entry (the last one given wins);
//   - "macdef NAME" starts a macro that runs to the first empty line and is
//     skipped; it also ends the current entry;
//   - a token that starts with # begins a comment that runs to the end of
//     the line;
//   - other tokens are ignored, as curl ignores them.
//
// For a host named twice, the first entry wins, as in curl. The parser is
// linear in its input and never panics; its errors (a keyword missing its
// value, a quoted token left open) name the line and never quote the file.
func ParseNetrc(data []byte) (*NetrcFile, error) {
	return parseNetrc(data, "")
}

func parseNetrc(data []byte, path string) (*NetrcFile, error) {
	lx := netrcLexer{data: data, line: 1}
	where := func() string {
		if path == "" {
			return fmt.Sprintf("auth: netrc: line %d", lx.line)
		}
		return fmt.Sprintf("auth: netrc %s: line %d", path, lx.line)
	}
	f := &NetrcFile{}
	var cur *NetrcEntry
	var seenDefault bool
	seen := make(map[string]bool) // machine names kept, by foldKey
	finish := func() {
		if cur == nil {
			return
		}
		cur.basic = Basic(cur.Login, cur.Password)
		switch {
		case cur.Default:
			if !seenDefault {
				f.def = cur
				seenDefault = true
			}
		case !seen[foldKey(cur.Machine)]:
			seen[foldKey(cur.Machine)] = true
			f.machines = append(f.machines, *cur)
		}
		cur = nil
	}
	for {
		tok, quoted, err := lx.next()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", where(), err)
		}
		if tok == "" && !quoted && lx.eof() {
			break
		}
		keyword := ""
		if !quoted {
			keyword = strings.ToLower(tok)
		}
		switch keyword {
		case "machine", "login", "password", "account":
			value, valueQuoted, err := lx.next()
			if err != nil {
				return nil, fmt.Errorf("%s: %w", where(), err)
			}
			if value == "" && !valueQuoted { // the end of the input
				return nil, fmt.Errorf("%s: %q has no value", where(), keyword)
			}
			switch keyword {
			case "machine":
				finish()
				cur = &NetrcEntry{Machine: value}
			case "login":
				if cur != nil {
					cur.Login = value
				}
			case "password":
				if cur != nil {
					cur.Password = value
				}
			case "account":
				if cur != nil {
					cur.Account = value
				}
			}
		case "default":
			finish()
			cur = &NetrcEntry{Default: true}
		case "macdef":
			finish()
			lx.skipMacro()
		}
	}
	finish()
	return f, nil
}

// foldKey returns a key equal for two names exactly when strings.EqualFold
// reports them equal: each rune replaced by the smallest rune of its simple
// case folding orbit.
func foldKey(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(s)
	}
	var b strings.Builder
	for _, r := range s {
		m := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			m = min(m, f)
		}
		b.WriteRune(m)
	}
	return b.String()
}

// netrcLexer splits a netrc file into tokens.
type netrcLexer struct {
	data []byte
	pos  int
	line int
}

func (lx *netrcLexer) eof() bool { return lx.pos >= len(lx.data) }

var errNetrcOpenQuote = errors.New("quoted token not closed on its line")

// next returns the next token and whether it was quoted; "" and false at the
// end of the input. Comments are skipped.
func (lx *netrcLexer) next() (string, bool, error) {
	d := lx.data
	for lx.pos < len(d) {
		switch c := d[lx.pos]; c {
		case '\n':
			lx.line++
			lx.pos++
		case ' ', '\t', '\r', '\f', '\v':
			lx.pos++
		case '#':
			for lx.pos < len(d) && d[lx.pos] != '\n' {
				lx.pos++
			}
		case '"':
			return lx.quoted()
		default:
			start := lx.pos
			for lx.pos < len(d) && !isNetrcSpace(d[lx.pos]) {
				lx.pos++
			}
			return string(d[start:lx.pos]), false, nil
		}
	}
	return "", false, nil
}

func (lx *netrcLexer) quoted() (string, bool, error) {
	d := lx.data
	lx.pos++ // opening quote
	var b strings.Builder
	for lx.pos < len(d) {
		c := d[lx.pos]
		lx.pos++
		switch c {
		case '"':
			return b.String(), true, nil
		case '\n':
			lx.pos--
			return "", true, errNetrcOpenQuote
		case '\\':
			if lx.pos >= len(d) || d[lx.pos] == '\n' {
				return "", true, errNetrcOpenQuote
			}
			e := d[lx.pos]
			lx.pos++
			switch e {
			case 'n':
				e = '\n'
			case 'r':
				e = '\r'
			case 't':
				e = '\t'
			}
			b.WriteByte(e)
		default:
			b.WriteByte(c)
		}
	}
	return "", true, errNetrcOpenQuote
}

// skipMacro skips the rest of the macdef line (the macro's name) and the
// macro's lines, up to and including the first empty line ("\n" or "\r\n").
func (lx *netrcLexer) skipMacro() {
	d := lx.data
	for lx.pos < len(d) && d[lx.pos] != '\n' {
		lx.pos++
	}
	for lx.pos < len(d) {
		lx.pos++ // the '\n' ending the previous line
		lx.line++
		start := lx.pos
		for lx.pos < len(d) && d[lx.pos] != '\n' {
			lx.pos++
		}
		if l := d[start:lx.pos]; len(l) == 0 || len(l) == 1 && l[0] == '\r' {
			return
		}
	}
}

func isNetrcSpace(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\r', '\f', '\v':
		return true
	}
	return false
}
