// Package pipes hands out dial functions.
package pipes

import (
	"net"
	"time"
)

type Listener struct{ c chan net.Conn }

// Dialer returns a function that takes its connection from the listener's
// queue: the listener made it.
func (l *Listener) Dialer() func(string, time.Duration) (net.Conn, error) { // want Dialer:`result 0 is a func acquiring 0`
	return func(string, time.Duration) (net.Conn, error) {
		return <-l.c, nil
	}
}

// NetDialer returns a function that dials for real.
func NetDialer() func(string, time.Duration) (net.Conn, error) { // want NetDialer:`result 0 is a func acquiring 1`
	return func(addr string, d time.Duration) (net.Conn, error) {
		return net.DialTimeout("tcp", addr, d)
	}
}
