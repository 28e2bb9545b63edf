package auth_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

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
			if f.Len() != len(tc.want) {
				t.Errorf("Len() = %d, want %d", f.Len(), len(tc.want))
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
