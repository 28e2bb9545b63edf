package cookiejar

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// fullJar returns a jar with one cookie of every kind, set at tNow.
func fullJar(t *testing.T) *Jar {
	t.Helper()
	jar := newTestJar(t)
	jar.setCookies(mustParseURL("https://www.host.test/dir/page"), []*http.Cookie{
		parseSetCookie("persistent=p; Max-Age=3600"),
		parseSetCookie("session=s; Path=/"),
		parseSetCookie("dom=d; Domain=host.test; Path=/; Max-Age=7200"),
		parseSetCookie("secure=x; Secure; HttpOnly; SameSite=Strict; Max-Age=60"),
		parseSetCookie(`quoted="a b"; Max-Age=60`),
		parseSetCookie("__Host-id=1; Secure; Path=/; SameSite=Lax; Max-Age=60"),
	}, tNow)
	jar.setCookies(mustParseURL("http://10.0.0.1/"), []*http.Cookie{parseSetCookie("ip=1; Max-Age=60")}, tNow.Add(time.Second))
	return jar
}

func TestSaveLoadJSON(t *testing.T) {
	for _, session := range []bool{false, true} {
		jar := fullJar(t)
		path := filepath.Join(t.TempDir(), "jar.json")
		now := tNow.Add(2 * time.Second)
		if err := jar.save(path, &SaveOptions{IncludeSession: session}, now); err != nil {
			t.Fatal(err)
		}
		back := newTestJar(t)
		if err := back.load(path, now); err != nil {
			t.Fatal(err)
		}
		want := jar.all(now)
		if !session {
			want = deleteSession(want)
		}
		if diff := cmp.Diff(want, back.all(now)); diff != "" {
			t.Errorf("JSON round trip, session=%v (-want +got):\n%s", session, diff)
		}
	}
}

func deleteSession(es []Entry) []Entry {
	var out []Entry
	for _, e := range es {
		if e.Persistent {
			out = append(out, e)
		}
	}
	return out
}

