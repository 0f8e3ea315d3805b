// Package timers: a type that keeps a time.AfterFunc timer in a field
// owes its Stop to its own release method.
package timers

import (
	"net"
	"sync"
	"time"
)

// The true bugs: Close leaves the timer armed.

type Client struct {
	conn  net.Conn
	retry *time.Timer
}

func (c *Client) arm(d time.Duration) {
	c.retry = time.AfterFunc(d, c.reconnect) // want `retry keeps a time.AfterFunc timer that \(\*Client\).Close does not stop`
}

func (c *Client) reconnect() {}

func (c *Client) Close() error { return c.conn.Close() }

type Flusher struct {
	mu    sync.Mutex
	flush *time.Timer
	done  chan struct{}
}

func NewFlusher(d time.Duration) *Flusher {
	f := &Flusher{done: make(chan struct{})}
	f.flush = time.AfterFunc(d, f.run) // want `flush keeps a time.AfterFunc timer that \(\*Flusher\).Stop does not stop`
	return f
}

func (f *Flusher) run() {}

func (f *Flusher) Stop() { close(f.done) }

// Must stay silent.

// Close stops the timer.
type Session struct {
	idle *time.Timer
	conn net.Conn
}

func (s *Session) touch(d time.Duration) {
	s.idle = time.AfterFunc(d, func() { s.conn.Close() })
}

func (s *Session) Close() error {
	if s.idle != nil {
		s.idle.Stop()
	}
	return s.conn.Close()
}

// Stopped by a helper Close calls.
type Pool struct {
	mu    sync.Mutex
	sweep *time.Timer
}

func (p *Pool) start(d time.Duration) { p.sweep = time.AfterFunc(d, p.clean) }

func (p *Pool) clean() {}

func (p *Pool) stopSweep() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.sweep.Stop()
}

func (p *Pool) Close() { p.stopSweep() }

// No release method: nothing closes the value, nothing to compare with.
type Debouncer struct{ t *time.Timer }

func (d *Debouncer) Trigger(f func()) { d.t = time.AfterFunc(time.Second, f) }

// A local timer is not a field's.
func later(f func()) *time.Timer { return time.AfterFunc(time.Second, f) }
