// Package sentinel: an error equal to a sentinel error (errors.New at
// package level, io.EOF) is not nil, so the acquisition failed there.
package sentinel

import (
	"errors"
	"io"
	"net"
	"testing"

	"sentinel/errs"
)

var errNoCreds = errors.New("no credentials")

var errUnset error

func dial(addr string) (net.Conn, error) {
	if addr == "" {
		return nil, errNoCreds
	}
	return net.Dial("tcp", addr)
}

func TestExpectLocalSentinel(t *testing.T) {
	if _, err := dial(""); err != errNoCreds {
		t.Fatalf("got %v, want %v", err, errNoCreds)
	}
}

func TestExpectImportedSentinel(t *testing.T) {
	if _, err := dial(""); err != errs.ErrRefused {
		t.Fatalf("got %v", err)
	}
	if _, err := dial(""); err != errs.ErrClosed {
		t.Fatalf("got %v", err)
	}
}

func expectEOF(t *testing.T, ln net.Listener) {
	c, err := ln.Accept()
	if err != io.EOF {
		t.Fatalf("got %v, want EOF", err)
	}
	t.Log(c == nil)
}

// The true bugs of the same shapes are still reported.

func TestExpectUnset(t *testing.T) {
	if _, err := dial(""); err != errUnset { // want `the connection returned by sentinel.dial is discarded`
		t.Fatalf("got %v", err)
	}
}

func TestExpectImportedUnset(t *testing.T) {
	if _, err := dial(""); err != errs.ErrLast { // want `the connection returned by sentinel.dial is discarded`
		t.Fatalf("got %v", err)
	}
}

func TestRejectSentinel(t *testing.T) {
	if _, err := dial("x"); err == errNoCreds { // want `the connection returned by sentinel.dial is discarded`
		t.Fatalf("got %v", err)
	}
}

func setUnset() { errUnset = errors.New("now set") }

func TestExpectIsNegated(t *testing.T) {
	_, err := dial("")
	if !errors.Is(err, errNoCreds) {
		t.Fatalf("got %v", err)
	}
}

// The negated predicate that only logs goes on with a live conn.
func TestExpectIsNegatedLogs(t *testing.T) {
	_, err := dial("") // want `the connection returned by sentinel.dial is discarded`
	if !errors.Is(err, errNoCreds) {
		t.Logf("got %v", err)
	}
}
