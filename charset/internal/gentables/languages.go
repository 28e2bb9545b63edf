package main

// excluded are the catalogs the evaluation corpus comes from.
var excluded = map[string]bool{"Linux-PAM.mo": true, "shadow.mo": true}

type sbLang struct {
	lang      string   // also the locale folder, "en" means the msgids
	latin     bool     // ASCII letters are letters of the language
	encodings []string // WHATWG names
}

var sbLangs = []sbLang{
	{"en", true, []string{"windows-1252"}},
	{"fr", true, []string{"windows-1252"}},
	{"de", true, []string{"windows-1252"}},
	{"es", true, []string{"windows-1252"}},
	{"it", true, []string{"windows-1252"}},
	{"pt", true, []string{"windows-1252"}},
	{"nl", true, []string{"windows-1252"}},
	{"sv", true, []string{"windows-1252"}},
	{"cs", true, []string{"windows-1250", "iso-8859-2"}},
	{"sk", true, []string{"windows-1250", "iso-8859-2"}},
	{"pl", true, []string{"windows-1250", "iso-8859-2"}},
	{"hu", true, []string{"windows-1250", "iso-8859-2"}},
	{"sl", true, []string{"windows-1250", "iso-8859-2"}},
	{"hr", true, []string{"windows-1250", "iso-8859-2"}},
	{"ru", false, []string{"windows-1251", "iso-8859-5", "koi8-r"}},
	{"bg", false, []string{"windows-1251", "iso-8859-5", "koi8-r"}},
	{"uk", false, []string{"windows-1251", "iso-8859-5"}},
	{"sr", false, []string{"windows-1251", "iso-8859-5"}},
	{"el", false, []string{"windows-1253", "iso-8859-7"}},
	{"tr", true, []string{"windows-1254"}},
	{"he", false, []string{"windows-1255"}},
	{"ar", false, []string{"windows-1256"}},
}

// prior is a small cost, in eighths of a nat, that breaks near ties towards
// the more common encoding.
var prior = map[string]int{
	"windows-1252": 0, "windows-1250": 2, "iso-8859-2": 6, "windows-1251": 0,
	"koi8-r": 4, "iso-8859-5": 8, "windows-1253": 0, "iso-8859-7": 4,
}

type cjkLang struct {
	lang      string
	encodings []string
}

var cjkLangs = []cjkLang{
	{"ja", []string{"shift_jis", "euc-jp"}},
	{"zh_CN", []string{"gb18030"}},
	{"zh_TW", []string{"big5"}},
	{"ko", []string{"euc-kr"}},
}

const (
	classSpace   = 0 // ASCII space, digits and punctuation, and text boundaries
	classOther   = 1 // a rune that is not in the language's alphabet
	classInvalid = 2 // U+FFFD, C0 and C1 controls
	classASCII   = 3 // an ASCII letter, in a non-Latin language
	maxClasses   = 64
	cjkTop       = 3000
	maxTraining  = 4 << 20
	invalidCost  = 120 // 15 nats
)
