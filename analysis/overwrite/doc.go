// Package overwrite defines the overwrite check.
//
// # Analyzer overwrite
//
// overwrite: a field or map entry holding a resource is overwritten, cleared or deleted, or a value holding resources is dropped on an error return, without releasing it
//
// A long-lived value that owns a resource in a field owes its release
// there. When the field is given a new value — a reconnect, a config
// reload, a reset — the old resource is lost unless it is released first:
// the leak grows with every reconnect, and nothing in the function that
// overwrites looks wrong.
//
// A slot is a struct field of a type of the package, or a package-level
// variable, into which some function of the package stores an owned
// resource (the result of an acquisition the ownership engine knows:
// net.Dial, os.Open, a constructor of the package whose summary says it
// returns a fresh resource, the cancel func of context.WithCancel…), and
// whose static type can release it. Maps and slices of such values are
// container slots. The check follows each function's SSA control-flow
// graph and reports, at the statement:
//   - an assignment to a slot that may still hold a live resource on some
//     path: one stored earlier on that path (in a reconnect loop, by a
//     previous call of a helper that dials), one the function used (a
//     method was called on it) or checked non-nil, or one a caller in the
//     package may have stored before calling;
//   - an assignment of nil to a slot that is not known to be nil or
//     released on every path reaching it;
//   - `m[k] = v` and `delete(m, k)` on a map slot whose entry at k is
//     known to exist (looked up, ranged over, stored on the path) and is
//     not released, and `s[i] = v` on a slice slot likewise;
//   - a container slot set to nil, to a new map or slice, resliced to
//     `s[:0]` or cleared with clear(), when its entries are not released
//     first;
//   - a return whose error is not nil that drops a value the function made
//     (`p := &Pool{…}`, `var w conn`) while its fields hold resources or a
//     goroutine started on it runs (`go p.loop()`): the value is neither
//     returned nor released, and nothing else was given it.
//
// Bad:
//
//	func (c *Client) reconnect() error {
//		conn, err := net.Dial("tcp", c.addr)
//		if err != nil {
//			return err
//		}
//		c.conn = conn // the previous connection leaks
//		return nil
//	}
//
//	func (c *Client) run() {
//		for {
//			if err := c.reconnect(); err != nil {
//				continue
//			}
//			c.serve()
//		}
//	}
//
// Good:
//
//	func (c *Client) reconnect() error {
//		conn, err := net.Dial("tcp", c.addr)
//		if err != nil {
//			return err
//		}
//		if c.conn != nil {
//			c.conn.Close()
//		}
//		c.conn = conn
//		return nil
//	}
//
// Not reported:
//   - a slot that is certainly nil at that point: the first assignment to a
//     field of a value the function allocated (a constructor), after
//     `if c.conn != nil { c.conn.Close() }`, inside `if c.conn == nil {…}`,
//     or on the path where the acquisition stored earlier failed;
//   - a slot released earlier on every path (`c.conn.Close()`, a deferred
//     release, a method of the package that releases it), and an old value
//     saved before the assignment and then released or handed over
//     (`old := c.conn; c.conn = n; old.Close()`, returning it, passing it
//     to a function that takes it, storing it elsewhere), also inside a
//     function literal called in place, deferred or handed to a call
//     (`o.once.Do(func() { o.conn.Close() })`);
//   - a new value that wraps the old one (`c.conn = tls.Client(c.conn, cfg)`);
//   - a nil assignment, over an unknown old value, in a block that opens
//     the value's resources: it also stores values the function obtained
//     (acquisitions, call results) into other resource fields of the same
//     value over unknown old values (`ss.wrStdin = pty; ss.rdStdout =
//     os.NewFile(…); ss.rdStderr = nil`: a terminal session has no stderr
//     pipe). Those stores are initialisation, and the nil store is part of
//     it; beside stores of parameters, or alone, it is a reset and is
//     reported;
//   - a slot whose previous state is unknown, when the new value is not nil:
//     a method that dials and stores, called only from a constructor, is
//     not a leak; the same method called again while the field holds a
//     connection (from a loop, or after another call that stored one) is;
//   - a path on which a value of the slot's type was released under another
//     name (it may have been the slot's own value), a call the check
//     cannot see into that is given the slot's owner, and one given the old
//     value as a type that can release it (not as an io.Writer);
//   - fields whose type has no release method, and fields no function of
//     the package stores an owned resource into (values the type only
//     borrows). A resource that a call also takes over where it is stored
//     (a transport built on the connection, a goroutine that closes it)
//     is borrowed too: a map of raw connections keyed by the transports
//     that own them may be re-made or dropped once the transports are
//     closed. One that a call only uses (written to as an io.Writer) is
//     still owned by the field.
//
// A dropped value is not reported when it is released on that path
// (`p.Close()`, or the fields closed one by one), returned with the error,
// stored or passed anywhere before (a registry, a deferred cleanup closure),
// or when nothing was acquired into it yet. A goroutine started in a
// function literal that captures the value is not followed.
//
// Quick fix: release the old value just before the statement, guarded by a
// nil check (`if c.conn != nil { c.conn.Close() }`, `if m[k] != nil {
// m[k].Close() }` before a delete or replacement), with the release taken
// from the slot's static type; an error-returning Close is simply called,
// as the leak check's fixes do. The fix is offered only when it is
// certainly safe: the new value is nil or a fresh acquisition (so it cannot
// be the old value itself), no path reaching the statement has released
// the old value already (the release would run twice), the release may be
// repeated, and the target is a plain expression without calls. No fix is
// offered for clearing a whole container: which of its entries are still
// open, and whether some are nil, is not known statically. For a dropped
// value the fix releases, just before the return, each field that holds its
// resource on every path reaching it (`p.conn.Close()`); no fix is offered
// when a field may be empty there or a goroutine runs (how to stop it is the
// type's business, and its Close may not expect a half-built value).
//
// A type that keeps a time.AfterFunc timer in a field owes its Stop to its
// own release method: the store of the timer is reported when the type's
// release method as the resource table knows it (Close for a closer, Stop
// for a stopper), or a function of the package it calls, never stops that
// field, since the timer's function can still run after the
// value was closed. A timer whose function only updates the value's own
// state is not reported, since running it after the release changes
// nothing: it sets fields or atomics, takes the value's locks, wakes
// waiters (sync.Cond), calls a cancel func the enclosing function
// acquired, and never blocks (a send only in a select with a default
// case). A deadline timer that sets a timed-out flag, or a health check
// that pokes a channel without blocking, is such a timer; one that writes
// to a connection, calls into another package, an interface or a
// callback, sends or receives where it may block, or closes a channel is
// reported. No fix: where the stop belongs in the release (before
// or after a lock, before the connection it uses is closed) is the type's
// design.
//
// Fields set together count as one: a slot filled only in a block that also
// fills another unexported field of the same value, a field nothing sets
// back to nil, holds nothing where that field is nil (`if q.ctx == nil {
// q.ctx, q.cancel = context.WithCancel(…) }`, or an `if m.bgCtx != nil {
// return }` guard before a block that fills both).
//
// On by default. On the precision corpus (bench/corpus) it reports 5
// findings, none wrong: an accept loop that overwrites the proxied
// connection it keeps (in a test), an event-bus client set to nil without
// Close, and a recording's writer dropped on its error returns (three
// returns, one of which cannot happen: json.Marshal of a plain struct).
// Turn it off with `overwrite: false` under `checks:` in
// `.lifecycle.yaml` or the editor's checks setting.
//
// Available since: v0.2.0
package overwrite
