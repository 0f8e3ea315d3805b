// Package dropped holds values a constructor made, holding resources or
// running a goroutine, that an error return drops without closing.
package dropped

import (
	"context"
	"database/sql"
	"errors"
	"net"
	"os"
)

type Pool struct {
	conn net.Conn
	db   *sql.DB
	log  *os.File
	done chan struct{}
}

func (p *Pool) Close() error {
	close(p.done)
	return p.conn.Close()
}

func (p *Pool) loop() { <-p.done }

// The connection leaks when opening the database fails.
func NewPool(addr string) (*Pool, error) {
	p := &Pool{done: make(chan struct{})}
	var err error
	p.conn, err = net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	p.db, err = sql.Open("x", addr)
	if err != nil {
		return nil, err // want `p is dropped on this error return while it holds a connection in p.conn; release it first`
	}
	return p, nil
}

// A goroutine started on the value runs forever.
func NewLooper(addr string) (*Pool, error) {
	p := &Pool{done: make(chan struct{})}
	go p.loop()
	if addr == "" {
		return nil, errors.New("no addr") // want `p is dropped on this error return while it runs a goroutine`
	}
	return p, nil
}

// Composite literal holding an acquired connection.
func NewFromConn(addr string) (*Pool, error) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	p := &Pool{conn: conn, done: make(chan struct{})}
	if addr == "x" {
		return nil, errors.New("bad") // want `p is dropped on this error return while it holds a connection in p.conn`
	}
	return p, nil
}

// Two fields held.
func NewWithLog(addr, path string) (*Pool, error) {
	p := &Pool{}
	var err error
	if p.conn, err = net.Dial("tcp", addr); err != nil {
		return nil, err
	}
	if p.log, err = os.Create(path); err != nil {
		return nil, err // want `p is dropped on this error return while it holds a connection in p.conn; release it first`
	}
	if _, err := p.log.WriteString("start"); err != nil {
		return nil, err // want `p is dropped on this error return while it holds a connection in p.conn and holds a file in p.log`
	}
	return p, nil
}

// A validation failure after the dial.
func NewChecked(addr string, size int) (*Pool, error) {
	p := &Pool{}
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	p.conn = conn
	if size <= 0 {
		return nil, errors.New("size") // want `p is dropped`
	}
	return p, nil
}

// In a switch.
func NewMode(addr, mode string) (*Pool, error) {
	p := &Pool{}
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	p.conn = conn
	switch mode {
	case "a":
	case "b":
	default:
		return nil, errors.New("mode") // want `p is dropped`
	}
	return p, nil
}

// A value of a struct type, not a pointer.
type Conn struct{ c net.Conn }

func newConn(addr string) (Conn, error) {
	var w Conn
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return Conn{}, err
	}
	w.c = c
	if addr == "y" {
		return Conn{}, errors.New("y") // want `w is dropped`
	}
	return w, nil
}

// A cancel func held in a field.
type Worker struct{ cancel context.CancelFunc }

func NewWorker(parent context.Context, n int) (*Worker, error) {
	w := &Worker{}
	_, w.cancel = context.WithCancel(parent)
	if n < 0 {
		return nil, errors.New("n") // want `w is dropped on this error return while it holds a cancel function in w.cancel`
	}
	return w, nil
}

// An error from a later step in a loop.
func NewMulti(addrs []string) (*Pool, error) {
	p := &Pool{}
	c, err := net.Dial("tcp", addrs[0])
	if err != nil {
		return nil, err
	}
	p.conn = c
	for _, a := range addrs[1:] {
		if a == "" {
			return nil, errors.New("empty") // want `p is dropped`
		}
	}
	return p, nil
}
