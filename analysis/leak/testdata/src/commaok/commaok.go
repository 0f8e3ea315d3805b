// Package commaok: a resource returned beside an ok flag (c, ok := get())
// is there only when ok is true.
package commaok

import (
	"net"
)

// hijack returns a conn and true, or nil and false.
func hijack(addr string) (net.Conn, bool) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, false
	}
	return c, true
}

// pooled returns a conn and whether it was reused: a fresh conn comes
// with false.
func pooled(addr string) (c net.Conn, reused bool) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		panic(err)
	}
	return c, false
}

// Handing the conn to a handler on the ok path is all there is to do.
func serveFunc(get func() (net.Conn, bool), handler func(net.Conn)) {
	c, ok := get()
	if !ok {
		return
	}
	handler(c)
}

func serveLocal(addr string, handler func(net.Conn)) {
	c, ok := hijack(addr)
	if !ok {
		return
	}
	handler(c)
}

func serveIfOK(addr string, handler func(net.Conn)) {
	if c, ok := hijack(addr); ok {
		handler(c)
	}
}

// The true bugs of the same shapes are still reported.

func writeFunc(get func() (net.Conn, bool)) {
	c, ok := get() // want `connection c from get is never closed`
	if !ok {
		return
	}
	c.Write([]byte("x"))
}

func writeLocal(addr string) {
	c, ok := hijack(addr) // want `connection c from commaok.hijack is never closed`
	if !ok {
		return
	}
	c.Write([]byte("x"))
}

// pooled's flag is not an ok flag: its fresh conn leaks when reused is false.
func reuse(addr string, handler func(net.Conn)) {
	c, reused := pooled(addr) // want `connection c from commaok.pooled is not closed on the path returning`
	if !reused {
		return
	}
	handler(c)
}

// Without an if !ok that leaves there is no place for a defer: no fix.
func writeIfOK(get func() (net.Conn, bool)) {
	if c, ok := get(); ok { // want `connection c from get is never closed`
		c.Write([]byte("x"))
	}
}

func writeOKFirst(get func() (net.Conn, bool)) {
	c, ok := get() // want `connection c from get is never closed`
	if ok {
		c.Write([]byte("x"))
	}
}
