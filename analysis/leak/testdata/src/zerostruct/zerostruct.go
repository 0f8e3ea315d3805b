// Package zerostruct: a (value, ok) result whose value is the zero struct
// whenever ok is false holds nothing there, like a nil one.
package zerostruct

import "net"

type tracked struct {
	net.Conn
	prio int
}

// dialFirst returns the zero tracked when no dial worked.
func dialFirst(addrs []string) (tracked, bool) {
	for _, a := range addrs {
		c, err := net.Dial("tcp", a)
		if err == nil {
			return tracked{Conn: c, prio: 1}, true
		}
	}
	return tracked{}, false
}

func use(addrs []string, out chan<- tracked) {
	conn, ok := dialFirst(addrs)
	if !ok {
		return
	}
	out <- conn
}

// dialChecked returns a value holding the connection with ok false too.
func dialChecked(addr string) (tracked, bool) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return tracked{}, false
	}
	if c.RemoteAddr() == nil {
		return tracked{Conn: c}, false
	}
	return tracked{Conn: c, prio: 1}, true
}

func useChecked(addr string, out chan<- tracked) {
	conn, ok := dialChecked(addr) // want `not closed on the path returning at line 46`
	if !ok {
		return
	}
	out <- conn
}

// dialAny takes the first connection that arrives, and logs it from a
// goroutine: the value lives in a captured variable.
func dialAny(res chan tracked) (tracked, bool) {
	if conn, ok := <-res; ok {
		go func() {
			println(conn.prio)
		}()
		return conn, ok
	}
	return tracked{}, false
}

func useAny(res chan tracked, out chan<- tracked) {
	conn, ok := dialAny(res)
	if !ok {
		return
	}
	out <- conn
}
