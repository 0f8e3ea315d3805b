// Package ctxdone: a path that received from a context's Done channel owes
// no cancel: the done context already released its timer and its parent.
package ctxdone

import (
	"context"
	"time"
)

func call(ctx context.Context) {}

// The loop goes round only after the short context expired.
func retryUntil(ctx context.Context, ch chan int) int {
	for {
		sCtx, sCancel := context.WithTimeout(ctx, time.Millisecond)
		call(sCtx)
		select {
		case <-sCtx.Done():
		case v := <-ch:
			sCancel()
			return v
		}
	}
}

func waitThenReturn(ctx context.Context) {
	sCtx, sCancel := context.WithTimeout(ctx, time.Millisecond)
	_ = sCancel
	call(sCtx)
	<-sCtx.Done()
}

// The true bugs of the same shapes are still reported.

func retryOnOther(ctx context.Context, ch, skip chan int) int {
	for {
		sCtx, sCancel := context.WithTimeout(ctx, time.Millisecond) // want `cancel function sCancel from context.WithTimeout is not called`
		call(sCtx)
		select {
		case <-skip:
		case v := <-ch:
			sCancel()
			return v
		}
	}
}

func waitOther(ctx, other context.Context) {
	sCtx, sCancel := context.WithTimeout(ctx, time.Millisecond) // want `cancel function sCancel from context.WithTimeout is never called`
	_ = sCancel
	call(sCtx)
	<-other.Done()
}
