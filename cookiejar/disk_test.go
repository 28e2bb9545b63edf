package cookiejar

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// failAfter is a writer that fails once n bytes went through.
type failAfter struct {
	w io.Writer
	n int
}

var errDiskFull = errors.New("injected: no space left on device")

func (f *failAfter) Write(p []byte) (int, error) {
	if len(p) > f.n {
		n, _ := f.w.Write(p[:f.n])
		f.n = 0
		return n, errDiskFull
	}
	f.n -= len(p)
	return f.w.Write(p)
}

func TestSaveFailureKeepsOldFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "jar.json")
	old := fullJar(t)
	if err := old.save(path, nil, tNow); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}

	jar := newTestJar(t)
	jar.setCookies(mustParseURL("http://new.test/"), []*http.Cookie{{Name: "n", Value: strings.Repeat("x", 1000), MaxAge: 60}}, tNow)
	jar.wrapWriter = func(w io.Writer) io.Writer { return &failAfter{w: w, n: 100} }
	err = jar.save(path, nil, tNow)
	if !errors.Is(err, errDiskFull) || !strings.HasPrefix(err.Error(), "cookiejar: saving ") {
		t.Fatalf("Save with a failing disk: %v", err)
	}
	after, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(before), string(after)); diff != "" {
		t.Errorf("a failed Save changed the file (-before +after):\n%s", diff)
	}
	names, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(names) != 1 {
		t.Errorf("a failed Save left files behind: %v", names)
	}
	// The next Save works.
	jar.wrapWriter = nil
	if err := jar.save(path, nil, tNow); err != nil {
		t.Fatal(err)
	}
	back := newTestJar(t)
	if err := back.load(path, tNow); err != nil || back.content(tNow) != "n="+strings.Repeat("x", 1000) {
		t.Errorf("after a good Save: %v, %.20q", err, back.content(tNow))
	}
}

func TestCorruptFile(t *testing.T) {
	exp := fmt.Sprint(tNow.Add(time.Hour).Unix())
	tests := []struct {
		name, content string
		line          int
	}{
		{"fields", "# Netscape HTTP Cookie File\n\nhost.test\tFALSE\t/\tFALSE\t" + exp + "\ta\t1\nhost.test\tFALSE\t/\n", 4},
		{"flag", "host.test\tMAYBE\t/\tFALSE\t" + exp + "\ta\t1\n", 1},
		{"secure flag", "\n\nhost.test\tFALSE\t/\tyes\t" + exp + "\ta\t1\n", 3},
		{"expiry", "host.test\tFALSE\t/\tFALSE\tsoon\ta\t1\n", 1},
		{"negative expiry", "host.test\tFALSE\t/\tFALSE\t-5\ta\t1\n", 1},
		{"empty domain", "\tFALSE\t/\tFALSE\t0\ta\t1\n", 1},
		{"domain", "ho st.test\tFALSE\t/\tFALSE\t0\ta\t1\n", 1},
		{"dots", "..host.test\tTRUE\t/\tFALSE\t0\ta\t1\n", 1},
		{"binary", "\x00\x01\x02garbage", 1},
		{"truncated JSON", "{\n  \"format\": \"relay-cookiejar\",\n  \"version\": 1,\n  \"cookies\": [\n    {\"name\": \"a\", \"va", 5},
		{"JSON type", "{\n\"format\": \"relay-cookiejar\",\n\"version\": 1,\n\"cookies\": [\n{\"name\": \"a\", \"domain\": \"h.test\"},\n{\"name\": 5}\n]}", 6},
		{"JSON cookie", "{\"format\": \"relay-cookiejar\", \"version\": 1, \"cookies\": [\n{\"name\": \"a\", \"domain\": \"h.test\"},\n\n  {\"name\": \"b\", \"domain\": \"\"}]}", 4},
		{"JSON sameSite", "{\"format\": \"relay-cookiejar\", \"version\": 1, \"cookies\": [\n{\"name\": \"a\", \"domain\": \"h.test\", \"sameSite\": \"Sometimes\"}]}", 2},
		{"JSON field", "{\n\"format\": \"relay-cookiejar\",\n\"version\": 1,\n\"cookies\": [\n{\n\"name\": \"a\",\n\"domain\": \"h.test\",\n\"secure\": \"no\"\n}\n]}", 8},
		{"JSON foreign", `{"cookies": []}`, 1},
		{"JSON version", `{"format": "relay-cookiejar", "version": 2, "cookies": []}`, 1},
		{"JSON trailing", "{\"format\": \"relay-cookiejar\", \"version\": 1, \"cookies\": []}\n{}", 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "jar")
			if err := os.WriteFile(path, []byte(tc.content), 0o600); err != nil {
				t.Fatal(err)
			}
			jar := fullJar(t)
			before := jar.all(tNow)
			err := jar.load(path, tNow)
			var ce *CorruptError
			if !errors.As(err, &ce) || !errors.Is(err, ErrCorrupt) {
				t.Fatalf("Load: %v, want a *CorruptError", err)
			}
			if ce.Line != tc.line || ce.Path != path {
				t.Errorf("error %q at line %d of %s, want line %d of %s", err, ce.Line, ce.Path, tc.line, path)
			}
			if !strings.HasPrefix(err.Error(), "cookiejar: corrupt cookie file "+path+": line ") {
				t.Errorf("error text %q", err)
			}
			if diff := cmp.Diff(before, jar.all(tNow)); diff != "" {
				t.Errorf("a failed Load changed the jar (-before +after):\n%s", diff)
			}

			// Save moves the corrupt file aside, byte for byte, then writes.
			saveAt := tNow.Add(90 * time.Second)
			if err := jar.save(path, nil, saveAt); err != nil {
				t.Fatal(err)
			}
			aside := path + ".corrupt-20260301T120130.000000000Z"
			kept, err := os.ReadFile(aside)
			if err != nil {
				t.Fatalf("corrupt file not kept aside: %v", err)
			}
			if string(kept) != tc.content {
				t.Errorf("the file kept aside differs from the corrupt file")
			}
			back := newTestJar(t)
			if err := back.load(path, tNow); err != nil {
				t.Errorf("the new file does not load: %v", err)
			}
		})
	}
}

func TestSaveRefusesNonRegular(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "jar")
	if err := os.Mkdir(path, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := fullJar(t).Save(path, nil); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("Save over a folder: %v", err)
	}
}
