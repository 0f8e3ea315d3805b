// Package registry is a client that keeps track of the subscriptions made
// through it and closes them when it is closed.
package registry

import (
	"net"
	"sync"

	"genericset"
)

type subCore struct{ stop chan struct{} }

func NewSubCore() *subCore {
	c := &subCore{stop: make(chan struct{})}
	go c.loop()
	return c
}

func (c *subCore) loop() { <-c.stop }

func (c *subCore) Close() { close(c.stop) }

// Sub is one subscription.
type Sub struct{ core *subCore }

func (s *Sub) Close() { s.core.Close() }

func NewSub() *Sub { return &Sub{core: NewSubCore()} }

// Client closes its subscriptions when it is closed.
type Client struct {
	mu   sync.Mutex
	subs map[*subCore]bool
}

func NewClient() *Client { return &Client{subs: map[*subCore]bool{}} }

func (c *Client) addSub(core *subCore) {
	c.mu.Lock()
	c.subs[core] = true
	c.mu.Unlock()
}

func (c *Client) Close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for core := range c.subs {
		core.Close()
	}
	c.subs = nil
}

// Subscribe registers the subscription with c, which closes it.
func Subscribe(c *Client) *Sub {
	s := NewSub()
	c.addSub(s.core)
	return s
}

// Detached makes a subscription nobody else tracks.
func Detached() *Sub { return NewSub() }

// Orphan registers the subscription with a client of its own, which
// nobody can close: the caller owns the subscription.
func Orphan() *Sub {
	c := NewClient()
	s := NewSub()
	c.addSub(s.core)
	return s
}

type pubCore struct {
	client *Bus
	stop   chan struct{}
}

// Close stops the publisher and unregisters it.
func (p *pubCore) Close() {
	close(p.stop)
	p.client.deletePub(p)
}

// Pub publishes on a Bus, which closes it when it is closed.
type Pub struct{ core *pubCore }

func (p *Pub) Close() { p.core.Close() }

func NewPub(b *Bus) *Pub { return &Pub{core: &pubCore{client: b, stop: make(chan struct{})}} }

// Bus keeps its publishers in a generic set of another package.
type Bus struct {
	mu   sync.Mutex
	pubs genericset.Set[*pubCore]
	stop chan struct{}
}

func NewBus() *Bus {
	b := &Bus{pubs: genericset.Set[*pubCore]{}, stop: make(chan struct{})}
	go func() { <-b.stop }()
	return b
}

func (b *Bus) addPub(p *pubCore) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.pubs.Add(p)
}

func (b *Bus) deletePub(p *pubCore) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.pubs.Delete(p)
}

func (b *Bus) Close() {
	for p := range b.pubs {
		p.Close()
	}
	close(b.stop)
}

// Publish registers the publisher with b, which closes it.
func Publish(b *Bus) *Pub {
	p := NewPub(b)
	b.addPub(p.core)
	return p
}

// Loose makes a publisher that b does not track: the caller closes it.
func Loose(b *Bus) *Pub { return NewPub(b) }

// Conn is a protocol connection over a network one, with a goroutine
// of its own.
type Conn struct {
	nc   net.Conn
	done chan struct{}
}

func (c *Conn) Close() error {
	close(c.done)
	return c.nc.Close()
}

func NewConn(nc net.Conn) *Conn {
	c := &Conn{nc: nc, done: make(chan struct{})}
	go func() { <-c.done }()
	return c
}

// handshake closes the connection when it fails.
func (c *Conn) handshake(secret string) error {
	if _, err := c.nc.Write([]byte(secret)); err != nil {
		c.Close()
		return err
	}
	return nil
}

// Dialer authenticates the connections it dials, and keeps none.
type Dialer struct{ secret string }

func (d *Dialer) auth(c *Conn) error { return c.handshake(d.secret) }

// Dial returns an authenticated connection: the caller's to close.
func (d *Dialer) Dial(addr string) (*Conn, error) {
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	c := NewConn(nc)
	if d.secret != "" {
		if err := d.auth(c); err != nil {
			_ = c.Close()
			return nil, err
		}
	}
	return c, nil
}
