package client

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/textproto"
	"path/filepath"
	"strings"
	"sync"
)

// Part is one part of a multipart/form-data body: a field or a file.
type Part struct {
	name, filename, contentType string
	value                       string    // a field's value
	r                           io.Reader // a file's content
	isFile                      bool
}

// FormField is a plain form field.
func FormField(name, value string) Part {
	return Part{name: name, value: value}
}

// FormFile is a file field: its content is streamed from r when the body is
// sent, never buffered. The part's Content-Type comes from the file name's
// extension, application/octet-stream when it has none known; ContentType
// sets another. As with Body, relay does not close r.
func FormFile(field, filename string, r io.Reader) Part {
	return Part{name: field, filename: filename, r: r, isFile: true}
}

// ContentType returns a copy of p whose part header says contentType.
func (p Part) ContentType(contentType string) Part {
	p.contentType = contentType
	return p
}

// header builds the MIME header of the part, escaping quotes as
// multipart.Writer.CreateFormFile does.
func (p Part) header() textproto.MIMEHeader {
	h := make(textproto.MIMEHeader, 2)
	disp := `form-data; name="` + escapeQuotes(p.name) + `"`
	if p.isFile {
		disp += `; filename="` + escapeQuotes(p.filename) + `"`
		ct := p.contentType
		if ct == "" {
			ct = mime.TypeByExtension(filepath.Ext(p.filename))
		}
		if ct == "" {
			ct = "application/octet-stream"
		}
		h.Set("Content-Type", ct)
	} else if p.contentType != "" {
		h.Set("Content-Type", p.contentType)
	}
	h.Set("Content-Disposition", disp)
	return h
}

var quoteEscaper = strings.NewReplacer("\\", "\\\\", `"`, "\\\"", "\r", "%0D", "\n", "%0A")

func escapeQuotes(s string) string { return quoteEscaper.Replace(s) }

// Multipart sends parts as multipart/form-data, streamed through a pipe: a
// 1 GiB file is never held in memory. When every file's size is known (the
// readers Body accepts as replayable) the body has a Content-Length and can
// be replayed; otherwise it is sent chunked, once.
func Multipart(parts ...Part) Option {
	parts = append([]Part(nil), parts...)
	return optionFunc(func(c *requestConfig) {
		spec, err := multipartBody(parts)
		if err != nil {
			c.fail(err)
			return
		}
		c.body = spec
	})
}

func multipartBody(parts []Part) (*bodySpec, error) {
	boundary := multipart.NewWriter(io.Discard).Boundary()
	sources := make([]*bodySpec, len(parts))
	known := true
	for i, p := range parts {
		if !p.isFile {
			continue
		}
		s, err := readerBody(p.r)
		if err != nil {
			return nil, err
		}
		if s == nil {
			s = bytesBody(nil, "")
		}
		sources[i] = s
		known = known && s.getBody != nil
	}
	open := func(first bool) (io.ReadCloser, error) {
		readers := make([]io.Reader, len(parts))
		for i, s := range sources {
			if s == nil {
				continue
			}
			if first {
				readers[i] = s.body
				continue
			}
			rc, err := s.getBody()
			if err != nil {
				return nil, err
			}
			readers[i] = rc
		}
		return &pipeBody{write: func(w io.Writer) error { return writeMultipart(w, boundary, parts, readers) }}, nil
	}
	body, _ := open(true)
	spec := &bodySpec{body: body, length: -1, contentType: "multipart/form-data; boundary=" + boundary}
	if known {
		n, err := multipartLength(boundary, parts, sources)
		if err != nil {
			return nil, err
		}
		spec.length = n
		spec.getBody = func() (io.ReadCloser, error) { return open(false) }
	}
	return spec, nil
}

// writeMultipart writes the whole multipart body to w.
func writeMultipart(w io.Writer, boundary string, parts []Part, files []io.Reader) error {
	mw := multipart.NewWriter(w)
	if err := mw.SetBoundary(boundary); err != nil {
		return err
	}
	for i, p := range parts {
		pw, err := mw.CreatePart(p.header())
		if err != nil {
			return err
		}
		if p.isFile {
			_, err = io.Copy(pw, files[i])
		} else {
			_, err = io.WriteString(pw, p.value)
		}
		if err != nil {
			return fmt.Errorf("client: multipart part %q: %w", p.name, err)
		}
	}
	return mw.Close()
}

// multipartLength computes the exact size of the body: the framing written
// once with empty files, plus each file's length.
func multipartLength(boundary string, parts []Part, sources []*bodySpec) (int64, error) {
	var frame bytes.Buffer
	empty := make([]io.Reader, len(parts))
	var files int64
	for i, s := range sources {
		if s != nil {
			empty[i] = strings.NewReader("")
			files += s.length
		}
	}
	if err := writeMultipart(&frame, boundary, parts, empty); err != nil {
		return 0, err
	}
	return int64(frame.Len()) + files, nil
}

// pipeBody runs write in a goroutine on the first Read and hands its output
// through an io.Pipe. Closing it stops the writer: its next write fails.
type pipeBody struct {
	write func(io.Writer) error
	mu    sync.Mutex
	pr    *io.PipeReader
	done  bool
}

func (b *pipeBody) start() *io.PipeReader {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.pr == nil && !b.done {
		pr, pw := io.Pipe()
		b.pr = pr
		go func() { pw.CloseWithError(b.write(pw)) }()
	}
	return b.pr
}

func (b *pipeBody) Read(p []byte) (int, error) {
	pr := b.start()
	if pr == nil {
		return 0, io.ErrClosedPipe
	}
	return pr.Read(p)
}

func (b *pipeBody) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.done = true
	if b.pr != nil {
		return b.pr.Close()
	}
	return nil
}
