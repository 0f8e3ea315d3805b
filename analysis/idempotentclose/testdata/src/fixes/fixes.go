// Package fixes pins the text of the sync.Once quick fix.
package fixes

import (
	"errors"
	"net"
)

type Client struct {
	addr string
	done chan struct{}
	conn net.Conn
}

func (c *Client) Close() error { // want Close:"notIdempotent"
	close(c.done) // want `Close is not idempotent`
	return c.conn.Close()
}

type (
	Ticker struct {
		stop   chan bool
		period int
	}
	Server struct {
		quit chan struct{}
		err  error
	}
)

func (t *Ticker) Stop() { close(t.stop) } // want Stop:"notIdempotent" `Stop is not idempotent`

// Early returns become assignments followed by a bare return.
func (s *Server) Shutdown() error { // want Shutdown:"notIdempotent"
	if s.err != nil {
		return s.err
	}
	close(s.quit) // want `Shutdown is not idempotent`
	if s.quit == nil {
		return errors.New("impossible")
	}
	return nil
}

// A named error result is used directly.
type Named struct {
	done chan struct{}
	c    net.Conn
}

func (n *Named) Close() (err error) { // want Close:"notIdempotent"
	// Close the channel first so readers stop.
	close(n.done) // want `Close is not idempotent`
	err = n.c.Close()
	return
}

// The body's own err variable forces another name.
type Shadow struct {
	done chan struct{}
	c    net.Conn
}

func (s *Shadow) Close() error { // want Close:"notIdempotent"
	close(s.done) // want `Close is not idempotent`
	if err := s.c.Close(); err != nil {
		return err
	}
	return nil
}

// A field named closeOnce already exists.
type Taken struct {
	closeOnce bool
	done      chan struct{}
}

func (t *Taken) Close() { // want Close:"notIdempotent"
	close(t.done) // want `Close is not idempotent`
	t.closeOnce = true
}
