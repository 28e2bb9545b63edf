package charset

import "testing"

// TestParseContentTypeOnce checks that the remembered parse answers as
// parseContentType does, for the same value twice and for values that
// alternate, so a stale entry can never answer for another value.
func TestParseContentTypeOnce(t *testing.T) {
	values := []string{"text/plain; charset=utf-8", "text/html", "TEXT/HTML; Charset=\"Shift_JIS\"", "", "text/plain; charset=utf-8, text/html"}
	for range 2 {
		for _, v := range values {
			for range 2 {
				p := parseContentTypeOnce(v)
				we, wc, wh := parseContentType(v)
				wd := ""
				if wh {
					wd = headerEncoding(wc)
				}
				if p.value != v || p.essence != we || p.hasCharset != wh || p.declared != wd {
					t.Errorf("parseContentTypeOnce(%q) = %+v; want essence %q, charset %v, declared %q", v, p, we, wh, wd)
				}
			}
		}
	}
}

// TestDetermineRemembered checks that Determine answers from the remembered
// Content-Type as it does without it: for the same value twice, for values
// that alternate, for labels nobody knows, and for bodies whose byte order
// mark wins over the header.
func TestDetermineRemembered(t *testing.T) {
	values := []string{"text/plain; charset=utf-8", "text/html; charset=windows-1251", "text/html; charset=no-such-label",
		"application/json", "", "TEXT/HTML; Charset=\"Shift_JIS\""}
	bodies := [][]byte{nil, []byte("plain"), []byte("\xEF\xBB\xBFbom"), []byte("\xFF\xFEh\x00i\x00"), []byte("\xFE\xFF\x00h"), []byte("\xFFnot a bom")}
	for range 2 {
		for _, v := range values {
			for _, b := range bodies {
				got := Determine(v, b) // remembers v, or answers from it
				lastContentType.Store(nil)
				want := Determine(v, b) // parses v afresh
				if got != want {
					t.Errorf("Determine(%q, %q) = %+v remembered, %+v afresh", v, b, got, want)
				}
				Determine(v, b) // remember v for the next body
				if bom := bomEncoding(b); bom != "" && (got.Source != BOM || got.Name != bom) {
					t.Errorf("Determine(%q, %q) = %+v; the byte order mark's %s wins", v, b, got, bom)
				}
			}
		}
	}
	Determine("text/plain; charset=utf-8", nil)
	if p := lastContentType.Load(); p == nil || p.value != "text/plain; charset=utf-8" || p.declared != "utf-8" {
		t.Errorf("remembered %+v; want text/plain's value, declared utf-8", p)
	}
}
