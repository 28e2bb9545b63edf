package charset

import "encoding/binary"

// Content that is not text has no encoding to guess: an image, an archive,
// compressed or encrypted bytes. The guess would still score every
// candidate over its window (milliseconds, the worst case a response read up
// front pays) and name one with full confidence, where charset_normalizer,
// and so Requests' apparent_encoding, finds none. looksBinary tells such
// content apart before the scoring.

// binaryShare is the share of binary data bytes above which content is taken
// for binary: one in 32. Random and compressed bytes hold about one in ten;
// text holds none, or a stray one.
const binaryShare = 32

// looksBinary reports whether more than one byte in binaryShare of b is a
// binary data byte as WHATWG MIME Sniffing (§3, "binary data byte") defines
// it: a C0 control other than TAB, LF, FF, CR and ESC (which ISO-2022
// encodings use). It reads eight bytes at a time, looks at the bytes of
// those that hold a byte below 0x20, and stops once the count is over the
// share of the whole of b.
func looksBinary(b []byte) bool {
	over := len(b) / binaryShare // binary when the count exceeds it
	n, i := 0, 0
	for ; i+8 <= len(b); i += 8 {
		w := binary.LittleEndian.Uint64(b[i:])
		if (w-0x2020202020202020)&^w&0x8080808080808080 == 0 {
			continue // no byte below 0x20 (exact: a borrow needs one)
		}
		for _, c := range b[i : i+8] {
			n += int(binaryData[c])
		}
		if n > over {
			return true
		}
	}
	for _, c := range b[i:] {
		n += int(binaryData[c])
	}
	return n > over
}

// binaryData is 1 at the binary data bytes, 0 elsewhere.
var binaryData = [256]uint8{
	0x00: 1, 0x01: 1, 0x02: 1, 0x03: 1, 0x04: 1, 0x05: 1, 0x06: 1, 0x07: 1,
	0x08: 1, 0x0B: 1, 0x0E: 1, 0x0F: 1, 0x10: 1, 0x11: 1, 0x12: 1, 0x13: 1,
	0x14: 1, 0x15: 1, 0x16: 1, 0x17: 1, 0x18: 1, 0x19: 1, 0x1A: 1, 0x1C: 1,
	0x1D: 1, 0x1E: 1, 0x1F: 1,
}
