//go:build !race

package client_test

import (
	"testing"
)

// The race detector changes allocation counts, so this file is built only
// without it; scripts/test.sh runs it in its pass without -race.

// TestTextAllocations checks that the encoding is determined once per
// response: a Text call after the first, even with Encoding reset to "",
// costs the decoding (two allocations for a single-byte encoding) and not
// the guess again.
func TestTextAllocations(t *testing.T) {
	legacy := []byte("\xcf\xf0\xe8\xe2\xe5\xf2, \xec\xe8\xf0") // windows-1251, declared nowhere
	srv := serveBytes(t, "application/octet-stream", legacy)
	r := mustDo(t, newSession(t), "GET", srv.URL)
	if _, err := r.Text(); err != nil {
		t.Fatal(err)
	}
	n := testing.AllocsPerRun(20, func() {
		r.Encoding = ""
		_, _ = r.Text()
	})
	if n > 2 {
		t.Errorf("Text made %v allocations, want at most 2: the encoding was determined again", n)
	}
}
