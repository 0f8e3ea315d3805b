package fixes

import "net"

// The new value may be the old one: no fix.
func (c *Client) adopt(n net.Conn) {
	c.conn.Write(nil)
	c.conn = n // want `c.conn is overwritten`
}

// Released on one path already: a guarded release would run twice there.
func (c *Client) maybe(really bool) {
	if really {
		c.conn.Close()
	}
	c.conn = nil // want `c.conn is set to nil`
}

// Clearing a whole container gets no fix.
func (c *Client) dropAll() {
	c.conns = nil // want `c.conns is cleared`
}
