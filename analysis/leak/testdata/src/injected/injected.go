// Package injected: a function that returns what a function parameter
// returned hands back the caller's own value; whether the caller acquired
// something depends on the function it passed.
package injected

import (
	"errors"
	"net"
)

type listenFunc func(network, addr string) (net.Listener, error)

func listenLoopback(listen listenFunc) (net.Listener, error) {
	ln, err := listen("tcp4", "127.0.0.1:0")
	if err == nil {
		return ln, nil
	}
	return nil, errors.New("no loopback")
}

type stubListener struct{ net.Listener }

func (*stubListener) Close() error { return nil }

// The caller's stub holds nothing.
func stubbed() bool {
	want := &stubListener{}
	got, err := listenLoopback(func(network, addr string) (net.Listener, error) {
		return want, nil
	})
	return err == nil && got == want
}

// The true bugs of the same shape are still reported.

// A literal that listens for real.
func realListen() bool {
	got, err := listenLoopback(func(network, addr string) (net.Listener, error) { // want `is never closed`
		return net.Listen(network, addr)
	})
	return err == nil && got != nil
}

// net.Listen itself.
func direct() bool {
	got, err := listenLoopback(net.Listen) // want `is never closed`
	return err == nil && got != nil
}

// A function value the code cannot see into.
func unknown(listen listenFunc) bool {
	got, err := listenLoopback(listen) // want `is never closed`
	return err == nil && got != nil
}
