// Package timers: a type that keeps a time.AfterFunc timer in a field
// owes its Stop to its own release method.
package timers

import (
	"bufio"
	"context"
	"net"
	"sync"
	"sync/atomic"
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

func (c *Client) reconnect() {
	conn, err := net.Dial("tcp", "backend:1")
	if err == nil {
		c.conn = conn
	}
}

func (c *Client) Close() error { return c.conn.Close() }

type Flusher struct {
	mu    sync.Mutex
	flush *time.Timer
	done  chan struct{}
	w     *bufio.Writer
}

func NewFlusher(d time.Duration) *Flusher {
	f := &Flusher{done: make(chan struct{})}
	f.flush = time.AfterFunc(d, f.run) // want `flush keeps a time.AfterFunc timer that \(\*Flusher\).Stop does not stop`
	return f
}

func (f *Flusher) run() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.w.Flush()
}

func (f *Flusher) Stop() { close(f.done) }

// A deadline timer that writes to the connection Close closed.
type Deadline struct {
	mu    sync.Mutex
	conn  net.Conn
	timer *time.Timer
}

func (d *Deadline) set(t time.Duration) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.timer = time.AfterFunc(t, func() { // want `timer keeps a time.AfterFunc timer that \(\*Deadline\).Close does not stop`
		d.mu.Lock()
		defer d.mu.Unlock()
		d.conn.Write([]byte("timeout"))
	})
}

func (d *Deadline) Close() error { return d.conn.Close() }

// A health check that blocks sending to a channel nobody reads after
// Close: the timer's goroutine never ends.
type Checker struct {
	check chan struct{}
	done  chan struct{}
	timer *time.Timer
}

func (c *Checker) trigger() {
	c.timer = time.AfterFunc(time.Second, func() { // want `timer keeps a time.AfterFunc timer`
		c.check <- struct{}{}
	})
}

func (c *Checker) Close() { close(c.done) }

// A timer that closes a channel the release closes too: a second close
// panics.
type Closer struct {
	done  chan struct{}
	timer *time.Timer
}

func (c *Closer) expire() {
	c.timer = time.AfterFunc(time.Second, func() { close(c.done) }) // want `timer keeps a time.AfterFunc timer`
}

func (c *Closer) Close() { close(c.done) }

// A captured callback is not a release function: it may do anything.
type Retry struct {
	conn  net.Conn
	timer *time.Timer
}

func (r *Retry) arm(f func()) {
	r.timer = time.AfterFunc(time.Second, func() { f() }) // want `timer keeps a time.AfterFunc timer`
}

func (r *Retry) Close() error { return r.conn.Close() }

// Must stay silent.

// Timers whose functions only update the value's own state: harmless
// after Close.

// A deadline timer that sets a flag and wakes the waiters.
type Pipe struct {
	mu       sync.Mutex
	wait     sync.Cond
	timedOut bool
	closed   bool
	timer    *time.Timer
	idle     *time.Timer
}

func newPipe() *Pipe {
	p := &Pipe{}
	p.wait.L = &p.mu
	p.idle = time.AfterFunc(0, func() {})
	return p
}

func (p *Pipe) setDeadline(t time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.timer = time.AfterFunc(t, func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		p.timedOut = true
		p.wait.Broadcast()
	})
}

func (p *Pipe) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closed = true
	p.wait.Broadcast()
	return nil
}

// A health check that pokes a channel without blocking, and gives up once
// the value is closed.
type Health struct {
	check chan struct{}
	done  chan struct{}
	once  sync.Once
	timer *time.Timer
}

func (h *Health) trigger() {
	h.timer = time.AfterFunc(time.Second, func() {
		select {
		case <-h.done:
		case h.check <- struct{}{}:
		default:
		}
	})
}

func (h *Health) Close() { h.once.Do(func() { close(h.done) }) }

// A deadline that cancels the context its function was given and sets an
// atomic flag; a reset of a counter in a method.
type WSConn struct {
	conn     net.Conn
	ctx      context.Context
	expired  atomic.Bool
	count    atomic.Int64
	deadline *time.Timer
	trample  *time.Timer
}

func NewWSConn(ctx context.Context, c net.Conn) *WSConn {
	w := &WSConn{conn: c}
	var cancel context.CancelFunc
	w.ctx, cancel = context.WithCancel(ctx)
	w.deadline = time.AfterFunc(time.Hour, func() {
		w.expired.Store(true)
		cancel()
	})
	w.trample = time.AfterFunc(time.Second, w.reset)
	return w
}

func (w *WSConn) reset() { w.count.Store(0) }

func (w *WSConn) Close() error { return w.conn.Close() }

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
