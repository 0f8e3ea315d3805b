package ownership

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/resource"
)

// Wrappers and accessors alias the resource they are built from; they do
// not acquire a new one. Three sources say so:
//   - the curated table for the standard library (tls.Client(conn, …));
//   - a callee's summary: it keeps a parameter resource in the value it
//     returns and holds nothing else (no acquisition, no goroutine), so
//     releasing the parameter or the result releases the same thing;
//   - for callees nothing is known about (interface methods, func values,
//     bodies outside the analysed code): a result of the very type of a
//     resource argument or receiver (ln = wrapper.WrapListener(ln),
//     pc = pc.(unwrapper).Unwrap()) is that resource, wrapped or unwrapped.

// wrapResults returns the results of f that only wrap the parameters f
// takes over: f consumes a parameter, acquires nothing, starts no
// goroutine, and the result has a release method.
func (m *Model) wrapResults(f *ssa.Function, s *Summary) []int {
	if len(s.Consumes) == 0 || len(m.acquisitions(f)) > 0 || startsGoroutine(f) {
		return nil
	}
	for _, p := range s.Consumes {
		if s.ReleasesParam(p) {
			return nil // it releases what it was given: not a wrapper
		}
		if p >= len(f.Params) {
			return nil
		}
		// Only a value of a known resource kind (a conn, a file, a
		// cancel func) is wrapped: a constructor that keeps a generic
		// closer (an event bus) may hold more than it was given, through
		// acquisitions the engine does not see.
		if k := m.paramKind(f.Params[p].Type()); k == nil || k == resource.GenericCloser || k == resource.GenericStopper {
			return nil
		}
	}
	var out []int
	results := f.Signature.Results()
	for r := 0; r < results.Len(); r++ {
		if m.paramKind(results.At(r).Type()) != nil || hasReleaseMethod(results.At(r).Type()) {
			out = append(out, r)
		}
	}
	return out
}

// HasReleaseMethod reports whether t has a Close or Stop method: a
// parameter of a type without one (an io.Reader) cannot release what it is
// given, short of a type assertion.
func HasReleaseMethod(t types.Type) bool { return hasReleaseMethod(t) }

// paramCanRelease reports whether the parameter that argument i of call
// goes to could release a resource: its type has a release method or is a
// resource type, or it is an empty interface (the value may be kept and
// asserted back later). A receiver always could.
func (m *Model) paramCanRelease(call *ssa.CallCommon, i int) bool {
	sig := call.Signature()
	idx := i
	if !call.IsInvoke() && sig.Recv() != nil {
		idx = i - 1
	}
	params := sig.Params()
	var pt types.Type
	switch {
	case idx < 0:
		return true
	case sig.Variadic() && idx >= params.Len()-1:
		return true // the value goes in a slice, followed as a store
	case idx < params.Len():
		pt = params.At(idx).Type()
	default:
		return true
	}
	if iface, ok := pt.Underlying().(*types.Interface); ok && iface.Empty() {
		return true
	}
	if n, ok := types.Unalias(pt).(*types.Named); ok && n.Obj().Pkg() != nil && n.Obj().Pkg() == calleePkg(call) {
		// A type of the callee's own package (raft.NewRaft's
		// raft.Transport) is its contract for what it keeps: it may
		// assert it to its own closer (raft.WithClose).
		return true
	}
	return hasReleaseMethod(pt) || m.paramKind(pt) != nil
}

// calleePkg returns the package of the function or method a call names,
// or nil for a function value.
func calleePkg(call *ssa.CallCommon) *types.Package {
	if call.IsInvoke() {
		return call.Method.Pkg()
	}
	if callee := call.StaticCallee(); callee != nil {
		if obj, ok := callee.Object().(*types.Func); ok {
			return obj.Pkg()
		}
	}
	return nil
}

// hasReleaseMethod reports whether t has a Close or Stop method.
func hasReleaseMethod(t types.Type) bool {
	for _, name := range []string{"Close", "Stop"} {
		if obj, _, _ := types.LookupFieldOrMethod(t, true, nil, name); obj != nil {
			if _, ok := obj.(*types.Func); ok {
				return true
			}
		}
	}
	return false
}

// unknownCallee reports whether nothing is known about what call does:
// an interface method, a func value, or a function with neither a body
// nor a summary.
func (m *Model) unknownCallee(call *ssa.CallCommon) bool {
	if call.IsInvoke() {
		return true
	}
	callee := call.StaticCallee()
	if callee == nil {
		return true
	}
	if obj, ok := origin(callee).Object().(*types.Func); ok && obj != nil && obj.Pkg() != nil && resource.IsStd(obj.Pkg().Path()) {
		return false // the table speaks for the standard library
	}
	_, known := m.calleeSummary(callee)
	return !known
}

// operands returns the values a call works on: the receiver of an
// interface method call, then the arguments.
func operands(call *ssa.CallCommon) []ssa.Value {
	if call.IsInvoke() {
		return append([]ssa.Value{call.Value}, call.Args...)
	}
	return call.Args
}

