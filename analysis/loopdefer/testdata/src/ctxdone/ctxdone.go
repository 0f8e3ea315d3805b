// Package ctxdone: a deferred cancel in a loop whose context is known to be
// done before the next iteration (its Done channel was received from, or an
// operation given it failed with the context's own error) holds nothing:
// the context already released its timer and left its parent.
package ctxdone

import (
	"context"
	"errors"
	"testing"
	"time"
)

type queue struct{ ch chan int }

func (q *queue) Receive(ctx context.Context) (int, error) {
	select {
	case v := <-q.ch:
		return v, nil
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// Each short context is waited to its deadline.
func expectNothing(t *testing.T, ctx context.Context, qs []*queue) {
	for _, q := range qs {
		sCtx, sCancel := context.WithTimeout(ctx, time.Millisecond)
		defer sCancel()
		if _, err := q.Receive(sCtx); err != context.DeadlineExceeded {
			t.Fatalf("got %v, want a timeout", err)
		}
	}
}

func expectNothingIs(t *testing.T, ctx context.Context, qs []*queue) {
	for _, q := range qs {
		sCtx, sCancel := context.WithTimeout(ctx, time.Millisecond)
		defer sCancel()
		_, err := q.Receive(sCtx)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("got %v, want a timeout", err)
		}
	}
}

func waitDone(ctx context.Context, n int) {
	for i := 0; i < n; i++ {
		sCtx, sCancel := context.WithTimeout(ctx, time.Millisecond)
		defer sCancel()
		<-sCtx.Done()
	}
}

func selectDone(ctx context.Context, ch chan int) int {
	for {
		sCtx, sCancel := context.WithTimeout(ctx, time.Millisecond)
		defer sCancel()
		select {
		case <-sCtx.Done():
		case v := <-ch:
			return v
		}
	}
}

// The true bugs of the same shapes are still reported.

// A receive that may succeed before the deadline leaves the context live.
func expectSomething(t *testing.T, ctx context.Context, qs []*queue) {
	for _, q := range qs {
		sCtx, sCancel := context.WithTimeout(ctx, time.Second)
		defer sCancel() // want `sCancel\(\) is deferred inside a range loop`
		if _, err := q.Receive(sCtx); err != nil {
			t.Fatalf("receive: %v", err)
		}
	}
}

// The error compared is another call's, made without the context.
func otherCall(t *testing.T, ctx context.Context, qs []*queue) {
	for _, q := range qs {
		sCtx, sCancel := context.WithTimeout(ctx, time.Second)
		defer sCancel() // want `sCancel\(\) is deferred inside a range loop`
		_, err := q.Receive(ctx)
		if err != context.DeadlineExceeded {
			t.Fatalf("got %v", err)
		}
		q.Receive(sCtx)
	}
}

// A failed check that only logs goes on with a live context.
func onlyLogs(t *testing.T, ctx context.Context, qs []*queue) {
	for _, q := range qs {
		sCtx, sCancel := context.WithTimeout(ctx, time.Second)
		defer sCancel() // want `sCancel\(\) is deferred inside a range loop`
		if _, err := q.Receive(sCtx); err != context.DeadlineExceeded {
			t.Logf("got %v", err)
		}
	}
}

// Another case of the select goes round the loop with a live context.
func selectOther(ctx context.Context, ch, skip chan int) int {
	for {
		sCtx, sCancel := context.WithTimeout(ctx, time.Second)
		defer sCancel() // want `sCancel\(\) is deferred inside a for loop`
		select {
		case <-sCtx.Done():
		case <-skip:
		case v := <-ch:
			return v
		}
	}
}

// Waiting on another context's Done says nothing of this one.
func waitOther(ctx, other context.Context, n int) {
	for i := 0; i < n; i++ {
		sCtx, sCancel := context.WithTimeout(ctx, time.Second)
		defer sCancel() // want `sCancel\(\) is deferred inside a for loop`
		<-other.Done()
		_ = sCtx
	}
}
