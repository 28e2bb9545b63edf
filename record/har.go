package record

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"time"
)

// The types below are HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/),
// field for field. Optional fields are omitted when empty; the fields relay
// adds are named with a leading underscore, as the specification allows for
// custom fields. Reading is tolerant: a missing field is its zero value, a
// custom field relay does not know is kept in Custom (custom.go), another
// field nobody knows is ignored, a number may be written as an integer or a
// float, and a date that does not parse is the zero time.

// HAR is the root object of a HAR file.
type HAR struct {
	Log Log `json:"log"`
}

// Log is the root of the exported data: what wrote it and the entries.
type Log struct {
	Version string   `json:"version"`
	Creator Creator  `json:"creator"`
	Browser *Creator `json:"browser,omitempty"`
	Pages   []Page   `json:"pages,omitempty"`
	Entries []Entry  `json:"entries"`
	Comment string   `json:"comment,omitempty"`
}

// Creator names the application that wrote the log (and Browser the
// browser, when one did).
type Creator struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	Comment string `json:"comment,omitempty"`
}

// Page is a page of a browser's log. relay writes none but keeps those it
// reads, so that a browser's HAR rewritten in RecordMissing mode keeps them.
type Page struct {
	StartedDateTime Time        `json:"startedDateTime"`
	ID              string      `json:"id"`
	Title           string      `json:"title"`
	PageTimings     PageTimings `json:"pageTimings"`
	Comment         string      `json:"comment,omitempty"`
	Custom          Custom      `json:"-"` // fields like WebPageTest's _URL, kept as read
}

// PageTimings are a page's load times in milliseconds, -1 when unknown.
type PageTimings struct {
	OnContentLoad *Number `json:"onContentLoad,omitempty"`
	OnLoad        *Number `json:"onLoad,omitempty"`
	Comment       string  `json:"comment,omitempty"`
	Custom        Custom  `json:"-"` // fields like WebPageTest's _startRender, kept as read
}

// Entry is one exchange: for relay, one physical send (a redirect hop, a
// retry attempt, an authentication round).
type Entry struct {
	Pageref         string   `json:"pageref,omitempty"`
	StartedDateTime Time     `json:"startedDateTime"`
	Time            Number   `json:"time"`
	Request         Request  `json:"request"`
	Response        Response `json:"response"`
	Cache           Cache    `json:"cache"`
	Timings         Timings  `json:"timings"`
	ServerIPAddress string   `json:"serverIPAddress,omitempty"`
	Connection      string   `json:"connection,omitempty"`
	Comment         string   `json:"comment,omitempty"`
	Custom          Custom   `json:"-"` // fields like Chrome's _initiator, kept as read
}

// Request is the request as it was sent. Header, cookie and query values,
// URL userinfo and body fields that look like secrets are already redacted
// in an entry relay wrote (see Redact).
type Request struct {
	Method      string      `json:"method"`
	URL         string      `json:"url"`
	HTTPVersion string      `json:"httpVersion"`
	Cookies     []Cookie    `json:"cookies"`
	Headers     []NameValue `json:"headers"`
	QueryString []NameValue `json:"queryString"`
	PostData    *PostData   `json:"postData,omitempty"`
	HeadersSize Size        `json:"headersSize"`
	BodySize    Size        `json:"bodySize"`
	Comment     string      `json:"comment,omitempty"`
	Custom      Custom      `json:"-"` // custom fields, kept as read
}

// PostData is a request body. HAR has no encoding field for it: relay
// writes a body that is not valid UTF-8 in base64 and says so in
// _encoding, and marks a body longer than the recorder's cap _truncated
// (Text is then its first bytes; Request.BodySize its whole length).
type PostData struct {
	MimeType  string  `json:"mimeType"`
	Params    []Param `json:"params,omitempty"`
	Text      string  `json:"text"`
	Comment   string  `json:"comment,omitempty"`
	Encoding  string  `json:"_encoding,omitempty"`
	Truncated bool    `json:"_truncated,omitempty"`
}

// Param is a posted parameter (of a form).
type Param struct {
	Name        string `json:"name"`
	Value       string `json:"value,omitempty"`
	FileName    string `json:"fileName,omitempty"`
	ContentType string `json:"contentType,omitempty"`
	Comment     string `json:"comment,omitempty"`
}

// Response is the response as it was received, but for its body (Content),
// which is decoded from its Content-Encoding.
type Response struct {
	Status      int         `json:"status"`
	StatusText  string      `json:"statusText"`
	HTTPVersion string      `json:"httpVersion"`
	Cookies     []Cookie    `json:"cookies"`
	Headers     []NameValue `json:"headers"`
	Content     Content     `json:"content"`
	RedirectURL string      `json:"redirectURL"`
	HeadersSize Size        `json:"headersSize"`
	BodySize    Size        `json:"bodySize"`
	Comment     string      `json:"comment,omitempty"`
	// Error is set, and Status is 0, when the send failed without a
	// response (a refused connection, a timeout); replay returns the
	// failure as a *RecordedError. Browsers write failures the same way.
	Error string `json:"_error,omitempty"`
	// Custom holds the other custom fields, as read (Chrome's
	// _transferSize).
	Custom Custom `json:"-"`
}

