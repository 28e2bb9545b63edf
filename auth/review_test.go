package auth_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/relayhttp/relay/auth"
)

// TestNetrcFileHidesPasswords checks that formatting a *NetrcFile with any
// verb shows neither a password nor an account, nor the Basic header value
// computed from them.
func TestNetrcFileHidesPasswords(t *testing.T) {
	f, err := auth.ParseNetrc([]byte("machine h login u password s3cret account acct9\ndefault login d password dpass\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		for _, v := range []any{f, *f} {
			out := fmt.Sprintf(verb, v)
			for _, secret := range []string{"s3cret", "acct9", "dpass", "czNjcmV0", "dTpzM2NyZXQ"} {
				if strings.Contains(out, secret) {
					t.Errorf("fmt %s of a %T shows %q: %s", verb, v, secret, out)
				}
			}
		}
	}
}

// TestNetrcNotPutBackOnAnotherPort checks the rule of MiddlewareOptions.Netrc
// that an entry for a host the chain has been on and left is never sent: a
// return to the same host on another port is the same host.
func TestNetrcNotPutBackOnAnotherPort(t *testing.T) {
	f, _ := auth.ParseNetrc([]byte("machine a.test login a password 1\nmachine b.test login b password 2\n"))
	for _, hops := range [][]string{
		{"https://a.test/", "https://b.test/", "https://a.test:8443/"},
		{"https://a.test/", "https://b.test/", "http://a.test/"},
		{"https://b.test/", "https://a.test/", "https://b.test:8443/", "https://c.test/", "https://a.test:444/"},
	} {
		if e, ok := auth.NetrcForHop(f, chain(hops...)); ok {
			t.Errorf("%v: netrc entry %q put back after the chain left its host", hops, e.Login)
		}
	}
}

// grows reports how much longer parse takes on an input 8 times as large:
// about 8 for a linear parser (more with cache effects), about 64 for a quadratic one. The best of a
// few runs is used, so the ratio does not depend on the machine's speed.
func grows(small, large string, parse func(string)) float64 {
	best := func(s string) time.Duration {
		b := time.Duration(1 << 62)
		for range 3 {
			st := time.Now()
			parse(s)
			b = min(b, time.Since(st))
		}
		return b
	}
	return float64(best(large)) / float64(max(best(small), time.Microsecond))
}

func repeatTo(n int, f func(i int) string) string {
	var b strings.Builder
	for i := 0; b.Len() < n; i++ {
		b.WriteString(f(i))
	}
	return b.String()
}

// TestParseChallengesLinearInParams feeds a challenge with many parameters,
// each with a new name: the check for a repeated name must not rescan them.
func TestParseChallengesLinearInParams(t *testing.T) {
	in := func(n int) string {
		return "Digest " + repeatTo(n, func(i int) string { return fmt.Sprintf("p%d=1, ", i) })
	}
	small, large := in(128<<10), in(1<<20)
	cs := auth.ParseChallenges(large)
	if len(cs) != 1 || cs[0].Bad {
		t.Fatalf("got %d challenges, want one good one", len(cs))
	}
	if r := grows(small, large, func(s string) { auth.ParseChallenges(s) }); r > 32 {
		t.Errorf("8 times the input took %.0f times as long: not linear", r)
	}
}

// TestParseNetrcLinearInMachines feeds a netrc file with many machines: the
// check for a host named twice must not rescan the entries kept so far.
func TestParseNetrcLinearInMachines(t *testing.T) {
	in := func(n int) string {
		return repeatTo(n, func(i int) string { return fmt.Sprintf("machine h%d login u password p\n", i) })
	}
	small, large := in(128<<10), in(1<<20)
	if r := grows(small, large, func(s string) { _, _ = auth.ParseNetrc([]byte(s)) }); r > 32 {
		t.Errorf("8 times the input took %.0f times as long: not linear", r)
	}
}
