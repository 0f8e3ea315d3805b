// Package anyname: an unexported constructor (newBackend, spawnWorker)
// whose summary says it holds something returns a resource, like an
// exported one.
package anyname

import (
	"io"
	"net"
	"os"
	"sync"
)

type backend struct{ f *os.File }

func (b *backend) Close() error { return b.f.Close() }

func newBackend(name string) (*backend, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	return &backend{f}, nil
}

type worker struct{ stop chan struct{} }

func (w *worker) Stop() { close(w.stop) }

func spawnWorker() *worker {
	w := &worker{stop: make(chan struct{})}
	go func() { <-w.stop }()
	return w
}

// The true bugs: each value is dropped without its release.

func useBackend(name string) error {
	b, err := newBackend(name) // want `closer b from anyname.newBackend is never closed`
	if err != nil {
		return err
	}
	_, err = b.f.Stat()
	return err
}

func useWorker() {
	w := spawnWorker() // want `stopper w from anyname.spawnWorker is never stopped`
	_ = w.stop
}

// Must stay silent: values the function does not make.

type pool struct {
	mu   sync.Mutex
	idle *backend
}

// current returns the pool's own backend: borrowed.
func (p *pool) current() *backend {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.idle
}

func peek(p *pool) string {
	b := p.current()
	return b.f.Name()
}

type conn struct{ c net.Conn }

func (c *conn) Close() error { return c.c.Close() }

// wrap takes the caller's connection over: the caller releases either.
func wrap(c net.Conn) *conn { return &conn{c} }

func wrapped(c net.Conn) int {
	w := wrap(c)
	return len(w.c.LocalAddr().String())
}

// Released by the caller.
func closed(name string) error {
	b, err := newBackend(name)
	if err != nil {
		return err
	}
	return b.Close()
}

// A wrapper that holds only what it takes over from its argument.
type stream struct {
	rwc io.ReadWriteCloser
}

func (s *stream) Close() error { return s.rwc.Close() }

func newStream(rwc io.ReadWriteCloser) *stream { return &stream{rwc: rwc} }

type memConn struct{ buf []byte }

func (c *memConn) Read(p []byte) (int, error)  { return copy(p, c.buf), nil }
func (c *memConn) Write(p []byte) (int, error) { return len(p), nil }
func (c *memConn) Close() error                { return nil }

// Around an in-memory stub, the stream holds nothing.
func overMemory() int {
	s := newStream(&memConn{})
	n, _ := s.rwc.Read(make([]byte, 4))
	return n
}

// Around a real connection, it holds the connection.
func overNetwork(addr string) int {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return 0
	}
	s := newStream(c) // want `closer s from anyname.newStream is never closed`
	n, _ := s.rwc.Read(make([]byte, 4))
	return n
}
