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

	"ctxdone/hold"
)

type queue struct{ ch chan int }

func (q *queue) Receive(ctx context.Context) (int, error) { // want Receive:`contextDone`
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

// Callees in another package whose results tell, through facts, that the
// context is done.

func holdsWaitedOut(t *testing.T, ctx context.Context, hs []*hold.Hold) {
	for _, h := range hs {
		sCtx, sCancel := context.WithTimeout(ctx, time.Millisecond)
		defer sCancel()
		if h.Wait(sCtx) {
			t.Fatalf("unexpected attempt")
		}
	}
}

func receiveFails(t *testing.T, ctx context.Context, chs []chan int) {
	for _, ch := range chs {
		sCtx, sCancel := context.WithTimeout(ctx, time.Millisecond)
		defer sCancel()
		if _, err := hold.Receive(sCtx, ch); err == nil {
			t.Fatalf("unexpected value")
		}
	}
}

// A check that reports the test failed with t.Error: what piles up after
// that is on a failing test's path.
func expectTimeoutOrError(t *testing.T, ctx context.Context, qs []*queue) {
	for _, q := range qs {
		sCtx, sCancel := context.WithTimeout(ctx, time.Millisecond)
		defer sCancel()
		if _, err := q.Receive(sCtx); err != context.DeadlineExceeded {
			t.Error("unexpected value")
		}
	}
}

// The same shapes with results that do not tell are still reported.

func holdsPolled(t *testing.T, ctx context.Context, hs []*hold.Hold) {
	for _, h := range hs {
		sCtx, sCancel := context.WithTimeout(ctx, time.Second)
		defer sCancel() // want `sCancel\(\) is deferred inside a range loop`
		if h.Poll(sCtx) {
			t.Fatalf("unexpected attempt")
		}
	}
}

func fetchFails(t *testing.T, ctx context.Context, chs []chan int) {
	for _, ch := range chs {
		sCtx, sCancel := context.WithTimeout(ctx, time.Second)
		defer sCancel() // want `sCancel\(\) is deferred inside a range loop`
		if _, err := hold.Fetch(sCtx, ch); err == nil {
			t.Fatalf("unexpected value")
		}
	}
}

// The wait succeeding is what the iteration goes on with: live context.
func holdsAttempted(t *testing.T, ctx context.Context, hs []*hold.Hold) {
	for _, h := range hs {
		sCtx, sCancel := context.WithTimeout(ctx, time.Second)
		defer sCancel() // want `sCancel\(\) is deferred inside a range loop`
		if !h.Wait(sCtx) {
			t.Fatalf("no attempt")
		}
	}
}

// Error on a value that is not a test reporter does not stop anything.
type logger struct{}

func (logger) Error(args ...any) {}

func logsError(l logger, ctx context.Context, qs []*queue) {
	for _, q := range qs {
		sCtx, sCancel := context.WithTimeout(ctx, time.Second)
		defer sCancel() // want `sCancel\(\) is deferred inside a range loop`
		if _, err := q.Receive(sCtx); err != context.DeadlineExceeded {
			l.Error("unexpected value")
		}
	}
}
