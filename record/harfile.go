package record

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"unicode/utf8"
)

// harVersion is the HAR version relay writes.
const harVersion = "1.2"

// creator is what relay writes in log.creator.
var creator = Creator{Name: "relay", Version: "1"}

// maxHARSize bounds the HAR files ReadHAR reads: a cassette is reviewed by
// people and committed, and a file past this is a mistake, not a cassette.
const maxHARSize = 1 << 30

// ReadHAR reads a HAR file, tolerantly: browsers and tools leave out
// optional fields, write numbers as floats, add pages, comments and custom
// fields, and omit bodies they did not keep; all of that reads. It fails
// only when the input is not JSON or has no "log" object.
func ReadHAR(r io.Reader) (*HAR, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxHARSize+1))
	if err != nil {
		return nil, fmt.Errorf("record: reading HAR: %w", err)
	}
	if len(b) > maxHARSize {
		return nil, fmt.Errorf("record: HAR larger than %d bytes", maxHARSize)
	}
	b = bytes.TrimPrefix(b, []byte("\ufeff")) // some tools write a byte order mark
	var probe struct {
		Log json.RawMessage `json:"log"`
	}
	if err := json.Unmarshal(b, &probe); err != nil {
		return nil, fmt.Errorf("record: not a HAR file: %w", err)
	}
	if len(probe.Log) == 0 || bytes.Equal(probe.Log, []byte("null")) {
		return nil, errors.New(`record: not a HAR file: no "log" object`)
	}
	var h HAR
	if err := json.Unmarshal(b, &h); err != nil {
		return nil, fmt.Errorf("record: not a HAR file: %w", err)
	}
	if bytes.Contains(b, []byte(`"_`)) {
		if err := readCustomFields(b, &h); err != nil {
			return nil, fmt.Errorf("record: not a HAR file: %w", err)
		}
	}
	return &h, nil
}

// WriteHAR writes h as indented JSON (two spaces, HTML characters left as
// they are), so that a cassette reads well in a review and diffs line by
// line. Entries in h are written as they are: WriteHAR does not redact.
func WriteHAR(w io.Writer, h *HAR) error {
	out := *h
	if out.Log.Version == "" {
		out.Log.Version = harVersion
	}
	if out.Log.Creator.Name == "" {
		out.Log.Creator = creator
	}
	if out.Log.Entries == nil {
		out.Log.Entries = []Entry{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	var v any = &out
	if anyCustom(&out.Log) {
		withCustom, err := logWithCustom(&out.Log)
		if err != nil {
			return fmt.Errorf("record: writing HAR: %w", err)
		}
		v = withCustom
	}
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("record: writing HAR: %w", err)
	}
	return nil
}

// WriteFile writes h to path atomically: to a temporary file in the same
// folder, synced, then renamed over path, and the folder synced. After a
// crash at any instant path holds the whole old file or the whole new one;
// a temporary file left by a crash is named path + ".tmp-*".
func WriteFile(path string, h *HAR) error {
	return writeFileWith(path, h, createOSTemp)
}

// tempFile is what writeFileWith writes to: an *os.File, or in tests one
// that fails (or ends the process) part way.
type tempFile interface {
	io.Writer
	Name() string
	Chmod(os.FileMode) error
	Sync() error
	Close() error
}

// createTemp makes the temporary file; tests pass one that fails.
type createTemp func(dir, pattern string) (tempFile, error)

func createOSTemp(dir, pattern string) (tempFile, error) { return os.CreateTemp(dir, pattern) }

// writeFileWith is WriteFile with the temporary file made by create.
func writeFileWith(path string, h *HAR, create createTemp) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := create(dir, base+".tmp-*")
	if err != nil {
		return fmt.Errorf("record: %w", err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(tmp)
		}
	}()
	w := bufio.NewWriterSize(f, 64<<10)
	if err := WriteHAR(w, h); err != nil {
		return err
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("record: %w", err)
	}
	if err := f.Chmod(0o644); err != nil { // a cassette is committed: readable like source
		return fmt.Errorf("record: %w", err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("record: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("record: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("record: %w", err)
	}
	if d, err := os.Open(dir); err == nil { // make the rename itself durable
		_ = d.Sync()
		_ = d.Close()
	}
	return nil
}

// readCassette reads the HAR file at path and returns its log with every
// entry's bodies in memory form (see toMemory).
func readCassette(path string) (Log, error) {
	f, err := os.Open(path)
	if err != nil {
		return Log{}, fmt.Errorf("record: %w", err)
	}
	defer f.Close()
	h, err := ReadHAR(f)
	if err != nil {
		return Log{}, fmt.Errorf("%w (%s)", err, path)
	}
	for i := range h.Log.Entries {
		toMemory(&h.Log.Entries[i])
	}
	return h.Log, nil
}

// toMemory turns an entry as read into the form the recorder works on:
// bodies as raw bytes in Text with no Encoding. A body the file does not
// hold (a browser's export without content.text, base64 that does not
// decode) is marked Truncated, so that replaying it fails clearly; a
// form body given as params only gets its text back.
func toMemory(e *Entry) {
	c := &e.Response.Content
	if c.Encoding == "base64" {
		b, err := base64.StdEncoding.DecodeString(c.Text)
		if err != nil {
			c.Text, c.Truncated = "", true
		} else {
			c.Text = string(b)
		}
		c.Encoding = ""
	}
	if c.Text == "" && c.Size > 0 {
		c.Truncated = true
	}
	if p := e.Request.PostData; p != nil {
		if p.Encoding == "base64" {
			b, err := base64.StdEncoding.DecodeString(p.Text)
			if err != nil {
				p.Text, p.Truncated = "", true
			} else {
				p.Text = string(b)
			}
			p.Encoding = ""
		}
		if p.Text == "" && len(p.Params) > 0 {
			p.Text = paramsText(p.Params)
		}
	}
}

// toWire returns e as it is written: a body that is not valid UTF-8 in
// base64. The entry's slices are shared, not copied.
func toWire(e Entry) Entry {
	if c := e.Response.Content; !utf8.ValidString(c.Text) {
		c.Text = base64.StdEncoding.EncodeToString([]byte(c.Text))
		c.Encoding = "base64"
		e.Response.Content = c
	}
	if p := e.Request.PostData; p != nil && !utf8.ValidString(p.Text) {
		q := *p
		q.Text = base64.StdEncoding.EncodeToString([]byte(p.Text))
		q.Encoding = "base64"
		e.Request.PostData = &q
	}
	return e
}
