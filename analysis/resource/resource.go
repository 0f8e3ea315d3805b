// Package resource is the vocabulary of lifecycle-lsp's resource model: which
// values carry a release obligation, how that obligation is discharged, and
// which calls produce such values.
//
// A Table answers three questions, for every check alike:
//
//   - KindOfType: does a value of this type have to be released, and how?
//   - Acquisitions: does a call to this function produce owned resources, and in
//     which results (or arguments, for registrations such as signal.Notify)?
//   - IsRelease: does calling this method or function on a value of a kind
//     discharge the obligation?
//
// The table starts from a curated list of standard-library types and functions
// (see stdlib.go) and falls back to a generic rule: a type with a Close or Stop
// method returned by a constructor-like call (New…, Open…, Dial…, …) is a
// resource. Users extend it with their own types (Table.With).
//
// A Table is immutable after construction and safe for concurrent use.
package resource

import (
	"go/types"
	"strings"
)

// Kind describes one family of resources and how it is released.
type Kind struct {
	// Name is a short noun used in messages ("file", "response body").
	Name string
	// Methods are the methods whose call on the value releases it.
	// For Body kinds they are called on the value's Body field.
	Methods []string
	// Body is set for *http.Response: the release is resp.Body.Close().
	Body bool
	// Func is set when the value is a function (a context cancel func):
	// calling it releases.
	Func bool
	// ReleaseFunc, when set, is a package-level function ("os/signal.Stop")
	// whose call with the value as first argument releases it.
	ReleaseFunc string
	// Fix is the release statement suffix the quick fix defers, appended to
	// the variable name: ".Close()", ".Body.Close()", ".Rollback()", "()".
	// Empty when the kind has no mechanical fix.
	Fix string
	// FixCall, when set, is a call template for the deferred release where
	// the variable is an argument: "signal.Stop(%s)". Its package must be
	// imported already (it is, since the acquisition used it).
	FixCall string
	// CollectedSince is the Go version ("go1.23") from which the runtime
	// reclaims an unreleased value on its own; modules at or above it are not
	// reported for a missing release.
	CollectedSince string
	// NotIdempotent is set when releasing twice is harmful (panics or
	// double-frees). Standard-library closers are all safe to close twice.
	NotIdempotent bool
	// FieldRelease, when set, is a release through a field of the value:
	// calling Method on Field ("Process", "Wait": cmd.Process.Wait()
	// reaps the child as cmd.Wait() does).
	FieldRelease *FieldRelease
	// Unstoppable is set for a value that holds something no call can
	// release (the channel of time.Tick, whose ticker is unreachable): it
	// leaks wherever the function that made it returns.
	Unstoppable bool
}

// FieldRelease is a release method called on a field of the resource.
type FieldRelease struct {
	Field, Method string
}

// ReleaseText renders the release of variable v for messages and fixes, such
// as "resp.Body.Close()" or "cancel()".
func (k *Kind) ReleaseText(v string) string {
	switch {
	case k.FixCall != "":
		return strings.Replace(k.FixCall, "%s", v, 1)
	case k.Fix != "":
		return v + k.Fix
	case k.Body:
		return v + ".Body.Close()"
	case k.Func:
		return v + "()"
	case len(k.Methods) > 0:
		return v + "." + k.Methods[0] + "()"
	}
	return v + ".Close()"
}

// IsReleaseMethod reports whether calling method name on a value of kind k
// (on its Body, for Body kinds) releases it.
func (k *Kind) IsReleaseMethod(name string) bool {
	for _, m := range k.Methods {
		if m == name {
			return true
		}
	}
	return false
}

// Acquisition says that a call produces a resource of Kind in result Result,
// or, when Arg >= 0, that the call registers argument Arg as a resource (the
// receiver is argument 0 for methods).
type Acquisition struct {
	Kind   *Kind
	Result int
	Arg    int
	// ErrResult is the index of the call's error result, or -1. The
	// resource exists only on paths where that error is nil.
	ErrResult int
	// Lazy is set when the value is built empty and holds resources only
	// once one of its own methods stores some in it (a pool that dials
	// on demand): it is the caller's to release where the caller calls
	// such a method.
	Lazy bool
}

