// Package recovering: an open retried while a predicate of its error holds
// (corrupted? recover, then reinitialise) merges the error through nested
// φs. Where the first open worked, the predicate is false every time and
// the final error check passes: the return on error does not leak it.
package recovering

import (
	"errors"
	"os"
	"strings"
)

func isCorrupted(err error) bool {
	switch {
	case err == nil:
		return false
	case strings.Contains(err.Error(), "corrupted"):
		return true
	}
	return false
}

func open(name string) (*os.File, error) {
	f, err := os.Open(name)
	if isCorrupted(err) {
		f, err = os.OpenFile(name, os.O_RDWR, 0)
	}
	if isCorrupted(err) {
		if err := os.Remove(name); err != nil {
			return nil, err
		}
		f, err = os.Open(name)
	}
	if err != nil {
		return nil, errors.Join(errors.New("is another instance running?"), err)
	}
	return f, nil
}

// The same shape with a return that comes after the error check leaks.
func openNonEmpty(name string) (*os.File, error) {
	f, err := os.Open(name) // want `file f from os.Open is not closed on the path returning at line 53`
	if isCorrupted(err) {
		f, err = os.OpenFile(name, os.O_RDWR, 0) // want `file f from os.OpenFile is not closed on the path returning at line 53`
	}
	if isCorrupted(err) {
		f, err = os.Open(name) // want `file f from os.Open is not closed on the path returning at line 53`
	}
	if err != nil {
		return nil, err
	}
	if st, serr := f.Stat(); serr != nil || st.Size() == 0 {
		return nil, errors.New("empty")
	}
	return f, nil
}
