package charset

import (
	"bytes"
	"testing"
)

// BenchmarkGuessCorpus measures Determine over every corpus sample; ns/op is
// the time per sample.
func BenchmarkGuessCorpus(b *testing.B) {
	samples := readCorpus(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		Determine("", samples[i%len(samples)].content)
	}
}

// legacyBody returns about n bytes of windows-1251 text from the corpus.
func legacyBody(b *testing.B, n int) []byte {
	for _, s := range readCorpus(b) {
		if s.enc == "windows-1251" && len(s.content) > 2000 {
			return bytes.Repeat(s.content, n/len(s.content)+1)[:n]
		}
	}
	b.Fatal("no windows-1251 sample")
	return nil
}

// The three benchmarks below show that Text() on a 10 MiB body without a
// declared charset costs about what decoding it costs: Determine looks at a
// bounded prefix only.

func BenchmarkDetermine10MiB(b *testing.B) {
	body := legacyBody(b, 10<<20)
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if r := Determine("text/html", body); r.Name != "windows-1252" {
			b.Fatal(r)
		}
		if r := (&Options{ModernTextDefault: true}).Determine("text/html", body); r.Name != "windows-1251" {
			b.Fatal(r)
		}
	}
}

func BenchmarkDecode10MiB(b *testing.B) {
	body := legacyBody(b, 10<<20)
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		Decode(body, "windows-1251")
	}
}

func BenchmarkDetermineAndDecode10MiB(b *testing.B) {
	body := legacyBody(b, 10<<20)
	opt := &Options{ModernTextDefault: true}
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		Decode(body, opt.Determine("text/html", body).Name)
	}
}

func BenchmarkDecodeUTF8_10MiB(b *testing.B) {
	body := bytes.Repeat([]byte("Grüße, мир, 世界. "), (10<<20)/24)
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		Decode(body, Determine("", body).Name)
	}
}

// BenchmarkDetermineBinary measures what a Response read up front pays
// when nothing declares an encoding of bytes that are not text, such as an
// image: the scan that tells them binary, instead of the guess.
func BenchmarkDetermineBinary(b *testing.B) {
	body := noise(1 << 20) // binary_test.go
	b.ReportAllocs()
	for b.Loop() {
		Determine("image/png", body)
	}
}
