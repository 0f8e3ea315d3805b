// Package finalizer defines the finalizer check.
//
// # Analyzer finalizer
//
// finalizer: a resource released only by runtime.SetFinalizer or runtime.AddCleanup
//
// A finalizer or cleanup runs when the garbage collector finds the object
// unreachable: late, in no particular order, on a single runtime goroutine,
// and not at all when the program exits first or the heap never grows. A
// type that closes its file, connection or ticker only there hands the
// release to the collector — the Go form of cleanup left to a destructor.
// Descriptors and connections pile up under load long before a GC cycle
// frees them, and nothing the caller can do releases them earlier.
//
// The check reports runtime.SetFinalizer(obj, fn) and
// runtime.AddCleanup(obj, fn, arg) when fn releases a resource (calls a
// release method of a resource kind, a cancel func, or syscall.Close on a
// field of obj, on arg, or through a method of the type that does) and the
// type of obj, declared in the package, has no explicit release method: no
// Close, Stop, Shutdown, Release, Free, Destroy or Dispose method (for an
// unexported type, a lower-case close, stop, … counts too).
//
// Bad:
//
//	func Open(addr string) (*Session, error) {
//		conn, err := net.Dial("tcp", addr)
//		if err != nil {
//			return nil, err
//		}
//		s := &Session{conn: conn}
//		runtime.SetFinalizer(s, func(s *Session) { s.conn.Close() })
//		return s, nil
//	}
//
// Good:
//
//	func (s *Session) Close() error {
//		runtime.SetFinalizer(s, nil)
//		return s.conn.Close()
//	}
//
// Quick fix: add a `Close() error` method after the type's declaration that
// performs the finalizer's release, adapted to a receiver. The finalizer
// stays as a safety net; the generated Close clears it first
// (SetFinalizer(x, nil)), so an explicitly closed value is not released
// again. A cleanup from AddCleanup cannot be cancelled without its handle:
// the generated Close releases the cleanup's argument as it is at the time
// of the call, and the cleanup remains registered (a second Close of a
// standard-library resource only returns an error). No fix is offered for
// generic types, finalizers declared in another file than the type, bodies
// with return statements, or bodies that use variables of the enclosing
// function other than the object itself.
//
// Not reported:
//   - a finalizer kept as a safety net beside an explicit release method;
//   - finalizers that release nothing the resource table knows (counters,
//     debug checks such as "object was not closed" reports, SA5005-style
//     finalizers that only log);
//   - runtime.SetFinalizer(x, nil), and objects of types declared in
//     another package.
//
// Available since: v0.1.0
package finalizer
