// Package errs declares sentinel errors, and one variable that is nil
// until someone sets it.
package errs

import (
	"errors"
	"fmt"
)

var (
	ErrRefused = errors.New("refused")
	ErrClosed  = fmt.Errorf("closed: %w", ErrRefused)
	ErrLast    error // nil until set
)

func SetLast(err error) { ErrLast = err }
