// Package releasemethod: a method that releases what its receiver holds is
// a release method, whatever its name.
package releasemethod

import (
	"context"
	"net"
	"net/http"
)

type Producer struct {
	conn net.Conn
	msgs chan string
}

func NewProducer(addr string) (*Producer, error) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	p := &Producer{conn: c, msgs: make(chan string)}
	go p.loop()
	return p, nil
}

func (p *Producer) loop() {
	for m := range p.msgs {
		p.conn.Write([]byte(m))
	}
	p.conn.Close()
}

// AsyncClose closes a channel the receiver holds: a release method.
func (p *Producer) AsyncClose() { close(p.msgs) }

// Close is a release method too.
func (p *Producer) Close() error {
	close(p.msgs)
	return nil
}

// Flush releases nothing.
func (p *Producer) Flush() error { return nil }

func send(p *Producer, m string) { p.msgs <- m }

func usesAsyncClose(addr string) error {
	p, err := NewProducer(addr)
	if err != nil {
		return err
	}
	defer p.AsyncClose()
	send(p, "hello")
	return nil
}

func onlyFlushes(addr string) error {
	p, err := NewProducer(addr) // want `closer p from releasemethod.NewProducer is never closed`
	if err != nil {
		return err
	}
	send(p, "hello")
	return p.Flush()
}

// NewHTTPServer returns a serving *http.Server: Shutdown releases it.
func NewHTTPServer(addr string) (*http.Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	srv := &http.Server{}
	go srv.Serve(ln)
	return srv, nil
}

func shutdownServer(ctx context.Context) error {
	srv, err := NewHTTPServer(":0")
	if err != nil {
		return err
	}
	defer srv.Shutdown(ctx)
	return nil
}

func forgetServer() (string, error) {
	srv, err := NewHTTPServer(":0") // want `closer srv from releasemethod.NewHTTPServer is never closed`
	if err != nil {
		return "", err
	}
	return srv.Addr, nil
}

// Stopper keeps a cancel func: Terminate calls it.
type Stopper struct{ cancel context.CancelFunc }

func StartStopper(ctx context.Context) *Stopper {
	ctx, cancel := context.WithCancel(ctx)
	s := &Stopper{cancel: cancel}
	go func() { <-ctx.Done() }()
	return s
}

func (s *Stopper) Terminate() { s.cancel() }
func (s *Stopper) Stop()      { s.cancel() }
func (s *Stopper) Name() string {
	return "stopper"
}

func terminated(ctx context.Context) {
	s := StartStopper(ctx)
	defer s.Terminate()
	_ = s.Name()
}

func named(ctx context.Context) string {
	s := StartStopper(ctx) // want `stopper s from releasemethod.StartStopper is never stopped`
	return s.Name()
}

// Conn cancels its context in a deferred closure: Disconnect releases it.
type Conn struct {
	cancel context.CancelFunc
	done   chan struct{}
}

func DialConn(ctx context.Context) *Conn {
	ctx, cancel := context.WithCancel(ctx)
	c := &Conn{cancel: cancel, done: make(chan struct{})}
	go func() {
		<-ctx.Done()
		close(c.done)
	}()
	return c
}

func (c *Conn) Close() error {
	c.cancel()
	return nil
}

func (c *Conn) Disconnect() {
	defer func() {
		c.cancel()
	}()
	c.wait()
}

func (c *Conn) wait() { <-c.done }

// Shutdown waits but releases nothing: not a release.
func (c *Conn) Shutdown() { c.wait() }

func disconnect(ctx context.Context) {
	c := DialConn(ctx)
	defer c.Disconnect()
}

func shutdownConn(ctx context.Context) {
	c := DialConn(ctx) // want `closer c from releasemethod.DialConn is never closed`
	defer c.Shutdown()
}
