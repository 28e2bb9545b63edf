package auth_test

import (
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"os/exec"
	"regexp"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/relayhttp/relay/auth"
	"github.com/relayhttp/relay/middleware"
)

// requestsDigest builds Authorization headers with Python Requests'
// HTTPDigestAuth for each case, count headers per case (nonce counts 1 …
// count). time.ctime and os.urandom are fixed so that its cnonce is
// sha1(str(nc) + nonce + ctime + 8 zero bytes)[:16], which requestsCnonce
// computes too.
const requestsDigest = `
import json, os, re, sys, time
try:
    import requests.auth, requests.utils
except ImportError as e:
    sys.exit("python3 cannot import requests (pip install requests): %s" % e)
time.ctime = lambda *a: "Thu Jan  1 00:00:00 1970"
os.urandom = lambda n: b"\0" * n
out = []
for c in json.load(sys.stdin):
    a = requests.auth.HTTPDigestAuth(c["user"], c["pass"])
    a.init_per_thread_state()
    a._thread_local.chal = requests.utils.parse_dict_header(
        re.compile(r"digest ", flags=re.IGNORECASE).sub("", c["challenge"], count=1))
    out.append([a.build_digest_header(c["method"], c["url"]) for _ in range(c["count"])])
json.dump({"version": requests.__version__, "headers": out}, sys.stdout)
`

const requestsCtime = "Thu Jan  1 00:00:00 1970"

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

func TestDigestMatchesPythonRequests(t *testing.T) {
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Fatalf("python3 is not installed: the differential test against Python Requests needs python3 with the requests package (%v)", err)
	}
	cases := []digestCase{
		{"Mufasa", "Circle Of Life", `Digest realm="testrealm@host.com", qop="auth", algorithm=MD5, nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"`, "GET", "http://127.0.0.1:8080/dir/index.html?a=1&b=two", 3},
		{"user", "passwd", `Digest qop="auth", realm="go-httpbin", nonce="0123456789abcdef"`, "POST", "http://127.0.0.1:8080", 2},
		{"user", "passwd", `Digest realm="r", nonce="n1", qop="auth", algorithm=MD5-sess, opaque="o"`, "PUT", "http://127.0.0.1:8080/a%20b/c", 2},
		{"user", "p@ss:w0rd", `Digest qop=auth, realm="go-httpbin", algorithm=SHA-256, nonce=6fc2ca9bdbcfe5bd56a4c1e81f1b8253, opaque=d41d8cd98f00b204e9800998ecf8427e`, "GET", "http://127.0.0.1:8080/digest-auth/auth/user/passwd/SHA-256", 2},
		{"user", "passwd", `Digest realm="multi qop", nonce="abc", qop="auth,auth-int", algorithm=SHA-256`, "DELETE", "http://127.0.0.1:8080/x?y", 1},
		{"user", "passwd", `Digest realm="no qop (RFC 2069)", nonce="abc", opaque="o"`, "GET", "http://127.0.0.1:8080/old", 2},
		{"J\u00e4s\u00f8n", "s\u00e9cret", `Digest realm="space and @", nonce="n", qop="auth"`, "GET", "http://127.0.0.1:8080/", 1},
	}
	in, _ := json.Marshal(cases)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, python, "-c", requestsDigest)
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("running Python Requests: %v\n%s", err, stderr.String())
	}
	var py struct {
		Version string     `json:"version"`
		Headers [][]string `json:"headers"`
	}
	if err := json.Unmarshal(out, &py); err != nil || len(py.Headers) != len(cases) {
		t.Fatalf("Python output %q: %v", out, err)
	}
	t.Logf("compared with Python Requests %s", py.Version)

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