func TestSaveLoadNetscape(t *testing.T) {
	jar := fullJar(t)
	path := filepath.Join(t.TempDir(), "cookies.txt")
	now := tNow.Add(2 * time.Second)
	if err := jar.save(path, &SaveOptions{Format: Netscape, IncludeSession: true}, now); err != nil {
		t.Fatal(err)
	}
	back := newTestJar(t)
	if err := back.load(path, now); err != nil {
		t.Fatal(err)
	}
	// The format keeps everything but SameSite, creation and access times,
	// and sub-second expiry.
	strip := func(es []Entry) []Entry {
		for i := range es {
			es[i].SameSite, es[i].Created, es[i].LastAccess = 0, time.Time{}, time.Time{}
			es[i].Expires = es[i].Expires.Truncate(time.Second)
		}
		return es
	}
	if diff := cmp.Diff(strip(jar.all(now)), strip(back.all(now))); diff != "" {
		t.Errorf("Netscape round trip (-want +got):\n%s", diff)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{
		"# Netscape HTTP Cookie File\n",
		"\n.host.test\tTRUE\t/\tFALSE\t" + fmt.Sprint(tNow.Add(2*time.Hour).Unix()) + "\tdom\td\n",
		"\nwww.host.test\tFALSE\t/\tFALSE\t0\tsession\ts\n",
		"\n#HttpOnly_www.host.test\tFALSE\t/dir\tTRUE\t" + fmt.Sprint(tNow.Add(time.Minute).Unix()) + "\tsecure\tx\n",
		"\nwww.host.test\tFALSE\t/dir\tFALSE\t" + fmt.Sprint(tNow.Add(time.Minute).Unix()) + "\tquoted\t\"a b\"\n",
		"\n10.0.0.1\tFALSE\t/\tFALSE\t",
	} {
		if !strings.Contains(string(data), line) {
			t.Errorf("the file lacks %q:\n%s", line, data)
		}
	}
}

func TestLoadCurlGolden(t *testing.T) {
	jar := newTestJar(t)
	now := time.Unix(1795743256, 0).Add(-time.Hour)
	if err := jar.load("testdata/curl-7.88.1-cookies.txt", now); err != nil {
		t.Fatal(err)
	}
	if got := serializeCookies(jar.cookies(mustParseURL("http://www.example.test/app/x"), now)); got != "scoped=x1 dom=d1 hidden=h1 session=s1 persistent=p1" {
		t.Errorf("www.example.test/app/x gets %q", got)
	}
	if got := jar.content(now.Add(2 * time.Hour)); got != "session=s1" {
		t.Errorf("after the expiry: %q", got)
	}
}

func TestLoadMerge(t *testing.T) {
	dir := t.TempDir()
	u := mustParseURL("http://host.test/")
	older := newTestJar(t)
	older.setCookies(u, []*http.Cookie{{Name: "a", Value: "old", MaxAge: 3600}, {Name: "b", Value: "file", MaxAge: 3600}}, tNow)
	jsonPath, txtPath := filepath.Join(dir, "jar.json"), filepath.Join(dir, "jar.txt")
	for path, format := range map[string]Format{jsonPath: JSON, txtPath: Netscape} {
		if err := older.save(path, &SaveOptions{Format: format}, tNow); err != nil {
			t.Fatal(err)
		}
	}
	newer := newTestJar(t)
	newer.setCookies(u, []*http.Cookie{{Name: "b", Value: "jar", MaxAge: 3600}, {Name: "c", Value: "jar", MaxAge: 3600}}, tNow.Add(time.Minute))
	now := tNow.Add(2 * time.Minute)
	if err := newer.load(jsonPath, now); err != nil {
		t.Fatal(err)
	}
	if got := newer.content(now); got != "a=old b=jar c=jar" {
		t.Errorf("after loading an older JSON file: %q, want the jar's newer b kept", got)
	}

	// A newer file wins over an older jar cookie.
	stale := newTestJar(t)
	stale.setCookies(u, []*http.Cookie{{Name: "a", Value: "stale", MaxAge: 3 * 3600}}, tNow.Add(-time.Hour))
	if err := stale.load(jsonPath, now); err != nil {
		t.Fatal(err)
	}
	if got := stale.content(now); got != "a=old b=file" {
		t.Errorf("after loading a newer JSON file: %q, want the file's a", got)
	}

	// A Netscape file has no creation time: the jar keeps what it has.
	if err := stale.load(txtPath, now); err != nil {
		t.Fatal(err)
	}
	stale.Clear()
	stale.setCookies(u, []*http.Cookie{{Name: "a", Value: "mine", MaxAge: 3 * 3600}}, tNow.Add(-time.Hour))
	if err := stale.load(txtPath, now); err != nil {
		t.Fatal(err)
	}
	if got := stale.content(now); got != "a=mine b=file" {
		t.Errorf("after loading a Netscape file: %q", got)
	}
}

func TestLoadSkipsWhatTheJarWouldReject(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cookies.txt")
	exp := fmt.Sprint(tNow.Add(time.Hour).Unix())
	lines := []string{
		"host.test\tFALSE\t/\tFALSE\t" + exp + "\tok\t1",
		".com\tTRUE\t/\tFALSE\t" + exp + "\tpublic\t1",
		"com\tFALSE\t/\tFALSE\t" + exp + "\thostonly-suffix\t1",
		"host.test\tFALSE\t/\tFALSE\t" + exp + "\t__Host-insecure\t1",
		".host.test\tTRUE\t/\tTRUE\t" + exp + "\t__Host-domain\t1",
		"host.test\tFALSE\t/\tTRUE\t" + exp + "\t__Host-ok\t1",
		"host.test\tFALSE\t/\tFALSE\t" + fmt.Sprint(tNow.Add(-time.Hour).Unix()) + "\texpired\t1",
		"host.test\tFALSE\t/\tFALSE\t" + exp + "\tbad name\t1",
		"host.test\tFALSE\t/\tFALSE\t" + exp + "\tbadvalue\ta;b",
		"host.test\tFALSE\t/\tFALSE\t" + exp + "\tbig\t" + strings.Repeat("v", MaxCookieSize),
		"host.test\tFALSE\trelative\tFALSE\t" + exp + "\tbadpath\t1",
		"127.0.0.1\tTRUE\t/\tFALSE\t" + exp + "\tip\t1",
		"host.test\tFALSE\t/\tFALSE\t" + exp + "\tempty",
	}
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o600); err != nil {
		t.Fatal(err)
	}
	jar := newTestJar(t)
	if err := jar.load(path, tNow); err != nil {
		t.Fatal(err)
	}
	if got := jar.content(tNow); got != "__Host-ok=1 empty= hostonly-suffix=1 ip=1 ok=1" {
		t.Errorf("loaded %q", got)
	}
	for _, e := range jar.all(tNow) {
		if e.Name == "ip" && !e.HostOnly {
			t.Errorf("an IP cookie loaded as a domain cookie: %+v", e)
		}
	}
}

