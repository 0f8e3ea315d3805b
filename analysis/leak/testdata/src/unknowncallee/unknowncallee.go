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
type Source interface {
	Read(p []byte) (int, error)
}

type Loader interface {
	Load(s Source) error
}

func load(l Loader, name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	return l.Load(f)
}
