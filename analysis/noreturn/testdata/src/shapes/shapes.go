// Package shapes has functions that never return and functions that only
// look as if they might.
package shapes

import (
	"log"
	"os"
)

func exits() { // want exits:"neverReturns"
	os.Exit(2)
}

func fatal(err error) { // want fatal:"neverReturns"
	log.Fatal(err)
}

func fails() { // want fails:"neverReturns"
	panic("no")
}

func spins() { // want spins:"neverReturns"
	for {
	}
}

func blocks() { // want blocks:"neverReturns"
	select {}
}

func jumps() { // want jumps:"neverReturns"
again:
	goto again
}

// Through a helper of the package declared later.
func viaHelper() { // want viaHelper:"neverReturns"
	helper()
}

func helper() { // want helper:"neverReturns"
	fails()
}

type logger struct{}

func (logger) Fatalf(format string, args ...any) { // want Fatalf:"neverReturns"
	log.Fatalf(format, args...)
}

// Every branch ends the process.
func allBranches(code int) { // want allBranches:"neverReturns"
	switch code {
	case 0:
		os.Exit(0)
	default:
		exits()
	}
}

// Silent: some path returns.

func sometimes(err error) {
	if err != nil {
		log.Fatal(err)
	}
}

func loopWithBreak(ch chan int) {
	for {
		if <-ch == 0 {
			break
		}
	}
}

func selectWithCase(ch chan int) {
	select {
	case <-ch:
	}
}

func forwardGoto(n int) {
	if n > 0 {
		goto done
	}
	n++
done:
}

// A deferred call may recover.
func deferred() {
	defer func() { recover() }()
	panic("recovered")
}

// Only a function literal ends the process.
func literal() func() {
	return func() { os.Exit(1) }
}

// A call in an expression is no statement of its own.
func expression() int {
	return exitCode(os.Exit)
}

func exitCode(exit func(int)) int { return 0 }

// Mutual recursion with no way out is broken at the function in progress.
func ping(n int) { pong(n) }

func pong(n int) { ping(n) }

// A loop with a condition, however long.
func counts() {
	for i := 0; i >= 0; i++ {
	}
}
