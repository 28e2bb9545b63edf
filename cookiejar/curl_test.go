package cookiejar

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/relayhttp/relay/internal/testenv"
)

// The cookies.txt interop tests against the real curl. Each has an
// in-process twin in curl_golden_test.go that checks the same behaviour
// against curl's recorded output (testdata/README.md), on every machine.
// These skip where curl is missing, unless RELAY_REQUIRE_EXTERNAL=1.

// updateGolden makes TestJarWritesCurlReads record testdata/curl-reads-jar/
// from the curl it runs: go test ./cookiejar/ -run TestJarWritesCurlReads -update
var updateGolden = flag.Bool("update", false, "record testdata/curl-reads-jar/ from the installed curl")

// curlServer sets cookies on /set and echoes the Cookie header it receives
// on /echo.
func curlServer(t *testing.T) (port string) {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/set":
			for _, c := range []string{
				"persistent=p1; Max-Age=3600; Path=/",
				"session=s1; Path=/",
				"hidden=h1; HttpOnly; Max-Age=3600; Path=/",
				"dom=d1; Domain=example.test; Path=/; Max-Age=3600",
				"scoped=x1; Path=/app; Max-Age=3600",
			} {
				w.Header().Add("Set-Cookie", c)
			}
		case "/echo", "/app/echo":
			_, _ = w.Write([]byte(strings.Join(r.Header.Values("Cookie"), "; ")))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	_, port, err := net.SplitHostPort(srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	return port
}

// needCurl returns the path of the installed curl, or ends the test
// (testenv.NeedProgram).
func needCurl(t *testing.T) string {
	t.Helper()
	return testenv.NeedProgram(t, "curl", "apt-get install -y curl")
}

// curl runs the real curl with host names resolved to the loopback server.
func curl(t *testing.T, port string, args ...string) string {
	t.Helper()
	base := []string{"-q", "-s", "-S", "--noproxy", "*", "--max-time", "20"}
	for _, h := range []string{"www.example.test", "sub.example.test", "other.test"} {
		base = append(base, "--resolve", h+":"+port+":127.0.0.1")
	}
	return runCurl(t, needCurl(t), append(base, args...)...)
}

func runCurl(t *testing.T, path string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Env = append(os.Environ(), "CURL_HOME="+t.TempDir())
	out, err := cmd.Output()
	if err != nil {
		var stderr string
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("curl %v: %v\n%s", args, err, stderr)
	}
	return string(out)
}

// sortedCookieHeader sorts the pairs of a Cookie header, so that tests do not
// depend on curl's sending order.
func sortedCookieHeader(h string) string {
	parts := strings.Split(h, "; ")
	slices.Sort(parts)
	return strings.Join(parts, " ")
}

// checkLoadedFromCurl checks a jar loaded at now from the file curl wrote
// with -c after GET /set (TestCurlWritesJarLoads and its twin).
func checkLoadedFromCurl(t *testing.T, jar *Jar, now time.Time) {
	t.Helper()
	type row struct {
		Name, Value, Domain, Path     string
		HostOnly, HttpOnly, Persisted bool
	}
	var got []row
	for _, e := range jar.all(now) {
		got = append(got, row{e.Name, e.Value, e.Domain, e.Path, e.HostOnly, e.HttpOnly, e.Persistent})
	}
	want := []row{
		{"dom", "d1", "example.test", "/", false, false, true},
		{"hidden", "h1", "www.example.test", "/", true, true, true},
		{"persistent", "p1", "www.example.test", "/", true, false, true},
		{"session", "s1", "www.example.test", "/", true, false, false},
		{"scoped", "x1", "www.example.test", "/app", true, false, true},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("cookies loaded from curl's file (-want +got):\n%s", diff)
	}
	if got := serializeCookies(jar.cookies(mustParseURL("http://sub.example.test/"), now)); got != "dom=d1" {
		t.Errorf("sub.example.test gets %q, want the domain cookie only", got)
	}
	for _, e := range jar.all(now) {
		if e.Name == "persistent" {
			if d := e.Expires.Sub(now); d < 50*time.Minute || d > 61*time.Minute {
				t.Errorf("persistent expires in %v, want about an hour", d)
			}
		}
	}
}

func TestCurlWritesJarLoads(t *testing.T) {
	port := curlServer(t)
	file := filepath.Join(t.TempDir(), "cookies.txt")
	curl(t, port, "-c", file, "http://www.example.test:"+port+"/set")
	if testing.Verbose() {
		b, _ := os.ReadFile(file)
		t.Logf("curl wrote:\n%s", b)
	}
	now := time.Now()
	jar := newTestJar(t)
	if err := jar.load(file, now); err != nil {
		t.Fatalf("Load of curl's file: %v", err)
	}
	checkLoadedFromCurl(t, jar, now)
}

// jarForCurl returns the jar TestJarWritesCurlReads hands to curl, its
// cookies set at now.
func jarForCurl(t *testing.T, now time.Time) *Jar {
	t.Helper()
	jar := newTestJar(t)
	jar.setCookies(mustParseURL("http://www.example.test/"), []*http.Cookie{
		{Name: "persistent", Value: "p1", MaxAge: 3600},
		{Name: "session", Value: "s1"},
		{Name: "hidden", Value: "h1", HttpOnly: true, MaxAge: 3600},
		{Name: "dom", Value: "d1", Domain: "example.test", MaxAge: 3600},
		{Name: "scoped", Value: "x1", Path: "/app", MaxAge: 3600},
		{Name: "quoted", Value: "q 1", Quoted: true, MaxAge: 3600},
	}, now)
	jar.setCookies(mustParseURL("http://other.test/"), []*http.Cookie{{Name: "other", Value: "o1", MaxAge: 3600}}, now)
	return jar
}

// The two files TestJarWritesCurlReads saves, by name.
var curlReadsFiles = map[string]*SaveOptions{
	"all.txt":        {Format: Netscape, IncludeSession: true},
	"persistent.txt": {Format: Netscape},
}

// curlReadsCases are the requests curl makes with -b FILE, and the cookies
// (sorted) it must send.
var curlReadsCases = []struct {
	file, url, want string // url without the port
}{
	{"all.txt", "http://www.example.test/echo", `dom=d1 hidden=h1 persistent=p1 quoted="q 1" session=s1`},
	{"all.txt", "http://www.example.test/app/echo", `dom=d1 hidden=h1 persistent=p1 quoted="q 1" scoped=x1 session=s1`},
	{"all.txt", "http://sub.example.test/echo", "dom=d1"},
	{"all.txt", "http://other.test/echo", "other=o1"},
	{"persistent.txt", "http://www.example.test/echo", `dom=d1 hidden=h1 persistent=p1 quoted="q 1"`},
}

// curlReadsRecord is testdata/curl-reads-jar/sent.json: when and with which
// curl the folder was recorded, and the Cookie header curl sent for each of
// curlReadsCases, as it sent it.
type curlReadsRecord struct {
	Curl string     `json:"curl"` // first line of curl --version
	Now  int64      `json:"now"`  // Unix time the jar's cookies were set and saved at
	Sent []curlSent `json:"sent"`
}

// curlSent is the Cookie header curl sent with -b File for URL (no port).
type curlSent struct {
	File   string `json:"file"`
	URL    string `json:"url"`
	Cookie string `json:"cookie"`
}

const curlReadsDir = "testdata/curl-reads-jar"

func TestJarWritesCurlReads(t *testing.T) {
	path := needCurl(t)
	port := curlServer(t)
	now := time.Now().Truncate(time.Second)
	jar := jarForCurl(t, now)
	dir := t.TempDir()
	for name, o := range curlReadsFiles {
		if err := jar.save(filepath.Join(dir, name), o, now); err != nil {
			t.Fatal(err)
		}
	}
	record := curlReadsRecord{Curl: strings.SplitN(runCurl(t, path, "--version"), "\n", 2)[0], Now: now.Unix()}
	for _, tc := range curlReadsCases {
		url := strings.Replace(tc.url, ".test/", ".test:"+port+"/", 1)
		sent := curl(t, port, "-b", filepath.Join(dir, tc.file), url)
		record.Sent = append(record.Sent, curlSent{tc.file, tc.url, sent})
		if diff := cmp.Diff(tc.want, sortedCookieHeader(sent)); diff != "" {
			t.Errorf("curl -b %s %s: Cookie mismatch (-want +got):\n%s", tc.file, url, diff)
		}
	}

	// And back: curl -b FILE -c FILE rewrites the file; the jar loads it.
	round := filepath.Join(dir, "rewritten.txt")
	data, err := os.ReadFile(filepath.Join(dir, "all.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(round, data, 0o600); err != nil {
		t.Fatal(err)
	}
	curl(t, port, "-b", round, "-c", round, "http://other.test:"+port+"/echo")
	checkCurlRewrote(t, jar, round, now)

	if *updateGolden && !t.Failed() {
		writeCurlReadsGolden(t, dir, record)
	}
}

// checkCurlRewrote loads the file curl rewrote with -b FILE -c FILE and
// compares it with the jar that wrote FILE.
func checkCurlRewrote(t *testing.T, jar *Jar, path string, now time.Time) {
	t.Helper()
	back := newTestJar(t)
	if err := back.load(path, now); err != nil {
		t.Fatalf("Load after curl rewrote the file: %v", err)
	}
	names := func(es []Entry) []string {
		var s []string
		for _, e := range es {
			s = append(s, e.Domain+" "+e.Path+" "+e.Name+"="+e.Value)
		}
		return s
	}
	if diff := cmp.Diff(names(jar.all(now)), names(back.all(now))); diff != "" {
		t.Errorf("jar → curl → jar (-want +got):\n%s", diff)
	}
}

// writeCurlReadsGolden replaces testdata/curl-reads-jar/ with what
// TestJarWritesCurlReads gave curl and got back.
func writeCurlReadsGolden(t *testing.T, dir string, record curlReadsRecord) {
	t.Helper()
	if err := os.MkdirAll(curlReadsDir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"all.txt", "persistent.txt", "rewritten.txt"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(curlReadsDir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "\t")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(record); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(curlReadsDir, "sent.json"), b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("recorded %s with %s at %s", curlReadsDir, record.Curl, time.Unix(record.Now, 0).UTC())
}
