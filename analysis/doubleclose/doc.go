// Package doubleclose defines the doubleclose check.
//
// # Analyzer doubleclose
//
// doubleclose: a value released twice on one path where the second release is unsafe
//
// Closing a channel twice panics. So does calling, twice, a Close method
// that closes a channel without a guard — the idempotentclose check finds
// those methods and exports the verdict as a fact, so a type from another
// package counts as well. The classic shape is an explicit Close on the
// success path plus a deferred Close as a safety net: harmless for an
// *os.File, a panic for such a type.
//
// The check reports, on one path through a function (SSA, path-sensitive):
//   - close(ch) reached twice for the same channel (a local, a parameter, or
//     the same field of the same value);
//   - a release method known not to be idempotent (by the idempotentclose
//     fact, or marked so in the resource table) called twice on the same
//     value, including an explicit call plus a deferred one;
//   - either release inside a loop, on every iteration that goes on to the
//     next (no `continue` path skips it), of a value that stays the same
//     across iterations (made before the loop, a parameter or a field of
//     one, never reassigned): the second iteration releases it again.
//
// Two releases are "on one path" when the first dominates the second (every
// path to the second passes the first) or the second post-dominates the
// first (every path from the first reaches the second). Releases on
// mutually exclusive branches are fine, and panicking paths are ignored.
//
// Bad:
//
//	w := wrapper.New()
//	defer w.Close()
//	…
//	w.Close() // w's Close closes a channel: the deferred call panics
//	return nil
//
// Good:
//
//	w := wrapper.New()
//	defer w.Close()
//	…
//	return nil
//
// Quick fix: remove the redundant release — the explicit one when a deferred
// release covers it and the explicit call is immediately followed by a
// return (or ends the function), the later one otherwise (the second
// close(ch), or a deferred release registered after an explicit one). No
// fix is offered when removing a release could change behaviour: an
// explicit release used as a value (`return w.Close()`), an explicit
// release before more work, or releases that do not dominate each other.
// A release repeated by a loop is guarded by a flag declared before the
// outermost loop over which the value stays the same
// (`if !doneClosed { close(done); doneClosed = true }`): it still runs where
// it ran on the first iteration, and no longer on the next ones, where it
// panicked. Moving it after the loop would change when (and, for a loop
// that runs zero times, whether) it runs, so that is left to the author. No
// fix when the release is not a statement of its own or the value is not a
// variable or a field path (ch, c.done).
//
// Not reported:
//   - the recommended writable-file idiom (`defer f.Close()` plus
//     `return f.Close()`): a second Close of an *os.File, a net.Conn or any
//     other standard-library closer only returns an error;
//   - types whose Close is guarded (sync.Once, a closed flag, …);
//   - a field that is reassigned in the function (c.done = make(…)) between
//     or around the closes;
//   - releases in goroutines and callbacks, and close in a loop over
//     different channels.
//
// Available since: v0.1.0
package doubleclose
