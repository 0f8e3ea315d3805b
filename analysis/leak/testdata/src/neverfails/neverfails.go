// Package neverfails: the error check after a call that never fails (a
// bytes.Buffer write, a helper whose every return has a nil error) is never
// taken, so nothing leaks there.
package neverfails

import (
	"bytes"
	"fmt"
	"net"
	"os"
)

type Server struct {
	ln    net.Listener
	token string
}

// token cannot fail: its only error comes from a bytes.Buffer write.
func token(name string) (string, error) {
	var b bytes.Buffer
	if _, err := b.WriteString(name); err != nil {
		return "", fmt.Errorf("token: %w", err)
	}
	return b.String(), nil
}

// readToken can fail.
func readToken(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

func NewServer(name string) (*Server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	tok, err := token(name)
	if err != nil {
		return nil, err
	}
	return &Server{ln: ln, token: tok}, nil
}

func NewServerInline(name string) (*Server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if _, err := b.WriteString(name); err != nil {
		return nil, err
	}
	return &Server{ln: ln, token: b.String()}, nil
}

// The true bug of the same shape is still reported.
func NewServerFromFile(path string) (*Server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0") // want `listener ln from net.Listen is not closed on the path returning at line 68`
	if err != nil {
		return nil, err
	}
	tok, err := readToken(path)
	if err != nil {
		return nil, err
	}
	return &Server{ln: ln, token: tok}, nil
}
