// Package user wraps dep's types: the fact crosses the package boundary.
package user

import "dep"

type Session struct {
	conn *dep.Conn
	safe *dep.Safe
}

func (s *Session) Close() error { // want Close:"notIdempotent"
	s.safe.Close()
	return s.conn.Close() // want `calls s.conn.Close, which closes channel c.done without a guard`
}

type Safe struct{ safe *dep.Safe }

func (s *Safe) Close() error { return s.safe.Close() }
