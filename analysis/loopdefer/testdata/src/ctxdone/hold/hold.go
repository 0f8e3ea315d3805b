// Package hold has waits whose results tell, through facts, that the
// context they were given is done.
package hold

import (
	"context"
	"errors"
)

type Hold struct{ ch chan struct{} }

// Wait returns false only when ctx is done.
func (h *Hold) Wait(ctx context.Context) bool { // want Wait:`contextDone\(result 0 is false only when param 0 is done\)`
	select {
	case <-ctx.Done():
		return false
	case <-h.ch:
		return true
	}
}

// Receive returns an error only when ctx is done.
func Receive(ctx context.Context, ch chan int) (int, error) { // want Receive:`contextDone\(result 1 is a non-nil error only when param 0 is done\)`
	select {
	case v := <-ch:
		return v, nil
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// Poll may also return false when nothing is ready: no fact.
func (h *Hold) Poll(ctx context.Context) bool {
	select {
	case <-ctx.Done():
		return false
	case <-h.ch:
		return true
	default:
		return false
	}
}

// Fetch fails for other reasons too: no fact.
func Fetch(ctx context.Context, ch chan int) (int, error) {
	select {
	case v, ok := <-ch:
		if !ok {
			return 0, errors.New("closed")
		}
		return v, nil
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}
