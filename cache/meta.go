package cache

import (
	"encoding/json"
	"net/http"
	"slices"
	"time"
)

// maxVariants bounds how many variants of one URL the index keeps; the
// oldest leave first.
const maxVariants = 16

// meta is what the cache stores of a response besides its body.
type meta struct {
	Status       int         `json:"s"`
	ProtoMajor   int         `json:"pM"`
	ProtoMinor   int         `json:"pm"`
	Header       http.Header `json:"h"`
	Vary         []varyField `json:"v,omitempty"`
	RequestTime  time.Time   `json:"rq"`
	ResponseTime time.Time   `json:"rs"`
}

func (m *meta) timing() timing { return timing{m.RequestTime, m.ResponseTime} }

func decodeMeta(b []byte) (*meta, error) {
	var m meta
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	if m.Header == nil {
		m.Header = http.Header{}
	}
	return &m, nil
}

func (m *meta) encode() []byte {
	b, _ := json.Marshal(m) // a struct of strings, ints and times: cannot fail
	return b
}

// variant is one entry of a URL's index: the store key of a stored response
// and the request field values it was selected with.
type variant struct {
	Key  string      `json:"k"`
	Vary []varyField `json:"v,omitempty"`
}

func decodeIndex(b []byte) []variant {
	var vs []variant
	if json.Unmarshal(b, &vs) != nil {
		return nil // a corrupt index is an empty one
	}
	return vs
}

// withVariant returns the encoded index old with v first, replacing a
// variant with the same key, at most maxVariants long.
func withVariant(old []byte, v variant) []byte {
	vs := slices.DeleteFunc(decodeIndex(old), func(x variant) bool { return x.Key == v.Key })
	vs = append([]variant{v}, vs...)
	if len(vs) > maxVariants {
		vs = vs[:maxVariants]
	}
	b, _ := json.Marshal(vs)
	return b
}

// withoutVariant returns the encoded index old without the variant key, or
// nil when none is left.
func withoutVariant(old []byte, key string) []byte {
	vs := slices.DeleteFunc(decodeIndex(old), func(x variant) bool { return x.Key == key })
	if len(vs) == 0 {
		return nil
	}
	b, _ := json.Marshal(vs)
	return b
}
