// Package errtype: the last result is an error by the Go convention (nil on
// success) whatever its static type: a concrete type implementing error, or
// an error interface of the package's own.
package errtype

import (
	"net"
	"os"
)

type OpError struct{ msg string }

func (e *OpError) Error() string { return e.msg }

func openWith(name string) (*os.File, *OpError) {
	f, err := os.Open(name)
	if err != nil {
		return nil, &OpError{err.Error()}
	}
	return f, nil
}

// The failure path holds no file.
func useOpen(name string) []byte {
	f, err := openWith(name)
	if err != nil {
		return nil
	}
	defer f.Close()
	buf := make([]byte, 8)
	f.Read(buf)
	return buf
}

// The success path without a Close still leaks.
func forgetOpen(name string) []byte {
	f, err := openWith(name) // want `file f from errtype.openWith is never closed`
	if err != nil {
		return nil
	}
	buf := make([]byte, 8)
	f.Read(buf)
	return buf
}

// Error is an interface that follows the error convention without an Error
// method (like gVisor's tcpip.Error).
type Error interface {
	isError()
	String() string
}

type refused struct{}

func (refused) isError()       {}
func (refused) String() string { return "refused" }

func dial(addr string) (net.Conn, Error) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, refused{}
	}
	return c, nil
}

func useDial(addr string) {
	c, err := dial(addr)
	if err != nil {
		return
	}
	defer c.Close()
	c.Write([]byte("x"))
}

func forgetDial(addr string) {
	c, err := dial(addr) // want `connection c from errtype.dial is never closed`
	if err != nil {
		return
	}
	c.Write([]byte("x"))
}
