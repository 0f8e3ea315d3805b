// Package deadclosure: a function literal created only after a call that
// never returns never runs.
package deadclosure

import (
	"os"
	"testing"
)

func each(t *testing.T, f func(t *testing.T)) { f(t) }

func TestSkipped(t *testing.T) {
	t.SkipNow()

	each(t, func(t *testing.T) {
		f, err := os.Open("x")
		if err != nil {
			t.Fatal(err)
		}
		f.Stat()
	})
}

// The true bugs of the same shape are still reported.

// Skipped only on one path: the literal is created on the other.
func TestSometimesSkipped(t *testing.T) {
	if testing.Short() {
		t.SkipNow()
	}
	each(t, func(t *testing.T) {
		f, err := os.Open("x") // want `is never closed`
		if err != nil {
			t.Fatal(err)
		}
		f.Stat()
	})
}

// Skipped inside the literal after the open: the open happens.
func TestSkipAfterOpen(t *testing.T) {
	each(t, func(t *testing.T) {
		f, err := os.Open("x") // want `is never closed`
		if err != nil {
			t.Fatal(err)
		}
		f.Stat()
	})
	t.SkipNow()
}
