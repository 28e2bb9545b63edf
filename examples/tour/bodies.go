package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"iter"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/relayhttp/relay/client"
)

// bodyContentWorkflow: with Stream the call returns once the headers are in;
// the body is read as the caller goes, and closed when the loop ends.
func bodyContentWorkflow(ctx context.Context, e *env) error {
	s := client.NewSession()
	defer s.CloseIdleConnections()

	r, err := s.Get(ctx, e.url("/bytes/50000?seed=7"), client.Stream())
	if err != nil {
		return err
	}
	e.say("GET /bytes/50000 with client.Stream() → %s, Content-Length %d known before reading a byte", r.Status, r.ContentLength)
	var sizes []int
	total := 0
	for chunk, err := range r.Chunks(16 << 10) {
		if err != nil {
			return err
		}
		sizes = append(sizes, len(chunk))
		total += len(chunk)
	}
	e.say("r.Chunks(16 << 10) yielded chunks of %v bytes, %d in all; the loop closed the body", sizes, total)
	if err := failed(
		status(r, http.StatusOK),
		equal("Content-Length", r.ContentLength, 50000),
		equal("bytes read", total, 50000),
		equal("chunks", len(sizes), 4),
	); err != nil {
		return err
	}

	if r, err = s.Get(ctx, e.url("/stream/3"), client.Stream()); err != nil {
		return err
	}
	var ids []int
	for line, err := range r.Lines() {
		if err != nil {
			return err
		}
		var v struct{ ID int }
		if err := json.Unmarshal(line, &v); err != nil {
			return err
		}
		ids = append(ids, v.ID)
	}
	e.say("GET /stream/3 with Stream(), r.Lines() → 3 JSON lines with ids %v", ids)
	if err := expect(slices.Equal(ids, []int{0, 1, 2}), "ids = %v, want [0 1 2]", ids); err != nil {
		return err
	}

	// Breaking out of the loop closes the body too: the rest is not read.
	if r, err = s.Get(ctx, e.url("/stream-bytes/1000000?chunk_size=1024&seed=1"), client.Stream()); err != nil {
		return err
	}
	first := 0
	for chunk, err := range r.Chunks(4096) {
		if err != nil {
			return err
		}
		first = len(chunk)
		break
	}
	e.say("GET /stream-bytes/1000000 with Stream(), read one %d-byte chunk and broke out of the loop", first)
	_, err = r.Body.Read(make([]byte, 1))
	e.say("reading after the loop: %v", err)
	return expect(err != nil && err != io.EOF, "the body was still open after breaking out of Chunks")
}

