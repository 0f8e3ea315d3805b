// Package wrappers: wrappers and accessors alias the resource they are
// built from; they do not acquire a new one.
package wrappers

import (
	"net"
)

// PacketConn is a thin wrapper: it keeps the conn it is given and holds
// nothing else.
type PacketConn struct{ c net.PacketConn }

func NewPacketConn(c net.PacketConn) *PacketConn { return &PacketConn{c: c} }

func (p *PacketConn) Close() error { return p.c.Close() }

func (p *PacketConn) Send(b []byte, to net.Addr) error {
	_, err := p.c.WriteTo(b, to)
	return err
}

// The caller closes the underlying conn: the wrapper needs nothing more.
func closeUnderlying(to net.Addr) error {
	conn, err := net.ListenPacket("udp", ":0")
	if err != nil {
		return err
	}
	defer conn.Close()
	pc := NewPacketConn(conn)
	return pc.Send([]byte("x"), to)
}

// Closing the wrapper closes the conn.
func closeWrapper(to net.Addr) error {
	conn, err := net.ListenPacket("udp", ":0")
	if err != nil {
		return err
	}
	pc := NewPacketConn(conn)
	defer pc.Close()
	return pc.Send([]byte("x"), to)
}

// A wrapper of a borrowed conn is borrowed too.
func wrapParam(conn net.PacketConn, to net.Addr) error {
	pc := NewPacketConn(conn)
	return pc.Send([]byte("x"), to)
}

// Neither closed: the conn leaks (reported once, where it is acquired).
func closeNeither(to net.Addr) error {
	conn, err := net.ListenPacket("udp", ":0") // want `connection conn from net.ListenPacket is never closed`
	if err != nil {
		return err
	}
	pc := NewPacketConn(conn)
	return pc.Send([]byte("x"), to)
}

// Pinger starts a goroutine: it is more than a wrapper, and its Close stops
// that goroutine.
type Pinger struct {
	c    net.Conn
	stop chan struct{}
}

func NewPinger(c net.Conn) *Pinger {
	p := &Pinger{c: c, stop: make(chan struct{})}
	go p.loop()
	return p
}

func (p *Pinger) loop() {
	for {
		select {
		case <-p.stop:
			return
		default:
			p.c.Write([]byte("ping"))
		}
	}
}

func (p *Pinger) Close() error {
	close(p.stop)
	return p.c.Close()
}

func startPinger(c net.Conn) {
	p := NewPinger(c) // want `closer p from wrappers.NewPinger is never closed`
	p.c.Write([]byte("hello"))
}

// ListenerWrapper is an interface nothing is known about: a method that
// takes a listener and returns one wraps it.
type ListenerWrapper interface {
	WrapListener(net.Listener) net.Listener
}

func serveWrapped(ws []ListenerWrapper, serve func(net.Listener) error) error {
	ln, err := net.Listen("tcp", ":0")
	if err != nil {
		return err
	}
	for _, w := range ws {
		ln = w.WrapListener(ln)
	}
	defer ln.Close()
	return serve(ln)
}

func wrapBorrowed(ln net.Listener, ws []ListenerWrapper) net.Listener {
	for _, w := range ws {
		ln = w.WrapListener(ln)
	}
	return ln
}

// Unwrap on a value seen through a type assertion returns what the value
// already holds.
func underlying(pc net.PacketConn) net.PacketConn {
	for {
		u, ok := pc.(interface{ Unwrap() net.PacketConn })
		if !ok {
			return pc
		}
		pc = u.Unwrap()
	}
}

// A wrapped listener that nobody closes still leaks.
func forgetWrapped(ws []ListenerWrapper) (string, error) {
	ln, err := net.Listen("tcp", ":0") // want `listener ln from net.Listen is never closed`
	if err != nil {
		return "", err
	}
	for _, w := range ws {
		ln = w.WrapListener(ln)
	}
	return ln.Addr().String(), nil
}

