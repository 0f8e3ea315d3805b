// Package idempotentclose defines the idempotentclose check.
//
// # Analyzer idempotentclose
//
// idempotentclose: a Close, Stop or Shutdown method that fails when called twice
//
// Release methods get called twice in real programs: an explicit Close on
// the success path plus a deferred Close as a safety net, a Close from a
// signal handler racing one from main, a wrapper whose own Close closes what
// its caller already closed. The standard library's closers tolerate that
// (a second Close of an *os.File or a net.Conn just returns an error), so
// callers learn to rely on it. A method that closes a channel without a
// guard does not: the second call panics with "close of closed channel" —
// the Go form of a destructor that runs again after an explicit close and
// blows up on a dead event loop.
//
// The check reports a method named Close, Stop or Shutdown, declared on a
// type of the package, that unconditionally
//   - closes a channel held in a field of the receiver (close(c.done)), or
//   - calls a method of the receiver, or a release method of a field, that
//     is itself known not to be idempotent (by this check's fact, across
//     packages, or by the resource table).
//
// Bad:
//
//	func (c *Client) Close() error {
//		close(c.done)
//		return c.conn.Close()
//	}
//
// Good:
//
//	func (c *Client) Close() error {
//		var err error
//		c.closeOnce.Do(func() {
//			close(c.done)
//			err = c.conn.Close()
//		})
//		return err
//	}
//
// Guards that count: the release inside sync.Once's Do; a preceding early
// return on the receiver's state (`if c.closed { return }`, a closed flag
// checked and set under a mutex, `if !c.closed.CompareAndSwap(false, true)
// { return }`, `select { case <-c.done: return; default: }`); the release
// nested in a condition on the receiver's state (`if c.state == open {…}`,
// an atomic CompareAndSwap or Swap); a nil check of the channel field that
// also sets it to nil.
//
// Quick fix: add a `closeOnce sync.Once` field to the struct (stopOnce for
// Stop, …; a free name is chosen), wrap the method body in
// `c.closeOnce.Do(func() { … })`, and add the "sync" import. For a method
// returning an error, the body's returns become assignments to a captured
// error that the method returns: the first call returns the release's
// error, later calls return nil. No fix is offered for a value receiver, a
// method with other results, a body that calls the method again, uses
// goto, or holds a multi-line raw string, or a struct whose file imports
// another package as sync.
//
// Not reported:
//   - releases of fields whose second release is harmless: *os.File,
//     net.Conn, *sql.DB and the other standard-library closers return an
//     error on the second call rather than failing;
//   - conditional releases whose condition reads the receiver's state, even
//     when the check cannot prove the state is updated (precision first);
//   - channels closed inside a function literal that is not deferred (a
//     goroutine or callback the check cannot order);
//   - methods with other names; helpers are summarised and counted where a
//     Close/Stop/Shutdown method calls them.
//
// The verdict is exported as a fact (NotIdempotent) on the method, which the
// doubleclose check uses to find values of the type released twice.
//
// Available since: v0.1.0
package idempotentclose
