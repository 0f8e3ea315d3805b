// Package ctorname: constructors are known by their name (NewBackend,
// OpenLog) and judged by what they hold (see unexportedctor for a
// package's own newBackend). The messages name the leaking exit and where
// the value goes otherwise.
package ctorname

import (
	"errors"
	"net"
	"os"
)

type backend struct {
	conn net.Conn
}

func (b *backend) Close() error { return b.conn.Close() }

// NewBackend dials: the backend holds a connection.
func NewBackend(addr string) (*backend, error) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	return &backend{conn: c}, nil
}

func ping(addr string) error {
	b, err := NewBackend(addr) // want `closer b from ctorname.NewBackend is never closed`
	if err != nil {
		return err
	}
	_, err = b.conn.Write([]byte("ping"))
	return err
}

func pingClosed(addr string) error {
	b, err := NewBackend(addr)
	if err != nil {
		return err
	}
	defer b.Close()
	_, err = b.conn.Write([]byte("ping"))
	return err
}

// Handed to the caller: not this function's to close.
func open(addr string) (*backend, error) {
	b, err := NewBackend(addr)
	if err != nil {
		return nil, err
	}
	return b, nil
}

type server struct{ b *backend }

// Stored in the receiver: its owner closes it.
func (s *server) connect(addr string) error {
	b, err := NewBackend(addr)
	if err != nil {
		return err
	}
	s.b = b
	return nil
}

type logFile struct{ f *os.File }

func (l *logFile) Close() error { return l.f.Close() }

func OpenLog(name string) (*logFile, error) {
	f, err := os.Create(name)
	if err != nil {
		return nil, err
	}
	return &logFile{f: f}, nil
}

func writeLog(name, line string) error {
	l, err := OpenLog(name) // want `closer l from ctorname.OpenLog is not closed on the path returning at line 86`
	if err != nil {
		return err
	}
	if _, err := l.f.WriteString(line); err != nil {
		return err
	}
	return l.Close()
}

// An in-memory value with a Close method holds nothing: not a resource,
// whatever its constructor is called.
type memo struct {
	m      map[string]string
	closed bool
}

func (m *memo) Close() error { m.closed = true; return nil }

func newMemo() *memo { return &memo{m: map[string]string{}} }

func lookup(k string) string {
	m := newMemo()
	return m.m[k]
}

// A name that only starts like a constructor is not one.
type line struct{ conn net.Conn }

func (l *line) Close() error { return l.conn.Close() }

func newline(c net.Conn) *line { return &line{conn: c} }

var errNoLine = errors.New("no line")

func borrow(c net.Conn) error {
	l := newline(c)
	if l == nil {
		return errNoLine
	}
	return nil
}

// The message names the leaking exit and where the value goes otherwise.
func openChecked(addr string) (*backend, error) {
	b, err := NewBackend(addr) // want `closer b from ctorname.NewBackend is not closed on the path returning at line 131; on other paths it is returned to the caller$`
	if err != nil {
		return nil, err
	}
	if _, err := b.conn.Write([]byte("hello")); err != nil {
		return nil, err
	}
	return b, nil
}

func (s *server) reconnect(addr string) error {
	b, err := NewBackend(addr) // want `closer b from ctorname.NewBackend is not closed on the path returning at line 142; on other paths it is handed over at line 144$`
	if err != nil {
		return err
	}
	if _, err := b.conn.Write([]byte("hello")); err != nil {
		return err
	}
	s.b = b
	return nil
}

// An unexported function that returns a constructor's result.
func newBackendFor(addr string) (*backend, error) { return NewBackend(addr) }

func pingUnexported(addr string) error {
	b, err := newBackendFor(addr) // want `closer b from ctorname.newBackendFor is never closed`
	if err != nil {
		return err
	}
	_, err = b.conn.Write([]byte("ping"))
	return err
}
