package auth_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/relayhttp/relay/auth"
)

type ch = auth.Challenge
type kv = [2]string

func TestParseChallenges(t *testing.T) {
	for _, tc := range []struct {
		in   []string
		want []ch
	}{
		{[]string{`Basic realm="simple"`}, []ch{{Scheme: "basic", Params: []kv{{"realm", "simple"}}}}},
		// RFC 9110 §11.6.1's example: two challenges in one field.
		{[]string{`Newauth realm="apps", type=1, title="Login to \"apps\"", Basic realm="simple"`}, []ch{
			{Scheme: "newauth", Params: []kv{{"realm", "apps"}, {"type", "1"}, {"title", `Login to "apps"`}}},
			{Scheme: "basic", Params: []kv{{"realm", "simple"}}},
		}},
		// RFC 7616 §3.9.1's example.
		{[]string{`Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"`}, []ch{
			{Scheme: "digest", Params: []kv{{"realm", "http-auth@example.org"}, {"qop", "auth, auth-int"}, {"algorithm", "SHA-256"},
				{"nonce", "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v"}, {"opaque", "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"}}},
		}},
		// Several field lines, token68, empty list elements, BWS around "=".
		{[]string{`Negotiate abc+/9==`, `, ,Bearer realm = "x" , error=invalid_token,,Basic`}, []ch{
			{Scheme: "negotiate", Token68: "abc+/9=="},
			{Scheme: "bearer", Params: []kv{{"realm", "x"}, {"error", "invalid_token"}}},
			{Scheme: "basic"},
		}},
		{[]string{`Foo a=, Bar`}, []ch{{Scheme: "foo", Token68: "a="}, {Scheme: "bar"}}},
		// Scheme and names are case-insensitive; values are kept.
		{[]string{`DIGEST Realm="R", NONCE=AbC`}, []ch{{Scheme: "digest", Params: []kv{{"realm", "R"}, {"nonce", "AbC"}}}}},
		// Repeated parameter, unterminated quote: kept, marked bad.
		{[]string{`Digest realm="a", realm="b"`}, []ch{{Scheme: "digest", Params: []kv{{"realm", "a"}}, Bad: true}}},
		{[]string{`Digest realm="a, nonce=1`}, []ch{{Scheme: "digest", Params: []kv{{"realm", "a, nonce=1"}}, Bad: true}}},
		// Junk is skipped up to the next comma.
		{[]string{`=x, Basic realm="r" junk, Digest nonce="n,\"m"`}, []ch{
			{Scheme: "basic", Params: []kv{{"realm", "r"}}},
			{Scheme: "digest", Params: []kv{{"nonce", `n,"m`}}},
		}},
		{[]string{""}, nil},
	} {
		got := auth.ParseChallenges(tc.in...)
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("ParseChallenges(%q) mismatch (-want +got):\n%s", tc.in, diff)
		}
	}
}

func FuzzParseChallenges(f *testing.F) {
	for _, s := range []string{
		`Newauth realm="apps", type=1, title="Login to \"apps\"", Basic realm="simple"`,
		`Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"`,
		`Digest realm="api@example.org", qop="auth", algorithm=SHA-512-256, nonce="5TsQWLVdgBdmrQ0XsxbDODV+57QdFR34I9HAbC/RVvkK", opaque="HRPCssKJSGjCrkzDg8OhwpzCiGPChXYjwrI2QmXDnsOS", charset=UTF-8, userhash=true`,
		`Negotiate abc==, Basic`, `"`, `a b="\`, `,,,`, `x y=z=`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		cs := auth.ParseChallenges(s)
		if len(cs) > len(s) {
			t.Fatalf("%d challenges from %d bytes", len(cs), len(s))
		}
		for _, c := range cs {
			if c.Scheme == "" || strings.ToLower(c.Scheme) != c.Scheme {
				t.Fatalf("bad scheme %q", c.Scheme)
			}
			for _, p := range c.Params {
				if p[0] == "" || strings.ToLower(p[0]) != p[0] {
					t.Fatalf("bad parameter name %q", p[0])
				}
			}
		}
	})
}
