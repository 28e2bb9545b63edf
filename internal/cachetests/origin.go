package cachetests

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// origin is the suite's server (test-engine/server) on loopback: each test
// registers its steps under a fresh id, and every request to /test/<id>/…
// is answered as the step its Req-Num names, and recorded.
//
// Responses are written as raw bytes on the hijacked connection, as the
// suite's Node server writes them: fields in the order and case the test
// gives, a field given twice on two lines, Content-Type and Content-Length
// on a 304 when the test sends them (net/http's server would drop them),
// nothing added but what Node adds for the suite (Date, Content-Length).
// The origin closes each connection after its response; the runner's
// transport does not keep connections alive, so it never sends a request
// on one the origin is closing. (A Connection: close field would tell it,
// but Go's transport deletes a Connection field that says close, and with
// it what the test's own Connection field says.)
type origin struct {
	srv *httptest.Server

	mu    sync.Mutex
	tests map[string]*originTest
}

// originTest is the origin's state for one test.
type originTest struct {
	steps []*step    // the origin's copy: fixups rewrite its fields in place, as the suite's server does
	clock pauseClock // dates the responses; response_pause moves it
	seen  []seenRequest
}

// seenRequest is one request the origin received (the suite's stash).
type seenRequest struct {
	num    int // the request's Req-Num; 0 when missing or not a number
	method string
	header http.Header
	saved  []sentField // the fields whose arrival at the client the runner checks
}

// sentField is a response field as sent: every value given for the name so
// far, in order.
type sentField struct {
	name   string
	values []string
}

func newOrigin() *origin {
	o := &origin{tests: make(map[string]*originTest)}
	o.srv = httptest.NewServer(http.HandlerFunc(o.serve))
	return o
}

func (o *origin) close() { o.srv.Close() }

// register makes the steps of test id answerable, dated by c.
func (o *origin) register(id string, steps []*step, c pauseClock) {
	own := make([]*step, len(steps))
	for i, s := range steps {
		cp := *s
		cp.ResponseHeaders = slices.Clone(s.ResponseHeaders)
		own[i] = &cp
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	o.tests[id] = &originTest{steps: own, clock: c}
}

// state returns what the origin saw of test id, and forgets the test.
func (o *origin) state(id string) []seenRequest {
	o.mu.Lock()
	defer o.mu.Unlock()
	t := o.tests[id]
	delete(o.tests, id)
	if t == nil {
		return nil
	}
	return t.seen
}

// lookup finds the step a request is for: the one its Req-Num names, or
// else the next one (handle-test.mjs).
func (o *origin) lookup(id string, r *http.Request) (t *originTest, num, srvNum, cliNum int, err string) {
	t = o.tests[id]
	if t == nil {
		return nil, 0, 0, 0, "Requests not found for " + id
	}
	srvNum = len(t.seen) + 1
	if n, ok := parseInt(r.Header.Get(fieldReqNum)); ok {
		cliNum = int(n)
	}
	num = srvNum
	if cliNum != 0 {
		num = cliNum
	}
	if num < 1 || num > len(t.steps) {
		return nil, 0, 0, 0, fmt.Sprintf("config not found for request %d (anticipating %d)", srvNum, len(t.steps))
	}
	return t, num, srvNum, cliNum, ""
}

func (o *origin) serve(w http.ResponseWriter, r *http.Request) {
	segs := strings.Split(r.URL.Path, "/")
	if len(segs) < 3 || segs[1] != "test" || segs[2] == "" {
		http.Error(w, "not a test URL: "+r.URL.Path, http.StatusNotFound)
		return
	}
	id := segs[2]
	io.Copy(io.Discard, r.Body) // before the hijack, which ends the body

	o.mu.Lock()
	t, num, _, _, msg := o.lookup(id, r)
	o.mu.Unlock()
	if msg != "" {
		http.Error(w, msg, http.StatusConflict)
		return
	}
	if p := t.steps[num-1].ResponsePause; p > 0 {
		t.clock.sleep(time.Duration(p) * time.Second)
	}

	o.mu.Lock()
	t, num, srvNum, cliNum, msg := o.lookup(id, r) // again: others may have come in meanwhile
	if msg != "" {
		o.mu.Unlock()
		http.Error(w, msg, http.StatusConflict)
		return
	}
	raw, disconnect := t.respond(r, num, srvNum, cliNum, id)
	o.mu.Unlock()

	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		http.Error(w, "cachetests: hijack: "+err.Error(), http.StatusInternalServerError)
		return
	}
	defer conn.Close()
	if disconnect {
		return
	}
	conn.Write(raw)
}

