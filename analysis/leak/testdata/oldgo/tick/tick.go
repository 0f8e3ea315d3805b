// Package tick: before Go 1.23 the ticker behind time.Tick is never
// collected, and nothing can stop it: a function that returns leaks it.
package tick

import (
	"context"
	"time"
)

func poll(ctx context.Context, check func() bool) bool {
	c := time.Tick(100 * time.Millisecond) // want `the ticker behind c from time.Tick can never be stopped`
	for {
		select {
		case <-ctx.Done():
			return false
		case <-c:
			if check() {
				return true
			}
		}
	}
}

func waitFor(ctx context.Context, every time.Duration, check func() bool) bool {
	tick := time.Tick(every) // want `the ticker behind tick from time.Tick can never be stopped`
	for {
		select {
		case <-ctx.Done():
			return false
		case <-tick:
			if check() {
				return true
			}
		}
	}
}

func inline(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.Tick(time.Second): // want `the ticker behind the channel from time.Tick can never be stopped`
		}
	}
}

// Must stay silent: a function that never returns, main, a goroutine that
// runs forever.

func forever(work func()) {
	for range time.Tick(time.Minute) {
		work()
	}
}

func background(work func()) {
	go func() {
		for range time.Tick(time.Minute) {
			work()
		}
	}()
}

func stopped(ctx context.Context) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
