// Package deferbeforecheck defines the deferbeforecheck check.
//
// # Analyzer deferbeforecheck
//
// deferbeforecheck: a release is deferred before the acquisition's error is checked
//
// A call that returns a resource and an error returns a usable resource only
// when the error is nil; on failure the resource is nil (or meaningless). A
// `defer x.Close()` placed between the call and the error check runs in both
// cases, and on the failure path it releases nothing — or panics, turning a
// handled error into a crash when the function returns:
//
//	resp, err := http.Get(url)
//	defer resp.Body.Close() // resp is nil when Get fails: nil pointer dereference
//	if err != nil {
//		return err
//	}
//
// The check reports a deferred release (`defer x.Close()`,
// `defer resp.Body.Close()`, `defer rows.Close()`, `defer tx.Rollback()`,
// any release method of the resource table or the generic Close/Stop rule,
// a deferred call of a function value such as a cleanup func, and a
// deferred closure that releases the value) when the released variable was
// assigned, in the same statement list, by a call with a `(…, error)`
// result, and the error variable is not used at all between that call and
// the defer. Any use counts as handling it: `if err != nil`, `err == nil`,
// passing err to a function, returning it or overwriting it.
//
// What happens on the failure path, by kind, is spelled out in the message:
//   - *http.Response: resp is nil and `resp.Body` panics;
//   - *sql.Rows, *sql.Tx, *sql.DB, *os.Root, *zip.ReadCloser and other
//     pointer types: the release method dereferences a nil receiver and
//     panics;
//   - interfaces (net.Conn, io.ReadCloser, …): a nil interface, so the call
//     panics;
//   - a function value (a cleanup or cancel func): calling nil panics
//     (staticcheck's SA5001 misses this one, dominikh/go-tools#1687).
//     Not reported when the callee returns a callable value in that result
//     on every path, error paths included (a function literal such as a
//     no-op `func() {}`, a declared function or a method value): then the
//     early defer runs the callee's own no-op and cannot panic. This is
//     decided from the callee's body, across packages through a fact; a
//     callee that may return nil there (a `nil` literal, a variable) keeps
//     the report;
//   - *os.File: (*os.File).Close tolerates a nil receiver and returns
//     os.ErrInvalid, so nothing crashes. It is still reported, because the
//     defer is in the wrong place (and a later change to the type, say a
//     wrapper, turns it into a panic), and the message says it is harmless
//     today.
//
// Bad:
//
//	f, err := os.Open(name)
//	defer f.Close()
//	if err != nil {
//		return err
//	}
//
// Good:
//
//	f, err := os.Open(name)
//	if err != nil {
//		return err
//	}
//	defer f.Close()
//
// Quick fix: move the defer (with the comment lines right above it) to just
// after the error check, `if err != nil { … }`, or to the top of the block of
// `if err == nil { … }`. No fix is offered when that could change behaviour:
// the check is not such a plain if (it has an else or an init, or its error
// branch falls through), or a statement between the defer and the check can
// leave the function, defers something else (the order of deferred calls
// would change) or reassigns the variable. No fix either when the error is
// never checked in the same block.
//
// Not reported:
//   - a defer after the check, or after any other use of the error;
//   - acquisitions without an error result (httptest.NewServer: SA5001's
//     false positive dominikh/go-tools#941 was such a Close, reported
//     because of an unrelated earlier err);
//   - a deliberately discarded error (`f, _ := os.Open(name)`): there is no
//     check to move the defer after;
//   - a deferred closure that tests the value or the error first
//     (`defer func() { if f != nil { f.Close() } }()`);
//   - a release through a helper (`defer closeQuietly(f)`), which may well
//     handle nil;
//   - a release of something else than the call's results (a field, a
//     value from an earlier call);
//   - the value reassigned between the call and the defer.
//
// Available since: v0.1.0
package deferbeforecheck
