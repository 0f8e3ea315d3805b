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

// Ranging over a signal channel nobody can close never ends: neither the
// file nor the registration reaches a leaking exit.
func logSignals(name string) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt)
	for s := range ch {
		f.WriteString(s.String())
	}
	return nil
}

// A channel the caller may close ends the loop: the file leaks then.
func logJobs(name string, jobs <-chan string) error {
	f, err := os.Create(name) // want `file f from os.Create is never closed`
	if err != nil {
		return err
	}
	for j := range jobs {
		f.WriteString(j)
	}
	return nil
}
