// Package dc holds double releases and their must-stay-silent neighbours.
package dc

import (
	"errors"
	"net/http"
	"os"
	"wrap"
)

// ---- positives ----

func twice() {
	ch := make(chan int)
	close(ch)
	close(ch) // want `channel ch is closed twice on this path`
}

func twiceParam(ch chan struct{}) {
	close(ch)
	println("done")
	close(ch) // want `channel ch is closed twice`
}

func afterBranch(ch chan int, x bool) {
	if x {
		close(ch)
	}
	close(ch) // want `channel ch is closed twice`
}

func afterLoopBreak(ch chan int, xs []int) {
	for _, x := range xs {
		if x < 0 {
			close(ch)
			break
		}
	}
	close(ch) // want `channel ch is closed twice`
}

func deferAndExplicit(ch chan int) {
	defer close(ch)
	ch <- 1
	close(ch) // want `channel ch is closed here and again by the deferred release`
}

func explicitThenDefer(ch chan int) {
	close(ch)
	defer close(ch) // want `channel ch is closed before this deferred release`
}

func twoDefers(ch chan int) {
	defer close(ch)
	defer close(ch) // want `channel ch is closed before this deferred release`
}

func deferredLit(ch chan int) {
	defer func() {
		close(ch)
	}()
	close(ch) // want `channel ch is closed here and again by the deferred release`
}

type conn struct{ done chan struct{} }

func fieldTwice(c *conn) {
	close(c.done)
	close(c.done) // want `channel c.done is closed twice`
}

func capturedLocal() func() {
	ch := make(chan int)
	close(ch)
	f := func() { <-ch }
	close(ch) // want `channel ch is closed twice`
	return f
}

// The incident: explicit Close plus a deferred Close on a type whose Close
// closes a channel without a guard (fact from package wrap).
func incident() error {
	c := wrap.New()
	defer c.Close()
	c.Use()
	c.Close() // want `c is released here and again by the deferred release when the function returns: \(\*wrap.Client\).Close is not idempotent`
	return nil
}

func incidentReturn() error {
	c := wrap.New()
	defer c.Close()
	c.Use()
	return c.Close() // want `c is released here and again by the deferred release`
}

func explicitTwice() {
	c := wrap.New()
	c.Close()
	c.Close() // want `c is released twice on this path`
}

func deferredClosureRelease() {
	c := wrap.New()
	defer func() { _ = c.Close() }()
	c.Close() // want `c is released here and again by the deferred release`
}

type holder struct{ c *wrap.Client }

func fieldClient(h *holder) {
	h.c.Close()
	h.c.Close() // want `h.c is released twice`
}

func afterSwitch(ch chan int, n int) {
	switch n {
	case 1:
		close(ch)
	}
	close(ch) // want `channel ch is closed twice`
}

// ---- must stay silent ----

// The recommended writable-file idiom: os.File's second Close is harmless.
func writeFile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := f.WriteString("x"); err != nil {
		return err
	}
	return f.Close()
}

// Body closed explicitly and deferred: harmless for http bodies.
func body(c *http.Client) error {
	resp, err := c.Get("http://example.com")
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return resp.Body.Close()
}

// Mutually exclusive branches.
func exclusive(ch chan int, ok bool) error {
	if ok {
		close(ch)
		return nil
	}
	close(ch)
	return errors.New("failed")
}

// select cases are exclusive.
func selectCases(ch, quit chan int) {
	select {
	case <-quit:
		close(ch)
	default:
		close(ch)
	}
}

// Correlated conditions: neither close dominates the other.
func correlated(ch chan int, x bool) {
	if x {
		close(ch)
	}
	if !x {
		close(ch)
	}
}

// Different channels in a loop.
func loop(chs []chan int) {
	for _, ch := range chs {
		close(ch)
	}
}

// The channel is replaced between the closes.
func reassigned(c *conn) {
	close(c.done)
	c.done = make(chan struct{})
	close(c.done)
}

// A local variable reassigned.
func reassignedLocal() {
	ch := make(chan int)
	close(ch)
	ch = make(chan int)
	close(ch)
}

// Guarded type: Close is idempotent.
func guarded() {
	s := wrap.NewSafe()
	defer s.Close()
	s.Close()
}

// Two different values of the non-idempotent type.
func twoValues() {
	a, b := wrap.New(), wrap.New()
	defer a.Close()
	b.Close()
}

// The second close is only on a panicking path.
func panicPath(ch chan int, bad bool) {
	close(ch)
	if bad {
		defer close(ch)
		panic("bad")
	}
}

// Closing in a goroutine is not ordered with the caller.
func goroutine(ch chan int) {
	go close(ch)
	<-ch
}

// An explicit close on an early return, the deferred one on the others:
// the defer is registered after the early return.
func earlyReturn(ch chan int, fail bool) error {
	if fail {
		close(ch)
		return errors.New("fail")
	}
	defer close(ch)
	return nil
}

// Suppressed with a reason.
func suppressed(ch chan int) {
	close(ch)
	//lifecycle:ignore doubleclose the runtime panic is the intended test oracle
	close(ch)
}

// ---- a release repeated by a loop ----

// The same channel closed on every iteration.
func closeInLoop(workers []func(), done chan struct{}) {
	for _, w := range workers {
		w()
		close(done) // want `channel done is closed on every iteration of the loop, so the second iteration closes it again`
	}
}

// A non-idempotent Close on every iteration of a counted loop.
func closeWrapperInLoop(n int) {
	c := wrap.New()
	for i := 0; i < n; i++ {
		c.Use()
		c.Close() // want `c is released on every iteration of the loop`
	}
}

// Closed, then the loop ends: once.
func closeThenBreak(xs []int, done chan struct{}) {
	for _, x := range xs {
		if x > 0 {
			close(done)
			break
		}
	}
}

// Closed, then the function returns: once.
func closeThenReturn(in chan int, done chan struct{}) {
	for v := range in {
		if v < 0 {
			close(done)
			return
		}
	}
}

// Guarded by a flag: once.
func guardedInLoop(xs []int, done chan struct{}) {
	closed := false
	for range xs {
		if !closed {
			close(done)
			closed = true
		}
	}
}

// A new channel each iteration.
func freshEachIteration(n int) {
	for i := 0; i < n; i++ {
		ch := make(chan int)
		close(ch)
	}
}

// The variable is reassigned inside the loop.
func reassignedInLoop(n int) {
	ch := make(chan int)
	for i := 0; i < n; i++ {
		close(ch)
		ch = make(chan int)
	}
}

// A loop that never comes back to its start.
func noBackEdge(done chan struct{}) {
	for {
		close(done)
		break
	}
}

// A goroutine per iteration is not this function's loop.
func closeInGoroutine(xs []int, done chan struct{}) {
	for range xs {
		go func() {
			close(done)
		}()
	}
}
