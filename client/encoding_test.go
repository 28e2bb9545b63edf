package client_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/relayhttp/relay/charset"
	"github.com/relayhttp/relay/client"
)

// Real bytes served by the encoding tests.
var (
	// "Привет, мир" in windows-1251, in a page that declares it only in a
	// <meta> element.
	cyrillicMeta = []byte("<!doctype html><html><head><meta charset=\"windows-1251\"><title>\xcf\xf0\xe8\xe2\xe5\xf2</title></head>" +
		"<body><p>\xcf\xf0\xe8\xe2\xe5\xf2, \xec\xe8\xf0</p></body></html>")
	cyrillicMetaText = `<!doctype html><html><head><meta charset="windows-1251"><title>Привет</title></head>` +
		"<body><p>Привет, мир</p></body></html>"
	// The same page declaring it the pre-HTML5 way.
	cyrillicPragma = []byte("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1251\">" +
		"</head><body>\xcf\xf0\xe8\xe2\xe5\xf2</body></html>")
	// "東京" in Shift_JIS, in an XML document with only its declaration.
	shiftJISXML     = []byte("<?xml version=\"1.0\" encoding=\"Shift_JIS\"?>\n<city>\x93\x8c\x8b\x9e</city>\n")
	shiftJISXMLText = "<?xml version=\"1.0\" encoding=\"Shift_JIS\"?>\n<city>東京</city>\n"
	// The start of a PNG file: its signature and header chunk.
	pngStart = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\xe9\xa0")
)

// serveBytes starts a loopback server that answers every request with body
// and, when contentType is not "", that Content-Type.
func serveBytes(t *testing.T, contentType string, body []byte) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if contentType != "" {
			w.Header().Set("Content-Type", contentType)
		} else {
			w.Header()["Content-Type"] = nil // no sniffing by net/http
		}
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestEncodingIsSetOnArrival checks that a response read up front says,
// before anything else is called, which encoding Text will use, and that
// Text uses it: the in-body declarations of HTML and XML come before the
// text/* default, and an unknown label means UTF-8 as in Requests.
func TestEncodingIsSetOnArrival(t *testing.T) {
	cases := []struct {
		name, contentType string
		body              []byte
		wantEncoding      string
		wantText          string
	}{
		{"meta charset", "text/html", cyrillicMeta, "windows-1251", cyrillicMetaText},
		{"meta http-equiv", "text/html", cyrillicPragma, "windows-1251",
			`<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1251"></head><body>Привет</body></html>`},
		{"xml declaration, text/xml", "text/xml", shiftJISXML, "shift_jis", shiftJISXMLText},
		{"xml declaration, application/xml", "application/xml", shiftJISXML, "shift_jis", shiftJISXMLText},
		{"unknown label", "text/plain; charset=x-no-such-charset", []byte("caf\xc3\xa9 \xff\xfe"), "utf-8", "café \uFFFD\uFFFD"},
		{"header beats meta", "text/html; charset=koi8-r", []byte("<meta charset=windows-1251>\xf0\xd2\xc9\xd7\xc5\xd4"), "koi8-r", "<meta charset=windows-1251>Привет"},
		{"text/* default", "text/plain", []byte("caf\xe9 \x80"), "windows-1252", "café €"},
		{"json default", "application/json", []byte("\"caf\xc3\xa9\""), "utf-8", `"café"`},
		{"guess", "application/octet-stream", []byte("\xcf\xf0\xe8\xe2\xe5\xf2, \xec\xe8\xf0"), "windows-1251", "Привет, мир"},
		{"no content type", "", cyrillicMeta, "windows-1251", cyrillicMetaText},
		// Binary bytes have no encoding to guess: UTF-8, as Requests decodes
		// them when charset_normalizer finds nothing.
		{"binary", "image/png", pngStart, "utf-8", "\uFFFDPNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\uFFFD"},
	}
	s := newSession(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := mustDo(t, s, "GET", serveBytes(t, c.contentType, c.body).URL)
			if r.Encoding != c.wantEncoding {
				t.Errorf("Encoding on arrival = %q, want %q", r.Encoding, c.wantEncoding)
			}
			got, err := r.Text()
			if err != nil || got != c.wantText {
				t.Errorf("Text() = %q, %v; want %q", got, err, c.wantText)
			}
			if r.Encoding != c.wantEncoding {
				t.Errorf("Encoding after Text = %q, want %q", r.Encoding, c.wantEncoding)
			}
		})
	}
}

