// Package endless: a loop that never ends has no exit after it, so the
// "end of the function" is not a leaking path.
package endless

import (
	"net"
	"os"
	"os/signal"
)

func serveForever(handle func(net.Conn)) error {
	ln, err := net.Listen("tcp", ":0")
	if err != nil {
		return err
	}
	for {
		c, err := ln.Accept()
		if err != nil {
			continue
		}
		go handle(c)
	}
}

func countForever(report func(int)) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt)
	for i := 0; true; i++ {
		<-ch
		report(i)
	}
}

// A loop with a way out still leaks on that way out.
func serveUntil(handle func(net.Conn), stop func() bool) error {
	ln, err := net.Listen("tcp", ":0") // want `listener ln from net.Listen is never closed`
	if err != nil {
		return err
	}
	for i := 0; !stop(); i++ {
		c, err := ln.Accept()
		if err != nil {
			continue
		}
		go handle(c)
	}
	return nil
}
