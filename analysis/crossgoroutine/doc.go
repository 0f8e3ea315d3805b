// Package crossgoroutine defines the crossgoroutine check.
//
// # Analyzer crossgoroutine
//
// crossgoroutine: a resource is released by a goroutine other than the one that uses it
//
// A resource has one owner, and the owner is a goroutine: the one that uses
// the value is the one that must release it, after its last use. Three
// shapes break that rule, and each turns into a race that passes tests and
// fails under load:
//
//  1. A goroutine releases a value that the function which started it still
//     uses after the go statement: the owner's reads fail with "use of
//     closed file/network connection" at random, or read truncated data.
//  2. The owner's deferred release runs when it returns, while a goroutine
//     it started still uses the value and nothing waits for that goroutine
//     (no sync.WaitGroup.Wait, errgroup.Group.Wait — any Wait method — or
//     channel receive): the goroutine's work is cut short.
//  3. Fire-and-forget cleanup, `go x.Close()` or `go resp.Body.Close()`: the
//     release races whatever runs next and its error is lost.
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
// Quick fixes: for shape 2, when the owner does not use the value after
// the go statement (and nothing between the defer and the go statement can
// return), the `defer x.Close()` moves into the spawned function literal as
// its first statement. For shape 3 the `go` is dropped so the release runs
// synchronously. Shape 1 gets no fix: which goroutine should release is a
// design decision.
//
// Not reported:
//   - deliberate cancellation: a goroutine that first waits (a channel
//     receive such as <-ctx.Done() or <-stop, a select, a Wait, time.Sleep)
//     and then releases the value to unblock its owner;
//   - an event-triggered close: the goroutine does other work first (reads
//     another connection, say) without touching the value, then closes it
//     (crypto/tls's close-during-handshake tests);
//   - a producer that writes to a stream-like value (a pipe end, a
//     connection: anything with Read or Write other than *os.File) and
//     closes it to signal end of stream to the reading owner;
//   - listeners (anything with Accept) in shapes 1 and 2: closing a
//     listener is how an Accept loop is stopped;
//   - ownership handed to the goroutine: the owner does not use the value
//     after the go statement and the goroutine releases it (bodyclose's
//     false positive on a body handed to a goroutine that drains and
//     closes it);
//   - a goroutine joined before the owner returns: a Wait call or a channel
//     receive after the go statement, or any deferred Wait — also one
//     registered before the deferred release, the deliberate "close to
//     unblock, then wait" order;
//   - stream-like values, connections, test servers and tickers in shape 2:
//     closing them is the standard way to stop a goroutine's read loop;
//   - connections in shape 3: their Close may block (a TLS close_notify
//     write), and closing them asynchronously is an established idiom
//     (net/http);
//   - owner uses that only read what the value remembers (Addr,
//     LocalAddr, RemoteAddr, Name, String, Fd);
//   - method receivers, struct fields and package-level values, which the
//     function does not own (shape 3 excepted: `go s.conn.Close()` is
//     fire-and-forget whoever owns the value).
//
// Available since: v0.1.0
package crossgoroutine
