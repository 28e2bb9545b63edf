package auth

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

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
