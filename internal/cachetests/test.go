package cachetests

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/textproto"
	"sort"
	"strings"
	"sync"
	"time"
)

const (
	// pause is how long the suite waits after a step with pause_after.
	pause = 3 * time.Second
	// requestTimeout is how long the suite waits for a response.
	requestTimeout = 10 * time.Second
	// maxBody bounds what the runner reads of a response body.
	maxBody = 1 << 20
)

// failure is how a test failed, the suite's AssertionError and SetupError.
// A setup failure says nothing about the cache: a step the test relies on
// did not behave. A harness failure means the runner could not finish.
type failure struct {
	setup, harness bool
	msg            string
}

func (f *failure) Error() string { return f.msg }

// check returns nil if ok, and else the failure msg, a setup failure if
// setup: the suite's assert.
func check(setup, ok bool, format string, a ...any) *failure {
	if ok {
		return nil
	}
	return &failure{setup: setup, msg: fmt.Sprintf(format, a...)}
}

// received is a response as the runner saw it.
type received struct {
	status  int
	header  http.Header
	body    []byte
	bodyErr error
	interim []interimGot
	err     error // the subject's error, on a step whose origin disconnects
}

type interimGot struct {
	code   int
	header textproto.MIMEHeader
}

// testRun is one run of one test (the suite's makeTest).
type testRun struct {
	t          *test
	id         string // the test's path segment, and the default body
	url        string // the origin's base URL
	rt         http.RoundTripper
	clock      pauseClock
	responses  []received
	transcript []string
}

// newID returns a random UUID-shaped id, as the suite's token.
func newID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// unsupported reports a step that asks for something of the Fetch API that
// an http.RoundTripper has no counterpart for.
func unsupported(s *step) string {
	switch {
	case s.Mode != "":
		return "request mode " + s.Mode
	case s.Credentials != "":
		return "credentials mode " + s.Credentials
	case s.Cache != "":
		return "request cache mode " + s.Cache
	case s.Redirect != "" && s.Redirect != "manual":
		return "redirect mode " + s.Redirect + " (a RoundTripper never follows redirects)"
	}
	return ""
}

// run sends every step through the subject and checks each response, then
// checks what the origin saw. It stops at the first failure.
func (r *testRun) run(o *origin) *failure {
	for i, s := range r.t.Steps {
		if what := unsupported(s); what != "" {
			return &failure{harness: true, msg: fmt.Sprintf("Request %d uses %s, which an HTTP client library has no counterpart for", i+1, what)}
		}
	}
	o.register(r.id, r.t.Steps, r.clock)
	for i, s := range r.t.Steps {
		got, f := r.send(i, s)
		r.responses = append(r.responses, got)
		if f != nil {
			return f
		}
		if f := r.checkResponse(i, s, got); f != nil {
			return f
		}
		if s.PauseAfter {
			r.clock.sleep(pause)
		}
	}
	return r.checkServer(o.state(r.id))
}

// send makes request i (fetching.mjs init) and reads the whole response.
func (r *testRun) send(i int, s *step) (received, *failure) {
	u := r.url + "/test/" + r.id
	if s.Filename != "" {
		u += "/" + s.Filename
	}
	if s.QueryArg != "" {
		u += "?" + s.QueryArg
	}
	var body io.Reader
	if s.RequestBody.has() {
		body = strings.NewReader(s.RequestBody.V)
	}
	method := s.RequestMethod
	if method == "" {
		method = http.MethodGet
	}

	var mu sync.Mutex
	var got received
	ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
	defer cancel()
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		Got1xxResponse: func(code int, h textproto.MIMEHeader) error {
			mu.Lock()
			defer mu.Unlock()
			got.interim = append(got.interim, interimGot{code: code, header: h})
			return nil
		},
	})
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return got, &failure{harness: true, msg: fmt.Sprintf("Request %d: %v", i+1, err)}
	}
	var prev http.Header
	if i > 0 {
		prev = r.responses[i-1].header
	}
	for _, f := range s.RequestHeaders {
		v := f.Value
		if s.MagicIMS && strings.EqualFold(f.Name, "If-Modified-Since") {
			v = fixup(f, prev, s)
		}
		req.Header.Add(f.Name, toWire(v.String()))
	}
	req.Header.Add("Test-Name", toWire(r.t.Name))
	req.Header.Add("Test-ID", r.t.ID)
	req.Header.Add(fieldReqNum, fmt.Sprint(i+1))
	r.logRequest(i, req)

	resp, err := r.rt.RoundTrip(req)
	mu.Lock()
	defer mu.Unlock()
	switch {
	case err != nil && errors.Is(err, context.DeadlineExceeded):
		return got, &failure{harness: true, msg: fmt.Sprintf("Response %d: none within %v: %v", i+1, requestTimeout, err)}
	case err != nil && s.Disconnect:
		// A proxy answers a broken connection with a 502; a client library
		// reports an error. Either is an answer that is not from the cache.
		got.err, got.header = err, http.Header{}
		r.transcript = append(r.transcript, fmt.Sprintf("← %d: error (the origin disconnected): %v", i+1, err))
		return got, nil
	case err != nil:
		r.transcript = append(r.transcript, fmt.Sprintf("← %d: error: %v", i+1, err))
		return got, &failure{msg: fmt.Sprintf("Response %d: the subject returned an error: %v", i+1, err)}
	}
	got.status, got.header = resp.StatusCode, resp.Header
	if got.header == nil {
		got.header = http.Header{}
	}
	if resp.Body != nil {
		got.body, got.bodyErr = io.ReadAll(io.LimitReader(resp.Body, maxBody))
		resp.Body.Close()
	}
	r.logResponse(i, got)
	return got, nil
}

func (r *testRun) logRequest(i int, req *http.Request) {
	line := fmt.Sprintf("→ %d: %s %s", i+1, req.Method, strings.Replace(req.URL.RequestURI(), r.id, "<id>", 1))
	r.transcript = append(r.transcript, line+fields(req.Header, "Test-Name", "Test-Id", fieldReqNum))
}

func (r *testRun) logResponse(i int, got received) {
	r.transcript = append(r.transcript, fmt.Sprintf("← %d: %d%s", i+1, got.status, fields(got.header, fieldBaseURL, fieldServerNow)))
}

// fields formats h for a transcript, one field a line, leaving out skip.
func fields(h http.Header, skip ...string) string {
	var names []string
	for name := range h {
		if !containsFold(skip, name) {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	var b strings.Builder
	for _, name := range names {
		for _, v := range h[name] {
			fmt.Fprintf(&b, "\n      %s: %s", name, fromWire(v))
		}
	}
	return b.String()
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
