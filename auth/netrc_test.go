package auth_test

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/relayhttp/relay/auth"
)

var ignoreBasic = cmpopts.IgnoreUnexported(auth.NetrcEntry{})

func TestParseNetrc(t *testing.T) {
	type e = auth.NetrcEntry
	for _, tc := range []struct {
		name, in string
		want     []e
	}{
		{"one line", "machine example.com login u password p", []e{{Machine: "example.com", Login: "u", Password: "p"}}},
		{"lines, tabs, CRLF, account", "machine a.test\r\n\tlogin u\r\n\tpassword p\r\n\taccount acct\r\n", []e{{Machine: "a.test", Login: "u", Password: "p", Account: "acct"}}},
		{"default last", "default login anon password me@\nmachine x login u password p\n", []e{{Machine: "x", Login: "u", Password: "p"}, {Default: true, Login: "anon", Password: "me@"}}},
		{"keywords are case-insensitive", "MACHINE h LOGIN u PASSWORD p", []e{{Machine: "h", Login: "u", Password: "p"}}},
		{"first entry for a host wins", "machine h login first password 1\nmachine H login second password 2", []e{{Machine: "h", Login: "first", Password: "1"}}},
		{"quoted tokens with curl's escapes", `machine h login "a user" password "p\"q\\r\tx\n#not a comment"`, []e{{Machine: "h", Login: "a user", Password: "p\"q\\r\tx\n#not a comment"}}},
		{"empty quoted password", `machine h login u password ""`, []e{{Machine: "h", Login: "u"}}},
		{"comments", "# a comment machine evil login x password y\nmachine h login u # trailing\npassword p#not-a-comment\n", []e{{Machine: "h", Login: "u", Password: "p#not-a-comment"}}},
		{"macdef ends at an empty line", "machine h login u\nmacdef init\ncd /pub\nmachine evil login x password y\n\nmachine g login v password w\n", []e{{Machine: "h", Login: "u"}, {Machine: "g", Login: "v", Password: "w"}}},
		{"macdef ends the entry", "machine h login u\nmacdef m\nx\n\npassword late\n", []e{{Machine: "h", Login: "u"}}},
		{"macdef with CRLF empty line", "macdef m\r\nbody\r\n\r\nmachine h login u password p\r\n", []e{{Machine: "h", Login: "u", Password: "p"}}},
		{"macdef to the end", "machine h login u password p\nmacdef m\nbody", []e{{Machine: "h", Login: "u", Password: "p"}}},
		{"tokens before any machine are ignored", "login x password y\nmachine h login u password p", []e{{Machine: "h", Login: "u", Password: "p"}}},
		{"unknown tokens are ignored", "machine h port 21 login u password p", []e{{Machine: "h", Login: "u", Password: "p"}}},
		{"last value wins inside an entry", "machine h login a login b password p", []e{{Machine: "h", Login: "b", Password: "p"}}},
		{"empty", "", nil},
		{"only comments", "# nothing\n   # here\n", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := auth.ParseNetrc([]byte(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, f.Entries(), ignoreBasic, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("entries mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseNetrcErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"machine h login u password \"s3cret", "auth: netrc: line 1: quoted token not closed on its line"},
		{"machine h\nlogin u\npassword \"s3cret\nmore\"", "auth: netrc: line 3: quoted token not closed on its line"},
		{"machine h login u password \"s3cret\\", "auth: netrc: line 1: quoted token not closed on its line"},
		{"machine h login u password", `auth: netrc: line 1: "password" has no value`},
		{"machine", `auth: netrc: line 1: "machine" has no value`},
	} {
		_, err := auth.ParseNetrc([]byte(tc.in))
		if err == nil || err.Error() != tc.want {
			t.Errorf("ParseNetrc(%q) = %v, want %s", tc.in, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), "s3cret") {
			t.Errorf("the error shows the password: %v", err)
		}
	}
}

func TestNetrcLookup(t *testing.T) {
	f, err := auth.ParseNetrc([]byte("machine Example.COM login u password p\nmachine bare\nmachine h:8080 login x password y\ndefault login anon password d\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ host, want string }{
		{"example.com", "machine Example.COM login u password ***"},
		{"EXAMPLE.com", "machine Example.COM login u password ***"},
		{"h", "default login anon password ***"}, // ports are not matched: "h:8080" is no host name
		{"other", "default login anon password ***"},
		{"bare", "machine bare"},
	} {
		e, ok := f.Lookup(tc.host)
		if !ok || e.String() != tc.want {
			t.Errorf("Lookup(%q) = %v, %v; want %s", tc.host, e, ok, tc.want)
		}
	}
	var none *auth.NetrcFile
	if _, ok := none.Lookup("x"); ok {
		t.Error("a nil file has entries")
	}
	e, _ := f.Lookup("example.com")
	for _, s := range []string{fmt.Sprint(e), fmt.Sprintf("%+v %#v %s", e, e, e)} {
		if strings.Contains(s, "password p") || strings.Contains(s, `"p"`) {
			t.Errorf("formatting shows the password: %s", s)
		}
	}
}

func writeFile(t *testing.T, path, data string, mode os.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil { // umask-independent
		t.Fatal(err)
	}
}

func TestNetrcFiles(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("HOME", dir)
	t.Setenv("NETRC", "")

	// No file: no credentials, no error.
	f, err := auth.Netrc("")
	if err != nil || len(f.Entries()) != 0 {
		t.Fatalf("missing file: %v, %v", f.Entries(), err)
	}
	if got, want := auth.NetrcPath(), filepath.Join(dir, ".netrc"); got != want {
		t.Errorf("NetrcPath() = %s, want %s", got, want)
	}
	// _netrc when it is the only one, as Requests looks for both.
	writeFile(t, filepath.Join(dir, "_netrc"), "machine w login u password p", 0o600)
	if got, want := auth.NetrcPath(), filepath.Join(dir, "_netrc"); got != want {
		t.Errorf("NetrcPath() = %s, want %s", got, want)
	}
	writeFile(t, filepath.Join(dir, ".netrc"), "machine h login u password p", 0o600)
	f, err = auth.Netrc("")
	if err != nil || f.Path != filepath.Join(dir, ".netrc") || f.Exposed {
		t.Fatalf("Netrc: %+v, %v", f, err)
	}
	if _, ok := f.Lookup("h"); !ok {
		t.Error("no entry for h")
	}
	// NETRC wins, with ~/ expanded.
	writeFile(t, filepath.Join(dir, "other"), "machine o login u password p", 0o644)
	t.Setenv("NETRC", "~/other")
	f, err = auth.Netrc("")
	if err != nil || f.Path != filepath.Join(dir, "other") || !f.Exposed {
		t.Fatalf("Netrc with NETRC: %+v, %v", f, err)
	}
	// Errors name the path and line, not the contents.
	writeFile(t, filepath.Join(dir, "bad"), "machine h password \"s3cret", 0o600)
	if _, err := auth.Netrc(filepath.Join(dir, "bad")); err == nil || !strings.Contains(err.Error(), "bad: line 1") || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("err = %v", err)
	}
	writeFile(t, filepath.Join(dir, "big"), strings.Repeat("#", auth.MaxNetrcSize+1), 0o600)
	if _, err := auth.Netrc(filepath.Join(dir, "big")); err == nil {
		t.Error("a file over MaxNetrcSize was read")
	}
}

func TestNetrcSourceWarnsOnce(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "netrc")
	writeFile(t, path, "machine h login u password s3cret", 0o644)
	core, logs := observer.New(zapcore.WarnLevel)
	src := auth.NetrcSource(path, zap.New(core))
	for range 3 {
		f, err := src()
		if err != nil || len(f.Entries()) != 1 {
			t.Fatalf("%v %v", f, err)
		}
	}
	if logs.Len() != 1 {
		t.Fatalf("%d warnings, want 1", logs.Len())
	}
	entry := logs.All()[0]
	if entry.ContextMap()["path"] != path || strings.Contains(fmt.Sprint(entry), "s3cret") {
		t.Errorf("warning %+v", entry)
	}
	// A private file is not warned about; the file is read once.
	writeFile(t, path, "machine h login u password p", 0o600)
	core, logs = observer.New(zapcore.WarnLevel)
	src = auth.NetrcSource(path, zap.New(core))
	src()
	os.Remove(path)
	if f, _ := src(); len(f.Entries()) != 1 || logs.Len() != 0 {
		t.Errorf("entries %v, %d warnings", f.Entries(), logs.Len())
	}
	if f, err := auth.NetrcSource(path, nil)(); err != nil || len(f.Entries()) != 0 {
		t.Errorf("missing file: %v %v", f, err)
	}
}

// chain builds the requests of a redirect chain through urls, linked by
// Request.Response the way net/http's Client links them.
func chain(urls ...string) *http.Request {
	var req *http.Request
	for _, u := range urls {
		next, _ := http.NewRequest("GET", u, nil)
		if req != nil {
			next.Response = &http.Response{StatusCode: 302, Request: req}
		}
		req = next
	}
	return req
}

func TestNetrcForHop(t *testing.T) {
	f, _ := auth.ParseNetrc([]byte("machine a.test login a password 1\nmachine b.test login b password 2\ndefault login d password 3"))
	for _, tc := range []struct {
		hops []string
		want string
	}{
		{[]string{"https://a.test/"}, "a"},
		{[]string{"https://a.test/", "https://a.test/x"}, "a"},
		{[]string{"https://a.test/", "https://b.test/"}, "b"},                   // each hop its own host's entry
		{[]string{"https://a.test/", "https://a.test:8443/"}, "a"},              // netrc keys hosts, not ports
		{[]string{"https://a.test/", "https://b.test/", "https://a.test/"}, ""}, // never put back
		{[]string{"http://a.test/", "https://a.test/", "https://b.test/", "https://b.test/y"}, "b"},
		{[]string{"https://c.test/"}, "d"}, // default on the first origin
		{[]string{"https://c.test/", "https://c.test/2"}, "d"},
		{[]string{"https://a.test/", "https://c.test/"}, ""}, // default never after leaving
	} {
		e, ok := auth.NetrcForHop(f, chain(tc.hops...))
		if e.Login != tc.want || ok != (tc.want != "") {
			t.Errorf("%v: got %q, want %q", tc.hops, e.Login, tc.want)
		}
	}
}

func FuzzParseNetrc(f *testing.F) {
	for _, s := range []string{
		"machine example.com login u password p account a\n",
		"default login anonymous password me@example.com\n",
		"machine h login u\nmacdef init\ncd /pub\n\nmachine g login v password w\n",
		`machine h login "a b" password "p\"q\n"`, "# comment\nmachine", `"`, "macdef", "machine h password \"x\\",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		nf, err := auth.ParseNetrc(data)
		if err != nil {
			if nf != nil {
				t.Fatal("a file and an error")
			}
			return
		}
		for _, e := range nf.Entries() {
			if e.Password != "" && strings.Contains(e.String(), e.Password) && !strings.Contains(e.Machine+e.Login+" machine login password default ***", e.Password) {
				t.Fatalf("String shows the password: %s", e)
			}
		}
	})
}
