package proxytest

import (
	"bytes"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/relayhttp/relay/internal/testenv"
)

// TinyproxyOptions configures Tinyproxy.
type TinyproxyOptions struct {
	// User and Password, when User is set, make tinyproxy demand Basic
	// proxy credentials (its BasicAuth directive, tinyproxy 1.10 or newer).
	User, Password string
	// Name is what tinyproxy adds to Via ("1.1 <Name> (tinyproxy/1.11.1)"),
	// "relay-tinyproxy" when empty.
	Name string
}

// Tinyproxy starts a tinyproxy process listening on a free loopback port,
// in the foreground, with a configuration written to t.TempDir(), waits
// until it accepts connections, and kills it in t.Cleanup. It returns the
// proxy's URL, without credentials.
//
// When the tinyproxy binary is not installed the test is skipped, or fails
// under RELAY_REQUIRE_EXTERNAL=1 (testenv.NeedProgram), as in relay's CI,
// which installs it. Goproxy is the in-process twin that always runs.
func Tinyproxy(t testing.TB, o TinyproxyOptions) *url.URL {
	t.Helper()
	bin := testenv.NeedProgram(t, "tinyproxy", "apt-get install -y tinyproxy")
	if o.Name == "" {
		o.Name = "relay-tinyproxy"
	}
	port := testenv.FreePort(t)
	dir := t.TempDir()
	conf := fmt.Sprintf("Port %d\nListen 127.0.0.1\nAllow 127.0.0.1\nTimeout 30\nMaxClients 100\n"+
		"LogLevel Info\nViaProxyName %q\n", port, o.Name)
	if o.User != "" {
		conf += fmt.Sprintf("BasicAuth %s %s\n", o.User, o.Password)
	}
	path := filepath.Join(dir, "tinyproxy.conf")
	if err := os.WriteFile(path, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	var out lockedBuffer
	cmd := exec.Command(bin, "-d", "-c", path)
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatalf("proxytest: starting tinyproxy: %v", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-exited
		if t.Failed() {
			t.Logf("tinyproxy output:\n%s", out.String())
		}
	})

	addr := fmt.Sprintf("127.0.0.1:%d", port)
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			break
		}
		select {
		case err := <-exited:
			exited <- err // for Cleanup
			t.Fatalf("proxytest: tinyproxy exited before listening on %s (%v); output:\n%s", addr, err, out.String())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("proxytest: tinyproxy did not listen on %s within 10s; output:\n%s", addr, out.String())
		}
	}
	return &url.URL{Scheme: "http", Host: addr}
}

// lockedBuffer is a bytes.Buffer safe for the process's writes and the
// test's reads.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}
