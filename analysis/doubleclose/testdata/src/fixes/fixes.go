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
