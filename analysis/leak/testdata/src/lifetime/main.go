// Package main: resources held until main returns live as long as the
// process, and signal registrations handed to a goroutine last as long as
// that goroutine.
package main

import (
	"context"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
)

// Returning from main ends the process: nothing acquired here leaks.
func main() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	ln, err := net.Listen("tcp", ":0")
	if err != nil {
		return
	}
	go http.Serve(ln, nil)
	<-sigs
}

// A loop in main that acquires again before releasing still leaks: the
// process does not end between iterations.
func init() {
	for _, name := range os.Args {
		f, err := os.Open(name) // want `file f from os.Open is not closed before the loop acquires the next one`
		if err != nil {
			continue
		}
		_ = f
	}
}

// The channel is handed to a goroutine that receives from it for as long as
// it runs: the registration is that goroutine's (stopping it when this
// function returns would disable the handler), and the goroutine must stop
// it when it returns on quit.
func handleSignals(quit chan struct{}, reload func()) {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGHUP) // want `signal registration c from signal.Notify is never stopped: the goroutine started at line 46 uses it after handleSignals returns; stop it when that goroutine is done`
	go func() {
		for {
			select {
			case <-c:
				reload()
			case <-quit:
				return
			}
		}
	}()
}

// Waiting for one signal in the function itself and returning leaves the
// registration behind: later signals are swallowed by a channel nobody
// reads.
func waitOnce() {
	c := make(chan os.Signal, 1)
	signal.Notify(c, os.Interrupt) // want `signal registration c from signal.Notify is never stopped`
	<-c
}

// A goroutine that registers the channel itself and returns when the work
// is done leaves the registration behind: after it returns, Ctrl-C no
// longer stops the process.
func watchInterrupt(ctx context.Context, cancel func()) {
	go func() {
		interrupt := make(chan os.Signal, 1)
		signal.Notify(interrupt, os.Interrupt) // want `signal registration interrupt from signal.Notify is never stopped`
		select {
		case <-interrupt:
			cancel()
		case <-ctx.Done():
		}
	}()
}

// A goroutine that only uses a file does not take it over: the function
// that opened it still owes the Close.
func readInBackground(name string, out chan<- []byte) error {
	f, err := os.Open(name) // want `file f from os.Open is never closed`
	if err != nil {
		return err
	}
	go func() {
		buf := make([]byte, 10)
		n, _ := f.Read(buf)
		out <- buf[:n]
	}()
	return nil
}

// A helper whose goroutine only uses the conn does not take it over: only
// a registration's channel belongs to the goroutine that receives from it.
func watch(c net.Conn) {
	go func() {
		c.Read(make([]byte, 1))
	}()
}

func watchConn(addr string) error {
	c, err := net.Dial("tcp", addr) // want `connection c from net.Dial is never closed`
	if err != nil {
		return err
	}
	watch(c)
	return nil
}
