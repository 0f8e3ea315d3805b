package releasemethod

import (
	"errors"
	"net"
)

// Client gives up its connection when a request fails: that is error
// handling, not a release. Its Close is the release.
type Client struct {
	conn net.Conn
}

func DialClient(addr string) (*Client, error) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	return &Client{conn: c}, nil
}

func (c *Client) Close() error { return c.conn.Close() }

// roundTrip closes the connection only when the request fails.
func (c *Client) roundTrip(b []byte) error {
	if _, err := c.conn.Write(b); err != nil {
		c.conn.Close()
		return err
	}
	return nil
}

// Send calls roundTrip; neither is a release.
func (c *Client) Send(b []byte) error {
	if len(b) == 0 {
		return errors.New("empty")
	}
	return c.roundTrip(b)
}

// Shutdown releases the connection on its normal path.
func (c *Client) Shutdown() error {
	if c.conn == nil {
		return nil
	}
	return c.conn.Close()
}

func sendOnce(addr string) error {
	cl, err := DialClient(addr) // want `closer cl from releasemethod.DialClient is never closed`
	if err != nil {
		return err
	}
	return cl.Send([]byte("x"))
}

func sendAndShutdown(addr string) error {
	cl, err := DialClient(addr)
	if err != nil {
		return err
	}
	defer cl.Shutdown()
	return cl.Send([]byte("x"))
}
