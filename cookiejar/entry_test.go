package cookiejar

import (
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestEnumeration(t *testing.T) {
	jar := fullJar(t)
	now := tNow.Add(time.Second)
	var ids []string
	for _, e := range jar.all(now) {
		ids = append(ids, e.Domain+" "+e.Path+" "+e.Name)
	}
	want := []string{
		"10.0.0.1 / ip",
		"host.test / dom",
		"www.host.test / __Host-id",
		"www.host.test / session",
		"www.host.test /dir persistent",
		"www.host.test /dir quoted",
		"www.host.test /dir secure",
	}
	if diff := cmp.Diff(want, ids); diff != "" {
		t.Errorf("All order (-want +got):\n%s", diff)
	}

	// Entries is what Cookies returns, with attributes, without touching.
	u := mustParseURL("https://www.host.test/dir/x")
	before := jar.all(now)
	es := jar.entriesFor(u, now.Add(time.Second))
	var names []string
	for _, e := range es {
		names = append(names, e.Name+"="+e.Value)
	}
	if got := serializeCookies(jar.cookies(u, now.Add(2*time.Second))); got != joinSpace(names) {
		t.Errorf("Entries %v, Cookies %q", names, got)
	}
	for i := range before {
		if !before[i].LastAccess.Equal(tNow) && !before[i].LastAccess.Equal(tNow.Add(time.Second)) {
			t.Errorf("Entries touched %s", before[i].Name)
		}
	}
	if names[0] != "persistent=p" || names[1] != "secure=x" {
		t.Fatalf("Entries order %v", names)
	}
	es = es[1:]
	if es[0].Name != "secure" || !es[0].Secure || !es[0].HttpOnly || es[0].SameSite != http.SameSiteStrictMode || !es[0].Expires.Equal(tNow.Add(time.Minute)) {
		t.Errorf("first entry %+v", es[0])
	}

	// Entries are copies.
	es[0].Value = "changed"
	if jar.entriesFor(u, now)[1].Value != "x" {
		t.Error("an Entry shares the jar's storage")
	}

	// Entry.Cookie gives Set-Cookie attributes back.
	c := es[0].Cookie()
	if c.Domain != "" || c.Path != "/dir" || !c.Secure {
		t.Errorf("host-only Cookie() = %+v", c)
	}
	for _, e := range jar.all(now) {
		if e.Name == "dom" && e.Cookie().Domain != "host.test" {
			t.Errorf("domain Cookie() = %+v", e.Cookie())
		}
	}

	if !jar.Delete(".WWW.host.test", "/dir", "quoted") || jar.Delete("www.host.test", "/", "quoted") {
		t.Error("Delete of an existing cookie failed, or of a missing one succeeded")
	}
	if n := jar.DeleteFunc(func(e Entry) bool { return !e.Persistent || e.HostOnly && e.Domain == "10.0.0.1" }); n != 2 {
		t.Errorf("DeleteFunc removed %d, want 2", n)
	}
	if got := jar.content(now); got != "__Host-id=1 dom=d persistent=p secure=x" {
		t.Errorf("after deleting: %q", got)
	}
	jar.Clear()
	if got := jar.content(now); got != "" {
		t.Errorf("after Clear: %q", got)
	}
	jar.setCookies(mustParseURL("http://a.test/"), []*http.Cookie{{Name: "a", Value: "1"}}, now)
	if got := jar.content(now); got != "a=1" {
		t.Errorf("after Clear and a new cookie: %q", got)
	}
}

func joinSpace(s []string) string {
	out := ""
	for i, v := range s {
		if i > 0 {
			out += " "
		}
		out += v
	}
	return out
}
