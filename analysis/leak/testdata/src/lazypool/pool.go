// Package lazypool is a connection pool that dials on demand: NewPool
// acquires nothing, Put keeps connections in the pool and Close closes
// them.
package lazypool

import (
	"net"
	"sync"
)

type Pool struct {
	addr string
	mu   sync.Mutex
	idle []net.Conn
}

func NewPool(addr string) *Pool { return &Pool{addr: addr} }

func (p *Pool) Addr() string { return p.addr }

func (p *Pool) Get() (net.Conn, error) {
	p.mu.Lock()
	if n := len(p.idle); n > 0 {
		c := p.idle[n-1]
		p.idle = p.idle[:n-1]
		p.mu.Unlock()
		return c, nil
	}
	p.mu.Unlock()
	return net.Dial("tcp", p.addr)
}

func (p *Pool) Put(c net.Conn) {
	p.mu.Lock()
	p.idle = append(p.idle, c)
	p.mu.Unlock()
}

func (p *Pool) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.idle {
		c.Close()
	}
	p.idle = nil
	return nil
}
