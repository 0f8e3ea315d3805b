// Package store acquires and releases resources for the packages that
// import it: what they do with them is judged through the facts exported
// on these functions and methods.
package store

import (
	"context"
	"os"
	"time"
)

// Open opens the file at path; the caller owns it.
func Open(path string) (*os.File, error) {
	return os.Open(path)
}

// Release closes f.
func Release(f *os.File) {
	f.Close()
}

// Deadline returns a context that the caller must cancel.
func Deadline(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, time.Second)
}

// Pool hands out work until it is closed.
type Pool struct {
	done chan struct{}
}

// NewPool returns an open pool.
func NewPool() *Pool {
	return &Pool{done: make(chan struct{})}
}

// Close stops the pool. A second call panics.
func (p *Pool) Close() error {
	close(p.done) // finding: idempotentclose
	return nil
}