// Content is a response body. Text holds it decoded from the response's
// Content-Encoding, as browsers export it (Size is the decoded length,
// Response.BodySize the length on the wire, Compression the difference);
// in base64 when Encoding is "base64". Truncated marks a body the recorder
// kept only the first bytes of — longer than its cap, or closed by the
// caller before the end; replaying it fails once those bytes are read.
// ContentEncoded marks a body kept as it came off the wire, because its
// Content-Encoding is one relay does not decode; replay then keeps the
// Content-Encoding header.
type Content struct {
	Size           Size   `json:"size"`
	Compression    Size   `json:"compression,omitempty"`
	MimeType       string `json:"mimeType"`
	Text           string `json:"text,omitempty"`
	Encoding       string `json:"encoding,omitempty"`
	Comment        string `json:"comment,omitempty"`
	Truncated      bool   `json:"_truncated,omitempty"`
	ContentEncoded bool   `json:"_contentEncoded,omitempty"`
	Custom         Custom `json:"-"` // custom fields, kept as read
}

// NameValue is a header or a query parameter.
type NameValue struct {
	Name    string `json:"name"`
	Value   string `json:"value"`
	Comment string `json:"comment,omitempty"`
}

// Cookie is a cookie sent (Cookie) or set (Set-Cookie).
type Cookie struct {
	Name     string `json:"name"`
	Value    string `json:"value"`
	Path     string `json:"path,omitempty"`
	Domain   string `json:"domain,omitempty"`
	Expires  *Time  `json:"expires,omitempty"`
	HTTPOnly bool   `json:"httpOnly,omitempty"`
	Secure   bool   `json:"secure,omitempty"`
	Comment  string `json:"comment,omitempty"`
}

// Cache is the state of the browser's cache around an entry. relay's
// recorder writes it empty; a live capture (NewHAR) sets Status.
type Cache struct {
	BeforeRequest *CacheState `json:"beforeRequest,omitempty"`
	AfterRequest  *CacheState `json:"afterRequest,omitempty"`
	Comment       string      `json:"comment,omitempty"`
	// Status is why relay's cache made the send, in a live capture:
	// "miss" (nothing usable stored) or "revalidate" (a stored response
	// being validated); empty when no cache was asked. A cache hit sends
	// nothing and so is not an entry.
	Status string `json:"_status,omitempty"`
	Custom Custom `json:"-"` // custom fields, kept as read
}

// CacheState is a cache entry's state.
type CacheState struct {
	Expires    string `json:"expires,omitempty"`
	LastAccess string `json:"lastAccess"`
	ETag       string `json:"eTag"`
	HitCount   int    `json:"hitCount"`
	Comment    string `json:"comment,omitempty"`
}

// Timings are the phases of an entry in milliseconds; -1 means the phase
// does not apply or is unknown (Send, Wait and Receive are never -1).
type Timings struct {
	Blocked Number `json:"blocked"`
	DNS     Number `json:"dns"`
	Connect Number `json:"connect"`
	Send    Number `json:"send"`
	Wait    Number `json:"wait"`
	Receive Number `json:"receive"`
	SSL     Number `json:"ssl"`
	Comment string `json:"comment,omitempty"`
	Custom  Custom `json:"-"` // fields like Chrome's _blocked_queueing, kept as read
}

// total is an entry's time: the sum of the phases that apply (SSL is part
// of Connect, so it is not added again).
func (t Timings) total() Number {
	var sum Number
	for _, n := range []Number{t.Blocked, t.DNS, t.Connect, t.Send, t.Wait, t.Receive} {
		if n > 0 {
			sum += n
		}
	}
	return sum
}

// Number is a HAR number (a duration in milliseconds). It reads an integer,
// a float or null (as -1) and writes at most three decimals.
type Number float64

// MarshalJSON writes n rounded to the microsecond.
func (n Number) MarshalJSON() ([]byte, error) {
	f := float64(n)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		f = -1
	}
	return strconv.AppendFloat(nil, math.Round(f*1000)/1000, 'f', -1, 64), nil
}

// UnmarshalJSON reads any JSON number; null and other values read as -1.
func (n *Number) UnmarshalJSON(b []byte) error {
	f, err := strconv.ParseFloat(string(bytes.TrimSpace(b)), 64)
	if err != nil {
		f = -1
	}
	*n = Number(f)
	return nil
}

// Size is a byte count, -1 when unknown. It reads an integer or a float
// (truncated); null and other values read as -1.
type Size int64

// UnmarshalJSON reads any JSON number; null and other values read as -1.
func (s *Size) UnmarshalJSON(b []byte) error {
	f, err := strconv.ParseFloat(string(bytes.TrimSpace(b)), 64)
	if err != nil || math.IsNaN(f) || f > math.MaxInt64 || f < math.MinInt64 {
		*s = -1
		return nil
	}
	*s = Size(f)
	return nil
}

// timeLayout is how relay writes dates: ISO 8601 with milliseconds and the
// zone, as browsers do.
const timeLayout = "2006-01-02T15:04:05.000Z07:00"

// Time is a HAR date (ISO 8601). It reads any RFC 3339 date, or the zero
// time for one that does not parse.
type Time struct{ time.Time }

// MarshalJSON writes t with milliseconds.
func (t Time) MarshalJSON() ([]byte, error) {
	return json.Marshal(t.Time.Format(timeLayout))
}

// UnmarshalJSON reads an RFC 3339 date; anything else is the zero time.
func (t *Time) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) != nil {
		t.Time = time.Time{}
		return nil
	}
	p, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		p = time.Time{}
	}
	t.Time = p
	return nil
}
