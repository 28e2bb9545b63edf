package cookiejar

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// The in-process twins of the curl interop tests in curl_test.go, run on
// every machine: the same checks against files curl wrote and headers curl
// sent when testdata/ was recorded (provenance in testdata/README.md).

// TestCurlWritesJarLoadsGolden is TestCurlWritesJarLoads' twin: the file
// curl 7.88.1 wrote with -c after GET /set loads as the same cookies. It
// was written an hour before its persistent cookies expire.
func TestCurlWritesJarLoadsGolden(t *testing.T) {
	written := time.Unix(1795743256, 0).Add(-time.Hour)
	jar := newTestJar(t)
	if err := jar.load("testdata/curl-7.88.1-cookies.txt", written); err != nil {
		t.Fatalf("Load of curl's file: %v", err)
	}
	checkLoadedFromCurl(t, jar, written)
}

// TestJarWritesCurlReadsGolden is TestJarWritesCurlReads' twin. The jar,
// set up and saved at the recording's time, must write byte for byte the
// files curl was recorded reading (else relay's output changed and is
// untested by curl: record again with -update where curl is installed);
// curl's recorded Cookie headers must be those the test wants, and the jar
// reading the same files must choose the same cookies curl chose; the file
// curl rewrote must load as the jar that wrote it.
func TestJarWritesCurlReadsGolden(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(curlReadsDir, "sent.json"))
	if err != nil {
		t.Fatal(err)
	}
	var record curlReadsRecord
	if err := json.Unmarshal(b, &record); err != nil {
		t.Fatalf("%s/sent.json: %v", curlReadsDir, err)
	}
	t.Logf("compared with %s, as recorded at %s", record.Curl, time.Unix(record.Now, 0).UTC())
	now := time.Unix(record.Now, 0)
	jar := jarForCurl(t, now)
	dir := t.TempDir()
	for name, o := range curlReadsFiles {
		path := filepath.Join(dir, name)
		if err := jar.save(path, o, now); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join(curlReadsDir, name))
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(string(want), string(got)); diff != "" {
			t.Errorf("the jar now writes %s otherwise than curl was recorded reading it; "+
				"record again with go test ./cookiejar/ -run TestJarWritesCurlReads -update (-recorded +now):\n%s", name, diff)
		}
	}

	if len(record.Sent) != len(curlReadsCases) {
		t.Fatalf("%s/sent.json has %d requests, want %d: record again", curlReadsDir, len(record.Sent), len(curlReadsCases))
	}
	for i, tc := range curlReadsCases {
		sent := record.Sent[i]
		if sent.File != tc.file || sent.URL != tc.url {
			t.Fatalf("request %d recorded for -b %s %s, want -b %s %s: record again", i, sent.File, sent.URL, tc.file, tc.url)
		}
		if diff := cmp.Diff(tc.want, sortedCookieHeader(sent.Cookie)); diff != "" {
			t.Errorf("curl -b %s %s sent (-want +recorded):\n%s", tc.file, tc.url, diff)
		}
		reader := newTestJar(t)
		if err := reader.load(filepath.Join(curlReadsDir, tc.file), now); err != nil {
			t.Fatal(err)
		}
		var pairs []string
		for _, c := range reader.cookies(mustParseURL(tc.url), now) {
			v := c.Value
			if c.Quoted {
				v = `"` + v + `"`
			}
			pairs = append(pairs, c.Name+"="+v)
		}
		if diff := cmp.Diff(sortedCookieHeader(sent.Cookie), sortedCookieHeader(strings.Join(pairs, "; "))); diff != "" {
			t.Errorf("-b %s %s: the jar reading the file chooses otherwise than curl did (-curl +jar):\n%s", tc.file, tc.url, diff)
		}
	}

	checkCurlRewrote(t, jar, filepath.Join(curlReadsDir, "rewritten.txt"), now)
}
