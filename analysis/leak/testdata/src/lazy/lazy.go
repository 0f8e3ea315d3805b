// Package lazy: a value built empty that its own methods fill with
// resources (a pool that dials on demand) is the caller's to release
// where the caller fills it.
package lazy

import (
	"lazypool"
	"net"
	"os"
)

func send(p *lazypool.Pool, msg string) error {
	c, err := p.Get()
	if err != nil {
		return err
	}
	defer p.Put(c)
	_, err = c.Write([]byte(msg))
	return err
}

// The pool keeps the connection Put gives back: never closed, it leaks.
func ping(addr string) error {
	p := lazypool.NewPool(addr) // want `closer p from lazypool.NewPool is never closed`
	c, err := p.Get()
	if err != nil {
		return err
	}
	p.Put(c)
	return nil
}

func pingClosed(addr string) error {
	p := lazypool.NewPool(addr)
	defer p.Close()
	c, err := p.Get()
	if err != nil {
		return err
	}
	p.Put(c)
	return nil
}

// Never filled here: it holds nothing to close.
func address(addr string) string {
	p := lazypool.NewPool(addr)
	return p.Addr()
}

// Filled, then handed to the caller.
func warm(addr string) (*lazypool.Pool, error) {
	p := lazypool.NewPool(addr)
	c, err := p.Get()
	if err != nil {
		return nil, err
	}
	p.Put(c)
	return p, nil
}

// A type of this package: a log that opens its file on first write.
type lazyLog struct {
	name string
	f    *os.File
}

func NewLazyLog(name string) *lazyLog { return &lazyLog{name: name} }

func (l *lazyLog) Write(p []byte) (int, error) {
	if l.f == nil {
		f, err := os.Create(l.name)
		if err != nil {
			return 0, err
		}
		l.f = f
	}
	return l.f.Write(p)
}

func (l *lazyLog) Close() error {
	if l.f == nil {
		return nil
	}
	return l.f.Close()
}

func record(name, line string) error {
	l := NewLazyLog(name) // want `closer l from lazy.NewLazyLog is never closed`
	_, err := l.Write([]byte(line))
	return err
}

func recordClosed(name, line string) error {
	l := NewLazyLog(name)
	defer l.Close()
	_, err := l.Write([]byte(line))
	return err
}

// Filled with what is not a resource, released by closing a channel: a
// registry, not a holder of resources.
type registry struct {
	names []string
	done  chan struct{}
}

func newRegistry() *registry { return &registry{done: make(chan struct{})} }

func (r *registry) Add(name string) { r.names = append(r.names, name) }

func (r *registry) Close() error { close(r.done); return nil }

func register(name string) int {
	r := newRegistry()
	r.Add(name)
	return len(r.names)
}

// A holder whose Close releases nothing is not a resource.
type conns struct{ list []net.Conn }

func newConns() *conns { return &conns{} }

func (c *conns) Add(conn net.Conn) { c.list = append(c.list, conn) }

func (c *conns) Close() error { c.list = nil; return nil }

func collect(conn net.Conn) int {
	c := newConns()
	c.Add(conn)
	return len(c.list)
}