// TypeSpec names a type by package path and name, with Pointer set for *T.
type TypeSpec struct {
	Pkg, Name string
	Pointer   bool
	// Methods, when set on a type added with Table.With, are the methods
	// that release its values (the first is the one quick fixes call);
	// otherwise the type's Close or Stop method does.
	Methods []string
}

func (s TypeSpec) matches(t types.Type) bool {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		if !s.Pointer {
			return false
		}
		t = p.Elem()
	} else if s.Pointer {
		return false
	}
	n, ok := types.Unalias(t).(*types.Named)
	if !ok || n.Obj().Pkg() == nil {
		return false
	}
	return n.Obj().Pkg().Path() == s.Pkg && n.Obj().Name() == s.Name
}

// ParseTypeSpec parses "pkg/path.Name" or "*pkg/path.Name".
func ParseTypeSpec(s string) (TypeSpec, bool) {
	var ts TypeSpec
	if strings.HasPrefix(s, "*") {
		ts.Pointer = true
		s = s[1:]
	}
	dot := strings.LastIndex(s, ".")
	if dot <= 0 || dot == len(s)-1 || strings.LastIndex(s, "/") > dot {
		return TypeSpec{}, false
	}
	ts.Pkg, ts.Name = s[:dot], s[dot+1:]
	return ts, true
}

type typeEntry struct {
	spec TypeSpec
	kind *Kind
}

// funcKey identifies a function ("net/http.Get") or a method
// ("net/http.Client.Do", receiver named without pointer).
type funcKey string

type funcEntry struct {
	acqs []Acquisition
	// none marks a function whose results are never owned resources even
	// though their type says otherwise (io.NopCloser, ResponseRecorder.Result).
	none bool
}

// Table is the immutable resource table.
type Table struct {
	types     []typeEntry
	funcs     map[funcKey]funcEntry
	removed   []TypeSpec
	noGeneric bool
}

// Default returns the standard table: the curated standard-library entries
// and the generic Close/Stop rule.
func Default() *Table { return defaultTable }

var defaultTable = newStdTable()

// With returns a copy of t with extra resource types added (each released
// by Close unless it has only Stop) and removed types taken out.
func (t *Table) With(extra, removed []TypeSpec) *Table {
	c := &Table{
		types:     append([]typeEntry(nil), t.types...),
		funcs:     t.funcs,
		removed:   append(append([]TypeSpec(nil), t.removed...), removed...),
		noGeneric: t.noGeneric,
	}
	for _, s := range extra {
		var k *Kind // nil: kind decided by the method set
		if len(s.Methods) > 0 {
			k = &Kind{Name: "resource", Methods: append([]string(nil), s.Methods...), Fix: "." + s.Methods[0] + "()"}
		}
		c.types = append([]typeEntry{{s, k}}, c.types...)
	}
	return c
}

// HasNotIdempotent reports whether some kind of t is marked NotIdempotent.
func (t *Table) HasNotIdempotent() bool {
	for _, e := range t.types {
		if e.kind != nil && e.kind.NotIdempotent {
			return true
		}
	}
	return false
}

// IsRemoved reports whether the user took type t out of the table.
func (t *Table) IsRemoved(typ types.Type) bool {
	for _, s := range t.removed {
		if s.matches(typ) {
			return true
		}
	}
	return false
}

// KindOfType returns the kind of values of type typ, or nil when values of
// that type carry no release obligation of their own. It consults the
// curated table first and then the generic rule (a Close or Stop method).
func (t *Table) KindOfType(typ types.Type) *Kind {
	if typ == nil || t.IsRemoved(typ) {
		return nil
	}
	for _, e := range t.types {
		if e.spec.matches(typ) {
			if e.kind != nil {
				return e.kind
			}
			return genericKind(typ)
		}
	}
	if t.noGeneric {
		return nil
	}
	return genericKind(typ)
}