func TestLoadLimits(t *testing.T) {
	var b strings.Builder
	exp := fmt.Sprint(tNow.Add(time.Hour).Unix())
	for i := range MaxCookiesPerDomain + 10 {
		fmt.Fprintf(&b, "host.test\tFALSE\t/\tFALSE\t%s\tc%d\tv\n", exp, i)
	}
	path := filepath.Join(t.TempDir(), "cookies.txt")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	jar := newTestJar(t)
	if err := jar.load(path, tNow); err != nil {
		t.Fatal(err)
	}
	if n := len(jar.all(tNow)); n != MaxCookiesPerDomain {
		t.Errorf("%d cookies loaded for one domain, want %d", n, MaxCookiesPerDomain)
	}
}

func TestLoadMissing(t *testing.T) {
	jar := newTestJar(t)
	err := jar.Load(filepath.Join(t.TempDir(), "none.json"))
	if !errors.Is(err, fs.ErrNotExist) || !strings.HasPrefix(err.Error(), "cookiejar: ") {
		t.Errorf("Load of a missing file: %v", err)
	}
}

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

func TestSaveUnknownFormat(t *testing.T) {
	if err := fullJar(t).Save(filepath.Join(t.TempDir(), "x"), &SaveOptions{Format: 7}); err == nil {
		t.Error("Save with an unknown format succeeded")
	}
}

// TestSaveDuringSetCookies saves again and again while 8 goroutines set
// cookies; under -race it checks the snapshot, and every file written must
// load.
func TestSaveDuringSetCookies(t *testing.T) {
	jar := newTestJar(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "jar.json")
	txt := filepath.Join(dir, "cookies.txt")
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for g := range 8 {
		wg.Go(func() {
			u := mustParseURL(fmt.Sprintf("http://g%d.test/", g))
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				jar.SetCookies(u, []*http.Cookie{{Name: fmt.Sprint("c", i%60), Value: fmt.Sprint(i), MaxAge: 60}})
				jar.Cookies(u)
				if i%50 == 0 {
					jar.All()
				}
			}
		})
	}
	for i := range 40 {
		p, f := path, JSON
		if i%2 == 1 {
			p, f = txt, Netscape
		}
		if err := jar.Save(p, &SaveOptions{Format: f}); err != nil {
			t.Error(err)
			break
		}
		if err := newTestJar(t).Load(p); err != nil {
			t.Errorf("a file saved during SetCookies does not load: %v", err)
			break
		}
	}
	close(stop)
	wg.Wait()
	for _, e := range jar.All() {
		if e.Domain == "" {
			t.Fatalf("bad entry %+v", e)
		}
	}
	if n := len(jar.All()); n > 8*MaxCookiesPerDomain {
		t.Errorf("%d cookies", n)
	}
}
