package record

import (
	"crypto/tls"
	"net"
	"net/http/httptrace"
	"strconv"
	"sync"
	"time"
)

// phaseClock notes when net/http/httptrace reports each phase of one
// send, and turns the notes into HAR timings. The hooks may run on other
// goroutines, and after the send has ended (net/http finishes a dial in
// the background when the request that started it got another
// connection), so the notes are guarded by mu, and a phase counts only
// when it ended before the connection was acquired.
type phaseClock struct {
	mu                        sync.Mutex
	dnsStart, dnsDone         time.Time
	connectStart, connectDone time.Time // the first dial started, the last one done
	tlsStart, tlsDone         time.Time
	gotConn, wrote, firstByte time.Time // the last of each: net/http may retry on a new connection
	reused                    bool
	remoteAddr, localAddr     net.Addr
}

// trace returns the hooks that take the notes.
func (c *phaseClock) trace() *httptrace.ClientTrace {
	return &httptrace.ClientTrace{
		DNSStart:     func(httptrace.DNSStartInfo) { c.note(func(now time.Time) { setOnce(&c.dnsStart, now) }) },
		DNSDone:      func(httptrace.DNSDoneInfo) { c.note(func(now time.Time) { c.dnsDone = now }) },
		ConnectStart: func(string, string) { c.note(func(now time.Time) { setOnce(&c.connectStart, now) }) },
		ConnectDone: func(_, _ string, err error) {
			if err == nil {
				c.note(func(now time.Time) { c.connectDone = now })
			}
		},
		TLSHandshakeStart: func() { c.note(func(now time.Time) { c.tlsStart = now }) },
		TLSHandshakeDone: func(_ tls.ConnectionState, err error) {
			if err == nil {
				c.note(func(now time.Time) { c.tlsDone = now })
			}
		},
		GotConn: func(info httptrace.GotConnInfo) {
			c.note(func(now time.Time) {
				c.gotConn, c.reused = now, info.Reused
				if info.Conn != nil {
					c.remoteAddr, c.localAddr = info.Conn.RemoteAddr(), info.Conn.LocalAddr()
				}
			})
		},
		WroteRequest:         func(httptrace.WroteRequestInfo) { c.note(func(now time.Time) { c.wrote = now }) },
		GotFirstResponseByte: func() { c.note(func(now time.Time) { c.firstByte = now }) },
	}
}

func (c *phaseClock) note(f func(now time.Time)) {
	now := time.Now()
	c.mu.Lock()
	f(now)
	c.mu.Unlock()
}

func setOnce(t *time.Time, now time.Time) {
	if t.IsZero() {
		*t = now
	}
}

// timings are the HAR timings of the send that started at start, whose
// response headers came at headersAt (end when it failed) and whose body
// was done at end.
//
//   - blocked: from the start to the connection, less dns and connect;
//   - dns: DNSStart to DNSDone;
//   - connect: ConnectStart to the end of the TLS handshake, or to
//     ConnectDone without TLS (HAR counts ssl in connect);
//   - ssl: from the end of the TCP connect to the end of the handshake
//     (relay's transport makes a direct handshake inside its dialer, and
//     net/http reports its start only once it is over);
//   - send: the connection to WroteRequest; wait: to the first response
//     byte; receive: to the end of the body.
//
// dns, connect and ssl are -1 on a reused connection and when the phase
// was not reported before the connection came; the other phases are
// never negative, each starting where the one before ended.
func (c *phaseClock) timings(start, headersAt, end time.Time, failed bool) Timings {
	c.mu.Lock()
	defer c.mu.Unlock()
	conn := c.gotConn
	if conn.IsZero() {
		conn = start // no connection reported: a transport without httptrace
		if failed {
			conn = end // it waited for a connection until it failed
		}
	}
	wrote := later(c.wrote, conn)
	first := later(c.firstByte, wrote)
	if c.firstByte.IsZero() {
		first = later(headersAt, wrote)
	}
	done := later(end, first)

	t := Timings{DNS: -1, Connect: -1, SSL: -1}
	before := func(at time.Time) bool { return !at.IsZero() && !at.After(conn) }
	if !c.reused {
		if !c.dnsStart.IsZero() && before(c.dnsDone) && !c.dnsDone.Before(c.dnsStart) {
			t.DNS = millis(c.dnsDone.Sub(c.dnsStart))
		}
		handshook := before(c.tlsDone) && !c.tlsStart.IsZero()
		if !c.connectStart.IsZero() && before(c.connectDone) {
			ready := c.connectDone
			if handshook && c.tlsDone.After(ready) {
				ready = c.tlsDone
			}
			t.Connect = millis(ready.Sub(c.connectStart))
		}
		if handshook {
			from := c.tlsStart
			if before(c.connectDone) && c.connectDone.Before(from) {
				from = c.connectDone
			}
			t.SSL = millis(c.tlsDone.Sub(from))
		}
	}
	blocked := millis(conn.Sub(start)) - max(t.DNS, 0) - max(t.Connect, 0)
	t.Blocked = max(blocked, 0)
	t.Send = millis(wrote.Sub(conn))
	t.Wait = millis(first.Sub(wrote))
	t.Receive = millis(done.Sub(first))
	return t
}

// later is the later of a and b, b when a is zero.
func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// peer returns the server's IP address and the connection's id (its
// local port), as HAR's serverIPAddress and connection; empty when net/http
// reported no connection.
func (c *phaseClock) peer() (ip, conn string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if a, ok := c.remoteAddr.(*net.TCPAddr); ok {
		ip = a.IP.String()
	}
	if a, ok := c.localAddr.(*net.TCPAddr); ok {
		conn = strconv.Itoa(a.Port)
	}
	return ip, conn
}
