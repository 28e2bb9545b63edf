package main

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"log"
	"math"
	"sort"
	"unicode"
)

// writeCJK writes the models of Chinese, Japanese and Korean: the cost of
// each of the most frequent characters, and of an unseen one.
func writeCJK(buf *bytes.Buffer, locale string) {
	fmt.Fprintf(buf, "var cjkModels = [...]cjkModel{\n")
	for _, l := range cjkLangs {
		text := training(locale, l.lang)
		freq := map[rune]int{}
		total := 0
		for _, r := range text {
			if r < 0x80 || r > 0xFFFF || !unicode.IsPrint(r) {
				continue
			}
			freq[r]++
			total++
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
		if len(list) > cjkTop {
			list = list[:cjkTop]
		}
		covered := 0
		for _, e := range list {
			covered += e.n
		}
		sort.Slice(list, func(i, j int) bool { return list[i].r < list[j].r })
		var runes []byte
		var costs []byte
		for _, e := range list {
			runes = binary.BigEndian.AppendUint16(runes, uint16(e.r))
			costs = append(costs, quantize(-math.Log(float64(e.n)/float64(total))))
		}
		// The probability of an unseen character, estimated as Good and
		// Turing do from the characters seen once, spread over 5000 others.
		once := 0
		for _, e := range list {
			if e.n == 1 {
				once++
			}
		}
		rest := float64(total-covered+once+1) / float64(total) / 5000
		fmt.Fprintf(buf, "\t{lang: %q, unknown: %d, runes: %q, cost: %q},\n", l.lang, quantize(-math.Log(rest)), runes, costs)
		log.Printf("%s: %d characters cover %.1f%% of %d KiB of training text", l.lang, len(list), 100*float64(covered)/float64(total), len(text)>>10)
	}
	fmt.Fprintf(buf, "}\n\nvar cjkPairs = [...]cjkPair{\n")
	for mi, l := range cjkLangs {
		for _, enc := range l.encodings {
			fmt.Fprintf(buf, "\t{enc: %q, model: %d},\n", enc, mi)
		}
	}
	fmt.Fprintf(buf, "}\n")

}
