// Package children: a method that returns a child of its receiver (a
// channel of a connection, a session of a client) keeps a reference to the
// receiver in the child; it does not take the receiver over.
package children

import (
	"errors"
	"net"
	"time"
)

var errTooMany = errors.New("too many channels")

type Conn struct {
	c     net.Conn
	chans []*Channel
}

func Dial(addr string) (*Conn, error) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	return &Conn{c: c}, nil
}

func (c *Conn) Close() error { return c.c.Close() }

func (c *Conn) forget(ch *Channel) {
	for i, x := range c.chans {
		if x == ch {
			c.chans = append(c.chans[:i], c.chans[i+1:]...)
		}
	}
}

// Run hands the connection to a goroutine that closes it when done.
func (c *Conn) Run() {
	go func() {
		defer c.Close()
		c.c.Write([]byte("x"))
	}()
}

type Channel struct {
	conn *Conn
}

func (ch *Channel) Close() error {
	ch.conn.forget(ch)
	return nil
}

// Channel opens a child channel that refers back to its connection.
func (c *Conn) Channel() (*Channel, error) {
	if len(c.chans) > 10 {
		return nil, errTooMany
	}
	ch := &Channel{conn: c}
	c.chans = append(c.chans, ch)
	return ch, nil
}

// Opening a channel does not hand the connection to it: it leaks when the
// channel cannot be opened.
func open(addr string) (*Conn, *Channel, error) {
	conn, err := Dial(addr) // want `conn from children.Dial is not closed on the path returning at line 73`
	if err != nil {
		return nil, nil, err
	}
	ch, err := conn.Channel()
	if err != nil {
		return nil, nil, err
	}
	return conn, ch, nil
}

func openClosing(addr string) (*Conn, *Channel, error) {
	conn, err := Dial(addr)
	if err != nil {
		return nil, nil, err
	}
	ch, err := conn.Channel()
	if err != nil {
		conn.Close()
		return nil, nil, err
	}
	return conn, ch, nil
}

// A method that gives the receiver to a goroutine that releases it does
// take it over.
func runDetached(addr string) error {
	conn, err := Dial(addr)
	if err != nil {
		return err
	}
	conn.Run()
	return nil
}

// Current returns the channel the connection already holds: borrowed.
func (c *Conn) Current() *Channel {
	if len(c.chans) == 0 {
		return nil
	}
	return c.chans[0]
}

// A channel opened and never closed stays registered with its connection.
func publish(conn *Conn) error {
	ch, err := conn.Channel() // want `closer ch from \(\*children.Conn\).Channel is never closed`
	if err != nil {
		return err
	}
	return ch.conn.c.SetDeadline(time.Time{})
}

func publishClosing(conn *Conn) error {
	ch, err := conn.Channel()
	if err != nil {
		return err
	}
	defer ch.Close()
	return ch.conn.c.SetDeadline(time.Time{})
}

func current(conn *Conn) error {
	ch := conn.Current()
	return ch.conn.c.SetDeadline(time.Time{})
}

// Switcher keeps the child it opens as its current state: the caller
// borrows it.
type Switcher struct {
	conn    *Conn
	current *Child
}

func (s *Switcher) Close() error { return s.conn.Close() }

// Child refers back to its switcher.
type Child struct {
	sw *Switcher
}

func (c *Child) Close() error {
	c.sw.current = nil
	return c.sw.conn.Close()
}

func (s *Switcher) switchTo() (*Child, error) {
	ch := &Child{sw: s}
	s.current = ch
	if len(s.conn.chans) > 10 {
		return nil, errTooMany
	}
	return ch, nil
}

func (s *Switcher) Switch() error {
	_, err := s.switchTo()
	return err
}
