package charset

import (
	"testing"
	"unicode/utf8"
)

func FuzzParseContentType(f *testing.F) {
	for _, s := range []string{
		"text/html; charset=ISO-8859-4", // RFC 9110 §8.3
		`text/html;charset=utf-8`,
		`Text/HTML;Charset="utf-8"`,
		`text/html; charset="utf-8"`,
		`text/plain; charset="a\"b,c"; format=flowed, text/plain`,
		"text/html; charset=koi8-r, text/html, */*",
		"application/json",
		";;;==\"\\",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		essence, label, has := parseContentType(s)
		if !has && label != "" {
			t.Fatalf("label %q without hasCharset", label)
		}
		if essence != "" && indexByte(essence, '/') < 0 {
			t.Fatalf("essence %q has no slash", essence)
		}
	})
}

func FuzzPrescan(f *testing.F) {
	for _, s := range []string{
		`<meta charset="utf-8">`,
		`<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">`,
		`<!--<meta charset=koi8-r>--><meta charset=big5>`,
		`<?xml version="1.0" encoding="Shift_JIS"?>`,
		`<a href='x' title=<meta charset=x>><meta charset=euc-kr/>`,
		`<meta content="charset=charset='utf-8'" http-equiv=content-type>`,
		`<!--><meta charset=gbk>`,
		`<?xml encoding = 'koi8-r' ?><meta charset=gbk>`,
		`<?XML version="1.0" encoding="x-unknown"?><meta charset=big5>`,
		`<?xml version="1.0" encoding="utf-16"?>`,
		`<?xml version="1.0" encoding="Shift JIS"?>`,
		`<?xml version="1.0"`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		name := prescan(b)
		if name != "" && lookupWHATWG(name) != name {
			t.Fatalf("prescan(%q) = %q, not a canonical name", b, name)
		}
	})
}

func FuzzDetermine(f *testing.F) {
	f.Add("", []byte("caf\xe9"))
	f.Add("text/html", []byte("<meta charset=koi8-r>\xf0\xd2\xc9\xd7\xc5\xd4"))
	f.Add("application/xml", []byte(`<?xml version="1.0" encoding="euc-jp"?>`))
	f.Add("", []byte("\x93\xfa\x96\x7b"))
	f.Add("", []byte("\xff\xfeh\x00"))
	f.Add("text/html", []byte("<meta http-equiv=content-type content=\"text/html; charset=windows-1251\">\xcf\xf0"))
	f.Add("text/xml", []byte("<?xml version=\"1.0\" encoding=\"Shift_JIS\"?><a>\x93\xfa</a>"))
	f.Add("application/rss+xml", []byte(`<?xml version='1.0' encoding='koi8-r'?><meta charset=big5>`))
	f.Add("text/plain", []byte("<meta charset=koi8-r>\xf0\xd2"))
	f.Add("text/plain; charset=x-no-such-charset", []byte("caf\xc3\xa9 \xff"))
	f.Add("text/plain; charset=cp932", []byte("\x93\xfa"))
	f.Add("text/plain; charset=IBM037", []byte("\xc1"))
	f.Fuzz(func(t *testing.T, ct string, b []byte) {
		r := Determine(ct, b)
		if lookup(r.Name) == nil {
			t.Fatalf("Determine(%q, %q) = %+v, an unknown name", ct, b, r)
		}
		if r.Source == UnknownLabel && (r.Name != "utf-8" || r.Confidence != 0) {
			t.Fatalf("Determine(%q, %q) = %+v for an unknown label", ct, b, r)
		}
		if r.Confidence < 0 || r.Confidence > 1 {
			t.Fatalf("Determine(%q, %q) = %+v, confidence out of range", ct, b, r)
		}
		if s := Decode(b, r.Name); !utf8.ValidString(s) {
			t.Fatalf("Decode(%q, %q) = %q, invalid UTF-8", b, r.Name, s)
		}
	})
}

// FuzzHeaderEncoding checks that the name headerEncoding gives for a charset
// label decodes as the label does.
func FuzzHeaderEncoding(f *testing.F) {
	for _, s := range []string{"utf-8", " Shift_JIS ", "latin_1", "cp932", "CP1251", "IBM037", "ibm437",
		"iso-2022-kr", "x-user-defined", "utf-16", "us", "x-no-such-charset", ""} {
		f.Add(s)
	}
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	f.Fuzz(func(t *testing.T, label string) {
		name := headerEncoding(label)
		if name == "" {
			if lookup(label) != nil {
				t.Fatalf("headerEncoding(%q) = \"\", but Decode knows the label", label)
			}
			return
		}
		if headerEncoding(name) != name {
			t.Fatalf("headerEncoding(%q) = %q, which is not canonical", label, name)
		}
		if got, want := Decode(all, name), Decode(all, label); got != want {
			t.Fatalf("headerEncoding(%q) = %q, which decodes otherwise", label, name)
		}
	})
}
