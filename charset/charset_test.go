package charset

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
)

type determineCase struct {
	contentType string
	content     string
	opt         *Options
	want        Result
}

func (c determineCase) String() string {
	return fmt.Sprintf("Determine(%q, %.40q, %+v)", c.contentType, c.content, c.opt)
}

func TestDetermine(t *testing.T) {
	modern := &Options{ModernTextDefault: true}
	cases := []determineCase{
		// Byte order marks win over everything.
		{"text/html; charset=iso-8859-2", "\xEF\xBB\xBFhi", nil, Result{"utf-8", BOM, 1}},
		{"application/json", "\xFF\xFEh\x00", nil, Result{"utf-16le", BOM, 1}},
		{"", "\xFE\xFF\x00h", nil, Result{"utf-16be", BOM, 1}},
		// The charset parameter, with WHATWG labels.
		{"text/html; charset=ISO-8859-2", "<meta charset=utf-8>", nil, Result{"iso-8859-2", Header, 1}},
		{`text/plain;charset="Shift_JIS"`, "", nil, Result{"shift_jis", Header, 1}},
		{"text/plain; charset=latin1", "", nil, Result{"windows-1252", Header, 1}},
		{"application/json; charset=utf-8", "", nil, Result{"utf-8", Header, 1}},
		{"text/html; charset=gb2312", "", nil, Result{"gbk", Header, 1}},
		{"text/html; charset=iso-2022-kr", "", nil, Result{"replacement", Header, 1}},
		// An unknown label decodes as UTF-8, as Requests does; a label that
		// WHATWG lacks but Python and IANA know is not unknown.
		{"text/html; charset=x-unknown", "\xe9", nil, Result{"utf-8", UnknownLabel, 0}},
		{"text/html; charset=x-unknown", "", modern, Result{"utf-8", UnknownLabel, 0}},
		{"application/octet-stream; charset=x-no-such-charset", "\xcf\xf0\xe8\xe2\xe5\xf2", nil, Result{"utf-8", UnknownLabel, 0}},
		{`text/plain; charset=""`, "", nil, Result{"utf-8", UnknownLabel, 0}},
		{"text/plain; charset=x-unknown", "\xEF\xBB\xBFhi", nil, Result{"utf-8", BOM, 1}},
		{"text/html; charset=x-unknown", `<meta charset="koi8-r">`, nil, Result{"utf-8", UnknownLabel, 0}},
		{"text/plain; charset=latin_1", "", nil, Result{"windows-1252", Header, 1}},
		{"text/plain; charset=cp932", "", nil, Result{"shift_jis", Header, 1}},
		{"text/plain; charset=IBM037", "", nil, Result{"ibm037", Header, 1}},
		{"TEXT/HTML ; Charset = utf-8", "", nil, Result{"windows-1252", MediaTypeDefault, 1}}, // spaces around '=' are not allowed
		{"text/html;CHARSET=UTF-8", "", nil, Result{"utf-8", Header, 1}},
		{"text/html; charset=koi8-r; charset=utf-8", "", nil, Result{"koi8-r", Header, 1}},
		// Fetch's handling of several values.
		{"text/html; charset=koi8-r, text/html", "", nil, Result{"koi8-r", Header, 1}},
		{"text/html; charset=koi8-r, text/plain", "", nil, Result{"windows-1252", MediaTypeDefault, 1}},
		{"text/html; charset=koi8-r, */*", "", nil, Result{"koi8-r", Header, 1}},
		{`text/html; charset="a,b", text/html`, "", modern, Result{"utf-8", UnknownLabel, 0}},
		// Media type defaults.
		{"application/json", "\xe9t\xe9", nil, Result{"utf-8", MediaTypeDefault, 1}},
		{"application/vnd.api+json", "", nil, Result{"utf-8", MediaTypeDefault, 1}},
		{"text/html", "caf\xc3\xa9", nil, Result{"windows-1252", MediaTypeDefault, 1}},
		// XML without a declaration is UTF-8 (XML 1.0 §4.3.3, RFC 7303 §3.2),
		// text/xml too, where Requests applies the text/* default; so are
		// event streams (HTML §9.2.5).
		{"text/xml", "<a>caf\xc3\xa9</a>", nil, Result{"utf-8", MediaTypeDefault, 1}},
		{"text/xml", "<a>caf\xc3\xa9</a>", modern, Result{"utf-8", MediaTypeDefault, 1}},
		{"application/xml", "<a>\xcf\xf0\xe8\xe2\xe5\xf2</a>", nil, Result{"utf-8", MediaTypeDefault, 1}},
		{"image/svg+xml", "<svg/>", nil, Result{"utf-8", MediaTypeDefault, 1}},
		{"text/event-stream", "data: caf\xc3\xa9\n\n", nil, Result{"utf-8", MediaTypeDefault, 1}},
		{"text/event-stream; charset=koi8-r", "data: \xf0\n\n", nil, Result{"koi8-r", Header, 1}},
		{"text/plain", "plain ascii", modern, Result{"utf-8", Default, 0}},
		// The prescan of HTML and XML types comes before the text/* default.
		{"text/html", `<meta charset="utf-8">`, nil, Result{"utf-8", Prescan, 1}},
		{"text/html", `<meta charset="koi8-r">`, modern, Result{"koi8-r", Prescan, 1}},
		{"text/html", `<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">`, nil, Result{"windows-1251", Prescan, 1}},
		{"text/html", `<?xml version="1.0" encoding="euc-jp"?><html>`, nil, Result{"euc-jp", Prescan, 1}},
		{"text/html; charset=iso-8859-2", `<meta charset="koi8-r">`, nil, Result{"iso-8859-2", Header, 1}},
		{"text/xml", `<?xml version="1.0" encoding="Shift_JIS"?><a/>`, nil, Result{"shift_jis", Prescan, 1}},
		{"application/atom+xml", `<?xml version="1.0" encoding="windows-1251"?><feed/>`, nil, Result{"windows-1251", Prescan, 1}},
		{"image/svg+xml", `<?xml version="1.0" encoding="iso-8859-2"?><svg/>`, nil, Result{"iso-8859-2", Prescan, 1}},
		// An XML type honours the XML declaration only, then its UTF-8
		// default; other types, the text/* default or the guess, not <meta>.
		{"text/xml", `<a><meta charset="koi8-r"/></a>`, nil, Result{"utf-8", MediaTypeDefault, 1}},
		{"application/xml", `<a><meta charset="koi8-r"/></a>`, nil, Result{"utf-8", MediaTypeDefault, 1}},
		{"text/plain", `<meta charset="koi8-r">`, nil, Result{"windows-1252", MediaTypeDefault, 1}},
		{"text/plain", `<meta charset="koi8-r">`, modern, Result{"utf-8", Default, 0}},
		{"application/json", `<?xml version="1.0" encoding="Shift_JIS"?>`, nil, Result{"utf-8", MediaTypeDefault, 1}},
		{"application/octet-stream", `<meta charset="koi8-r">`, nil, Result{"utf-8", Default, 0}},
		// The prescan, for HTML and when there is no usable Content-Type.
		{"text/html", strings.Repeat(" ", 1024) + `<meta charset="koi8-r">`, nil, Result{"windows-1252", MediaTypeDefault, 1}},
		{"text/html", `<meta charset="koi8-r">`, &Options{PrescanBytes: -1}, Result{"windows-1252", MediaTypeDefault, 1}},
		{"no slash", `<meta charset="koi8-r">`, nil, Result{"koi8-r", Prescan, 1}},
		{"", `<!doctype html><html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1251">`, nil, Result{"windows-1251", Prescan, 1}},
		{"", `<meta content="text/html; charset=windows-1251">`, nil, Result{"utf-8", Default, 0}},
		{"", `<meta charset=utf-16le>`, nil, Result{"utf-8", Prescan, 1}},
		{"", `<meta charset=x-user-defined>`, nil, Result{"windows-1252", Prescan, 1}},
		{"", `<!-- <meta charset=koi8-r> --><meta charset="euc-jp">`, nil, Result{"euc-jp", Prescan, 1}},
		{"", `<a title="<meta charset=koi8-r>"><meta charset='big5'>`, nil, Result{"big5", Prescan, 1}},
		{"application/xml", `<?xml version="1.0" encoding="ISO-8859-7"?><a/>`, nil, Result{"iso-8859-7", Prescan, 1}},
		{"", `<?xml version='1.0' encoding='utf-16'?>`, nil, Result{"utf-8", Prescan, 1}},
		{"", strings.Repeat(" ", 1024) + `<meta charset="koi8-r">`, nil, Result{"utf-8", Default, 0}},
		{"", strings.Repeat(" ", 1024) + `<meta charset="koi8-r">`, &Options{PrescanBytes: 2048}, Result{"koi8-r", Prescan, 1}},
		// The guess and the default.
		{"", "", nil, Result{"utf-8", Default, 0}},
		{"", "caf\xc3\xa9", nil, Result{"utf-8", Guess, 1}},
		{"", "caf\xc3\xa9", &Options{NoGuess: true}, Result{"utf-8", Default, 0}},
	}
	for _, c := range cases {
		got := c.opt.Determine(c.contentType, []byte(c.content))
		if diff := cmp.Diff(c.want, got); diff != "" {
			t.Errorf("%v mismatch (-want +got):\n%s", c, diff)
		}
	}
}

