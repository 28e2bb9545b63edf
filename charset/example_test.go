package charset_test

import (
	"bufio"
	"fmt"
	"strings"

	"github.com/relayhttp/relay/charset"
)

func ExampleDetermine() {
	// An HTML page whose Content-Type names no charset: its <meta> decides.
	body := []byte("<html><head><meta charset=\"koi8-r\"></head><body>\xf0\xd2\xc9\xd7\xc5\xd4</body></html>")
	r := charset.Determine("text/html", body)
	fmt.Println(r.Name, r.Source, r.Confidence)
	fmt.Println(charset.Decode(body, r.Name))

	// Plain text has no <meta>: the ISO-8859-1 default of text/* applies,
	// unless ModernTextDefault drops it, as browsers and RFC 7231 do.
	text := []byte("\xf0\xd2\xc9\xd7\xc5\xd4, \xcd\xc9\xd2!")
	r = charset.Determine("text/plain", text)
	fmt.Println(r.Name, r.Source)
	modern := &charset.Options{ModernTextDefault: true}
	r = modern.Determine("text/plain", text)
	fmt.Println(r.Name, r.Source, charset.Decode(text, r.Name))
	// Output:
	// koi8-r prescan 1
	// <html><head><meta charset="koi8-r"></head><body>Привет</body></html>
	// windows-1252 media-type-default
	// koi8-r guess Привет, мир!
}

func ExampleDetermine_xml() {
	// An XML document whose declaration is all that names its encoding.
	body := []byte("<?xml version=\"1.0\" encoding=\"Shift_JIS\"?><city>\x93\x8c\x8b\x9e</city>")
	r := charset.Determine("text/xml", body)
	fmt.Println(r.Name, r.Source)
	fmt.Println(charset.Decode(body, r.Name))
	// Output:
	// shift_jis prescan
	// <?xml version="1.0" encoding="Shift_JIS"?><city>東京</city>
}

func ExampleDetermine_unknownLabel() {
	// A charset nobody knows: UTF-8, with U+FFFD for what is not UTF-8, as
	// Requests decodes it.
	body := []byte("caf\xc3\xa9 \xff")
	r := charset.Determine("text/plain; charset=x-no-such-charset", body)
	fmt.Println(r.Name, r.Source, r.Confidence)
	fmt.Printf("%+q\n", charset.Decode(body, r.Name))
	// Output:
	// utf-8 unknown-label 0
	// "caf\u00e9 \ufffd"
}

func ExampleDetermine_header() {
	r := charset.Determine(`text/plain; charset="Shift_JIS"`, nil)
	fmt.Println(r.Name, r.Source)
	// Output: shift_jis header
}

func ExampleDecode() {
	fmt.Println(charset.Decode([]byte("caf\xe9 \x80"), "windows-1252"))
	// Unknown names decode as UTF-8; invalid bytes become U+FFFD.
	fmt.Printf("%+q\n", charset.Decode([]byte("caf\xc3\xa9 \xff"), "no-such-encoding"))
	// Output:
	// café €
	// "caf\u00e9 \ufffd"
}

func ExampleNewReader() {
	body := strings.NewReader("\x93\xfa\x96\x7b\n\x93\x8c\x8b\x9e\n")
	sc := bufio.NewScanner(charset.NewReader(body, "shift_jis"))
	for sc.Scan() {
		fmt.Println(sc.Text())
	}
	// Output:
	// 日本
	// 東京
}

func ExamplePeek() {
	// A stream whose first line names its encoding, read as it arrives.
	stream := strings.NewReader("<?xml version=\"1.0\" encoding=\"koi8-r\"?>\n<p>\xf0\xd2\xc9\xd7\xc5\xd4</p>\n")
	br := bufio.NewReaderSize(stream, charset.DefaultSampleBytes+1)
	r := charset.Peek("application/xml", br)
	fmt.Println(r.Name, r.Source)
	sc := bufio.NewScanner(charset.NewReader(br, r.Name))
	for sc.Scan() {
		fmt.Println(sc.Text())
	}
	// Output:
	// koi8-r prescan
	// <?xml version="1.0" encoding="koi8-r"?>
	// <p>Привет</p>
}
