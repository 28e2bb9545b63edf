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
				e, c, h := parseContentTypeOnce(v)
				we, wc, wh := parseContentType(v)
				if e != we || c != wc || h != wh {
					t.Errorf("parseContentTypeOnce(%q) = %q, %q, %v; want %q, %q, %v", v, e, c, h, we, wc, wh)
				}
			}
		}
	}
}
