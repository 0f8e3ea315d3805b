// Package droppedok holds constructors that close what they made on their
// error paths, or hand it over.
package droppedok

import (
	"database/sql"
	"errors"
	"net"
)

type Pool struct {
	conn net.Conn
	db   *sql.DB
	done chan struct{}
}

func (p *Pool) Close() error {
	close(p.done)
	return p.conn.Close()
}

func (p *Pool) loop() { <-p.done }

// Closed on the error path.
func NewPool(addr string) (*Pool, error) {
	p := &Pool{done: make(chan struct{})}
	var err error
	p.conn, err = net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	p.db, err = sql.Open("x", addr)
	if err != nil {
		p.Close()
		return nil, err
	}
	return p, nil
}

// The field closed directly.
func NewPool2(addr string) (*Pool, error) {
	p := &Pool{}
	var err error
	p.conn, err = net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	p.db, err = sql.Open("x", addr)
	if err != nil {
		p.conn.Close()
		return nil, err
	}
	return p, nil
}

// Returned together with the error: the caller decides.
func NewPartial(addr string) (*Pool, error) {
	p := &Pool{}
	var err error
	p.conn, err = net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	if addr == "x" {
		return p, errors.New("partial")
	}
	return p, nil
}

// A deferred cleanup closure that closes on error.
func NewDeferred(addr string) (_ *Pool, err error) {
	p := &Pool{done: make(chan struct{})}
	defer func() {
		if err != nil {
			p.Close()
		}
	}()
	p.conn, err = net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	if addr == "x" {
		return nil, errors.New("x")
	}
	return p, nil
}

// Registered elsewhere before the error: someone else owns it.
var all []*Pool

func NewRegistered(addr string) (*Pool, error) {
	p := &Pool{}
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	p.conn = c
	all = append(all, p)
	if addr == "x" {
		return nil, errors.New("x")
	}
	return p, nil
}

// The goroutine is started only after the last error return.
func NewLooper(addr string) (*Pool, error) {
	p := &Pool{done: make(chan struct{})}
	if addr == "" {
		return nil, errors.New("no addr")
	}
	go p.loop()
	return p, nil
}

// Nothing acquired yet on the error path.
func NewLate(addr string) (*Pool, error) {
	p := &Pool{}
	if addr == "" {
		return nil, errors.New("no addr")
	}
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	p.conn = c
	return p, nil
}

// A function without an error result.
func build(addr string) *Pool {
	p := &Pool{}
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return nil
	}
	p.conn = c
	return p
}

// A goroutine that only uses a value (a config, a captured listener) is not
// one started on it.
type Config struct{ conn net.Conn }

func serveWith(cfg *Config) error {
	c := &Config{}
	conn, err := net.Dial("tcp", "a:1")
	if err != nil {
		return err
	}
	c.conn = conn
	ln, err := net.Listen("tcp", ":0")
	if err != nil {
		c.conn.Close()
		return err
	}
	go func() { ln.Accept() }()
	if cfg == nil {
		c.conn.Close()
		return errors.New("no config")
	}
	return nil
}