// CuratedKind returns the kind of typ only when it is in the curated table
// (or added by the user), ignoring the generic rule.
func (t *Table) CuratedKind(typ types.Type) *Kind {
	if typ == nil || t.IsRemoved(typ) {
		return nil
	}
	for _, e := range t.types {
		if e.spec.matches(typ) {
			if e.kind != nil {
				return e.kind
			}
			return genericKind(typ)
		}
	}
	return nil
}

// Generic kinds for types that are resources only by their method set.
var (
	GenericCloser  = &Kind{Name: "closer", Methods: []string{"Close"}, Fix: ".Close()"}
	GenericStopper = &Kind{Name: "stopper", Methods: []string{"Stop"}, Fix: ".Stop()"}
)

// GenericKind returns the generic kind of a type with a Close or Stop
// method (GenericCloser, GenericStopper), or nil.
func GenericKind(typ types.Type) *Kind { return genericKind(typ) }

func genericKind(typ types.Type) *Kind {
	if hasNiladicMethod(typ, "Close") {
		return GenericCloser
	}
	if hasNiladicMethod(typ, "Stop") {
		return GenericStopper
	}
	return nil
}

// hasNiladicMethod reports whether typ has a method name() or name() error.
func hasNiladicMethod(typ types.Type, name string) bool {
	obj, _, _ := types.LookupFieldOrMethod(typ, true, nil, name)
	fn, ok := obj.(*types.Func)
	if !ok {
		return false
	}
	sig := fn.Type().(*types.Signature)
	if sig.Params().Len() != 0 {
		return false
	}
	switch sig.Results().Len() {
	case 0:
		return true
	case 1:
		return types.Identical(sig.Results().At(0).Type(), types.Universe.Lookup("error").Type())
	}
	return false
}

// NamedOf returns the named type typ is, or points to, or nil.
func NamedOf(typ types.Type) *types.Named { return namedOf(typ) }

func namedOf(typ types.Type) *types.Named {
	if p, ok := types.Unalias(typ).(*types.Pointer); ok {
		typ = p.Elem()
	}
	n, _ := types.Unalias(typ).(*types.Named)
	return n
}

// IsStd reports whether the package path belongs to the standard library.
func IsStd(path string) bool { return isStd(path) }

func isStd(path string) bool {
	first := path
	if i := strings.IndexByte(path, '/'); i >= 0 {
		first = path[:i]
	}
	return stdRoots[first]
}

// stdRoots are the first path elements of the standard library's packages.
// A module path without a dot (common in tests and small programs) is not
// mistaken for the standard library unless it reuses one of these names.
var stdRoots = map[string]bool{
	"archive": true, "bufio": true, "builtin": true, "bytes": true, "cmp": true, "compress": true,
	"container": true, "context": true, "crypto": true, "database": true, "debug": true, "embed": true,
	"encoding": true, "errors": true, "expvar": true, "flag": true, "fmt": true, "go": true, "hash": true,
	"html": true, "image": true, "index": true, "internal": true, "io": true, "iter": true, "log": true,
	"maps": true, "math": true, "mime": true, "net": true, "os": true, "path": true, "plugin": true,
	"reflect": true, "regexp": true, "runtime": true, "slices": true, "sort": true, "strconv": true,
	"strings": true, "structs": true, "sync": true, "syscall": true, "testing": true, "text": true,
	"time": true, "unicode": true, "unique": true, "unsafe": true, "vendor": true, "weak": true, "cmd": true,
}

// constructorPrefixes are the name prefixes that make a call "constructor
// like" for the generic rule.
var constructorPrefixes = []string{"New", "Open", "Dial", "Create", "Connect", "Listen", "Start", "Accept", "Begin", "Acquire", "Launch", "Spawn", "Must"}

