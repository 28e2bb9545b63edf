package charset

import (
	"math"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/transform"
)

// guessWindow bounds the bytes the models score, counted from the first
// byte outside ASCII: the evidence saturates long before, and ASCII before
// that byte says nothing about the encoding.
const guessWindow = 16 << 10

// guess is the statistical guess over sample; truncated tells that the
// content goes on after the sample, so a character cut at its end is not an
// error. It returns "" when the sample holds no byte outside ASCII, and
// when what it would score looks binary (looksBinary).
//
// Valid UTF-8 wins outright: legacy text with more than a couple of bytes
// outside ASCII is almost never valid UTF-8. Otherwise every pair of a
// legacy encoding and a language that uses it scores the sample, and the
// cheapest, in nats per byte outside ASCII, wins. Single-byte encodings are
// scored by class bigrams (see internal/gentables), Chinese, Japanese and Korean
// by character frequencies, after their byte structure has been checked.
func guess(sample []byte, truncated bool) (string, float64) {
	first := -1
	for i, c := range sample {
		if c >= 0x80 {
			first = i
			break
		}
	}
	if first < 0 {
		return "", 0
	}
	if truncated {
		sample = trimPartialRune(sample)
	}
	if utf8.Valid(sample[first:]) {
		return "utf-8", 1
	}
	start := max(first-1, 0)
	window := sample[start:]
	cut := truncated
	if len(window) > guessWindow {
		window, cut = window[:guessWindow], true
	}
	if looksBinary(sample[:start+len(window)]) {
		return "", 0
	}

	var s scores
	s.singleByte(window)
	s.multiByte(window[first-start:], cut)
	return s.decide(window)
}

// A candidate is an encoding and its cost over the window, in eighths of a
// nat.
type candidate struct {
	enc  string
	cost int
}

type scores struct {
	high  int       // bytes outside ASCII in the window
	seen  [128]bool // which of them occur
	cands []candidate
}

// add records the cost of an encoding, keeping the cheapest language.
func (s *scores) add(enc string, cost int) {
	for i := range s.cands {
		if s.cands[i].enc == enc {
			s.cands[i].cost = min(s.cands[i].cost, cost)
			return
		}
	}
	s.cands = append(s.cands, candidate{enc, cost})
}

// singleByte scores every single-byte pair on the bigrams of window that
// touch a byte outside ASCII.
func (s *scores) singleByte(window []byte) {
	pairs := make([]uint16, 0, len(window)+1)
	if len(window) > 0 && window[0] >= 0x80 {
		pairs = append(pairs, ' '<<8|uint16(window[0]))
	}
	for i, c := range window {
		if c >= 0x80 {
			s.high++
			s.seen[c-0x80] = true
		}
		if i > 0 && (c >= 0x80 || window[i-1] >= 0x80) {
			pairs = append(pairs, uint16(window[i-1])<<8|uint16(c))
		}
	}
	if len(window) > 0 && window[len(window)-1] >= 0x80 {
		pairs = append(pairs, uint16(window[len(window)-1])<<8|' ')
	}
	for i := range sbPairs {
		p := &sbPairs[i]
		m := &sbModels[p.model]
		cost := p.prior
		for _, pr := range pairs {
			a, b := p.class[pr>>8], p.class[pr&0xFF]
			cost += int(m.cost[int(a)*m.k+int(b)])
			if b == classOther && pr&0x80 != 0 {
				cost += p.otherEmit
			}
		}
		s.add(p.enc, cost)
	}
}

// multiByte scores every multi-byte pair whose decoder accepts window; cut
// tells that window ends inside the content, so an incomplete character at
// its end is not an error.
func (s *scores) multiByte(window []byte, cut bool) {
	buf := make([]byte, 0, 2*len(window))
	for i := range cjkPairs {
		p := &cjkPairs[i]
		m := &cjkModels[p.model]
		e, err := htmlindex.Get(p.enc)
		if err != nil {
			continue
		}
		out, _, err := transform.Append(e.NewDecoder(), buf[:0], window)
		if err != nil {
			continue
		}
		buf = out
		if cut {
			// Drop a U+FFFD that an incomplete last character gave.
			if r, n := utf8.DecodeLastRune(out); r == utf8.RuneError && n == 3 {
				out = out[:len(out)-3]
			}
		}
		cost, ok := cjkCost(m, out)
		if ok {
			s.add(p.enc, cost)
		}
	}
}

// cjkCost returns the cost of the decoded text under m, and false when the
// text holds U+FFFD, a control or a private-use character, which no text in
// that encoding decodes to.
func cjkCost(m *cjkModel, text []byte) (int, bool) {
	cost := 0
	for i := 0; i < len(text); {
		c := text[i]
		if c < 0x80 {
			i++
			continue
		}
		r, n := utf8.DecodeRune(text[i:])
		i += n
		switch {
		case r == utf8.RuneError, r < 0xA0, 0xE000 <= r && r <= 0xF8FF:
			return 0, false
		}
		cost += m.lookup(r)
	}
	return cost, true
}

// lookup returns the cost of r, a binary search in the sorted runes.
func (m *cjkModel) lookup(r rune) int {
	if r > 0xFFFF {
		return m.unknown
	}
	lo, hi := 0, len(m.runes)/2
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		v := rune(m.runes[2*mid])<<8 | rune(m.runes[2*mid+1])
		switch {
		case v == r:
			return int(m.cost[mid])
		case v < r:
			lo = mid + 1
		default:
			hi = mid
		}
	}
	return m.unknown
}

// decide picks the cheapest candidate and its confidence: the probability
// that it, rather than the cheapest candidate that decodes window to other
// text, is right.
func (s *scores) decide(window []byte) (string, float64) {
	if len(s.cands) == 0 {
		return "", 0
	}
	best := 0
	for i, c := range s.cands {
		if c.cost < s.cands[best].cost {
			best = i
		}
	}
	b := s.cands[best]
	rival := math.MaxInt
	for i, c := range s.cands {
		if i != best && c.cost < rival && !s.sameText(b.enc, c.enc) {
			rival = c.cost
		}
	}
	if rival == math.MaxInt {
		return b.enc, 1
	}
	delta := float64(rival-b.cost) / 8
	return b.enc, 1 / (1 + math.Exp(-delta))
}

// sameText reports whether two single-byte encodings decode every byte that
// occurs in the window to the same character.
func (s *scores) sameText(a, b string) bool {
	ea, erra := htmlindex.Get(a)
	eb, errb := htmlindex.Get(b)
	if erra != nil || errb != nil {
		return false
	}
	ca, oka := ea.(*charmap.Charmap)
	cb, okb := eb.(*charmap.Charmap)
	if !oka || !okb {
		return false
	}
	for i, seen := range s.seen {
		if seen && ca.DecodeByte(byte(0x80+i)) != cb.DecodeByte(byte(0x80+i)) {
			return false
		}
	}
	return true
}
