// Package fixes pins the text of doubleclose's quick fix.
package fixes

import "wrap"

func explicitAndDeferred() error {
	c := wrap.New()
	defer c.Close()
	c.Use()
	c.Close() // want `released here and again by the deferred release`
	return nil
}

func lastStatement() {
	c := wrap.New()
	defer c.Close()
	c.Use()
	c.Close() // want `released here and again by the deferred release`
}

func closeTwice(ch chan int) {
	close(ch)
	ch <- 1
	close(ch) // want `closed twice`
}

func explicitThenDefer(ch chan int) {
	close(ch)
	defer close(ch) // want `before this deferred release`
	println()
}

// No fix: the explicit release is followed by more work.
func notLast() {
	c := wrap.New()
	defer c.Close()
	c.Close() // want `released here and again by the deferred release`
	c.Use()
}

// No fix: the result of Close is used.
func used() error {
	c := wrap.New()
	defer c.Close()
	return c.Close() // want `released here and again by the deferred release`
}

// No fix: the first close does not dominate the second.
func branch(ch chan int, x bool) {
	if x {
		close(ch)
	}
	close(ch) // want `closed twice`
}

// A channel closed on every iteration: a flag keeps the first close.
func closeInLoop(workers []func(), done chan struct{}) {
	for _, w := range workers {
		w()
		close(done) // want `closed on every iteration of the loop`
	}
}

// Nested loops over the same channel: the flag goes before the outer one,
// and its name does not clash with a variable already in scope.
func nestedLoops(groups [][]func(), stop chan struct{}) {
	stopClosed := 0
	_ = stopClosed
outer:
	for _, g := range groups {
		for _, f := range g {
			f()
			close(stop) // want `closed on every iteration of the loop`
			if len(g) > 3 {
				continue outer
			}
		}
	}
}

// The channel is made in the outer loop: the flag goes before the inner
// one, and each new channel is closed once.
func perGroup(groups [][]func()) {
	for _, g := range groups {
		done := make(chan struct{})
		for _, f := range g {
			f()
			close(done) // want `closed on every iteration of the loop`
		}
	}
}

// A field of a parameter, released by a method that is not idempotent.
type holder struct{ c *wrap.Client }

func fieldInLoop(h holder, n int) {
	for i := 0; i < n; i++ {
		h.c.Close() // want `released on every iteration of the loop`
	}
}
