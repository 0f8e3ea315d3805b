// Package testfailure: a path on which the test has already reported its
// failure (t.Error, t.Errorf, t.Fail) is not a leak report of its own.
package testfailure

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
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

// The error is printed and must contain a text "<nil>" does not: it is set.
func TestPrintedErr(t *testing.T) {
	if _, err := dial("x"); !strings.Contains(fmt.Sprint(err), "no such host") {
		t.Fatalf("got %v", err)
	}
}

// err.Error() on a nil error panics: past it, the dial failed.
func TestErrText(t *testing.T) {
	_, err := dial("x")
	if !strings.Contains(err.Error(), "missing port") {
		t.Fatalf("got %v", err)
	}
}

// A text "<nil>" also contains says nothing about the error.
func TestPrintedNil(t *testing.T) {
	if _, err := dial("x"); !strings.Contains(fmt.Sprint(err), "nil") { // want `is discarded`
		t.Fatalf("got %v", err)
	}
}

// The error's text is used only where the dial failed; the passing path
// leaks.
func TestErrTextOnFailure(t *testing.T) {
	c, err := dial("x") // want `is never closed`
	if err != nil {
		t.Fatalf("dial: %s", err.Error())
	}
	c.Write(nil)
}
