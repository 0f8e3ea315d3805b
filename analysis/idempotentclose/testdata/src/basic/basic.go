// Package basic holds release methods that fail when called twice.
package basic

import (
	"net"
	"sync"
)

type Client struct {
	done chan struct{}
	conn net.Conn
}

// The incident: Close closes a channel without a guard.
func (c *Client) Close() error { // want Close:"notIdempotent"
	close(c.done) // want `Close is not idempotent: it closes channel c.done without a guard`
	return c.conn.Close()
}

type Ticker struct{ stop chan bool }

func (t *Ticker) Stop() { // want Stop:"notIdempotent"
	close(t.stop) // want `Stop is not idempotent: it closes channel t.stop without a guard`
}

type Server struct {
	quit chan struct{}
	wg   sync.WaitGroup
}

func (s *Server) Shutdown() error { // want Shutdown:"notIdempotent"
	close(s.quit) // want `Shutdown is not idempotent`
	s.wg.Wait()
	return nil
}

// A helper closes the channel; Close calls it unconditionally.
type Pool struct{ closing chan struct{} }

func (p *Pool) shutdown() { close(p.closing) }

func (p *Pool) Close() error { // want Close:"notIdempotent"
	p.shutdown() // want `Close is not idempotent: it calls p.shutdown, which closes channel p.closing without a guard`
	return nil
}

// Nested field.
type inner struct{ ch chan int }
type Outer struct{ in inner }

func (o *Outer) Close() { // want Close:"notIdempotent"
	close(o.in.ch) // want `closes channel o.in.ch`
}

// A nil check that does not reset the field is no guard.
type NilCheck struct{ done chan struct{} }

func (n *NilCheck) Close() { // want Close:"notIdempotent"
	if n.done != nil {
		close(n.done) // want `closes channel n.done`
	}
}

// An error check before the close is no guard.
type ErrCheck struct {
	done chan struct{}
	conn net.Conn
}

func (e *ErrCheck) Close() error { // want Close:"notIdempotent"
	if err := e.conn.Close(); err != nil {
		return err
	}
	close(e.done) // want `closes channel e.done`
	return nil
}

// A deferred close runs on every call.
type Deferred struct{ done chan struct{} }

func (d *Deferred) Close() error { // want Close:"notIdempotent"
	defer close(d.done) // want `closes channel d.done`
	return nil
}

// A deferred closure too.
type DeferredLit struct{ done chan struct{} }

func (d *DeferredLit) Stop() { // want Stop:"notIdempotent"
	defer func() {
		close(d.done) // want `closes channel d.done`
	}()
}

// Two channels: one diagnostic, the second site as related information.
type Two struct{ a, b chan int }

func (t *Two) Close() { // want Close:"notIdempotent"
	close(t.a) // want `closes channel t.a`
	close(t.b)
}

// A value receiver closes the same channel (channels are references).
type Value struct{ done chan struct{} }

func (v Value) Close() { // want Close:"notIdempotent"
	close(v.done) // want `closes channel v.done`
}

// Shutdown delegates to a non-idempotent Close.
type Delegate struct{ done chan struct{} }

func (d *Delegate) Close() { // want Close:"notIdempotent"
	close(d.done) // want `closes channel d.done`
}

func (d *Delegate) Shutdown() { // want Shutdown:"notIdempotent"
	d.Close() // want `Shutdown is not idempotent: it calls d.Close`
}

// A field whose own Close is not idempotent.
type Wrapper struct{ c *Client }

func (w *Wrapper) Close() error { // want Close:"notIdempotent"
	return w.c.Close() // want `calls w.c.Close, which closes channel c.done`
}

// Closing after a loop over unrelated data.
type Loop struct {
	done  chan struct{}
	items []int
}

func (l *Loop) Close() { // want Close:"notIdempotent"
	for range l.items {
	}
	close(l.done) // want `closes channel l.done`
}

// Generic type.
type Queue[T any] struct{ ch chan T }

func (q *Queue[T]) Close() { // want Close:"notIdempotent"
	close(q.ch) // want `closes channel q.ch`
}

// A condition on something else than the receiver is no guard.
var verbose bool

type Logged struct{ done chan struct{} }

func (l *Logged) Close() { // want Close:"notIdempotent"
	if verbose {
		println("closing")
	}
	close(l.done) // want `closes channel l.done`
}

// Two levels of helpers.
type Deep struct{ done chan struct{} }

func (d *Deep) a() { close(d.done) }
func (d *Deep) b() { d.a() }

func (d *Deep) Stop() { // want Stop:"notIdempotent"
	d.b() // want `calls d.b, which calls d.a, which closes channel d.done`
}

// A goroutine-free wait after close still counts.
type Waiter struct {
	stop chan struct{}
	wg   sync.WaitGroup
}

func (w *Waiter) Stop() { // want Stop:"notIdempotent"
	close(w.stop) // want `closes channel w.stop`
	w.wg.Wait()
}

// The helper belongs to a field's type, is declared after the release
// method, and is reached through a deferred function literal; an unrelated
// method that closes a channel is no part of Close's verdict.
type Conn struct{ rd *reader }

func (c *Conn) Close() { // want Close:"notIdempotent"
	defer func() {
		c.rd.halt() // want `calls c.rd.halt, which closes channel r.quit`
	}()
}

type reader struct{ quit, other chan struct{} }

func (r *reader) halt() { close(r.quit) }

func (r *reader) reset() { close(r.other) }
