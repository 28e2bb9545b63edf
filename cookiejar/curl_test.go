package cookiejar

import (
	"context"
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
)

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

// curl runs the real curl with host names resolved to the loopback server.
// A missing curl fails the test: CI installs it, and interop is the point.
func curl(t *testing.T, port string, args ...string) string {
	t.Helper()
	path, err := exec.LookPath("curl")
	if err != nil {
		t.Fatalf("curl is not installed (%v): the cookies.txt interop tests need the real curl; install it (apt-get install curl), as CI does", err)
	}
	base := []string{"-q", "-s", "-S", "--noproxy", "*", "--max-time", "20"}
	for _, h := range []string{"www.example.test", "sub.example.test", "other.test"} {
		base = append(base, "--resolve", h+":"+port+":127.0.0.1")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, append(base, args...)...)
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

func TestCurlWritesJarLoads(t *testing.T) {
	port := curlServer(t)
	file := filepath.Join(t.TempDir(), "cookies.txt")
	curl(t, port, "-c", file, "http://www.example.test:"+port+"/set")
	if testing.Verbose() {
		b, _ := os.ReadFile(file)
		t.Logf("curl wrote:\n%s", b)
	}

	jar := newTestJar(t)
	if err := jar.Load(file); err != nil {
		t.Fatalf("Load of curl's file: %v", err)
	}
	type row struct {
		Name, Value, Domain, Path     string
		HostOnly, HttpOnly, Persisted bool
	}
	var got []row
	for _, e := range jar.All() {
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
	if got := serializeCookies(jar.Cookies(mustParseURL("http://sub.example.test/"))); got != "dom=d1" {
		t.Errorf("sub.example.test gets %q, want the domain cookie only", got)
	}
	for _, e := range jar.All() {
		if e.Name == "persistent" {
			if d := time.Until(e.Expires); d < 50*time.Minute || d > 61*time.Minute {
				t.Errorf("persistent expires in %v, want about an hour", d)
			}
		}
	}
}

func TestJarWritesCurlReads(t *testing.T) {
	port := curlServer(t)
	jar := newTestJar(t)
	jar.SetCookies(mustParseURL("http://www.example.test/"), []*http.Cookie{
		{Name: "persistent", Value: "p1", MaxAge: 3600},
		{Name: "session", Value: "s1"},
		{Name: "hidden", Value: "h1", HttpOnly: true, MaxAge: 3600},
		{Name: "dom", Value: "d1", Domain: "example.test", MaxAge: 3600},
		{Name: "scoped", Value: "x1", Path: "/app", MaxAge: 3600},
		{Name: "quoted", Value: "q 1", Quoted: true, MaxAge: 3600},
	})
	jar.SetCookies(mustParseURL("http://other.test/"), []*http.Cookie{{Name: "other", Value: "o1", MaxAge: 3600}})
	dir := t.TempDir()

	withSession := filepath.Join(dir, "all.txt")
	if err := jar.Save(withSession, &SaveOptions{Format: Netscape, IncludeSession: true}); err != nil {
		t.Fatal(err)
	}
	persistentOnly := filepath.Join(dir, "persistent.txt")
	if err := jar.Save(persistentOnly, &SaveOptions{Format: Netscape}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		file, url, want string
	}{
		{withSession, "http://www.example.test:" + port + "/echo", `dom=d1 hidden=h1 persistent=p1 quoted="q 1" session=s1`},
		{withSession, "http://www.example.test:" + port + "/app/echo", `dom=d1 hidden=h1 persistent=p1 quoted="q 1" scoped=x1 session=s1`},
		{withSession, "http://sub.example.test:" + port + "/echo", "dom=d1"},
		{withSession, "http://other.test:" + port + "/echo", "other=o1"},
		{persistentOnly, "http://www.example.test:" + port + "/echo", `dom=d1 hidden=h1 persistent=p1 quoted="q 1"`},
	}
	for _, tc := range tests {
		got := sortedCookieHeader(curl(t, port, "-b", tc.file, tc.url))
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("curl -b %s %s: Cookie mismatch (-want +got):\n%s", filepath.Base(tc.file), tc.url, diff)
		}
	}

	// And back: curl -b FILE -c FILE rewrites the file; the jar loads it.
	round := filepath.Join(dir, "round.txt")
	data, err := os.ReadFile(withSession)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(round, data, 0o600); err != nil {
		t.Fatal(err)
	}
	curl(t, port, "-b", round, "-c", round, "http://other.test:"+port+"/echo")
	back := newTestJar(t)
	if err := back.Load(round); err != nil {
		t.Fatalf("Load after curl rewrote the file: %v", err)
	}
	names := func(es []Entry) []string {
		var s []string
		for _, e := range es {
			s = append(s, e.Domain+" "+e.Path+" "+e.Name+"="+e.Value)
		}
		return s
	}
	if diff := cmp.Diff(names(jar.All()), names(back.All())); diff != "" {
		t.Errorf("jar → curl → jar (-want +got):\n%s", diff)
	}
}