// Dialer is an interface whose method takes no resource: what it returns is
// fresh.
type Dialer interface {
	Dial(addr string) (net.Conn, error)
}

func dialAndForget(d Dialer) {
	c, err := d.Dial("example.com:80") // want `connection c from Dial is never closed`
	if err != nil {
		return
	}
	c.Write([]byte("x"))
}

// The accessor is called inside a closure, on a value asserted from the
// borrowed conn: what it returns is that conn's.
func localAddr(c net.Conn) func() string {
	if nc, ok := c.(interface{ netConn() net.Conn }); ok {
		return func() string { return nc.netConn().LocalAddr().String() }
	}
	return nil
}

type ctxKey struct{}

// A package variable only ever assigned one function is that function.
var getConn = connFromContext

func connFromContext(v any) net.Conn {
	c, _ := v.(net.Conn)
	return c
}

func remote(v any) string {
	conn := getConn(v)
	if conn == nil {
		return ""
	}
	return conn.RemoteAddr().String()
}

var dial = dialTCP

func dialTCP(addr string) (net.Conn, error) { return net.Dial("tcp", addr) }

func dialThroughVar(addr string) error {
	c, err := dial(addr) // want `connection c from dial is never closed`
	if err != nil {
		return err
	}
	_, err = c.Write([]byte("x"))
	return err
}

// Bus is a generic closer.
type Bus struct{ subs chan string }

func NewBus() *Bus            { return &Bus{subs: make(chan string)} }
func (b *Bus) Close()         { close(b.subs) }
func (b *Bus) Publish(string) {}

// Monitor keeps the bus it is given, but it is not a mere wrapper of it: a
// constructor that keeps a generic closer may hold more than it was given.
type Monitor struct {
	bus  *Bus
	sock net.Conn
}

func NewMonitor(b *Bus) (*Monitor, error) {
	m := &Monitor{bus: b}
	b.Publish("up")
	return m, nil
}

func (m *Monitor) Close() error { return m.sock.Close() }

func monitorOnce(b *Bus) error {
	m, err := NewMonitor(b) // want `closer m from wrappers.NewMonitor is never closed`
	if err != nil {
		return err
	}
	_ = m.bus
	return nil
}

// Stub is started by a helper that returns the stub it was given, or a
// new one when given nil.
type Stub struct {
	ln   net.Listener
	done chan struct{}
}

func (s *Stub) Stop() { s.ln.Close() }

func StartStub(ln net.Listener, s *Stub) *Stub {
	if s == nil {
		s = &Stub{}
	}
	s.ln, s.done = ln, make(chan struct{})
	go func() {
		defer close(s.done)
		if c, err := ln.Accept(); err == nil {
			c.Close()
		}
	}()
	return s
}

// The helper hands back the caller's own stub, which the caller stops.
func startOwnStub(ln net.Listener) {
	stub := &Stub{}
	StartStub(ln, stub)
	defer stub.Stop()
}

// Given nil, the helper builds a stub the caller then owns.
func startNewStub(ln net.Listener) {
	StartStub(ln, nil) // want `the stopper returned by wrappers.StartStub is discarded`
}

// Handshaker is an interface nothing is known about: a method given a
// net.Conn that returns one wraps it, whatever concrete type was passed.
type Handshaker interface {
	ServerHandshake(net.Conn) (net.Conn, error)
}

type deadlineConn struct{ net.Conn }

// The handshake's result wraps the borrowed raw conn: nothing new.
func handshakeBorrowed(h Handshaker, raw net.Conn) error {
	conn := &deadlineConn{raw}
	if _, err := h.ServerHandshake(conn); err == nil {
		return nil
	}
	return nil
}

// A wrapped conn of one's own that nobody closes still leaks.
func handshakeOwn(h Handshaker) error {
	raw, err := net.Dial("tcp", "example.com:443") // want `connection raw from net.Dial is never closed`
	if err != nil {
		return err
	}
	_, err = h.ServerHandshake(raw)
	return err
}
