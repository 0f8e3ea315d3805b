// Package onerror: a callee that closes its argument whenever it returns an
// error, and keeps it otherwise, leaves nothing to the caller on its error
// path.
package onerror

import (
	"errors"
	"net"
)

type Client struct{ c net.Conn }

func (cl *Client) Close() error { return cl.c.Close() }

func handshake(c net.Conn) error {
	_, err := c.Write([]byte("hello"))
	return err
}

// newClient closes c on every error return and keeps it on success.
func newClient(c net.Conn, name string) (*Client, error) {
	if name == "" {
		c.Close()
		return nil, errors.New("no name")
	}
	if err := handshake(c); err != nil {
		c.Close()
		return nil, err
	}
	return &Client{c: c}, nil
}

// newClientKeeps forgets to close c when the handshake fails.
func newClientKeeps(c net.Conn) (*Client, error) {
	if err := handshake(c); err != nil {
		return nil, err
	}
	return &Client{c: c}, nil
}

func Dial(addr, name string) (*Client, error) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	cl, err := newClient(conn, name)
	if err != nil {
		return nil, err
	}
	return cl, nil
}

func DialNamed(addr, name string) (*Client, error) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	cl, cerr := newClient(conn, name)
	if cerr != nil {
		return nil, cerr
	}
	return cl, nil
}

// The true bugs of the same shapes are still reported.

func DialKeeps(addr string) (*Client, error) {
	conn, err := net.Dial("tcp", addr) // want `connection conn from net.Dial is not closed on the path returning at line 74`
	if err != nil {
		return nil, err
	}
	cl, err := newClientKeeps(conn)
	if err != nil {
		return nil, err
	}
	return cl, nil
}

// Released by newClient on its error path, but the client leaks on success.
func DialAndDrop(addr, name string) error {
	conn, err := net.Dial("tcp", addr) // want `connection conn from net.Dial is not closed on the path returning at line 90`
	if err != nil {
		return err
	}
	cl, err := newClient(conn, name)
	if err != nil {
		return err
	}
	_ = cl
	return nil
}

// newSession puts c in the session it builds before the handshake, and
// closes c when the handshake fails.
func newSession(c net.Conn) (*Client, error) {
	cl := &Client{c: c}
	if err := handshake(c); err != nil {
		c.Close()
		return nil, err
	}
	return cl, nil
}

func DialSession(addr string) (*Client, error) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	cl, err := newSession(conn)
	if err != nil {
		return nil, err
	}
	return cl, nil
}
