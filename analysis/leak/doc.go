// Package leak defines an Analyzer that reports resources that are not
// released on some path.
//
// # Analyzer leak
//
// leak: report resources that are not released (nor handed over) on every path
//
// A value with a release obligation — an *os.File, an *http.Response's
// Body, *sql.Rows, *sql.Stmt, *sql.Conn, *sql.Tx (Commit or Rollback),
// *sql.DB, a net.Conn or net.Listener, an *httptest.Server, the cancel
// function of context.WithCancel/WithTimeout/WithDeadline (and their Cause
// variants), the stop function of signal.NotifyContext and iter.Pull, a
// signal.Notify registration, a command started with (*exec.Cmd).Start, or
// any value with a Close or Stop method returned by a constructor-like call
// (New…, Open…, Dial…, and a package's own newBackend, openLog) that
// holds something (it acquires a resource, takes one over or starts a
// goroutine, as its summary shows; one that holds only what it takes over
// from its arguments holds something only where an argument does, not
// around an in-memory stub; a cancel func of a context.WithCancel of
// Background that nothing reads holds nothing; one that acquires only when
// a field of its configuration is set, if cfg.Bus != nil { … }, holds
// nothing for a caller that leaves that field nil) — must be released on
// every path from where it was acquired to the end of the function, or
// handed over to someone else. A constructor that arranged the release
// itself returns a borrowed value: it registered it (t.Cleanup(s.Close),
// also through the part s.Close is promoted from), returns a func that
// releases it, or started a goroutine that releases it.
// A value built empty that its own methods fill with resources and its
// release method empties (a connection pool that dials on demand, a log
// that opens its file on the first write) is held where the function
// fills it: it leaks on the returns the fill comes before. A value that
// the function returning it registered with an owner reached from its
// parameters (a bus client that closes the subscriptions made through it)
// is that owner's: the caller only borrows it.
// A leaked file or connection holds a descriptor until the garbage
// collector finds it, if it ever does; a leaked response body keeps its
// connection out of the pool; a context that is never cancelled keeps its
// timer and goroutines alive until it expires.
//
// The check follows every path of the function: early returns, loops,
// switch and select statements, goto. On the paths where the acquisition's
// error is non-nil there is nothing to release, and paths that panic or end
// the process (os.Exit, log.Fatal, t.Fatal) are ignored. The diagnostic is
// reported at the acquisition and names the exit that leaks it.
//
// Bad:
//
//	func fetch(url string) ([]byte, error) {
//		resp, err := http.Get(url)
//		if err != nil {
//			return nil, err
//		}
//		if resp.StatusCode != http.StatusOK {
//			return nil, fmt.Errorf("status %s", resp.Status) // leaks resp.Body
//		}
//		defer resp.Body.Close()
//		return io.ReadAll(resp.Body)
//	}
//
// Good:
//
//	func fetch(url string) ([]byte, error) {
//		resp, err := http.Get(url)
//		if err != nil {
//			return nil, err
//		}
//		defer resp.Body.Close()
//		if resp.StatusCode != http.StatusOK {
//			return nil, fmt.Errorf("status %s", resp.Status)
//		}
//		return io.ReadAll(resp.Body)
//	}
//
// Quick fix: insert `defer <release>` right after the acquisition's error
// check (an `if err != nil` that leaves, or testify's require.NoError)
// (`defer resp.Body.Close()`, `defer tx.Rollback()`, `defer cancel()`,
// `defer cmd.Wait()`, naming a discarded `_` cancel function). A started
// command whose only leaking exit is `return …, nil` in a function that
// returns an error is waited for there instead, its error returned in the
// nil's place (`return cmd.Wait()`). A discarded
// result that nothing uses (`_, err := c.Get(u)` with err returned
// unchecked) is named and released at once where its error is nil; a call
// statement that drops all its results (`tester.Get(u)`) binds them in an
// if statement that releases the resource where the call succeeded. When the
// function already releases later but an early exit skips it, the fix moves
// that release up instead of adding a second one. When some path hands the
// value over (returns it or a struct holding it, stores it, gives it to an
// owner), a defer would release it there too: the fix instead releases it
// right before each leaking exit (`cancel(); return nil, err`), and does the
// same inside a loop, where a defer would run only when the function
// returns, and for a value of a type whose second release may not be safe.
// The release is written for the static type of the variable (a response
// body returned by a helper as an io.ReadCloser is closed with its own
// Close). No fix is offered when a leaking exit's results use the value,
// when a path on which the acquisition failed reaches a leaking exit (the
// value could be nil there), when the leak is the loop acquiring the next
// value, when the value's type has no release method to call, when the
// value is declared by the if statement that checks its error
// (`if c, err := open(); err != nil`: a defer after the if cannot name
// it), when the error check does not leave on every error
// (`if err != nil && !errors.Is(err, x)`: past it the value may be nil),
// or when a call statement that drops its results shares its line with other code
// (`func() { c.Get(u); g() }`; alone in a one-line function literal, the
// literal's body is opened up).
//
// Not reported: ownership handed over by returning the value (or a struct
// holding it), storing it in a field, global, map or slice, sending it on a
// channel (in a select too, on the case that sends it), starting a
// goroutine with it, registering its release with t.Cleanup or a deferred
// closure, or passing it to a function that
// releases or keeps it — in this package or, through analysis facts, in
// any other. A callee nothing is known about (an interface method, a
// function value) is taken to keep what it receives, unless it receives it
// as a type with no release method (`parse(f)` with parse a
// `func(io.Reader) error`): it cannot release it then, and the caller
// still owns it. A type of the callee's own package is the exception
// (raft.NewRaft's raft.Transport): that package may assert it to its own
// closer. A function value that a known function returned (`dial :=
// pl.Dialer()`, a function literal on every return) is no longer unknown:
// a call through it acquires what that literal's own results are; so does
// a call of a local variable assigned a function literal once (`create :=
// func(…) *http.Response {…}`, called directly or from another literal).
// Borrowed values are never reported: parameters, receivers,
// struct fields, os.Stdin/Stdout/Stderr, a handler's r.Body, io.NopCloser
// values. Rows drained by a `for rows.Next()` loop are closed by the loop.
//
// Paths on which nothing was acquired are not leaks either, as the code
// shows them: past `if err != nil`, `if !ok` of a comma-ok result
// (`c, ok := get()`), an error equal to a sentinel (`err != errWant {
// t.Fatal(…) }`, io.EOF), `if !errors.Is(err, ErrX) { t.Fatal(…) }`, a
// method called on the error (`err.Error()` panics on a nil error), the
// error's printed form required to contain a text that a nil error's
// "<nil>" does not (`strings.Contains(fmt.Sprint(err), "refused")`), or an
// assertion helper that stops the test unless the error is set
// (`requireError(t, err)`, testify's require.Error; found from the
// helper's body). A callee that releases its argument whenever it returns
// an error leaves nothing to release where that error is set; the error
// check after a call that never fails (crypto/rand.Read from Go 1.24, a
// bytes.Buffer write, a helper whose every return has a nil error) is never
// taken; a cancel func owes nothing once its context's Done channel was
// received from. A condition tested twice has the same outcome on one
// path (`if ok { defer f.Close() } else if !ok && err == nil { f.Close() }`
// leaves no path that skips both). A path on which the test has already
// reported its failure (t.Error, t.Errorf, t.Fail) is not reported: the
// failure is the report. A constructor that starts its goroutine only when
// a functional option asks for it (`if m.withCache { go m.clean() }`, the
// field set by no one but the options) holds nothing when called without
// options. A function that returns what a function parameter returned
// (`return listen("tcp", addr)`) hands back the caller's own value: the
// call acquires only if the function passed does (a stub that returns a
// listener it holds acquires nothing; net.Listen does). Not resources: net.Pipe's in-memory conns, and values
// whose concrete Close releases nothing.
//
// A value that a goroutine started by the function goes on using after the
// function returns is reported as such: its release belongs at the end of
// that goroutine, and the quick fix adds `defer x.Close()` (or
// `defer signal.Stop(c)`) as the goroutine's first statement when it is the
// value's last user. A value shared with a goroutine that the function
// itself still uses is reported as shared, with no fix: a defer in the
// function could cut the goroutine's work short. A method that returns a
// child of its receiver (`ch, err := conn.Channel()`) does not take the
// receiver over, and the child is itself a resource unless the parent
// keeps it as its own state.
//
// Tickers: since Go 1.23 the runtime collects unreferenced tickers, so an
// unstopped time.NewTicker is reported only in modules whose go directive
// is older than 1.23. In those modules time.Tick is reported too, in a
// function that returns (not in main, nor where the function or its
// goroutine ranges over the channel forever): nothing can stop its ticker.
// The quick fix turns `c := time.Tick(d)` into `ticker :=
// time.NewTicker(d)`, `defer ticker.Stop()`, `c := ticker.C`, only outside
// loops and only for a positive constant d (time.Tick returns nil for a
// period of zero or less, where time.NewTicker panics).
//
// Available since: v0.1.0
package leak
