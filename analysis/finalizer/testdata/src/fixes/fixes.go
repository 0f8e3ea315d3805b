// Package fixes pins the text of the finalizer quick fix.
package fixes

import (
	"net"
	"os"
	"runtime"
	"time"
)

type Session struct {
	conn net.Conn
	name string
}

func NewSession(c net.Conn) *Session {
	s := &Session{conn: c}
	runtime.SetFinalizer(s, func(s *Session) { s.conn.Close() }) // want `only release of Session's connection`
	return s
}

type Multi struct {
	f *os.File
	t *time.Ticker
}

func NewMulti(f *os.File) *Multi {
	m := &Multi{f: f, t: time.NewTicker(time.Second)}
	runtime.SetFinalizer(m, func(m *Multi) { // want `only release of Multi's ticker`
		m.t.Stop()
		m.f.Close()
	})
	return m
}

type Self struct{ f *os.File }

func NewSelf(f *os.File) *Self {
	c := &Self{f: f}
	runtime.SetFinalizer(c, func(_ *Self) { c.f.Close() }) // want `only release of Self's file`
	return c
}

type Handle struct{ f *os.File }

func NewHandle(f *os.File) *Handle {
	h := &Handle{f: f}
	runtime.AddCleanup(h, func(f *os.File) { f.Close() }, h.f) // want `runtime.AddCleanup is the only release of Handle's file`
	return h
}

type Pool struct{ l net.Listener }

func (p *Pool) release() error { return p.l.Close() }

func NewPool(l net.Listener) *Pool {
	p := &Pool{l: l}
	runtime.SetFinalizer(p, (*Pool).release) // want `only release of Pool's listener`
	return p
}

// No fix: the finalizer uses a variable of the enclosing function.
type Logged struct{ f *os.File }

func NewLogged(f *os.File, name string) *Logged {
	l := &Logged{f: f}
	runtime.SetFinalizer(l, func(l *Logged) { // want `only release of Logged's file`
		println(name)
		l.f.Close()
	})
	return l
}
