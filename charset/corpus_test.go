package charset

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// corpusSample is one file of testdata/corpus: its bytes and the WHATWG
// name of the encoding it is in (its folder).
type corpusSample struct {
	path, enc string
	content   []byte
}

func readCorpus(tb testing.TB) []corpusSample {
	tb.Helper()
	var out []corpusSample
	dirs, err := os.ReadDir(filepath.Join("testdata", "corpus"))
	if err != nil {
		tb.Fatal(err)
	}
	for _, d := range dirs {
		files, err := os.ReadDir(filepath.Join("testdata", "corpus", d.Name()))
		if err != nil {
			tb.Fatal(err)
		}
		for _, f := range files {
			p := filepath.Join("testdata", "corpus", d.Name(), f.Name())
			b, err := os.ReadFile(p)
			if err != nil {
				tb.Fatal(err)
			}
			out = append(out, corpusSample{p, d.Name(), b})
		}
	}
	return out
}

// guessCorrect reports whether name decodes content to the same text as its
// true encoding does: windows-1252 is right for ISO-8859-1 text without
// bytes 0x80-0x9F, for instance.
func guessCorrect(s corpusSample, name string) bool {
	return Decode(s.content, name) == Decode(s.content, s.enc)
}

// minCorpusAccuracy is the accuracy the guess must keep on the corpus. It is
// above charset_normalizer's measured 81.7% (bench/charset).
const minCorpusAccuracy = 0.97

func TestGuessCorpus(t *testing.T) {
	samples := readCorpus(t)
	if len(samples) < 200 {
		t.Fatalf("corpus has %d samples, want at least 200", len(samples))
	}
	right := map[string]int{}
	total := map[string]int{}
	ok := 0
	for _, s := range samples {
		if truth := Decode(s.content, s.enc); strings.ContainsRune(truth, '\uFFFD') {
			t.Errorf("%s does not decode in %s", s.path, s.enc)
		}
		got := Determine("", s.content)
		total[s.enc]++
		if guessCorrect(s, got.Name) {
			right[s.enc]++
			ok++
		} else {
			t.Logf("wrong: %s -> %s (%s, %.2f)", s.path, got.Name, got.Source, got.Confidence)
		}
	}
	var encs []string
	for e := range total {
		encs = append(encs, e)
	}
	sort.Strings(encs)
	for _, e := range encs {
		t.Logf("%-14s %3d/%3d", e, right[e], total[e])
	}
	acc := float64(ok) / float64(len(samples))
	t.Logf("accuracy %d/%d = %.1f%%", ok, len(samples), 100*acc)
	if acc < minCorpusAccuracy {
		t.Errorf("accuracy %.1f%% is below %.1f%%", 100*acc, 100*minCorpusAccuracy)
	}
}
