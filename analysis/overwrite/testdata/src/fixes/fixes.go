package fixes

import (
	"context"
	"net"
	"os"
)

type Client struct {
	addr   string
	conn   net.Conn
	cancel context.CancelFunc
	conns  map[string]net.Conn
}

func (c *Client) send(b []byte) error {
	if _, err := c.conn.Write(b); err != nil {
		var derr error
		c.conn, derr = net.Dial("tcp", c.addr) // want `c.conn is overwritten`
		return derr
	}
	return nil
}

func (c *Client) reset() {
	c.conn = nil // want `c.conn is set to nil`
}

func (c *Client) restart(parent context.Context) {
	for i := 0; i < 2; i++ {
		_, cancel := context.WithCancel(parent)
		c.cancel = cancel // want `c.cancel is overwritten`
	}
}

func (c *Client) add(addr string) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return
	}
	c.conns[addr] = conn
}

func (c *Client) forget(addr string) {
	if _, ok := c.conns[addr]; ok {
		delete(c.conns, addr) // want `delete removes c.conns\[addr\]`
	}
}

func (c *Client) redial(addr string) {
	if c.conns[addr] != nil {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			return
		}
		c.conns[addr] = conn // want `c.conns\[addr\] is replaced`
	}
}

var logFile *os.File

func reopen(name string) error {
	for i := 0; i < 2; i++ {
		f, err := os.Create(name)
		if err != nil {
			return err
		}
		switch {
		case i > 0:
			logFile = f // want `logFile is overwritten`
		default:
			logFile = f // want `logFile is overwritten`
		}
	}
	return nil
}