// seeThrough strips interface conversions and type assertions, so that
// pc.(interface{ Unwrap() net.PacketConn }) is seen as pc.
func seeThrough(v ssa.Value) ssa.Value {
	for {
		switch x := v.(type) {
		case *ssa.ChangeType:
			v = x.X
		case *ssa.ChangeInterface:
			v = x.X
		case *ssa.MakeInterface:
			v = x.X
		case *ssa.TypeAssert:
			v = x.X
		case *ssa.Extract:
			ta, ok := x.Tuple.(*ssa.TypeAssert)
			if !ok || x.Index != 0 {
				return v
			}
			v = ta.X
		case *ssa.FreeVar:
			b := capturedValue(x)
			if b == nil {
				return v
			}
			v = b
		case *ssa.UnOp:
			// *fv: a variable captured by reference, assigned once.
			fv, ok := x.X.(*ssa.FreeVar)
			if !ok || x.Op != token.MUL {
				return v
			}
			b := capturedCell(fv)
			if b == nil {
				return v
			}
			v = b
		default:
			return v
		}
	}
}

// sameResourceOperand returns the operand of an unknown call whose type is
// the type of result r and a resource type: the call wraps or unwraps that
// operand.
func (m *Model) sameResourceOperand(call *ssa.CallCommon, r int) (ssa.Value, bool) {
	results := call.Signature().Results()
	if r < 0 || r >= results.Len() {
		return nil, false
	}
	rt := results.At(r).Type()
	if m.paramKind(rt) == nil {
		return nil, false
	}
	for _, op := range operands(call) {
		// The operand as passed (a *tlsConn given as a net.Conn) or
		// what it converts (a net.Conn asserted to an interface).
		if v := seeThrough(op); types.Identical(op.Type(), rt) || types.Identical(v.Type(), rt) {
			return v, true
		}
	}
	return nil, false
}

// dropAliases removes from the acquisitions of an unknown call those whose
// result is the same resource as one of its operands.
func (m *Model) dropAliases(call *ssa.CallCommon, acqs []resource.Acquisition) []resource.Acquisition {
	if len(acqs) == 0 || !m.unknownCallee(call) {
		return acqs
	}
	out := acqs[:0:0]
	for _, a := range acqs {
		if _, alias := m.sameResourceOperand(call, a.Result); alias && a.Arg < 0 {
			continue
		}
		out = append(out, a)
	}
	return out
}

// wrappedBy reports which results of call are the resource v itself,
// wrapped or unwrapped: per the standard table, the callee's summary, or,
// for an unknown callee, the result's type.
func (w *walker) wrappedBy(call *ssa.CallCommon, v ssa.Value) []int {
	callee := call.StaticCallee()
	if callee != nil && !call.IsInvoke() {
		if obj, ok := origin(callee).Object().(*types.Func); ok && obj != nil && obj.Pkg() != nil {
			if i, ok := resource.WrappedArg(resource.KeyOf(obj)); ok {
				if i < len(call.Args) && call.Args[i] == v {
					return []int{0}
				}
				return nil
			}
		}
		if s, known := w.m.calleeSummary(callee); known {
			if s == nil || len(s.Wraps) == 0 {
				return nil
			}
			for i, arg := range call.Args {
				if arg == v && s.ConsumesParam(i) {
					return s.Wraps
				}
			}
			return nil
		}
	}
	if !w.m.unknownCallee(call) {
		return nil
	}
	var out []int
	for r := 0; r < call.Signature().Results().Len(); r++ {
		if op, ok := w.m.sameResourceOperand(call, r); ok && w.vals[op] == classValue {
			out = append(out, r)
		}
	}
	return out
}

// capturedValue returns the value a closure's free variable is bound to
// when the closure is created in exactly one place, and binds it by value.
func capturedValue(fv *ssa.FreeVar) ssa.Value {
	bound := closureBinding(fv)
	if _, isCell := bound.(*ssa.Alloc); isCell {
		return nil // captured by reference: it may change
	}
	return bound
}

// closureBinding returns what free variable fv is bound to where its
// closure is made, when that happens in exactly one place.
func closureBinding(fv *ssa.FreeVar) ssa.Value {
	fn := fv.Parent()
	parent := fn.Parent()
	if parent == nil {
		return nil
	}
	idx := -1
	for i, f := range fn.FreeVars {
		if f == fv {
			idx = i
		}
	}
	var bound ssa.Value
	for _, b := range parent.Blocks {
		for _, instr := range b.Instrs {
			mc, ok := instr.(*ssa.MakeClosure)
			if !ok || mc.Fn != fn || idx < 0 || idx >= len(mc.Bindings) {
				continue
			}
			if bound != nil {
				return nil
			}
			bound = mc.Bindings[idx]
		}
	}
	return bound
}

// capturedCell returns the value stored in the variable a closure captures
// by reference, when the closure is created in one place and the variable
// is assigned exactly once.
func capturedCell(fv *ssa.FreeVar) ssa.Value {
	cell, ok := closureBinding(fv).(*ssa.Alloc)
	if !ok {
		return nil
	}
	return singleStoreCell(cell)
}
