// Package perrequest defines the perrequest check.
//
// # Analyzer perrequest
//
// perrequest: a heavyweight client is built per request or per loop iteration
//
// A *sql.DB, an *http.Transport and a gRPC client connection are pools: they
// hold connections, goroutines and caches that pay off only when one value is
// shared for the life of the process. Building one inside an HTTP handler
// (or inside a loop) opens a fresh pool each time: connections are never
// reused, TLS handshakes repeat, file descriptors and goroutines pile up
// (an unclosed Transport keeps its idle connections), and the database sees
// a new connection storm per request.
//
// The check reports, inside a function with the handler shape
// (http.ResponseWriter, *http.Request) — functions, methods and function
// literals — or inside the body of a loop:
//   - database/sql.Open and database/sql.OpenDB;
//   - an http.Transport composite literal, and (*http.Transport).Clone;
//   - an http.Client composite literal whose Transport field is built right
//     there (reported once, for the client);
//   - grpc.NewClient, grpc.Dial and grpc.DialContext
//     (google.golang.org/grpc);
//   - the constructors given in the configuration ("pkg/path.Func" or
//     "pkg/path.Type.Method"; on the command line
//     -perrequest.constructors=a,b).
//
// Bad:
//
//	func handle(w http.ResponseWriter, r *http.Request) {
//		db, err := sql.Open("postgres", dsn)
//		if err != nil { … }
//		defer db.Close()
//		…
//	}
//
// Good:
//
//	var getDB = sync.OnceValues(func() (*sql.DB, error) {
//		return sql.Open("postgres", dsn)
//	})
//
//	func handle(w http.ResponseWriter, r *http.Request) {
//		db, err := getDB()
//		if err != nil { … }
//		…
//	}
//
// Quick fix: when the expression mentions only constants, package-level
// names and imported packages, it is hoisted into a package-level variable
// built once with sync.OnceValues (sync.OnceValue for a single result), the
// expression becomes a call of that variable, statements that closed the
// per-request value (`defer db.Close()`) are removed, and "sync" is
// imported. When the arguments depend on the request or on the loop (a DSN
// read from the request, a per-tenant address) no fix is offered: the right
// design (a cache keyed by those values) is a decision for the author. Nor
// is one offered in a file that imports another package as sync.
//
// Not reported:
//   - values stored beyond the request or the iteration: assigned to a
//     package-level variable, a field or a map element (lazy initialization,
//     a cache), returned, appended or sent; in a loop also assigned to a
//     variable declared outside it or put into a composite literal (one
//     client per shard at start-up);
//   - code inside sync.Once.Do, sync.OnceValue/OnceValues/OnceFunc;
//   - an http.Client literal without a Transport of its own (cheap: it
//     shares http.DefaultTransport or the given one);
//   - loops in _test.go files (a client per test case is deliberate).
//
// Available since: v0.1.0
package perrequest
