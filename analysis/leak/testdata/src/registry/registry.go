// Package registry is a client that keeps track of the subscriptions made
// through it and closes them when it is closed.
package registry

import "sync"

type subCore struct{ stop chan struct{} }

func newSubCore() *subCore {
	c := &subCore{stop: make(chan struct{})}
	go c.loop()
	return c
}

func (c *subCore) loop() { <-c.stop }

func (c *subCore) Close() { close(c.stop) }

// Sub is one subscription.
type Sub struct{ core *subCore }

func (s *Sub) Close() { s.core.Close() }

func newSub() *Sub { return &Sub{core: newSubCore()} }

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
	s := newSub()
	c.addSub(s.core)
	return s
}

// Detached makes a subscription nobody else tracks.
func Detached() *Sub { return newSub() }

// Orphan registers the subscription with a client of its own, which
// nobody can close: the caller owns the subscription.
func Orphan() *Sub {
	c := NewClient()
	s := newSub()
	c.addSub(s.core)
	return s
}
