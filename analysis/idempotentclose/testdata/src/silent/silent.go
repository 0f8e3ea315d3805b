// Package silent holds release methods that are safe to call twice, or
// that the check leaves alone on purpose.
package silent

import (
	"context"
	"errors"
	"net"
	"os"
	"sync"
	"sync/atomic"
)

// sync.Once.
type Once struct {
	once sync.Once
	done chan struct{}
}

func (o *Once) Close() error {
	o.once.Do(func() { close(o.done) })
	return nil
}

// Method value passed to Do.
type OnceMethod struct {
	once sync.Once
	done chan struct{}
}

func (o *OnceMethod) closeDone() { close(o.done) }

func (o *OnceMethod) Close() { o.once.Do(o.closeDone) }

// CompareAndSwap early return.
type CAS struct {
	closed atomic.Bool
	done   chan struct{}
}

func (c *CAS) Close() error {
	if !c.closed.CompareAndSwap(false, true) {
		return nil
	}
	close(c.done)
	return nil
}

// atomic.CompareAndSwapInt32 around the close.
type CAS32 struct {
	state int32
	done  chan struct{}
}

func (c *CAS32) Stop() {
	if atomic.CompareAndSwapInt32(&c.state, 0, 1) {
		close(c.done)
	}
}

// Closed flag checked and set under a mutex.
type Flag struct {
	mu     sync.Mutex
	closed bool
	done   chan struct{}
}

func (f *Flag) Close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return errors.New("already closed")
	}
	f.closed = true
	close(f.done)
	return nil
}

// select on the channel's closed state.
type Select struct{ done chan struct{} }

func (s *Select) Close() {
	select {
	case <-s.done:
		return
	default:
	}
	close(s.done)
}

// select with the close in the default clause.
type SelectDefault struct{ done chan struct{} }

func (s *SelectDefault) Stop() {
	select {
	case <-s.done:
	default:
		close(s.done)
	}
}

// nil check that resets the field.
type NilReset struct {
	mu   sync.Mutex
	done chan struct{}
}

func (n *NilReset) Close() {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.done != nil {
		close(n.done)
		n.done = nil
	}
}

// Early return on nil with a reset after the close.
type NilReturn struct{ done chan struct{} }

func (n *NilReturn) Close() {
	if n.done == nil {
		return
	}
	close(n.done)
	n.done = nil
}

// Standard-library closers are safe to close twice: Close returns an error.
type Files struct {
	f    *os.File
	conn net.Conn
}

func (f *Files) Close() error {
	f.conn.Close()
	return f.f.Close()
}

// A cancel func may be called any number of times.
type Ctx struct{ cancel context.CancelFunc }

func (c *Ctx) Stop() { c.cancel() }

// A state read into a local under the lock, then checked.
type Local struct {
	mu     sync.Mutex
	closed bool
	done   chan struct{}
}

func (l *Local) Close() {
	l.mu.Lock()
	was := l.closed
	l.closed = true
	l.mu.Unlock()
	if was {
		return
	}
	close(l.done)
}

// Closing a channel in a goroutine or callback is not ordered by the check.
type Async struct{ done chan struct{} }

func (a *Async) Close() {
	go func() { close(a.done) }()
}

// Closing a channel that is not the receiver's.
type Param struct{}

func (Param) Close(ch chan int) { close(ch) }

// A method that is not a release method.
type Other struct{ done chan struct{} }

func (o *Other) Finish() { close(o.done) }

// A switch on the state.
type State struct {
	state int
	done  chan struct{}
}

func (s *State) Close() {
	switch s.state {
	case 1:
		close(s.done)
		s.state = 2
	}
}

// An explicit panic on double close is a documented contract.
type Strict struct {
	closed bool
	done   chan struct{}
}

func (s *Strict) Close() {
	if s.closed {
		panic("Close called twice")
	}
	s.closed = true
	close(s.done)
}

// A helper that is itself guarded.
type Helper struct {
	once sync.Once
	done chan struct{}
}

func (h *Helper) stop() { h.once.Do(func() { close(h.done) }) }

func (h *Helper) Close() { h.stop() }

// sync.OnceFunc.
type OnceFunc struct {
	done  chan struct{}
	close func()
}

func NewOnceFunc() *OnceFunc {
	o := &OnceFunc{done: make(chan struct{})}
	o.close = sync.OnceFunc(func() { close(o.done) })
	return o
}

func (o *OnceFunc) Close() { o.close() }

// A suppressed finding.
type Ignored struct{ done chan struct{} }

func (i *Ignored) Close() { // want Close:"notIdempotent"
	//lifecycle:ignore idempotentclose Close is documented as single-use
	close(i.done)
}
