package testenv

import (
	"net"
	"testing"
)

// FreePort returns a loopback TCP port nothing listens on right now, for an
// outside program a test starts (tinyproxy, redis-server). Another process
// may take it before the program binds it: callers retry.
func FreePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
