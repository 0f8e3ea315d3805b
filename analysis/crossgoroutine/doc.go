// Package crossgoroutine defines the crossgoroutine check.
//
// # Analyzer crossgoroutine
//
// crossgoroutine: a resource is released by a goroutine other than the one that uses it
//
// A resource has one owner, and the owner is a goroutine: the one that uses
// the value is the one that must release it, after its last use. When two
// goroutines share a value, a release in one is safe only if something
// orders it after the other's last use. The check looks for that order in
// the code (on the SSA form of each function), whatever the type of the
// value: a file, a connection, a response body, a pipe, a server, rows, a
// ticker or a type of your own with a Close or Stop method. Three shapes
// lack it:
//
//  1. A goroutine releases a value that the function which started it
//     still uses after the go statement, and nothing orders the two: the
//     owner's reads fail with "use of closed file/network connection" at
//     random, or read truncated data.
//  2. The owner's deferred release runs when it returns, while a goroutine
//     it started still uses the value: the goroutine's work is cut short.
//  3. Fire-and-forget cleanup, `go x.Close()`, that nothing waits for: the
//     release races whatever runs next and its error is lost.
//
// Goroutines are those of go statements and of methods named Go that take
// a function (errgroup.Group.Go, sync.WaitGroup.Go). A goroutine that runs
// a function of the same package is followed into it. A release is a call
// of the value's release method (Close, Stop, resp.Body.Close, …) or of a
// helper that releases its argument on every path, as the ownership
// engine's summaries say; a method the engine sees release nothing of what
// its receiver holds (a Stop that only pauses, a Close that does nothing)
// is not one.
//
// Bad:
//
//	func stream(w io.Writer, path string) error {
//		f, err := os.Open(path)
//		if err != nil {
//			return err
//		}
//		defer f.Close()
//		go func() {
//			io.Copy(w, f) // f may be closed under this copy
//		}()
//		return nil
//	}
//
// Good: the cleanup moves into the goroutine that owns the file.
//
//	func stream(w io.Writer, path string) error {
//		f, err := os.Open(path)
//		if err != nil {
//			return err
//		}
//		go func() {
//			defer f.Close()
//			io.Copy(w, f)
//		}()
//		return nil
//	}
//
// # Ordering rules
//
// A wait is a channel receive (<-ctx.Done(), <-done, a range over a
// channel), a select without default, a call of a method named Wait
// (sync.WaitGroup, errgroup.Group, sync.Cond, exec.Cmd …) or time.Sleep,
// or a call of a function of the package that does one of these. A call
// may block when it waits, sends on a channel, or calls code that may: an
// interface method, a function value, a function of another package
// (except a few that only compute or log: fmt, strings, strconv, errors,
// log, sort, sync's locks, context's constructors, time's clock, testing's
// reporting …), or a function of the package whose body may block.
//
// Shape 1 is reported when all of these hold:
//   - the goroutine did not wait, or block, after its own last operation
//     on the value (a method call, passing it to a call; reading its
//     fields is not one) and before releasing it, on some path. A goroutine that
//     first waits (a receive, <-ctx.Done(), a select, a Wait, a sleep, a
//     read on another connection) and then releases is cancellation: it
//     closes to unblock its owner. A goroutine that reads the value itself
//     (Read, ReadFrom, Recv, Accept, or passes it as an io.Reader) before
//     releasing it has seen the other side answer: the UDP
//     request/response idiom, where the reader closes the socket once the
//     reply to the owner's write arrived. A goroutine that writes the value
//     and then closes it, while the owner reads, is reported;
//   - the owner operates on the value after the go statement (a method
//     call, passing it to a call, reading a field) with no wait on any path
//     in between. Returning the value, storing or sending it, releasing it
//     again, reading its fields, and reads of what it remembers (Addr,
//     LocalAddr, RemoteAddr, Name, String, Fd, Done, Err) are not uses. The owner's next loop
//     iteration, which works on a new value, is not a use either.
//
// Shape 2 is reported when the owner defers the release (`defer x.Close()`
// or a deferred closure that releases on every path: one that releases
// only on failure does not count), the goroutine uses the value (fields
// included: a test server's URL; releasing the value too, once done with
// it, does not make the owner's earlier release safe), no deferred call of
// the owner waits (a deferred Wait keeps the function from returning in
// either order of registration, including the deliberate "close to
// unblock, then wait"), and nothing on any path after the go statement may
// block. An owner that blocks before returning, on the goroutine (a join)
// or on the value itself (a request to the server whose Serve loop the
// goroutine runs, a write the reading goroutine consumes, a pipe it
// feeds), closes afterwards as the shutdown idiom: closing a server, a
// listener or a connection is how a Serve, Accept or read loop is stopped.
//
// Shape 3 is reported unless the owner waits for the release afterwards:
// it waits on the value (<-x.Done(), a select on it, x.Wait()), or the first
// thing it does after the go statement that may block, on every path, is
// a wait (it observes the release, which may itself block until the owner
// answers what it observes). Starting the release while holding a lock is
// not reported either (a Lock or RLock not yet unlocked, a method named
// …Locked whose caller holds it, a closure made under a lock): there a
// synchronous release could block everyone waiting for the lock.
//
// Method receivers, struct fields and package-level values are not owned
// by the function, and are left out of shapes 1 and 2 (shape 3 is
// fire-and-forget whoever owns the value). Cancel functions, signal
// registrations and exec.Cmd, whose release is itself a call or a wait,
// are not followed.
//
// Quick fixes: for shape 2, when the goroutine is a function literal
// started by a go statement after the defer in the same block, nothing in
// between can return, the value is captured (not passed), no other
// goroutine shares it and the owner does nothing more with it after the go
// statement, the `defer x.Close()` moves into the goroutine as its first
// statement. When the goroutine runs a named function of the package
// instead (`go handle(conn)`), under the same conditions, the call is
// wrapped in a function literal that starts with the defer
// (`go func() { defer conn.Close(); handle(conn) }()`), provided the
// function does not release the value itself nor start goroutines of its
// own, and its arguments are names of variables never reassigned,
// constants or functions (evaluated inside the goroutine, they must give
// what the go statement gave). A function of another package gets no fix:
// whether it keeps the value past its return is not known. For shape 3 the
// release of a value the function owns runs synchronously (no fix for a
// field, whose owner's design decides whether its Close may block, nor for
// a connection, whose Close may block by design on a TLS close_notify
// write); when the go statement is followed
// by `return …, nil` in a function whose last result is an error, the
// release's error is returned in place of the nil (`return n, f.Close()`).
// For shape 1 the release moves out of the goroutine into the owner, as a
// defer after the go statement (the go statement itself becomes the defer
// when the release was all the goroutine did), only when the owner is
// plainly the value's last user: the goroutine is a function literal given
// nothing that releases the value once, unconditionally, at its top level
// and otherwise reads only plain fields of it (resp.ContentLength); the
// value is a local variable of the owner, assigned once, that the owner
// uses only through its methods (not a release) and fields, compares with
// nil or passes as a parameter type with no release method (an io.Reader);
// and the go statement is not in a loop. Otherwise which goroutine should
// release is a design decision, and there is no fix.
//
// Available since: v0.1.0
package crossgoroutine
