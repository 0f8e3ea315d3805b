// Package handover: a closure or method value that releases the resource,
// handed to a call that keeps it, takes the obligation with it.
package handover

import (
	"bufio"
	"crypto/tls"
	"net"
	"net/http"
	"sync/atomic"
	"time"
)

type server struct {
	closeListener atomic.Value
	listeners     []net.Listener
}

func (s *server) listen(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	s.closeListener.Store(ln.Close)
	return nil
}

func idleClose(addr string, idle time.Duration) error {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	time.AfterFunc(idle, func() { c.Close() })
	_, err = c.Write([]byte("hello"))
	return err
}

// A closure that only uses the conn hands nothing over.
func idleWrite(addr string, idle time.Duration) error {
	c, err := net.Dial("tcp", addr) // want `connection c from net.Dial is never closed`
	if err != nil {
		return err
	}
	time.AfterFunc(idle, func() { c.Write([]byte("ping")) })
	return nil
}

// tls.NewListener wraps the listener it is given.
func (s *server) listenTLS(addr string, cfg *tls.Config) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	ln = tls.NewListener(ln, cfg)
	s.listeners = append(s.listeners, ln)
	return nil
}

func listenTLSForget(addr string, cfg *tls.Config) (string, error) {
	ln, err := net.Listen("tcp", addr) // want `listener ln from net.Listen is never closed`
	if err != nil {
		return "", err
	}
	ln = tls.NewListener(ln, cfg)
	return ln.Addr().String(), nil
}

// http.ReadResponse reads from the caller's reader: the conn is the
// resource, its Close is what is owed.
func roundTrip(addr string, req *http.Request) (int, error) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return 0, err
	}
	defer c.Close()
	if err := req.Write(c); err != nil {
		return 0, err
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), req)
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

func ping(c net.Conn) { c.Write([]byte("ping")) }

// A closure that only uses the conn through a helper releases nothing:
// handing it over hands over no obligation.
func pingLater(addr string, d time.Duration) error {
	c, err := net.Dial("tcp", addr) // want `connection c from net.Dial is never closed`
	if err != nil {
		return err
	}
	time.AfterFunc(d, func() { ping(c) })
	return nil
}
