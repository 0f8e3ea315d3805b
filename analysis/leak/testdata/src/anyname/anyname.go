// Package anyname: a constructor that holds only what it takes over from
// its arguments returns a resource only where an argument is one.
package anyname

import (
	"io"
	"net"
)

// A wrapper that holds only what it takes over from its argument.
type Stream struct {
	rwc io.ReadWriteCloser
}

func (s *Stream) Close() error { return s.rwc.Close() }

func NewStream(rwc io.ReadWriteCloser) *Stream { return &Stream{rwc: rwc} }

type memConn struct{ buf []byte }

func (c *memConn) Read(p []byte) (int, error)  { return copy(p, c.buf), nil }
func (c *memConn) Write(p []byte) (int, error) { return len(p), nil }
func (c *memConn) Close() error                { return nil }

// Around an in-memory stub, the stream holds nothing.
func overMemory() int {
	s := NewStream(&memConn{})
	n, _ := s.rwc.Read(make([]byte, 4))
	return n
}

// The true bug of the same shape: around a real connection, it holds the
// connection.
func overNetwork(addr string) int {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return 0
	}
	s := NewStream(c) // want `closer s from anyname.NewStream is never closed`
	n, _ := s.rwc.Read(make([]byte, 4))
	return n
}
