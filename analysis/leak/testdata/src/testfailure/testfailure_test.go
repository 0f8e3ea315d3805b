// Package testfailure: a path on which the test has already reported its
// failure (t.Error, t.Errorf, t.Fail) is not a leak report of its own.
package testfailure

import (
	"errors"
	"net"
	"os"
	"testing"
)

var errRefused = errors.New("refused")

func dial(addr string) (net.Conn, error) { return net.Dial("tcp", addr) }

// The connect is expected to be refused; where it is not, the test fails.
func TestRefused(t *testing.T) {
	_, err := dial("localhost:1")
	if err != errRefused {
		t.Errorf("expected refused, got %v", err)
	}
}

func TestFailMarks(t *testing.T) {
	f, err := os.Open("x")
	if err == nil {
		t.Fail()
		return
	}
	_ = f
}

// A reporter interface shaped like testing.TB.
type reporter interface {
	Errorf(format string, args ...any)
	FailNow()
}

func checkRefused(r reporter) {
	_, err := dial("localhost:1")
	if err != errRefused {
		r.Errorf("expected refused, got %v", err)
	}
}

// The true bugs of the same shapes are still reported.

// The passing path leaks.
func TestLeaksWhenPassing(t *testing.T) {
	c, err := dial("localhost:1") // want `is never closed`
	if err != nil {
		t.Errorf("dial: %v", err)
		return
	}
	c.Write(nil)
}

// A logger's Errorf is no test failure.
type logger interface {
	Errorf(format string, args ...any)
}

func logRefused(l logger) {
	_, err := dial("localhost:1") // want `is discarded`
	if err != errRefused {
		l.Errorf("expected refused, got %v", err)
	}
}