func TestDetermineBoundedPrefix(t *testing.T) {
	// A body that is ASCII for longer than the sample and then invalid:
	// Determine must not look past the sample.
	body := append(bytes.Repeat([]byte("a"), DefaultSampleBytes), 0xff)
	if got := Determine("", body); got.Source != Default {
		t.Errorf("Determine looked past the sample: %+v", got)
	}
	// A multi-byte character cut by the end of the sample is not an error.
	body = append(bytes.Repeat([]byte("a"), DefaultSampleBytes-1), "éé"...)
	if got := Determine("", body); got.Name != "utf-8" || got.Source != Guess {
		t.Errorf("Determine with a rune cut at the sample end = %+v, want utf-8 guess", got)
	}
}

func TestDecode(t *testing.T) {
	cases := []struct {
		name, content, want string
	}{
		{"utf-8", "caf\xc3\xa9", "café"},
		{"utf-8", "\xEF\xBB\xBFcaf\xc3\xa9", "café"},
		{"utf-8", "a\xffb", "a\uFFFDb"},
		{"UTF8", "a", "a"},
		{"", "\xEF\xBB\xBFa\xff", "a\uFFFD"},
		{"no-such-charset", "caf\xc3\xa9\xe9", "café\uFFFD"},
		{"windows-1252", "caf\xe9 \x80", "café €"},
		{"iso-8859-1", "\x93q\x94", "“q”"},
		{"latin_1", "\xe9", "é"},
		{"cp1251", "\xcf\xf0\xe8\xe2\xe5\xf2", "Привет"},
		{"koi8-r", "\xf0\xd2\xc9\xd7\xc5\xd4", "Привет"},
		{"shift_jis", "\x93\xfa\x96\x7b", "日本"},
		{"cp932", "\x93\xfa\x96\x7b", "日本"},
		{"utf-16le", "\xFF\xFEh\x00i\x00", "hi"},
		{"utf-16be", "\x00h\x00i", "hi"},
		{"utf-16be", "\xFE\xFF\x00h\x00i", "hi"},
		{"iso-2022-kr", "abc", "\uFFFD"},
		{"windows-1252", "\xEF\xBB\xBF", "ï»¿"},
		{"us", "\x80", "€"}, // an IANA alias of US-ASCII, which WHATWG reads as windows-1252
	}
	for _, c := range cases {
		if got := Decode([]byte(c.content), c.name); got != c.want {
			t.Errorf("Decode(%q, %q) = %q, want %q", c.content, c.name, got, c.want)
		}
		r := NewReader(iotest.OneByteReader(strings.NewReader(c.content)), c.name)
		got, err := io.ReadAll(r)
		if err != nil {
			t.Errorf("NewReader(%q, %q): %v", c.content, c.name, err)
		}
		if string(got) != c.want {
			t.Errorf("NewReader(%q, %q) read %q, want %q", c.content, c.name, got, c.want)
		}
	}
}

