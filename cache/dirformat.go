package cache

import (
	"encoding/binary"
	"errors"
	"hash/crc32"
	"io"
	"os"
	"time"
)

// The file of one key in a Dir store is a header, the metadata (for a
// value: the value) and the body (empty for a value):
//
//	offset size
//	0      4    magic "RLYC"
//	4      1    format version, 1
//	5      1    kind: 1 entry, 2 value
//	6      2    zero
//	8      8    expiry, Unix nanoseconds, big-endian
//	16     8    body length, big-endian
//	24     4    metadata length, big-endian
//	28     4    CRC-32C of the body
//	32     4    CRC-32C of bytes 0 to 32 and of the metadata
//
// The lengths must add up to the file's size. A file that fails any check
// is corrupt: treated as missing and removed. The body's CRC is checked
// when a reader reaches its end, since the body is streamed, never read
// whole up front.
const (
	headerSize = 36
	fileMagic  = "RLYC"
	fileFormat = 1

	kindEntry = 1
	kindValue = 2

	// maxMeta bounds the metadata or value a file may declare, so a corrupt
	// length never turns into a huge allocation.
	maxMeta = 16 << 20
)

var crcTable = crc32.MakeTable(crc32.Castagnoli)

// errCorrupt marks a file that is not a whole entry or value.
var errCorrupt = errors.New("cache: corrupt store file")

// errNewerFormat marks a file written by a later version of relay: missing
// to this one, and left alone.
var errNewerFormat = errors.New("cache: store file of a newer format")

// fileHeader is the decoded header of a store file.
type fileHeader struct {
	kind    byte
	expires time.Time
	bodyLen int64
	metaLen int
	bodyCRC uint32
}

// bodyOffset is where the body starts in the file.
func (h *fileHeader) bodyOffset() int64 { return headerSize + int64(h.metaLen) }

// encode returns the header with its checksum over the header and meta.
func (h *fileHeader) encode(meta []byte) []byte {
	b := make([]byte, headerSize)
	copy(b, fileMagic)
	b[4] = fileFormat
	b[5] = h.kind
	binary.BigEndian.PutUint64(b[8:], uint64(h.expires.UnixNano()))
	binary.BigEndian.PutUint64(b[16:], uint64(h.bodyLen))
	binary.BigEndian.PutUint32(b[24:], uint32(len(meta)))
	binary.BigEndian.PutUint32(b[28:], h.bodyCRC)
	sum := crc32.Update(crc32.Checksum(b[:32], crcTable), crcTable, meta)
	binary.BigEndian.PutUint32(b[32:], sum)
	return b
}

// readHead reads and checks the header and metadata of the store file f,
// whose size is size. It returns errCorrupt, errNewerFormat, or the error
// of a read that failed.
func readHead(f *os.File, size int64) (*fileHeader, []byte, error) {
	b := make([]byte, headerSize)
	if _, err := f.ReadAt(b, 0); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil, errCorrupt
		}
		return nil, nil, err
	}
	if string(b[:4]) != fileMagic {
		return nil, nil, errCorrupt
	}
	if b[4] > fileFormat {
		return nil, nil, errNewerFormat
	}
	h := &fileHeader{
		kind:    b[5],
		expires: time.Unix(0, int64(binary.BigEndian.Uint64(b[8:]))),
		bodyLen: int64(binary.BigEndian.Uint64(b[16:])),
		bodyCRC: binary.BigEndian.Uint32(b[28:]),
	}
	metaLen := binary.BigEndian.Uint32(b[24:])
	if b[4] != fileFormat || (h.kind != kindEntry && h.kind != kindValue) || b[6] != 0 || b[7] != 0 ||
		metaLen > maxMeta || h.bodyLen < 0 || h.bodyLen > size ||
		headerSize+int64(metaLen)+h.bodyLen != size || (h.kind == kindValue && h.bodyLen != 0) {
		return nil, nil, errCorrupt
	}
	h.metaLen = int(metaLen)
	meta := make([]byte, h.metaLen)
	if _, err := f.ReadAt(meta, headerSize); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil, errCorrupt
		}
		return nil, nil, err
	}
	if crc32.Update(crc32.Checksum(b[:32], crcTable), crcTable, meta) != binary.BigEndian.Uint32(b[32:]) {
		return nil, nil, errCorrupt
	}
	return h, meta, nil
}

// dirBody streams the body of an entry from its open file, checking the
// body's checksum at the end. The file stays readable after a later Commit
// renames another file over its name, or eviction removes it.
type dirBody struct {
	f       *os.File
	r       *io.SectionReader
	crc     uint32
	want    uint32
	corrupt func() // removes the file, if it is still the one under its key
	err     error
}

func newDirBody(f *os.File, h *fileHeader, corrupt func()) *dirBody {
	return &dirBody{f: f, r: io.NewSectionReader(f, h.bodyOffset(), h.bodyLen), want: h.bodyCRC, corrupt: corrupt}
}

func (b *dirBody) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	n, err := b.r.Read(p)
	b.crc = crc32.Update(b.crc, crcTable, p[:n])
	if err == io.EOF && b.crc != b.want {
		b.corrupt()
		err = errCorrupt
	}
	b.err = err
	return n, err
}

func (b *dirBody) Close() error {
	b.err = os.ErrClosed
	return b.f.Close()
}
