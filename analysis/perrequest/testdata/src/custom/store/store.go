// Package store is a user package with a configured heavyweight constructor.
package store

type Client struct{}

func NewClient(addr string) *Client { return &Client{} }

func (*Client) Close() error { return nil }

type Factory struct{}

func (Factory) Open(name string) (*Client, error) { return &Client{}, nil }
