package main

import (
	"bytes"
	"fmt"
	"log"
	"math"
	"sort"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/htmlindex"
)

// writeSingleByte writes the models of the languages written in single-byte
// encodings: the cost of each class bigram, and the class of each byte in
// each of the language's encodings.
func writeSingleByte(buf *bytes.Buffer, locale string) {
	fmt.Fprintf(buf, "var sbModels = [...]sbModel{\n")
	type pair struct {
		enc       string
		model     int
		otherEmit int
		class     [256]byte
	}
	var pairs []pair
	for mi, l := range sbLangs {
		text := training(locale, l.lang)
		alphabet, k := buildAlphabet(text, l.latin)
		counts := make([]float64, k*k)
		prev := classSpace
		for _, r := range text {
			c := classOf(r, alphabet, l.latin)
			if r == '\n' {
				c = classSpace
			}
			counts[prev*k+c]++
			prev = c
		}
		costs := make([]byte, k*k)
		for a := 0; a < k; a++ {
			var row float64
			for b := 0; b < k; b++ {
				row += counts[a*k+b]
			}
			const alpha = 0.5
			for b := 0; b < k; b++ {
				p := (counts[a*k+b] + alpha) / (row + alpha*float64(k))
				costs[a*k+b] = quantize(-math.Log(p))
				if a == classInvalid || b == classInvalid {
					costs[a*k+b] = invalidCost
				}
			}
		}
		fmt.Fprintf(buf, "\t{lang: %q, k: %d, cost: %q},\n", l.lang, k, costs)
		for _, enc := range l.encodings {
			p := pair{enc: enc, model: mi}
			dec := decoderTable(enc)
			others := 0
			for b := 0; b < 256; b++ {
				r := dec[b]
				c := classOf(r, alphabet, l.latin)
				p.class[b] = byte(c)
				if c == classOther {
					others++
				}
			}
			// The class "other" stands for many characters: the cost of
			// one of them is that of the class plus the choice among them.
			p.otherEmit = int(quantize(math.Log(float64(max(others, 1)))))
			pairs = append(pairs, p)
		}
		log.Printf("%s: %d classes, %d KiB of training text", l.lang, k, len(text)>>10)
	}
	fmt.Fprintf(buf, "}\n\nvar sbPairs = [...]sbPair{\n")
	for _, p := range pairs {
		fmt.Fprintf(buf, "\t{enc: %q, model: %d, prior: %d, otherEmit: %d, class: %q},\n", p.enc, p.model, prior[p.enc], p.otherEmit, p.class[:])
	}
	fmt.Fprintf(buf, "}\n\n")

}

func quantize(nats float64) byte {
	v := math.Round(nats * 8)
	if v > 255 {
		v = 255
	}
	return byte(v)
}

// decoderTable returns the rune each byte decodes to in a single-byte
// encoding.
func decoderTable(name string) [256]rune {
	e, err := htmlindex.Get(name)
	if err != nil {
		log.Fatal(err)
	}
	var t [256]rune
	d := e.NewDecoder()
	for b := 0; b < 256; b++ {
		s, err := d.Bytes([]byte{byte(b)})
		if err != nil {
			log.Fatal(err)
		}
		r, _ := utf8.DecodeRune(s)
		t[b] = r
	}
	return t
}

// buildAlphabet gives the most frequent letters and non-ASCII symbols of text
// the classes after the reserved ones.
func buildAlphabet(text string, latin bool) (map[rune]int, int) {
	freq := map[rune]int{}
	for _, r := range text {
		r = unicode.ToLower(r)
		if r < 0x80 && !(latin && isASCIILetter(r)) {
			continue
		}
		if !unicode.IsPrint(r) || r == utf8.RuneError {
			continue
		}
		freq[r]++
	}
	type rc struct {
		r rune
		n int
	}
	var list []rc
	for r, n := range freq {
		list = append(list, rc{r, n})
	}
	sort.Slice(list, func(i, j int) bool {
		if list[i].n != list[j].n {
			return list[i].n > list[j].n
		}
		return list[i].r < list[j].r
	})
	first := classASCII + 1
	if latin {
		first = classASCII
	}
	alphabet := map[rune]int{}
	k := first
	for _, e := range list {
		if k == maxClasses || e.n < 20 {
			break
		}
		alphabet[e.r] = k
		k++
	}
	return alphabet, k
}

func isASCIILetter(r rune) bool { return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' }

func classOf(r rune, alphabet map[rune]int, latin bool) int {
	switch {
	case r == utf8.RuneError, r < 0x20 && r != '\t' && r != '\n' && r != '\r', 0x7F <= r && r < 0xA0:
		return classInvalid
	case r < 0x80 && !isASCIILetter(r):
		return classSpace
	case r < 0x80 && !latin:
		return classASCII
	}
	if c, ok := alphabet[unicode.ToLower(r)]; ok {
		return c
	}
	return classOther
}

// training returns the cleaned training text of a language: the messages of
// its catalogs (for "en", the message ids of the French catalogs), one a
