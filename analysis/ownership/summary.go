package ownership

import (
	"fmt"
	"sort"
	"strings"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/resource"
)

// Summary is what callers need to know about a function's ownership
// behaviour. It is exported as an object fact on the function.
type Summary struct {
	// Fresh lists the results that return a resource the caller now owns,
	// with the resource kind's name.
	Fresh []FreshResult
	// Consumes lists the parameters (receiver first, for methods) the
	// function releases or takes ownership of on at least one path.
	Consumes []int
	// Releases lists the parameters released on every path.
	Releases []int
	// NoReturn is set when the function never returns normally.
	NoReturn bool
	// Holds is set when the function acquires a resource, takes one over
	// from a parameter or starts a goroutine: a value with a Close or Stop
	// method that it returns may then hold something to release. A
	// constructor of a plain in-memory value does none of these.
	Holds bool
	// Acquires is set when what the function holds includes a resource
	// it acquired itself (it dials, opens, or gets one from a call; a
	// cancel func of a context made from Background holds nothing by
	// itself), or goroutines it starts over nothing it was given. A
	// package's own unexported constructor (newBackend) is judged a
	// constructor by its name only then: one that wraps what it is given
	// and starts goroutines over it is a layer of its caller's value,
	// released when the caller releases what it gave.
	Acquires bool
	// Wraps lists the results that are only the parameters the function
	// takes over, wrapped (return &conn{Conn: c}): releasing either
	// releases the same resource, so the caller acquires nothing new.
	Wraps []int
	// Borrowed lists the results with a release method that the caller
	// does not own: the function returns them borrowed, or already
	// arranged their release (t.Cleanup(srv.Stop); return srv).
	Borrowed []int
	// ReleasesReceiver is set on a method that releases what its receiver
	// holds (closes a resource field or a channel field, calls a cancel
	// func field, or calls another such method): a release method, what
	// ever its name.
	ReleasesReceiver bool
	// FillsReceiver is set on a method that stores a resource in its
	// receiver (a connection in a field, appended to a slice field, put
	// in a map field): a value whose type has such a method and a release
	// method holds something once the method ran, whatever its
	// constructor did (a pool that dials lazily).
	FillsReceiver bool
	// Inert is set on a method whose body does nothing a release could
	// consist of (no call, no goroutine, no channel operation): a Close
	// like that means its type is not a resource.
	Inert bool
	// ReturnsArgs holds pairs (result, parameter): the result is the
	// parameter itself whenever the parameter is not nil.
	ReturnsArgs []int
	// NilStops lists the parameters that are not nil whenever the
	// function returns: it stops (fails the test, panics) on nil.
	NilStops []int
	// FalseStops lists the bool parameters that are true whenever the
	// function returns.
	FalseStops []int
	// FalseIfNil lists the parameters whose nil value makes the only
	// (bool) result false.
	FalseIfNil []int
	// AlwaysFalse is set when the only (bool) result is false on every
	// return.
	AlwaysFalse bool
	// ReleasesOnError lists the parameters released on every path on
	// which the function returns an error (it may keep them otherwise).
	ReleasesOnError []int
	// InertResults lists the results whose value, on every return, is nil
	// or of a concrete type whose release method releases nothing (an
	// in-memory file returned as an interface).
	InertResults []int
	// NeverFails is set when the error result is nil on every return
	// that can be reached.
	NeverFails bool
	// NilUnlessOK is set on a function returning (value, bool) whose
	// value is nil (or a zero struct) whenever the bool is false: a
	// comma-ok result.
	NilUnlessOK bool
	// HoldsWithOptions is set when the function holds something only by
	// starting goroutines that only its variadic options can ask for: a
	// call that passes none holds nothing.
	HoldsWithOptions bool
	// HoldsOnlyArgs is set when all the function holds is what it takes
	// over from its parameters (no acquisition of its own, no
	// goroutine): its result holds something only if an argument does.
	HoldsOnlyArgs bool
	// FuncResults lists the results of function type that are one
	// function literal on every return, with what a call through it
	// acquires.
	FuncResults []FuncResult
	// ParamCalls lists the results the function returns from calling one
	// of its function parameters: the caller's own values.
	ParamCalls []ParamCallResult
	// GatedBy is set when every acquisition of the function depends on
	// a field of a struct parameter being non-nil (if cfg.Bus != nil {
	// … }): a call passing a struct whose field is nil holds nothing.
	GatedBy *FieldGate
	// KeepsParams lists the parameters (receiver excluded) a method
	// keeps in its receiver, whatever their type: stored in a field, a
	// map or a slice of it, or given to a method of the receiver's part
	// that keeps them (a generic set's Add). What a parameter's owner
	// keeps that way, it tracks (see registeredWithParam).
	KeepsParams []int
}

// FreshResult is one owned result.
type FreshResult struct {
	Index int
	Kind  string // resource.Kind Name
}

// AFact marks Summary as an analysis fact.
func (*Summary) AFact() {}

