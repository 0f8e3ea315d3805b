// Package selectsend: a value sent on a channel in a select case is handed
// over on that case.
package selectsend

import (
	"context"
	"net"
)

func acceptLoop(ctx context.Context, ln net.Listener, conns chan<- net.Conn) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		select {
		case conns <- c:
		case <-ctx.Done():
			c.Close()
			return
		}
	}
}

// The true bug of the same shape: the other case drops it.
func acceptOrDrop(ctx context.Context, ln net.Listener, conns chan<- net.Conn) {
	for {
		c, err := ln.Accept() // want `connection c from Accept is not closed`
		if err != nil {
			return
		}
		select {
		case conns <- c:
		case <-ctx.Done():
			return
		}
	}
}