func TestNewReaderPassesErrors(t *testing.T) {
	r := NewReader(iotest.ErrReader(io.ErrClosedPipe), "koi8-r")
	if _, err := io.ReadAll(r); err != io.ErrClosedPipe {
		t.Errorf("NewReader over a failing reader: err = %v, want %v", err, io.ErrClosedPipe)
	}
}

func TestSourceString(t *testing.T) {
	var got []string
	for s := Default; s <= UnknownLabel+1; s++ {
		got = append(got, s.String())
	}
	want := []string{"default", "bom", "header", "media-type-default", "prescan", "guess", "unknown-label", "unknown"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Source.String mismatch (-want +got):\n%s", diff)
	}
}

func TestDecodeSingleByteMatchesXText(t *testing.T) {
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	for _, name := range []string{"windows-1250", "windows-1251", "windows-1252", "windows-1253", "windows-1254",
		"windows-1255", "windows-1256", "windows-1257", "windows-1258", "iso-8859-2", "iso-8859-5", "iso-8859-7",
		"iso-8859-8", "koi8-r", "koi8-u", "ibm866", "macintosh", "x-mac-cyrillic", "windows-874"} {
		want, err := lookup(name).NewDecoder().Bytes(all)
		if err != nil {
			t.Fatal(err)
		}
		if got := Decode(all, name); got != string(want) {
			t.Errorf("Decode(all bytes, %q) differs from golang.org/x/text:\n%s", name, cmp.Diff(string(want), got))
		}
	}
}