// IsConstructorName reports whether a function name reads as producing a new
// value its caller owns: one of the prefixes, exported (NewClient) or not
// (newBackend), then nothing or a new word (not Newline). Whether the value
// holds something, and whether the caller owns it or the function already
// arranged its release (a t.Cleanup it registers, a cancel func or a
// goroutine that releases it), is the function's summary's to say.
func IsConstructorName(name string) bool {
	for _, p := range constructorPrefixes {
		lower := strings.ToLower(p[:1]) + p[1:]
		for _, q := range []string{p, lower} {
			if strings.HasPrefix(name, q) {
				rest := name[len(q):]
				if rest == "" || !isLower(rest[0]) {
					return true
				}
			}
		}
	}
	return false
}

func isLower(b byte) bool { return 'a' <= b && b <= 'z' }

// KeyOf returns the table key of fn: "pkg.Func" or "pkg.Recv.Method".
func KeyOf(fn *types.Func) string {
	if fn.Pkg() == nil {
		return fn.Name()
	}
	sig, _ := fn.Type().(*types.Signature)
	if sig != nil && sig.Recv() != nil {
		if n := namedOf(sig.Recv().Type()); n != nil {
			return fn.Pkg().Path() + "." + n.Obj().Name() + "." + fn.Name()
		}
		// interface method
		return fn.Pkg().Path() + "." + fn.Name()
	}
	return fn.Pkg().Path() + "." + fn.Name()
}

// Acquisitions classifies a call to fn (nil for a dynamic call of signature
// sig) without any cross-package summary: the curated table first, then the
// generic rule for constructor-like calls. The error result index is filled
// in for (…, error) signatures.
func (t *Table) Acquisitions(fn *types.Func, sig *types.Signature) []Acquisition {
	errIdx := ErrorResult(sig)
	if fn != nil {
		if e, ok := t.funcs[funcKey(KeyOf(fn))]; ok {
			if e.none {
				return nil
			}
			out := make([]Acquisition, len(e.acqs))
			for i, a := range e.acqs {
				a.ErrResult = errIdx
				out[i] = a
			}
			return out
		}
	}
	var out []Acquisition
	res := sig.Results()
	for i := 0; i < res.Len(); i++ {
		rt := res.At(i).Type()
		if t.IsRemoved(rt) {
			continue
		}
		if k := t.CuratedKind(rt); k != nil {
			out = append(out, Acquisition{Kind: k, Result: i, Arg: -1, ErrResult: errIdx})
			continue
		}
		if t.noGeneric || fn == nil || !IsConstructorName(fn.Name()) {
			continue
		}
		if k := genericKind(rt); k != nil {
			out = append(out, Acquisition{Kind: k, Result: i, Arg: -1, ErrResult: errIdx})
		}
	}
	return out
}

// ErrorResult returns the index of the last result when it is an error
// by the Go convention (nil on success): of type error, of any type that
// implements error, or an interface named like one (gVisor's tcpip.Error has
// no Error method but follows the same convention). Otherwise -1.
func ErrorResult(sig *types.Signature) int {
	if sig == nil {
		return -1
	}
	n := sig.Results().Len()
	if n >= 2 && IsErrorType(sig.Results().At(n-1).Type()) {
		return n - 1
	}
	return -1
}

var errorIface = types.Universe.Lookup("error").Type().Underlying().(*types.Interface)

// IsErrorType reports whether a result of type t is an error by the Go
// convention: error itself, a type implementing it, or an interface type
// whose name ends in "Error".
func IsErrorType(t types.Type) bool {
	if types.Implements(t, errorIface) {
		return true
	}
	if n, ok := types.Unalias(t).(*types.Named); ok && types.IsInterface(n) {
		return strings.HasSuffix(n.Obj().Name(), "Error")
	}
	return false
}

// IsReleaseFunc reports whether a call of the package-level function fn with
// the value as first argument releases a value of kind k.
func (k *Kind) IsReleaseFunc(fn *types.Func) bool {
	return k.ReleaseFunc != "" && fn != nil && KeyOf(fn) == k.ReleaseFunc
}
