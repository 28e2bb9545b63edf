package proxytest

import (
	"context"
	"encoding/binary"
	"io"
	"net"
	"net/url"
	"strconv"
	"sync"
	"testing"
)

// SOCKS5 is a minimal SOCKS5 server (RFC 1928, CONNECT only, with optional
// RFC 1929 username/password) that records the address form of every
// CONNECT it receives: a domain name the proxy must resolve, or an IP
// address the client resolved.
type SOCKS5 struct {
	// URL is the server's socks5h:// URL, without credentials.
	URL *url.URL

	user, password string
	dial           func(ctx context.Context, network, addr string) (net.Conn, error)
	ln             net.Listener
	wg             sync.WaitGroup

	mu      sync.Mutex
	targets []string // "domain a.test:443" or "ip 127.0.0.1:443"
	conns   map[net.Conn]struct{}
	closed  bool
}

// NewSOCKS5 starts a SOCKS5 server on loopback, stopped by t.Cleanup. With a
// user it demands username/password authentication. dial reaches the
// targets (nil: a net.Dialer).
func NewSOCKS5(t testing.TB, user, password string, dial func(ctx context.Context, network, addr string) (net.Conn, error)) *SOCKS5 {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if dial == nil {
		dial = (&net.Dialer{}).DialContext
	}
	s := &SOCKS5{user: user, password: password, dial: dial, ln: ln, conns: make(map[net.Conn]struct{}),
		URL: &url.URL{Scheme: "socks5h", Host: ln.Addr().String()}}
	s.wg.Go(s.serve)
	t.Cleanup(s.Close)
	return s
}

// Targets returns what every CONNECT asked for, in order: "domain host:port"
// or "ip addr:port".
func (s *SOCKS5) Targets() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.targets...)
}

// Close stops the server and ends its connections.
func (s *SOCKS5) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	for c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	s.ln.Close()
	s.wg.Wait()
}

func (s *SOCKS5) track(c net.Conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		c.Close()
		return false
	}
	s.conns[c] = struct{}{}
	return true
}

func (s *SOCKS5) serve() {
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		if s.track(c) {
			s.wg.Go(func() { s.handle(c) })
		}
	}
}

func (s *SOCKS5) handle(c net.Conn) {
	defer c.Close()
	buf := make([]byte, 512)
	// Greeting: VER NMETHODS METHODS.
	if _, err := io.ReadFull(c, buf[:2]); err != nil || buf[0] != 5 {
		return
	}
	methods := buf[2 : 2+int(buf[1])]
	if _, err := io.ReadFull(c, methods); err != nil {
		return
	}
	want := byte(0)
	if s.user != "" {
		want = 2
	}
	ok := false
	for _, m := range methods {
		ok = ok || m == want
	}
	if !ok {
		_, _ = c.Write([]byte{5, 0xff})
		return
	}
	_, _ = c.Write([]byte{5, want})
	if want == 2 { // RFC 1929: VER ULEN UNAME PLEN PASSWD
		if _, err := io.ReadFull(c, buf[:2]); err != nil {
			return
		}
		u := make([]byte, buf[1])
		if _, err := io.ReadFull(c, u); err != nil {
			return
		}
		if _, err := io.ReadFull(c, buf[:1]); err != nil {
			return
		}
		p := make([]byte, buf[0])
		if _, err := io.ReadFull(c, p); err != nil {
			return
		}
		if string(u) != s.user || string(p) != s.password {
			_, _ = c.Write([]byte{1, 1})
			return
		}
		_, _ = c.Write([]byte{1, 0})
	}
	// Request: VER CMD RSV ATYP DST.ADDR DST.PORT.
	if _, err := io.ReadFull(c, buf[:4]); err != nil || buf[1] != 1 {
		return
	}
	var host, form string
	switch buf[3] {
	case 1, 4:
		ip := make(net.IP, map[byte]int{1: 4, 4: 16}[buf[3]])
		if _, err := io.ReadFull(c, ip); err != nil {
			return
		}
		host, form = ip.String(), "ip"
	case 3:
		if _, err := io.ReadFull(c, buf[:1]); err != nil {
			return
		}
		name := make([]byte, buf[0])
		if _, err := io.ReadFull(c, name); err != nil {
			return
		}
		host, form = string(name), "domain"
	default:
		return
	}
	if _, err := io.ReadFull(c, buf[:2]); err != nil {
		return
	}
	addr := net.JoinHostPort(host, strconv.Itoa(int(binary.BigEndian.Uint16(buf[:2]))))
	s.mu.Lock()
	s.targets = append(s.targets, form+" "+addr)
	s.mu.Unlock()
	up, err := s.dial(context.Background(), "tcp", addr)
	if err != nil {
		_, _ = c.Write([]byte{5, 5, 0, 1, 0, 0, 0, 0, 0, 0})
		return
	}
	if !s.track(up) {
		return
	}
	_, _ = c.Write([]byte{5, 0, 0, 1, 0, 0, 0, 0, 0, 0})
	s.wg.Go(func() { pipe(up, c, c) })
	pipe(c, up, up)
}
