// Package unknowncallee: a callee the engine cannot see into (an interface
// method, a function value) cannot release what it receives as a type with
// no release method, so passing a file to it does not hand the file over.
package unknowncallee

import (
	"io"
	"net"
	"os"
)

type Decoder interface {
	Decode(r io.Reader) error
}

// The true bugs: the file is only read by the callee.

func decodeFile(d Decoder, name string) error {
	f, err := os.Open(name) // want `is never closed`
	if err != nil {
		return err
	}
	return d.Decode(f)
}

func parseWith(parse func(io.Reader) error, name string) error {
	f, err := os.Open(name) // want `is never closed`
	if err != nil {
		return err
	}
	return parse(f)
}

// Must stay silent: a parameter that can release, or may keep it as any.

type Server interface {
	ServeConn(c net.Conn)
}

func serve(s Server, ln net.Listener) error {
	c, err := ln.Accept()
	if err != nil {
		return err
	}
	s.ServeConn(c)
	return nil
}

func handOff(keep func(io.ReadCloser), name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	keep(f)
	return nil
}

func store(put func(key string, v any), name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	put(name, f)
	return nil
}

// An interface of the callee's own package is its contract for what it
// keeps: it may assert it to its own closer.
type Transport interface {
	Send(b []byte) error
}

type Engine interface {
	Run(t Transport) error
}

type connTransport struct{ c net.Conn }

func (t *connTransport) Send(b []byte) error { _, err := t.c.Write(b); return err }
func (t *connTransport) Close() error        { return t.c.Close() }

func newTransport(addr string) (*connTransport, error) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	return &connTransport{c}, nil
}

func runEngine(e Engine, addr string) error {
	t, err := newTransport(addr)
	if err != nil {
		return err
	}
	return e.Run(t)
}