// TestEncodingSetByTheUserWins checks that Text uses an Encoding the user
// sets, and that setting "" gives back the determined one.
func TestEncodingSetByTheUserWins(t *testing.T) {
	srv := serveBytes(t, "text/html", cyrillicMeta)
	s := newSession(t)
	for _, stream := range []bool{false, true} {
		var opts []client.Option
		if stream {
			opts = append(opts, client.Stream())
		}
		r := mustDo(t, s, "GET", srv.URL, opts...)
		r.Encoding = "koi8-r"
		got, _ := r.Text()
		if want := charset.Decode(cyrillicMeta, "koi8-r"); got != want {
			t.Errorf("stream=%v: Text() with Encoding koi8-r = %q, want %q", stream, got, want)
		}
		r.Encoding = ""
		if got, _ := r.Text(); got != cyrillicMetaText || r.Encoding != "windows-1251" {
			t.Errorf("stream=%v: Text() with Encoding reset = %q, Encoding %q", stream, got, r.Encoding)
		}
	}
}

// TestEncodingOfAStreamedResponse checks what Encoding says for a response
// whose body has not been read: nothing yet, until Text, Bytes, JSON or
// Decode determines it from the body.
func TestEncodingOfAStreamedResponse(t *testing.T) {
	srv := serveBytes(t, "text/html", cyrillicMeta)
	s := newSession(t)

	r := mustDo(t, s, "GET", srv.URL, client.Stream())
	if r.Encoding != "" {
		t.Errorf("streamed: Encoding on arrival = %q, want \"\"", r.Encoding)
	}
	if got, _ := r.Text(); got != cyrillicMetaText || r.Encoding != "windows-1251" {
		t.Errorf("streamed: Text() = %q with Encoding %q", got, r.Encoding)
	}

	r = mustDo(t, s, "GET", srv.URL, client.Stream())
	if _, err := r.Bytes(); err != nil || r.Encoding != "windows-1251" {
		t.Errorf("streamed: Encoding after Bytes = %q (%v)", r.Encoding, err)
	}

	// Decode determines it from the first bytes; Text then returns the text
	// Decode decoded, not decoded twice.
	r = mustDo(t, s, "GET", srv.URL, client.Stream())
	r.Decode()
	if r.Encoding != "windows-1251" {
		t.Errorf("streamed: Encoding after Decode = %q", r.Encoding)
	}
	if got, _ := r.Text(); got != cyrillicMetaText {
		t.Errorf("streamed: Text() after Decode = %q, want %q", got, cyrillicMetaText)
	}
	r.Decode() // a second call changes nothing
	if got, _ := r.Text(); got != cyrillicMetaText {
		t.Errorf("streamed: Text() after a second Decode = %q", got)
	}
}

// TestDecodeSampleBoundary checks that a streamed UTF-8 body with a
// character cut by the end of the guess's sample is still UTF-8.
func TestDecodeSampleBoundary(t *testing.T) {
	body := append(bytes.Repeat([]byte("a"), charset.DefaultSampleBytes-1), "ééé"...)
	srv := serveBytes(t, "application/octet-stream", body)
	s := newSession(t)
	r := mustDo(t, s, "GET", srv.URL, client.Stream())
	r.Decode()
	got, err := io.ReadAll(r.Body)
	r.Body.Close()
	if err != nil || r.Encoding != "utf-8" || !bytes.Equal(got, body) {
		t.Errorf("Decode chose %q and read %q…, %v; want utf-8 and the body as it is", r.Encoding, got[max(0, len(got)-8):], err)
	}
}

// TestDecodeDoesNotWaitForTheWholeSample checks that Decode on a live
// event stream answers from the first bytes: its media type says UTF-8
// (HTML §9.2.5).
func TestDecodeDoesNotWaitForTheWholeSample(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		io.WriteString(w, "data: caf\xc3\xa9\n\n")
		w.(http.Flusher).Flush()
		<-release
	}))
	t.Cleanup(srv.Close)
	defer close(release)
	s := newSession(t)
	r := mustDo(t, s, "GET", srv.URL, client.Stream())
	defer r.Body.Close()
	r.Decode() // would block until release if it waited for 64 KiB
	for line, err := range r.Lines() {
		if err != nil || string(line) != "data: café" {
			t.Errorf("first line %q, %v", line, err)
		}
		break
	}
	if r.Encoding != "utf-8" {
		t.Errorf("Encoding = %q, want utf-8", r.Encoding)
	}
}
