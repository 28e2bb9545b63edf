package main

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/zstd"
	"golang.org/x/text/encoding/charmap"
)

// What go-httpbin does not serve, the tour serves itself, under /tour/ on the
// plain server.
func registerTourHandlers(mux *http.ServeMux) {
	mux.HandleFunc("GET /tour/items", items)
	mux.HandleFunc("GET /tour/loop", loop)
	mux.HandleFunc("GET /tour/russian", russian(true))
	mux.HandleFunc("GET /tour/russian-undeclared", russian(false))
	mux.HandleFunc("GET /tour/feed.xml", latin1XML)
	mux.HandleFunc("GET /tour/brotli", encoded("br"))
	mux.HandleFunc("GET /tour/zstd", encoded("zstd"))
	mux.HandleFunc("GET /tour/bomb", bomb)
	mux.HandleFunc("POST /tour/upload", upload)
}

// Pagination the way GitHub does it: a Link header with relative next, prev,
// first and last links, three pages of two items.
const lastPage = 3

func items(w http.ResponseWriter, r *http.Request) {
	page, err := strconv.Atoi(r.URL.Query().Get("page"))
	if err != nil || page < 1 || page > lastPage {
		page = 1
	}
	link := func(rel string, p int) string { return fmt.Sprintf(`</tour/items?page=%d>; rel="%s"`, p, rel) }
	var links []string
	if page < lastPage {
		links = append(links, link("next", page+1), link("last", lastPage))
	}
	if page > 1 {
		links = append(links, link("first", 1), link("prev", page-1))
	}
	for _, l := range links {
		w.Header().Add("Link", l)
	}
	writeJSON(w, map[string]any{"page": page, "items": []string{
		fmt.Sprintf("item-%d", 2*page-1), fmt.Sprintf("item-%d", 2*page),
	}})
}

// loop is a broken paginated API whose next link points at itself.
func loop(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Link", `</tour/loop>; rel="next"`)
	writeJSON(w, map[string]any{"items": []string{"again"}})
}

// russianText is served in windows-1251, the legacy Cyrillic code page.
const russianText = "Привет, мир! Съешь же ещё этих мягких французских булок."

func russian(declared bool) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		body, err := charmap.Windows1251.NewEncoder().String(russianText)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		if declared {
			w.Header().Set("Content-Type", "text/plain; charset=windows-1251")
		} else {
			w.Header().Set("Content-Type", "text/plain") // no charset: the classic mistake
		}
		_, _ = io.WriteString(w, body)
	}
}

// latin1Title is served in ISO-8859-1, declared only inside the document.
const latin1Title = "Café crème brûlée"

func latin1XML(w http.ResponseWriter, _ *http.Request) {
	doc := `<?xml version="1.0" encoding="ISO-8859-1"?>` + "\n<feed><title>" + latin1Title + "</title></feed>\n"
	body, err := charmap.ISO8859_1.NewEncoder().String(doc)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/xml")
	_, _ = io.WriteString(w, body)
}

// encoded serves a small JSON document compressed with coding, which
// go-httpbin does not offer (its /brotli is not implemented).
func encoded(coding string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		plain, _ := json.Marshal(map[string]bool{coding: true})
		var body []byte
		switch coding {
		case "br":
			var buf bytes.Buffer
			bw := brotli.NewWriter(&buf)
			_, _ = bw.Write(plain)
			_ = bw.Close()
			body = buf.Bytes()
		case "zstd":
			zw, err := zstd.NewWriter(nil, zstd.WithEncoderConcurrency(1))
			if err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			body = zw.EncodeAll(plain, nil)
			_ = zw.Close()
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Encoding", coding)
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		_, _ = w.Write(body)
	}
}

// bombSize is what /tour/bomb decodes to: 1 MiB of zeros, about 1 KiB on the
// wire.
const bombSize = 1 << 20

func bomb(w http.ResponseWriter, _ *http.Request) {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	_, _ = zw.Write(make([]byte, bombSize))
	_ = zw.Close()
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Encoding", "gzip")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	_, _ = w.Write(buf.Bytes())
}

// uploadReport is what /tour/upload saw of a request body: how it was
// framed on the wire and what arrived.
type uploadReport struct {
	ContentLength    int64    `json:"content_length"`    // -1 when chunked
	TransferEncoding []string `json:"transfer_encoding"` // ["chunked"] or none
	Received         int64    `json:"received"`
	SHA256           string   `json:"sha256"`
	Head             string   `json:"head"` // the first 64 bytes
}

// framing is the request's Transfer-Encoding, "none" when it had none.
func (u uploadReport) framing() string {
	if len(u.TransferEncoding) == 0 {
		return "none"
	}
	return strings.Join(u.TransferEncoding, ", ")
}

func upload(w http.ResponseWriter, r *http.Request) {
	h := sha256.New()
	var head bytes.Buffer
	n, err := io.Copy(io.MultiWriter(h, &limitedWriter{&head, 64}), r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	writeJSON(w, uploadReport{
		ContentLength:    r.ContentLength,
		TransferEncoding: r.TransferEncoding,
		Received:         n,
		SHA256:           hex.EncodeToString(h.Sum(nil)),
		Head:             head.String(),
	})
}

// limitedWriter keeps the first n bytes written to it and drops the rest.
type limitedWriter struct {
	buf *bytes.Buffer
	n   int
}

func (l *limitedWriter) Write(p []byte) (int, error) {
	if room := l.n - l.buf.Len(); room > 0 {
		l.buf.Write(p[:min(room, len(p))])
	}
	return len(p), nil
}

// whoami answers on the mutual-TLS server with the name in the client's
// certificate.
func whoami(w http.ResponseWriter, r *http.Request) {
	if r.TLS == nil || len(r.TLS.PeerCertificates) == 0 {
		http.Error(w, "no client certificate", http.StatusUnauthorized)
		return
	}
	fmt.Fprintf(w, "hello, %s\n", r.TLS.PeerCertificates[0].Subject.CommonName)
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}
