// Package dep exports a type whose Close is not idempotent.
package dep

type Conn struct{ done chan struct{} }

func (c *Conn) Close() error { // want Close:"notIdempotent"
	close(c.done) // want `closes channel c.done`
	return nil
}

type Safe struct{ closed bool }

func (s *Safe) Close() error {
	if s.closed {
		return nil
	}
	s.closed = true
	return nil
}
