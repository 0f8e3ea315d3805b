// Package correlated: a condition tested twice has the same outcome on one
// path, so a path that needs it both true and false cannot happen.
package correlated

import (
	"errors"
	"os"
	"testing"
)

func connect(t *testing.T, name string, expectedOk bool) {
	f, err := os.Open(name)
	if expectedOk {
		defer f.Close()
		if err != nil {
			t.Fatalf("open: %v", err)
		}
	} else if !expectedOk && err == nil {
		f.Close()
		t.Fatal("expected an error")
	}
}

func keep(name string, cache bool, files map[string]*os.File) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	if cache {
		files[name] = f
	}
	stat(name)
	if !cache {
		return f.Close()
	}
	return nil
}

func stat(string) {}

// The true bugs of the same shapes are still reported.

// Two different flags are not correlated.
func connectOther(t *testing.T, name string, expectedOk, strict bool) {
	f, err := os.Open(name) // want `file f from os.Open is not closed on the path reaching the end of the function`
	if expectedOk {
		defer f.Close()
		if err != nil {
			t.Fatalf("open: %v", err)
		}
	} else if !strict && err == nil {
		f.Close()
		t.Fatal("expected an error")
	}
}

// Kept only when cache is set, closed only when it is set too.
func keepWrong(name string, cache bool, files map[string]*os.File) error {
	f, err := os.Open(name) // want `file f from os.Open is not closed on the path returning at line 69`
	if err != nil {
		return err
	}
	if cache {
		files[name] = f
	}
	if cache {
		return f.Close()
	}
	return errors.New("not cached")
}
