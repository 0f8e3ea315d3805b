package fixes

import (
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

func (p *Pool) loop() { <-p.done }

func (p *Pool) Close() error {
	close(p.done)
	return nil
}

func NewPool(addr, path string) (*Pool, error) {
	p := &Pool{}
	var err error
	p.conn, err = net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	p.log, err = os.Create(path)
	if err != nil {
		return nil, err // want `p is dropped on this error return while it holds a connection in p.conn`
	}
	p.db, err = sql.Open("x", addr)
	if err != nil {
		return nil, err // want `p is dropped on this error return while it holds a connection in p.conn and holds a file in p.log`
	}
	return p, nil
}

// No fix: how to stop the goroutine is the type's business.
func NewLooper(addr string) (*Pool, error) {
	p := &Pool{done: make(chan struct{})}
	go p.loop()
	if addr == "" {
		return nil, errors.New("no addr") // want `p is dropped on this error return while it runs a goroutine`
	}
	return p, nil
}

// No fix: p.conn is empty on one path.
func NewMaybe(addr string, dial bool) (*Pool, error) {
	p := &Pool{}
	if dial {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			return nil, err
		}
		p.conn = c
	}
	if addr == "x" {
		return nil, errors.New("x") // want `p is dropped on this error return while it holds a connection in p.conn`
	}
	return p, nil
}
