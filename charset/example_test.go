package charset_test

import (
	"bufio"
	"fmt"
	"strings"

	"github.com/relayhttp/relay/charset"
)

func ExampleDetermine() {
	body := []byte("<html><head><meta charset=\"koi8-r\"></head><body>\xf0\xd2\xc9\xd7\xc5\xd4</body></html>")
	r := charset.Determine("text/html", body)
	fmt.Println(r.Name, r.Source, r.Confidence)

	// Browsers, and RFC 7231, ignore the ISO-8859-1 default of text/*.
	modern := &charset.Options{ModernTextDefault: true}
	r = modern.Determine("text/html", body)
	fmt.Println(r.Name, r.Source, r.Confidence)
	fmt.Println(charset.Decode(body, r.Name))
	// Output:
	// windows-1252 media-type-default 1
	// koi8-r prescan 1
	// <html><head><meta charset="koi8-r"></head><body>Привет</body></html>
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