// streamingUploads: client.Body streams any reader. A file goes with a
// Content-Length; a reader of unknown length goes chunked.
func streamingUploads(ctx context.Context, e *env) error {
	s := client.NewSession()
	defer s.CloseIdleConnections()

	line := []byte("relay streams uploads without buffering them.\n")
	content := bytes.Repeat(line, 1<<20/len(line)+1)[:1<<20]
	path := filepath.Join(e.dir, "upload.bin")
	if err := os.WriteFile(path, content, 0o600); err != nil {
		return err
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sum := sha256.Sum256(content)

	rep, err := postUpload(ctx, s, e.url("/tour/upload"), client.Body(f))
	if err != nil {
		return err
	}
	e.say("POST /tour/upload with client.Body(*os.File of 1 MiB) → server saw Content-Length %d, Transfer-Encoding %s, %d bytes",
		rep.ContentLength, rep.framing(), rep.Received)
	if err := failed(
		equal("Content-Length", rep.ContentLength, int64(len(content))),
		equal("Transfer-Encoding", rep.framing(), "none"),
		equal("bytes received", rep.Received, int64(len(content))),
		equal("sha256", rep.SHA256, hex.EncodeToString(sum[:])),
	); err != nil {
		return err
	}

	unknown := io.MultiReader(strings.NewReader("part one, "), strings.NewReader("part two"))
	if rep, err = postUpload(ctx, s, e.url("/tour/upload"), client.Body(unknown)); err != nil {
		return err
	}
	e.say("client.Body(io.MultiReader(…)), length unknown → Content-Length %d, Transfer-Encoding %s, body %q",
		rep.ContentLength, rep.framing(), rep.Head)
	return failed(
		equal("Transfer-Encoding", rep.framing(), "chunked"),
		equal("body", rep.Head, "part one, part two"),
	)
}

// postUpload posts to /tour/upload and decodes its report.
func postUpload(ctx context.Context, s *client.Session, url string, opts ...client.Option) (uploadReport, error) {
	var rep uploadReport
	r, err := s.Post(ctx, url, opts...)
	if err != nil {
		return rep, err
	}
	if err := status(r, http.StatusOK); err != nil {
		return rep, err
	}
	return rep, r.JSON(&rep)
}

// chunkedRequests: client.Chunks sends what an iterator yields as it comes,
// the Go analogue of a Requests generator body.
func chunkedRequests(ctx context.Context, e *env) error {
	s := client.NewSession()
	defer s.CloseIdleConnections()

	gen := func(yield func([]byte) bool) {
		for _, part := range []string{"hi", "there"} {
			if !yield([]byte(part)) {
				return
			}
		}
	}
	rep, err := postUpload(ctx, s, e.url("/tour/upload"), client.Chunks(iter.Seq[[]byte](gen)))
	if err != nil {
		return err
	}
	e.say(`client.Chunks(gen) where gen yields "hi", "there" → Transfer-Encoding %s, body %q`, rep.framing(), rep.Head)
	return failed(
		equal("Transfer-Encoding", rep.framing(), "chunked"),
		equal("body", rep.Head, "hithere"),
	)
}

// multipartFiles: several files under one field name, streamed through a
// pipe.
func multipartFiles(ctx context.Context, e *env) error {
	s := client.NewSession()
	defer s.CloseIdleConnections()

	r, err := s.Post(ctx, e.url("/post"), client.Multipart(
		client.FormField("album", "holidays"),
		client.FormFile("images", "foo.png", strings.NewReader("foo image bytes")).ContentType("image/png"),
		client.FormFile("images", "bar.png", strings.NewReader("bar image bytes")).ContentType("image/png"),
	))
	if err != nil {
		return err
	}
	got, err := echo(r)
	if err != nil {
		return err
	}
	ct, _, _ := strings.Cut(r.Request.Header.Get("Content-Type"), ";")
	e.say("POST /post with Multipart(FormField album, FormFile images foo.png, FormFile images bar.png)")
	e.say("sent as %s, Content-Length %d (every file's size was known)", ct, r.Request.ContentLength)
	e.say("httpbin saw form %v and files images=%q", got.Form, got.Files["images"])
	return failed(
		equal("Content-Type", ct, "multipart/form-data"),
		expect(r.Request.ContentLength > 0, "multipart body sent without a Content-Length"),
		equal("album", got.Form.Get("album"), "holidays"),
		equal("images", strings.Join(got.Files["images"], " | "), "foo image bytes | bar image bytes"),
	)
}

// bodySizeCap: whole-body reads stop at a decoded-size cap, so a small
// compressed response cannot fill memory; Stream reads past it on purpose.
func bodySizeCap(ctx context.Context, e *env) error {
	s := client.NewSession()
	defer s.CloseIdleConnections()
	e.say("a new Session caps whole-body reads at client.DefaultMaxBodySize = %d MiB", client.DefaultMaxBodySize>>20)

	_, err := s.Get(ctx, e.url("/bytes/4096"), client.MaxBodySize(1024))
	e.say("GET /bytes/4096 with client.MaxBodySize(1024) →")
	e.say("  %v", err)
	if err := expect(errors.Is(err, client.ErrBodyTooLarge), "want ErrBodyTooLarge, got %v", err); err != nil {
		return err
	}

	s.MaxBodySize = 64 << 10
	_, err = s.Get(ctx, e.url("/tour/bomb"))
	e.say("s.MaxBodySize = 64 KiB; GET /tour/bomb (about 1 KiB of gzip, 1 MiB decoded) → errors.Is(err, client.ErrBodyTooLarge) = %t",
		errors.Is(err, client.ErrBodyTooLarge))
	if err := expect(errors.Is(err, client.ErrBodyTooLarge), "want ErrBodyTooLarge, got %v", err); err != nil {
		return err
	}

	r, err := s.Get(ctx, e.url("/tour/bomb"), client.Stream())
	if err != nil {
		return err
	}
	total := 0
	for chunk, err := range r.Chunks(64 << 10) {
		if err != nil {
			return err
		}
		total += len(chunk)
	}
	e.say("the same with client.Stream() and r.Chunks → read all %d decoded bytes, 64 KiB at a time", total)
	return equal("decoded bytes", total, bombSize)
}
