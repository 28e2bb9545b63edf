package main

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/relayhttp/relay/charset"
	"github.com/relayhttp/relay/client"
)

// encodings: r.Text() decodes the body with r.Encoding, which relay works out
// from the headers and the body unless you set it first.
func encodings(ctx context.Context, e *env) error {
	s := client.NewSession()
	defer s.CloseIdleConnections()

	r, text, err := getText(ctx, s, e.url("/tour/russian"))
	if err != nil {
		return err
	}
	e.say("GET /tour/russian (Content-Type: %s) → r.Encoding %s, r.Text() %q", r.Header.Get("Content-Type"), r.Encoding, short(text))
	if err := failed(equal("Encoding", r.Encoding, "windows-1251"), equal("Text", text, russianText)); err != nil {
		return err
	}

	// The same bytes without a charset: like Requests, relay applies the
	// ISO-8859-1 default of text/* (as windows-1252, its WHATWG superset),
	// and the text comes out garbled until you say what it is.
	if r, text, err = getText(ctx, s, e.url("/tour/russian-undeclared")); err != nil {
		return err
	}
	e.say("GET /tour/russian-undeclared (Content-Type: %s) → r.Encoding %s, r.Text() %q", r.Header.Get("Content-Type"), r.Encoding, short(text))
	if err := failed(equal("Encoding", r.Encoding, "windows-1252"), expect(text != russianText, "undeclared windows-1251 decoded right by chance")); err != nil {
		return err
	}
	r.Encoding = "windows-1251"
	if text, err = r.Text(); err != nil {
		return err
	}
	e.say(`r.Encoding = "windows-1251"; r.Text() → %q`, short(text))
	if err := equal("Text after setting Encoding", text, russianText); err != nil {
		return err
	}

	if r, text, err = getText(ctx, s, e.url("/tour/feed.xml")); err != nil {
		return err
	}
	body, _ := r.Bytes()
	det := charset.Determine(r.Header.Get("Content-Type"), body)
	e.say(`GET /tour/feed.xml (Content-Type: %s, <?xml … encoding="ISO-8859-1"?>) → r.Encoding %s, found by the %s step`,
		r.Header.Get("Content-Type"), r.Encoding, det.Source)
	_, title, _ := strings.Cut(text, "<title>")
	title, _, _ = strings.Cut(title, "</title>")
	e.say("r.Text() → the title reads %q", title)
	if err := failed(
		equal("Encoding", r.Encoding, "windows-1252"),
		equal("source", det.Source, charset.Prescan),
		equal("title", title, latin1Title),
	); err != nil {
		return err
	}

	// A streamed body can be decoded as it arrives: Decode, then Lines.
	if r, err = s.Get(ctx, e.url("/tour/russian"), client.Stream()); err != nil {
		return err
	}
	r.Decode()
	var lines []string
	for line, err := range r.Lines() {
		if err != nil {
			return err
		}
		lines = append(lines, string(line))
	}
	e.say("GET /tour/russian with Stream(); r.Decode(); r.Lines() → %d line of UTF-8: %q", len(lines), short(strings.Join(lines, "")))
	return equal("decoded lines", strings.Join(lines, "\n"), russianText)
}

// getText fetches url and decodes its body.
func getText(ctx context.Context, s *client.Session, url string) (*client.Response, string, error) {
	r, err := s.Get(ctx, url)
	if err != nil {
		return nil, "", err
	}
	if err := status(r, http.StatusOK); err != nil {
		return nil, "", err
	}
	text, err := r.Text()
	return r, text, err
}

// short returns the first words of s, for printing.
func short(s string) string {
	if runes := []rune(s); len(runes) > 24 {
		return string(runes[:24]) + "…"
	}
	return s
}

// decompression: gzip, deflate, br and zstd bodies arrive decoded; Raw asks
// for the bytes as they came off the wire.
func decompression(ctx context.Context, e *env) error {
	s := client.NewSession()
	defer s.CloseIdleConnections()
	e.say("every request says Accept-Encoding: %s", s.Headers.Get("Accept-Encoding"))

	for _, c := range []struct{ path, field string }{
		{"/gzip", "gzipped"},
		{"/deflate", "deflated"},
		{"/tour/brotli", "br"},
		{"/tour/zstd", "zstd"},
	} {
		r, err := s.Get(ctx, e.url(c.path))
		if err != nil {
			return err
		}
		var got map[string]any
		if err := failed(status(r, http.StatusOK), r.JSON(&got)); err != nil {
			return err
		}
		e.say("GET %-13s → decoded JSON has %s=%v; r.Uncompressed=%t, Content-Encoding now %q",
			c.path, c.field, got[c.field], r.Uncompressed, r.Header.Get("Content-Encoding"))
		if err := failed(
			equal(c.path+" "+c.field, got[c.field], any(true)),
			equal(c.path+" Uncompressed", r.Uncompressed, true),
			equal(c.path+" Content-Encoding", r.Header.Get("Content-Encoding"), ""),
		); err != nil {
			return err
		}
	}

	r, err := s.Get(ctx, e.url("/gzip"), client.Raw())
	if err != nil {
		return err
	}
	raw, err := r.Bytes()
	if err != nil {
		return err
	}
	magic := fmt.Sprintf("% x", raw[:min(2, len(raw))])
	e.say("GET /gzip with client.Raw() → Content-Encoding %s, body starts %s (the gzip magic number)", r.Header.Get("Content-Encoding"), magic)
	return failed(
		equal("raw Content-Encoding", r.Header.Get("Content-Encoding"), "gzip"),
		equal("raw magic", magic, "1f 8b"),
	)
}
