// Package infeasible: paths that cannot happen are not leaking paths; the
// same shapes with a path that can happen still leak.
package infeasible

import "os"

type block struct {
	mfd *os.File
	mfn string
}

// The closure assigns the captured err; the defer is registered only when
// the open worked, and a nil fd returns before any use.
func (mb *block) truncate(index int64) error {
	var err error
	trunc := func() error {
		var fd *os.File
		if mb.mfd != nil {
			fd = mb.mfd
		} else {
			fd, err = os.OpenFile(mb.mfn, os.O_RDWR, 0o644)
			if err == nil {
				defer fd.Close()
			}
		}
		if fd == nil {
			return nil
		}
		return fd.Truncate(index)
	}
	return trunc()
}

// A flag set right after a successful open guards the Close.
func (mb *block) syncFile() error {
	fd, didOpen := mb.mfd, false
	if fd == nil {
		var err error
		fd, err = os.OpenFile(mb.mfn, os.O_RDWR, 0o644)
		if err != nil {
			return err
		}
		didOpen = true
	}
	if err := fd.Sync(); err != nil {
		if didOpen {
			_ = fd.Close()
		}
		return err
	}
	if didOpen {
		return fd.Close()
	}
	return nil
}

// The flag tested the wrong way round: the opened file leaks.
func (mb *block) syncFileWrongFlag() error {
	fd, didOpen := mb.mfd, false
	if fd == nil {
		var err error
		fd, err = os.OpenFile(mb.mfn, os.O_RDWR, 0o644) // want `file fd from os.OpenFile is never closed`
		if err != nil {
			return err
		}
		didOpen = true
	}
	if !didOpen {
		return fd.Close()
	}
	return fd.Sync()
}

// A later error assigned to the same variable is not the open's error: the
// file leaks when Chmod fails.
func create(name string) (err error) {
	f, err := os.Create(name) // want `file f from os.Create is not closed on the path returning`
	if err != nil {
		return err
	}
	err = f.Chmod(0o600)
	if err != nil {
		return err
	}
	return f.Close()
}
