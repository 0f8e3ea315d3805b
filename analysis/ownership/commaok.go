package ownership

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// Comma-ok results: a function returning (value, bool), like a map lookup
// or a type assertion, hands over a value only when the flag is true.

// okFlag reports whether the bool second result of call is a comma-ok
// flag: the callee's body shows that its value is nil whenever the flag is
// false, or nothing is known about the callee (a func value, an interface
// method, a function without a summary), when Go's comma-ok convention is
// all there is to go by.
func (m *Model) okFlag(call *ssa.CallCommon) bool {
	if !commaOKShape(call.Signature()) {
		return false
	}
	if m.unknownCallee(call) {
		return commaOKSignature(call.Signature())
	}
	callee := call.StaticCallee()
	if callee == nil {
		return false
	}
	s, known := m.calleeSummary(callee)
	return known && s != nil && s.NilUnlessOK
}

// commaOKSignature reports whether sig returns a nil-able value and a bool.
func commaOKSignature(sig *types.Signature) bool {
	res := sig.Results()
	if res.Len() != 2 || !isBool(res.At(1).Type()) {
		return false
	}
	switch res.At(0).Type().Underlying().(type) {
	case *types.Pointer, *types.Interface, *types.Chan, *types.Map, *types.Signature, *types.Slice:
		return true
	}
	return false
}

// commaOKShape reports whether sig returns a value and a bool, the value
// nil-able or a struct or array (whose zero value holds nothing): the
// shape a body can show to be comma-ok.
func commaOKShape(sig *types.Signature) bool {
	if commaOKSignature(sig) {
		return true
	}
	res := sig.Results()
	if res.Len() != 2 || !isBool(res.At(1).Type()) {
		return false
	}
	switch res.At(0).Type().Underlying().(type) {
	case *types.Struct, *types.Array:
		return true
	}
	return false
}

// nilUnlessOK reports whether f returns a nil (or zero) value on every
// return whose flag is false: a constant false beside nil or a zero
// struct, or the flag of a comma-ok operation (map lookup, type
// assertion, receive) beside its own value.
func nilUnlessOK(f *ssa.Function) bool {
	if f.Blocks == nil || !commaOKShape(f.Signature) {
		return false
	}
	for _, b := range f.Blocks {
		ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
		if !ok || len(ret.Results) != 2 {
			continue
		}
		v, flag := ret.Results[0], ret.Results[1]
		if c, isConst := flag.(*ssa.Const); isConst {
			if c.Value != nil && c.Value.String() == "true" {
				continue
			}
			if isZero(seeThrough(v)) {
				// nil, or a zero struct (internalConn{}): it holds
				// nothing.
				continue
			}
			return false
		}
		if !sameCommaOK(v, flag) {
			return false
		}
	}
	return true
}

// isZero reports whether v is the zero value of its type: nil, or the
// zero value of a struct or array.
func isZero(v ssa.Value) bool {
	c, ok := v.(*ssa.Const)
	return ok && c.Value == nil
}

// sameCommaOK reports whether v and flag are the two results of one
// comma-ok operation (v, ok := m[k]; return v, ok).
func sameCommaOK(v, flag ssa.Value) bool {
	v = seeThrough(v)
	if load, ok := v.(*ssa.UnOp); ok && load.Op == token.MUL {
		// The value lives in a variable a closure captures: what was
		// last stored there.
		if cell, ok := load.X.(*ssa.Alloc); ok {
			if st := lastStoreBefore(load, cell); st != nil {
				v = seeThrough(st.Val)
			}
		}
	}
	ev, ok1 := v.(*ssa.Extract)
	ef, ok2 := flag.(*ssa.Extract)
	if !ok1 || !ok2 || ev.Tuple != ef.Tuple || ev.Index != 0 || ef.Index != 1 {
		return false
	}
	switch t := ev.Tuple.(type) {
	case *ssa.Lookup:
		return t.CommaOk
	case *ssa.TypeAssert:
		return t.CommaOk
	case *ssa.UnOp:
		return t.CommaOk
	}
	return false
}
