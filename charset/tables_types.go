package charset

// The language models of the guess. Their values live in tables.go, written
// by internal/gentables.

// An sbModel is the class-bigram model of a language written in single-byte
// encodings: cost[a*k+b] is -ln P(class b | class a), in eighths of a nat.
type sbModel struct {
	lang string
	k    int
	cost string
}

// An sbPair is a single-byte encoding read as one language: class[b] is the
// model class of the character byte b decodes to.
type sbPair struct {
	enc   string
	model int
	prior int // in eighths of a nat
	// otherEmit is the cost of choosing one character among those of the
	// class "other", in eighths of a nat.
	otherEmit int
	class     string
}

// A cjkModel is the character unigram model of Chinese, Japanese or Korean:
// runes holds the most frequent characters as sorted big-endian uint16 and
// cost[i] is -ln P(runes[i]) in eighths of a nat; any other character costs
// unknown.
type cjkModel struct {
	lang    string
	unknown int
	runes   string
	cost    string
}

// A cjkPair is a multi-byte encoding read as one language.
type cjkPair struct {
	enc   string
	model int
}

// Reserved classes of the single-byte models.
const (
	classSpace   = 0
	classOther   = 1
	classInvalid = 2
)
