package cookiejar

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"
)

// jsonFormatName and jsonVersion identify relay's JSON cookie files.
const (
	jsonFormatName = "relay-cookiejar"
	jsonVersion    = 1
)

// jsonFile is the layout of a JSON cookie file:
//
//	{
//	  "format": "relay-cookiejar",
//	  "version": 1,
//	  "cookies": [ {"name": "a", "value": "1", "domain": "example.com", ...} ]
//	}
type jsonFile struct {
	Format  string       `json:"format"`
	Version int          `json:"version"`
	Cookies []jsonCookie `json:"cookies"`
}

type jsonCookie struct {
	Name       string    `json:"name"`
	Value      string    `json:"value"`
	Quoted     bool      `json:"quoted,omitempty"`
	Domain     string    `json:"domain"`
	HostOnly   bool      `json:"hostOnly"`
	Path       string    `json:"path"`
	Secure     bool      `json:"secure"`
	HttpOnly   bool      `json:"httpOnly"`
	SameSite   string    `json:"sameSite,omitempty"`
	Expires    time.Time `json:"expires,omitzero"` // absent for a session cookie
	Created    time.Time `json:"created"`
	LastAccess time.Time `json:"lastAccess"`
}

var sameSiteNames = map[http.SameSite]string{
	http.SameSiteDefaultMode: "Default",
	http.SameSiteLaxMode:     "Lax",
	http.SameSiteStrictMode:  "Strict",
	http.SameSiteNoneMode:    "None",
}

func encodeJSON(entries []entry) ([]byte, error) {
	f := jsonFile{Format: jsonFormatName, Version: jsonVersion, Cookies: make([]jsonCookie, len(entries))}
	for i := range entries {
		e := &entries[i]
		c := jsonCookie{
			Name:       e.Name,
			Value:      e.Value,
			Quoted:     e.Quoted,
			Domain:     e.Domain,
			HostOnly:   e.HostOnly,
			Path:       e.Path,
			Secure:     e.Secure,
			HttpOnly:   e.HttpOnly,
			SameSite:   sameSiteNames[e.SameSite],
			Created:    e.Created.UTC(),
			LastAccess: e.LastAccess.UTC(),
		}
		if e.Persistent {
			c.Expires = e.Expires.UTC()
		}
		f.Cookies[i] = c
	}
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("cookiejar: encoding JSON: %w", err)
	}
	return append(b, '\n'), nil
}

// parseJSON reads a JSON cookie file. It walks the top-level object with the
// decoder's tokens so that an error names the line of the cookie at fault.
// Unknown keys are ignored; a missing or foreign "format", another
// "version", a wrong type or trailing data is an error. It takes time linear
// in len(data).
func parseJSON(data []byte) ([]entry, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	// base is the decoder's offset before the value being decoded: the
	// offset of a type error counts from there (to the end of the bad
	// value), that of a syntax error from the start of data.
	var base int64
	fail := func(reason string, err error) error {
		off := dec.InputOffset()
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			off = se.Offset
		case errors.As(err, &te):
			off = base + te.Offset - 1
		}
		if err != nil {
			reason += ": " + err.Error()
		}
		return &CorruptError{Line: lineOf(data, off), Reason: reason}
	}
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, fail("want a JSON object", err)
	}
	var (
		format  string
		version int
		out     []entry
		seen    bool
	)
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, fail("bad key", err)
		}
		key, _ := tok.(string)
		switch key {
		case "format":
			base = dec.InputOffset()
			if err := dec.Decode(&format); err != nil {
				return nil, fail("bad format", err)
			}
		case "version":
			base = dec.InputOffset()
			if err := dec.Decode(&version); err != nil {
				return nil, fail("bad version", err)
			}
		case "cookies":
			if seen {
				return nil, fail(`"cookies" given twice`, nil)
			}
			seen = true
			if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
				return nil, fail(`"cookies" is not an array`, err)
			}
			for dec.More() {
				base = dec.InputOffset()
				start := firstNonSpace(data, base)
				var c jsonCookie
				if err := dec.Decode(&c); err != nil {
					return nil, fail("bad cookie", err)
				}
				e, reason := c.entry()
				if reason != "" {
					return nil, &CorruptError{Line: lineOf(data, start), Reason: reason}
				}
				out = append(out, e)
			}
			if _, err := dec.Token(); err != nil {
				return nil, fail("bad cookies array", err)
			}
		default:
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return nil, fail("bad value", err)
			}
		}
	}
	if _, err := dec.Token(); err != nil {
		return nil, fail("unterminated object", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fail("data after the JSON object", nil)
	}
	if format != jsonFormatName {
		return nil, &CorruptError{Line: 1, Reason: fmt.Sprintf("format %q is not %q", format, jsonFormatName)}
	}
	if version != jsonVersion {
		return nil, &CorruptError{Line: 1, Reason: fmt.Sprintf("unsupported version %d", version)}
	}
	return out, nil
}

func (c *jsonCookie) entry() (entry, string) {
	e := entry{
		Name:       c.Name,
		Value:      c.Value,
		Quoted:     c.Quoted,
		Domain:     c.Domain,
		HostOnly:   c.HostOnly,
		Path:       c.Path,
		Secure:     c.Secure,
		HttpOnly:   c.HttpOnly,
		Created:    c.Created.UTC(),
		LastAccess: c.LastAccess.UTC(),
		Expires:    endOfTime,
	}
	if c.SameSite != "" {
		found := false
		for mode, name := range sameSiteNames {
			if name == c.SameSite {
				e.SameSite, found = mode, true
			}
		}
		if !found {
			return e, fmt.Sprintf("unknown sameSite %q", c.SameSite)
		}
	}
	if !c.Expires.IsZero() {
		e.Persistent = true
		e.Expires = c.Expires.UTC()
	}
	for _, t := range []time.Time{e.Expires, e.Created, e.LastAccess} {
		if t.Year() < 1 || t.Year() > 9999 {
			return e, "time out of range"
		}
	}
	if e.Domain == "" {
		return e, "empty domain"
	}
	return e, ""
}

// lineOf returns the 1-based line of byte offset off in data.
func lineOf(data []byte, off int64) int {
	off = min(max(off, 0), int64(len(data)))
	return 1 + bytes.Count(data[:off], []byte("\n"))
}

// firstNonSpace skips the separators the decoder's offset may point before.
func firstNonSpace(data []byte, off int64) int64 {
	for off < int64(len(data)) && bytes.IndexByte([]byte(" \t\r\n,:"), data[off]) >= 0 {
		off++
	}
	return off
}
