package inert

import (
	"net"
)

// An in-memory pipe holds no descriptor: an end nobody closes is garbage.
func pipeEnd() net.Conn {
	c1, _ := net.Pipe()
	return c1
}

// A socket's end is a descriptor: dropping it leaks.
func socketEnd(addr string) error {
	_, err := net.Dial("tcp", addr) // want `the connection returned by net.Dial is discarded`
	return err
}
