package cachetests

import (
	"errors"
	"net/http"
	"strings"
	"testing"
)

// closingSubject counts the RoundTrippers made and closed.
type closingSubject struct {
	http.RoundTripper
	closed *int
	err    error
}

func (c closingSubject) Close() error { *c.closed++; return c.err }

func TestSubjectClosed(t *testing.T) {
	made, closed := 0, 0
	var closeErr error
	s := func(base http.RoundTripper, _ Clock) http.RoundTripper {
		made++
		return closingSubject{RoundTripper: base, closed: &closed, err: closeErr}
	}
	results(t, s, Options{Skip: only(t, "freshness-none", "cc-resp-no-store")})
	if made != 2 || closed != 2 {
		t.Errorf("%d subjects made, %d closed: want 2 and 2", made, closed)
	}
	closeErr = errors.New("boom")
	r := results(t, s, Options{Skip: only(t, "cc-resp-no-store")})
	if res, _ := r.Result("cc-resp-no-store"); res.Outcome != HarnessFailed || !strings.Contains(res.Reason, "boom") {
		t.Errorf("a subject whose Close fails: %v, want a harness failure saying why", res)
	}
}
