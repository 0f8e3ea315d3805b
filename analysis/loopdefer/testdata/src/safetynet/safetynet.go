// Package safetynet: a defer in a loop whose value the iteration also
// releases explicitly, on every iteration, is a safety net, not a pile-up.
package safetynet

import (
	"context"
	"os"
	"time"
)

// Released at the end of each iteration; the defer covers panics.
func endOfIteration(names []string) error {
	for _, name := range names {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close()
		buf := make([]byte, 8)
		f.Read(buf)
		f.Close()
	}
	return nil
}

// The previous iteration's value is released at the top of the next.
func topOfNext(ctx context.Context, n int) {
	var cancel context.CancelFunc = func() {}
	for i := 0; i < n; i++ {
		cancel()
		var c context.Context
		c, cancel = context.WithTimeout(ctx, time.Second)
		defer cancel()
		<-c.Done()
	}
}

// Released in both branches of an if.
func bothBranches(ctx context.Context, n int, quick bool) {
	for i := 0; i < n; i++ {
		c, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel()
		if quick {
			cancel()
		} else {
			<-c.Done()
			cancel()
		}
	}
}

// Released only on an early path: the other iterations pile up.
func onlyOnError(names []string) error {
	for _, name := range names {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close() // want `f.Close\(\) is deferred inside a range loop`
		buf := make([]byte, 8)
		if _, err := f.Read(buf); err != nil {
			f.Close()
			continue
		}
	}
	return nil
}

// Released in one branch only.
func oneBranch(ctx context.Context, n int, quick bool) {
	for i := 0; i < n; i++ {
		c, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel() // want `cancel\(\) is deferred inside a for loop`
		if quick {
			cancel()
		} else {
			<-c.Done()
		}
	}
}
