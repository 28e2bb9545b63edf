package ascii

import (
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestLower(t *testing.T) {
	for in, want := range map[string]string{
		"": "", "next": "next", "NeXt": "next", "TEXT/HTML": "text/html", "İ": "İ", "ÀB": "Àb",
	} {
		if got := Lower(in); got != want {
			t.Errorf("Lower(%q) = %q, want %q", in, got, want)
		}
	}
	s := "already lower"
	if testing.AllocsPerRun(10, func() { _ = Lower(s) }) != 0 {
		t.Error("Lower allocated for a string with nothing to change")
	}
}