func (s *Summary) String() string {
	var parts []string
	for _, f := range s.Fresh {
		parts = append(parts, fmt.Sprintf("fresh %d %s", f.Index, f.Kind))
	}
	if len(s.Consumes) > 0 {
		parts = append(parts, fmt.Sprintf("consumes %v", s.Consumes))
	}
	if len(s.Releases) > 0 {
		parts = append(parts, fmt.Sprintf("releases %v", s.Releases))
	}
	if s.NoReturn {
		parts = append(parts, "noreturn")
	}
	if s.Holds {
		parts = append(parts, "holds")
	}
	if s.Acquires {
		parts = append(parts, "acquires")
	}
	if s.GatedBy != nil {
		parts = append(parts, fmt.Sprintf("gated by field %d of param %d", s.GatedBy.Field, s.GatedBy.Param))
	}
	for _, fr := range s.FuncResults {
		parts = append(parts, fmt.Sprintf("result %d is a func acquiring %d", fr.Index, len(fr.Fresh)))
	}
	for _, pc := range s.ParamCalls {
		parts = append(parts, fmt.Sprintf("result %d from param %d", pc.Index, pc.Param))
	}
	if s.HoldsWithOptions {
		parts = append(parts, "holds with options")
	}
	if s.HoldsOnlyArgs {
		parts = append(parts, "holds only args")
	}
	if len(s.Wraps) > 0 {
		parts = append(parts, fmt.Sprintf("wraps %v", s.Wraps))
	}
	if len(s.Borrowed) > 0 {
		parts = append(parts, fmt.Sprintf("borrowed %v", s.Borrowed))
	}
	if s.ReleasesReceiver {
		parts = append(parts, "releases receiver")
	}
	if s.FillsReceiver {
		parts = append(parts, "fills receiver")
	}
	if len(s.KeepsParams) > 0 {
		parts = append(parts, fmt.Sprintf("keeps %v", s.KeepsParams))
	}
	if s.Inert {
		parts = append(parts, "inert")
	}
	if len(s.NilStops) > 0 {
		parts = append(parts, fmt.Sprintf("stops on nil %v", s.NilStops))
	}
	if len(s.FalseStops) > 0 {
		parts = append(parts, fmt.Sprintf("stops on false %v", s.FalseStops))
	}
	if len(s.FalseIfNil) > 0 {
		parts = append(parts, fmt.Sprintf("false if nil %v", s.FalseIfNil))
	}
	if s.AlwaysFalse {
		parts = append(parts, "always false")
	}
	if s.NilUnlessOK {
		parts = append(parts, "nil unless ok")
	}
	if s.NeverFails {
		parts = append(parts, "never fails")
	}
	if len(s.InertResults) > 0 {
		parts = append(parts, fmt.Sprintf("inert results %v", s.InertResults))
	}
	if len(s.ReleasesOnError) > 0 {
		parts = append(parts, fmt.Sprintf("releases on error %v", s.ReleasesOnError))
	}
	if len(parts) == 0 {
		return "borrows"
	}
	return strings.Join(parts, "; ")
}

// ConsumesParam reports whether parameter i is released or kept.
func (s *Summary) ConsumesParam(i int) bool { return contains(s.Consumes, i) }

// ReleasesParam reports whether parameter i is released on every path.
func (s *Summary) ReleasesParam(i int) bool { return contains(s.Releases, i) }

func contains(list []int, i int) bool {
	for _, j := range list {
		if i == j {
			return true
		}
	}
	return false
}

func (s *Summary) empty() bool {
	return len(s.Fresh) == 0 && len(s.Consumes) == 0 && len(s.Releases) == 0 && !s.NoReturn && len(s.Borrowed) == 0 && !s.ReleasesReceiver && !s.FillsReceiver && len(s.KeepsParams) == 0 && !s.Inert && len(s.ReturnsArgs) == 0 &&
		len(s.NilStops) == 0 && len(s.FalseStops) == 0 && len(s.FalseIfNil) == 0 && !s.AlwaysFalse && !s.NilUnlessOK && !s.NeverFails && len(s.InertResults) == 0 &&
		len(s.ReleasesOnError) == 0
}

func (s *Summary) normalize() {
	sort.Ints(s.Consumes)
	sort.Ints(s.Releases)
	sort.Slice(s.Fresh, func(i, j int) bool { return s.Fresh[i].Index < s.Fresh[j].Index })
}

// kindByName maps a fact's kind name back to a Kind, defaulting to the
// generic closer for user types.
func kindByName(name string) *resource.Kind {
	for _, k := range []*resource.Kind{resource.File, resource.Body, resource.Rows, resource.Stmt,
		resource.SQLConn, resource.Tx, resource.DB, resource.NetConn, resource.Listener, resource.Ticker,
		resource.Cancel, resource.StopFunc, resource.TestServer, resource.Signal, resource.Process,
		resource.Client, resource.TickChan, resource.GenericCloser, resource.GenericStopper} {
		if k.Name == name {
			return k
		}
	}
	return resource.GenericCloser
}
