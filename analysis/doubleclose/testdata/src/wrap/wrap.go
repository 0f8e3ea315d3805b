// Package wrap exports a client whose Close is not idempotent and one whose
// Close is guarded.
package wrap

import "sync"

type Client struct{ done chan struct{} }

func New() *Client { return &Client{done: make(chan struct{})} }

func (c *Client) Close() error {
	close(c.done)
	return nil
}

func (c *Client) Use() {}

type Safe struct {
	once sync.Once
	done chan struct{}
}

func NewSafe() *Safe { return &Safe{done: make(chan struct{})} }

func (s *Safe) Close() error {
	s.once.Do(func() { close(s.done) })
	return nil
}
