// Package closeerr defines the closeerr check.
//
// # Analyzer closeerr
//
// closeerr: the error of Close on a file opened for writing is discarded
//
// Data written to an *os.File may only reach the disk (or the network file
// system) when the file is closed, and Close is where a failed write-back is
// reported: a full disk, an exceeded quota, an NFS server that went away. A
// function that writes a file, returns an error, and closes the file with a
// plain `defer f.Close()` reports success for a file that was never written.
//
// The check reports `defer f.Close()` (and a discarded `f.Close()` statement
// right before a successful `return …, nil`) on a file obtained from
// os.Create, os.CreateTemp or os.OpenFile with a write flag (O_WRONLY,
// O_RDWR, O_APPEND, O_CREATE, O_TRUNC), in a function whose last result is an
// error.
//
// Bad:
//
//	func export(path string, rows []Row) error {
//		f, err := os.Create(path)
//		if err != nil {
//			return err
//		}
//		defer f.Close()
//		return json.NewEncoder(f).Encode(rows)
//	}
//
// Good:
//
//	func export(path string, rows []Row) (err error) {
//		f, err := os.Create(path)
//		if err != nil {
//			return err
//		}
//		defer func() {
//			if cerr := f.Close(); cerr != nil && err == nil {
//				err = cerr
//			}
//		}()
//		return json.NewEncoder(f).Encode(rows)
//	}
//
// Quick fix: name the error result (other unnamed results become "_"; the
// name is "err" unless that collides or is shadowed, then "retErr") and
// replace the defer with the deferred closure above. The closure is
// first-error-wins: an error the function already returns is kept, and
// Close's error is returned only when everything else succeeded, since a
// Close failure after a failed write is usually a consequence of it. A
// discarded `f.Close()` followed by `return nil` becomes `return f.Close()`.
// No fix is offered where the rewrite would not compile or would change
// which file is closed (the variable is reassigned after the defer).
//
// Not reported (the false positives that got gosec's G307 retired):
//   - files opened read-only (os.Open, os.OpenFile with O_RDONLY) or with a
//     flag that is not a constant;
//   - the idiom of a deferred Close as a safety net plus an explicit checked
//     Close on the success path (`return f.Close()`,
//     `if err := f.Close(); err != nil {…}`, `err = f.Close()`), and a
//     checked `f.Sync()`;
//   - a deferred closure that handles or deliberately drops the error
//     (`defer func() { _ = f.Close() }()`);
//   - a discarded Close on an error path (`f.Close(); return err`): the
//     function already fails;
//   - functions that do not return an error;
//   - files whose ownership leaves the function (returned, stored, sent,
//     assigned to another variable);
//   - files never written in the function (created to exist, to be locked
//     or stat'ed: only Close, Stat, Name, Fd, Chmod, Chown or Sync is called
//     on them);
//   - scratch files removed unconditionally by the function
//     (`defer os.Remove(f.Name())`), whose content does not outlive it.
//
// Available since: v0.1.0
package closeerr
