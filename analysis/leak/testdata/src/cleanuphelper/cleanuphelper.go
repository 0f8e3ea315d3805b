// Package cleanuphelper: a helper that registers the release of what it
// returns (t.Cleanup(s.Stop)) hands its caller a borrowed value.
package cleanuphelper

import (
	"net"
	"testing"
)

type Server struct {
	ln   net.Listener
	done chan struct{}
}

func (s *Server) Stop() {
	s.ln.Close()
	<-s.done
}

func NewServer(t *testing.T) *Server {
	ln, err := net.Listen("tcp", ":0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{ln: ln, done: make(chan struct{})}
	go func() {
		defer close(s.done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	return s
}

// StartServer registers the server's release with the test.
func StartServer(t *testing.T) *Server {
	s := NewServer(t)
	t.Cleanup(s.Stop)
	return s
}

// StartServerFunc does the same with a closure.
func StartServerFunc(t *testing.T) *Server {
	s := NewServer(t)
	t.Cleanup(func() { s.Stop() })
	return s
}

// StartListening builds the server itself and registers a closure that
// stops it.
func StartListening(t *testing.T, ln net.Listener) *Server {
	s := &Server{ln: ln, done: make(chan struct{})}
	go func() {
		defer close(s.done)
		if c, err := ln.Accept(); err == nil {
			c.Close()
		}
	}()
	t.Cleanup(func() { s.Stop() })
	return s
}

func TestUsesListening(t *testing.T, ln net.Listener) {
	s := StartListening(t, ln)
	t.Log(s.ln.Addr())
}

// NewCaptured builds the server, captures it in a closure (so it lives in
// a cell) and registers its Stop method value.
func NewCaptured(t *testing.T, ln net.Listener) (*Server, func() string) {
	s := &Server{ln: ln, done: make(chan struct{})}
	go func() {
		defer close(s.done)
		if c, err := ln.Accept(); err == nil {
			c.Close()
		}
	}()
	t.Cleanup(s.Stop)
	return s, func() string { return s.ln.Addr().String() }
}

func TestUsesCaptured(t *testing.T, ln net.Listener) {
	s, addr := NewCaptured(t, ln)
	t.Log(s.ln.Addr(), addr())
}

// StartSetup passes the borrowed server on.
func StartSetup(t *testing.T) (*Server, string) {
	s := StartServer(t)
	return s, s.ln.Addr().String()
}

func TestUsesServer(t *testing.T) {
	s := StartServer(t)
	t.Log(s.ln.Addr())
	s2 := StartServerFunc(t)
	t.Log(s2.ln.Addr())
}

func TestUsesSetup(t *testing.T) {
	s, addr := StartSetup(t)
	t.Log(s.ln.Addr(), addr)
}

// Without the registration the caller owns the server.
func TestOwnsServer(t *testing.T) {
	s := NewServer(t) // want `stopper s from cleanuphelper.NewServer is never stopped`
	t.Log(s.ln.Addr())
}

// A helper that registers nothing passes ownership on.
func StartOwned(t *testing.T) (*Server, string) {
	s := NewServer(t)
	return s, s.ln.Addr().String()
}

func TestOwnsSetup(t *testing.T) {
	s, addr := StartOwned(t) // want `stopper s from cleanuphelper.StartOwned is never stopped`
	t.Log(s.ln.Addr(), addr)
}
