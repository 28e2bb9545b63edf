package auth_test

import (
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/relayhttp/relay/auth"
	"github.com/relayhttp/relay/internal/testenv"
	"github.com/relayhttp/relay/middleware"
)

// The differential test against Python Requests' HTTPDigestAuth. The cases
// are testdata/digest_cases.json; testdata/requests_digest.py builds
// Requests' headers for them with time.ctime and os.urandom fixed, so that
// its cnonce is sha1(str(nc) + nonce + ctime + 8 zero bytes)[:16], which
// requestsCnonce computes too. TestDigestMatchesPythonRequests runs the
// script where python3 with requests is installed; TestDigestMatchesRequestsGolden
// compares with the script's output recorded in testdata/requests-digest.json
// (testdata/README.md), on every machine.
const (
	digestCasesFile   = "testdata/digest_cases.json"
	digestScriptFile  = "testdata/requests_digest.py"
	digestGoldenFile  = "testdata/requests-digest.json"
	digestRecordHint  = "python3 testdata/requests_digest.py < testdata/digest_cases.json > testdata/requests-digest.json (in auth/)"
	requestsCtime     = "Thu Jan  1 00:00:00 1970"
	pythonInstallHint = "apt-get install -y python3"
)

func requestsCnonce(nc int, nonce string) string {
	s := sha1.Sum(append([]byte(fmt.Sprint(nc)+nonce+requestsCtime), make([]byte, 8)...))
	return hex.EncodeToString(s[:])[:16]
}

// requestsQuoted and rfcQuoting rewrite Requests' quoted algorithm and qop values the way RFC
// 7616 §3.4 requires them ("a sender MUST NOT generate the quoted string
// syntax" for algorithm, qop and nc), which is how relay, curl and browsers
// send them. It is the one deliberate difference from Requests' header.
var requestsQuoted = regexp.MustCompile(`, (algorithm|qop)="([^"]*)"`)

func rfcQuoting(h string) string { return requestsQuoted.ReplaceAllString(h, ", $1=$2") }

type digestCase struct {
	User      string `json:"user"`
	Pass      string `json:"pass"`
	Challenge string `json:"challenge"`
	Method    string `json:"method"`
	URL       string `json:"url"`
	Count     int    `json:"count"`
}

// requestsOutput is what requests_digest.py writes.
type requestsOutput struct {
	Requests string       `json:"requests"` // requests.__version__
	Python   string       `json:"python"`
	Cases    []digestCase `json:"cases"`
	Headers  [][]string   `json:"headers"` // per case, Count headers
}

func readDigestCases(t *testing.T) ([]byte, []digestCase) {
	t.Helper()
	in, err := os.ReadFile(digestCasesFile)
	if err != nil {
		t.Fatal(err)
	}
	var cases []digestCase
	if err := json.Unmarshal(in, &cases); err != nil || len(cases) == 0 {
		t.Fatalf("%s: %d cases, %v", digestCasesFile, len(cases), err)
	}
	return in, cases
}

func TestDigestMatchesPythonRequests(t *testing.T) {
	python := testenv.NeedProgram(t, "python3", pythonInstallHint)
	if out, err := exec.Command(python, "-c", "import requests").CombinedOutput(); err != nil {
		lines := bytes.Split(bytes.TrimSpace(out), []byte("\n"))
		testenv.Unavailable(t, "python3 module requests", "pip install requests, or apt-get install -y python3-requests",
			fmt.Errorf("%v: %s", err, lines[len(lines)-1]))
	}
	in, cases := readDigestCases(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, python, digestScriptFile)
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("running Python Requests: %v\n%s", err, stderr.String())
	}
	var py requestsOutput
	if err := json.Unmarshal(out, &py); err != nil {
		t.Fatalf("Python output %q: %v", out, err)
	}
	t.Logf("compared with Python Requests %s (Python %s)", py.Requests, py.Python)
	compareWithRequests(t, cases, py)
}

// TestDigestMatchesRequestsGolden is TestDigestMatchesPythonRequests'
// in-process twin, run on every machine: relay's headers for the cases
// against those Python Requests built for them when the golden file was
// recorded.
func TestDigestMatchesRequestsGolden(t *testing.T) {
	_, cases := readDigestCases(t)
	b, err := os.ReadFile(digestGoldenFile)
	if err != nil {
		t.Fatal(err)
	}
	var golden requestsOutput
	if err := json.Unmarshal(b, &golden); err != nil {
		t.Fatalf("%s: %v", digestGoldenFile, err)
	}
	if diff := cmp.Diff(cases, golden.Cases); diff != "" {
		t.Fatalf("%s was recorded for other cases than %s; record it again: %s\n(-cases +golden):\n%s",
			digestGoldenFile, digestCasesFile, digestRecordHint, diff)
	}
	t.Logf("compared with Python Requests %s (Python %s), as recorded", golden.Requests, golden.Python)
	compareWithRequests(t, cases, golden)
}

// compareWithRequests sends each case's requests through relay's Digest
// authenticator, with Requests' cnonces, to a fake server that answers the
// first attempt with the case's challenge, and compares relay's
// Authorization headers with Requests'.
func compareWithRequests(t *testing.T, cases []digestCase, py requestsOutput) {
	t.Helper()
	if len(py.Headers) != len(cases) {
		t.Fatalf("Requests' output has headers for %d cases, want %d", len(py.Headers), len(cases))
	}
	for i, c := range cases {
		a := auth.Digest(c.User, c.Pass)
		nonce := requestsNonce(t, c.Challenge)
		calls := 0
		auth.SetDigestCnonce(a, func() string { calls++; return requestsCnonce(calls, nonce) })
		var got []string
		rt := rtFunc(func(r *http.Request) (*http.Response, error) {
			h := r.Header.Get("Authorization")
			if h == "" {
				return response(r, 401, http.Header{"Www-Authenticate": {c.Challenge}}, ""), nil
			}
			got = append(got, h)
			return response(r, 200, nil, ""), nil
		})
		hc := &http.Client{Transport: middleware.Chain(rt, auth.Middleware(a))}
		for range c.Count {
			req, _ := http.NewRequest(c.Method, c.URL, nil)
			resp, err := hc.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
		}
		want := make([]string, len(py.Headers[i]))
		for j, h := range py.Headers[i] {
			want[j] = rfcQuoting(h)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("case %d (%s): Authorization differs from Requests' (-requests +relay):\n%s", i, c.Challenge, diff)
		}
	}
}

func requestsNonce(t *testing.T, challenge string) string {
	t.Helper()
	for _, c := range auth.ParseChallenges(challenge) {
		for _, p := range c.Params {
			if p[0] == "nonce" {
				return p[1]
			}
		}
	}
	t.Fatalf("no nonce in %s", challenge)
	return ""
}
