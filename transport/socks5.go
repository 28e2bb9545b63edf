package transport

import (
	"context"
	"errors"
	"net"
	"net/url"

	xproxy "golang.org/x/net/proxy"
)

// dialFunc is the type of http.Transport.DialContext.
type dialFunc func(ctx context.Context, network, addr string) (net.Conn, error)

// socks5Resolving returns a dialer that reaches its targets through the
// SOCKS5 proxy u (RFC 1928, with u's credentials as RFC 1929
// username/password) after resolving their host names here, on the client:
// the meaning curl and Requests give socks5://, where socks5h:// leaves the
// name to the proxy. forward opens the connection to the proxy (nil: a
// net.Dialer).
func socks5Resolving(u *url.URL, forward dialFunc) dialFunc {
	var auth *xproxy.Auth
	if u.User != nil {
		pass, _ := u.User.Password()
		auth = &xproxy.Auth{User: u.User.Username(), Password: pass}
	}
	addr := u.Host
	if u.Port() == "" {
		addr = net.JoinHostPort(u.Hostname(), "1080")
	}
	if forward == nil {
		forward = (&net.Dialer{}).DialContext
	}
	d, err := xproxy.SOCKS5("tcp", addr, auth, forwarder(forward))
	if err != nil { // only for a network other than tcp
		return func(context.Context, string, string) (net.Conn, error) { return nil, err }
	}
	socks := d.(xproxy.ContextDialer)
	return func(ctx context.Context, network, target string) (net.Conn, error) {
		host, port, err := net.SplitHostPort(target)
		if err != nil {
			return nil, err
		}
		if net.ParseIP(host) != nil {
			return socks.DialContext(ctx, network, target)
		}
		ips, err := net.DefaultResolver.LookupIPAddr(ctx, host)
		if err != nil {
			return nil, err
		}
		var errs []error
		for _, ip := range ips {
			conn, err := socks.DialContext(ctx, network, net.JoinHostPort(ip.String(), port))
			if err == nil {
				return conn, nil
			}
			errs = append(errs, err)
			if ctx.Err() != nil {
				break
			}
		}
		return nil, errors.Join(errs...)
	}
}

// forwarder adapts a dial function to the dialer x/net/proxy forwards
// through.
type forwarder dialFunc

func (f forwarder) Dial(network, addr string) (net.Conn, error) {
	return f(context.Background(), network, addr)
}

func (f forwarder) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	return f(ctx, network, addr)
}
