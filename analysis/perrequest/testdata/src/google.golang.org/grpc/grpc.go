// Package grpc is a stand-in for google.golang.org/grpc with the shapes the
// check matches.
package grpc

import "context"

type ClientConn struct{}

func (*ClientConn) Close() error { return nil }

type DialOption interface{}

func NewClient(target string, opts ...DialOption) (*ClientConn, error) { return &ClientConn{}, nil }
func Dial(target string, opts ...DialOption) (*ClientConn, error)      { return &ClientConn{}, nil }
func DialContext(ctx context.Context, target string, opts ...DialOption) (*ClientConn, error) {
	return &ClientConn{}, nil
}
