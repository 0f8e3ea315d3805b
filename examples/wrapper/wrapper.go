// Package wrapper reproduces incident 3: a client wrapper whose Close is
// not idempotent, used by code that closes it explicitly and also defers
// Close, and a connection type whose cleanup lives only in a finalizer.
package wrapper

import (
	"bufio"
	"errors"
	"net"
	"runtime"
	"time"
)

// Client keeps a connection and a background heartbeat.
type Client struct {
	conn net.Conn
	done chan struct{}
}

// Dial connects and starts the heartbeat.
func Dial(addr string) (*Client, error) {
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return nil, err
	}
	c := &Client{conn: conn, done: make(chan struct{})}
	go c.heartbeat()
	return c, nil
}

func (c *Client) heartbeat() {
	t := time.NewTicker(10 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-c.done:
			return
		case <-t.C:
			_, _ = c.conn.Write([]byte("PING\r\n"))
		}
	}
}

// Close stops the heartbeat and closes the connection. The second call
// panics: close of closed channel.
func (c *Client) Close() error {
	close(c.done)
	return c.conn.Close()
}

// Fetch sends a command and reads one line. It closes the client early to
// free the connection before parsing, and also defers Close "to be safe":
// the deferred Close panics.
func Fetch(addr, cmd string) (string, error) {
	c, err := Dial(addr)
	if err != nil {
		return "", err
	}
	defer c.Close()
	if _, err := c.conn.Write([]byte(cmd + "\r\n")); err != nil {
		return "", err
	}
	line, err := bufio.NewReader(c.conn).ReadString('\n')
	if err != nil {
		return "", err
	}
	c.Close()
	return line, nil
}

// Stream holds a raw connection; its cleanup lives only in a finalizer, so
// connections pile up until the garbage collector runs.
type Stream struct {
	conn net.Conn
	buf  *bufio.Reader
}

// OpenStream connects to addr.
func OpenStream(addr string) (*Stream, error) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	s := &Stream{conn: conn, buf: bufio.NewReader(conn)}
	runtime.SetFinalizer(s, func(s *Stream) { s.conn.Close() })
	return s, nil
}

// Next reads the next line of the stream.
func (s *Stream) Next() (string, error) {
	line, err := s.buf.ReadString('\n')
	if errors.Is(err, net.ErrClosed) {
		return "", err
	}
	return line, err
}