// respond is continueHandleTest: it builds the response to the request r for
// step num, records the request, and reports whether the step instead
// closes the connection. o.mu is held.
func (t *originTest) respond(r *http.Request, num, srvNum, cliNum int, id string) (raw []byte, disconnect bool) {
	s := t.steps[num-1]
	now := t.clock.Now().UnixMilli()
	var b strings.Builder

	for _, in := range s.InterimResponses {
		switch in.Code {
		case http.StatusProcessing, http.StatusEarlyHints:
			fmt.Fprintf(&b, "HTTP/1.1 %d %s\r\n", in.Code, http.StatusText(in.Code))
			for _, f := range in.Fields {
				fmt.Fprintf(&b, "%s: %s\r\n", f.Name, toWire(f.Value.String()))
			}
			b.WriteString("\r\n")
		} // the suite's server sends no other interim status either
	}

	code, phrase := http.StatusOK, "OK"
	if s.ResponseStatus.has() {
		code, phrase = s.ResponseStatus.V.Code, s.ResponseStatus.V.Phrase
	}
	if strings.HasSuffix(s.ExpectedType, "validated") {
		code, phrase = 999, "304 Not Generated"
		var prev *step
		if num >= 2 {
			prev = t.steps[num-2]
		}
		if lm, ok := lastField(prev, "Last-Modified"); ok && r.Header.Get("If-Modified-Since") == toWire(lm) {
			code, phrase = http.StatusNotModified, "Not Modified"
		}
		if etag, ok := lastField(prev, "ETag"); ok && strings.Join(r.Header.Values("If-None-Match"), ", ") == toWire(etag) {
			code, phrase = http.StatusNotModified, "Not Modified"
		}
	}

	var out headerList
	out.add(fieldBaseURL, r.URL.RequestURI())
	out.add(fieldServerCount, strconv.Itoa(srvNum))
	out.add(fieldClientCount, jsNum(cliNum))
	out.add(fieldServerNow, strconv.FormatInt(now, 10))
	var saved []sentField
	for i := range s.ResponseHeaders {
		f := &s.ResponseHeaders[i]
		f.Value = fixup(*f, out.header(), s) // in place: a date once computed stays, as in the suite
		out.add(f.Name, f.Value.String())
		if f.Check {
			vs := out.values(f.Name)
			if j := slices.IndexFunc(saved, func(x sentField) bool { return x.name == f.Name }); j >= 0 {
				saved[j].values = vs
			} else {
				saved = append(saved, sentField{name: f.Name, values: vs})
			}
		}
	}
	if len(out.values("Content-Type")) == 0 {
		out.add("Content-Type", "text/plain")
	}
	t.seen = append(t.seen, seenRequest{num: cliNum, method: r.Method, header: r.Header.Clone(), saved: saved})
	nums := make([]string, len(t.seen))
	for i, x := range t.seen {
		nums[i] = jsNum(x.num)
	}
	out.add(fieldRequestNums, strings.Join(nums, " "))
	if s.Disconnect {
		return nil, true
	}

	body := id
	if s.ResponseBody.has() && s.ResponseBody.V != "" {
		body = s.ResponseBody.V
	}
	if slices.Contains(noBodyStatus, code) || r.Method == http.MethodHead {
		body = ""
	} else if len(out.values("Content-Length")) == 0 && len(out.values("Transfer-Encoding")) == 0 {
		out.add("Content-Length", strconv.Itoa(len(body)))
	}
	if len(out.values("Date")) == 0 {
		out.add("Date", httpDate(now, true, 0, false))
	}

	fmt.Fprintf(&b, "HTTP/1.1 %d %s\r\n", code, phrase)
	for _, f := range out {
		for _, v := range f.values {
			fmt.Fprintf(&b, "%s: %s\r\n", f.name, toWire(v))
		}
	}
	b.WriteString("\r\n")
	b.WriteString(body)
	return []byte(b.String()), false
}

// lastField is the suite's getHeader: the value of the last field named
// name in the step's response_headers, as the origin sent it. A date the
// origin has not sent yet is still a number, which no request field
// equals.
func lastField(s *step, name string) (string, bool) {
	if s == nil {
		return "", false
	}
	var last *value
	for i, f := range s.ResponseHeaders {
		if strings.EqualFold(f.Name, name) {
			last = &s.ResponseHeaders[i].Value
		}
	}
	if last == nil || last.IsInt {
		return "", false
	}
	return last.S, true
}

// jsNum formats a request number as the suite's server does, NaN for none.
func jsNum(n int) string {
	if n == 0 {
		return "NaN"
	}
	return strconv.Itoa(n)
}
