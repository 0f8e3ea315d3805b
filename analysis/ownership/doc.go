// Package ownership is lifecycle-lsp's resource-ownership engine, shared by
// the checks that reason about who must release what.
//
// For every function of a package it finds the acquisitions (calls that
// produce an owned resource, per the resource table or per a callee's
// summary) and follows each one along every path of the function's SSA
// control-flow graph until the resource is released, its ownership is
// transferred, or the function exits still owning it. The paths where the
// acquisition's error is non-nil, and paths that panic or end the process,
// carry no obligation.
//
// Ownership ends with a release (x.Close(), resp.Body.Close(), cancel(),
// signal.Stop(ch), a deferred release, a deferred or called closure that
// releases) or a transfer: returning the value, storing it in a field, a
// global, a map, a slice or an outer variable, sending it on a channel,
// handing it to a goroutine, or passing it to a function that releases or
// keeps it. Borrowed values (parameters, receivers, fields, globals such as
// os.Stdout, a server handler's r.Body) are never acquisitions.
//
// Each function's behaviour is summarised (Summary) and exported as an
// analysis fact, so callers in other packages see that openConfig returns a
// fresh file, that closeQuietly(f) releases its argument, and that
// store(c) keeps it. Facts are computed once per package: drivers that
// cache analysis results per package (the checker, the language server)
// reuse them. Standard-library packages are described by the curated table
// instead of facts, so the engine does no work for them unless they are
// themselves being checked.
package ownership
