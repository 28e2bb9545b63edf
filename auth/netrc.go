package auth

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"go.uber.org/zap"
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

// Len returns the number of the file's entries, the default entry included;
// 0 for a nil f.
func (f *NetrcFile) Len() int {
	if f == nil {
		return 0
	}
	n := len(f.machines)
	if f.def != nil {
		n++
	}
	return n
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
