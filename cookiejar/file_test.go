package cookiejar

import (
	"errors"
	"fmt"
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
