// Package loopdefer defines the loopdefer check.
//
// # Analyzer loopdefer
//
// loopdefer: a resource's release is deferred inside a loop
//
// A deferred call runs when the surrounding function returns, not when the
// loop iteration ends. A loop that acquires a resource per iteration and
// defers its release keeps every one of them open until the function is
// done: a directory walk runs out of file descriptors, a batch job holds a
// connection per row, a poller stacks up contexts and their timers.
//
// The check reports `defer x.Close()` (and the other releases of the
// resource table: `defer resp.Body.Close()`, `defer tx.Rollback()`,
// `defer t.Stop()`, `defer cancel()` of a context cancel func, a release
// inside a deferred closure) when the deferred statement sits in a `for` or
// `range` loop of the same function, and the released variable is assigned
// from a call in that loop's body, that is, a fresh resource per iteration.
//
// Bad:
//
//	for _, name := range names {
//		f, err := os.Open(name)
//		if err != nil {
//			return err
//		}
//		defer f.Close()
//		if err := scan(f); err != nil {
//			return err
//		}
//	}
//
// Good:
//
//	for _, name := range names {
//		err := func() error {
//			f, err := os.Open(name)
//			if err != nil {
//				return err
//			}
//			defer f.Close()
//			return scan(f)
//		}()
//		if err != nil {
//			return err
//		}
//	}
//
// Quick fix: wrap the loop body in a closing scope, a function literal
// called once per iteration, whose results carry the body's control flow
// out of it. A `continue` of the loop becomes `return` (a labelled
// `continue L` of the loop too, dropping the label when nothing else uses
// it). When every `return` of the body returns an error known to be non-nil
// (checked `!= nil` just before, fmt.Errorf, errors.New), the literal
// returns that error, as in the good example above, and carries the other
// results only when a return sets them. Otherwise a boolean result per way
// out — shouldReturn (with the returned values; a bare return keeps the
// named results), shouldBreak, continueL/breakL for a jump to an enclosing
// labelled statement — tells the loop what to do after the call. The jumps
// of loops, switches and selects nested in the body are left alone. When a
// literal would read badly (the loop is already three tabs deep, or its
// body is 40 lines or more), the body moves into a function of its own
// declared after the enclosing one (checkGroupsIteration), with the
// variables it uses as arguments; it stays a literal when the body changes
// one of them (an assignment, its address, a pointer method) or one is a
// struct or array value, which a copy would not keep in step.
//
// No fix is offered when the body uses `goto`, when it returns a
// multi-value call whose values would have to be carried, when the body
// defers other calls that would then run earlier, or when a loop nested in
// the body has a finding of its own (fix that one first).
//
// Not reported:
//   - a defer inside a function literal called per iteration
//     (`func() { defer f.Close(); … }()`) or inside a goroutine started per
//     item (`go func() { defer c.Close(); … }()`): it runs when that
//     function returns;
//   - a loop that runs the defer at most once: the statements after the
//     defer end unconditionally in return, panic or a break out of the loop
//     before anything can continue it (go-critic's deferInLoop flags these);
//   - values the loop does not acquire: range variables, fields, elements,
//     anything not assigned from a call in the loop body — deferring the
//     release of a collection's members until the function returns is
//     deliberate;
//   - resources that must outlive the iteration: appended to a slice, stored
//     in a map, a field or a variable declared outside the loop, sent on a
//     channel, returned, captured by a goroutine or handed to a method that
//     stores it (Add, Push, Store, Register, …) — they are meant to stay open
//     until the function is done with all of them;
//   - a variable declared outside the loop whose last value is used after
//     the loop;
//   - deferred calls that are not releases: mutex unlocks, `wg.Done()`,
//     logging, a `func()` returned by a lock helper;
//   - a release through a helper (`defer closeQuietly(f)`);
//   - a value the iteration also releases explicitly on every pass: a
//     release statement at the top level of the body (at its end, or at its
//     top for the previous iteration's value) or in both branches of an if.
//     The defer is then a safety net for panics and nothing piles up. A
//     release only under a condition or on an early `continue` path is not
//     enough: the other iterations still wait for the function to return;
//   - a deferred cancel whose context is done before the next iteration on
//     every path that gets there: the iteration receives from ctx.Done(),
//     selects on it with every other case leaving the loop, or stops unless
//     an operation given the context failed with the context's own error
//     (`if _, err := q.Receive(ctx); err != context.DeadlineExceeded {
//     t.Fatal(…) }`), or unless a call given the context returned what its
//     callee returns only once the context is done (`if h.Wait(ctx) {
//     t.Fatal(…) }` where Wait returns false only from its `case
//     <-ctx.Done()`; known across packages as a fact). A done context has
//     already released its timer and left its parent, so the pending cancels
//     hold nothing. A path on which the test has already reported failure
//     (t.Error, t.Errorf, t.Fail on a test's reporter) counts as stopped:
//     what piles up there is on a failing test's path.
//
// Test functions are not exempt: a test that opens a server per table case
// and defers its Close holds them all until the test ends. Suppress with
// `//lifecycle:ignore loopdefer reason` where that is intended.
//
// Available since: v0.1.0
package loopdefer
