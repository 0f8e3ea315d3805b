package ownership

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// borrowedResults returns the results of f that its caller does not own,
// although their type has a release method: on every return the value is
// nil, borrowed (a parameter, a field, a global), the result of a call that
// hands over nothing, an acquisition whose release f already arranged, or a
// value f built whose release it registered itself
// (t.Cleanup(srv.Stop); return srv). The generic Close/Stop rule does not
// make such a result a resource at the call site.
func (m *Model) borrowedResults(f *ssa.Function) []int {
	results := f.Signature.Results()
	if results.Len() == 0 || f.Blocks == nil {
		return nil
	}
	acqByCall := map[ssa.Value]*Acquisition{}
	for _, a := range m.acquisitions(f) {
		if call, ok := a.Call.(*ssa.Call); ok {
			acqByCall[call] = a
		}
	}
	var out []int
	for r := 0; r < results.Len(); r++ {
		if !hasReleaseMethod(results.At(r).Type()) {
			continue
		}
		if everyReturn(f, r, func(v ssa.Value) bool { return m.borrowedValue(v, acqByCall, map[ssa.Value]bool{}) }) {
			out = append(out, r)
		}
	}
	return out
}

func (m *Model) borrowedValue(v ssa.Value, acqByCall map[ssa.Value]*Acquisition, seen map[ssa.Value]bool) bool {
	v = seeThrough(v)
	if seen[v] {
		return true
	}
	seen[v] = true
	switch x := v.(type) {
	case *ssa.Const:
		return x.IsNil()
	case *ssa.Parameter, *ssa.FreeVar, *ssa.Global:
		return true
	case *ssa.UnOp:
		if x.Op != token.MUL {
			return false
		}
		switch cell := x.X.(type) {
		case *ssa.FieldAddr, *ssa.Global:
			return true
		case *ssa.Alloc:
			// A variable a closure captures lives in a cell: what
			// was stored there is what is returned.
			stores := 0
			for _, r := range *cell.Referrers() {
				if st, ok := r.(*ssa.Store); ok && st.Addr == cell {
					stores++
					if !m.borrowedValue(st.Val, acqByCall, seen) {
						return false
					}
				}
			}
			return stores > 0
		}
		return false
	case *ssa.Phi:
		for _, e := range x.Edges {
			if !m.borrowedValue(e, acqByCall, seen) {
				return false
			}
		}
		return true
	case *ssa.Extract:
		return m.borrowedCall(x.Tuple, acqByCall) || m.registeredWithParam(x)
	case *ssa.Call:
		return m.borrowedCall(x, acqByCall) || m.registeredWithParam(x)
	case *ssa.Alloc:
		return m.releaseRegistered(x) || storedInParam(x) || m.partReleaseRegistered(x)
	}
	return false
}

// partReleaseRegistered reports whether the release method of the struct x
// points to is promoted from an embedded field (a test server embedding
// *httptest.Server, a handle embedding the log it wraps) whose release the
// function registered: it binds the part's release (t.Cleanup(s.Close)
// binds s.Server), or it registered the release of the value it stores in
// the part. Releasing the struct is releasing that part, which is arranged.
func (m *Model) partReleaseRegistered(x *ssa.Alloc) bool {
	field := promotedReleaseField(x.Type())
	if field < 0 {
		return false
	}
	for _, h := range cellHolders(x) {
		for _, r := range *h.Referrers() {
			fa, ok := r.(*ssa.FieldAddr)
			if !ok || fa.X != h || fa.Field != field {
				continue
			}
			if m.registersRelease(fa) {
				return true // t.Cleanup(s.part.Close) with a value part
			}
			for _, rr := range *fa.Referrers() {
				switch u := rr.(type) {
				case *ssa.UnOp:
					if u.Op == token.MUL && m.registersRelease(u) {
						return true
					}
				case *ssa.Store:
					if u.Addr == fa && m.releaseRegistered(u.Val) {
						return true
					}
				}
			}
		}
	}
	return false
}

// promotedReleaseField returns the index of the embedded field of the
// struct t points to that its Close or Stop method is promoted from, or -1
// when it has its own or none.
func promotedReleaseField(t types.Type) int {
	ptr, ok := types.Unalias(t).Underlying().(*types.Pointer)
	if !ok {
		return -1
	}
	if _, ok := ptr.Elem().Underlying().(*types.Struct); !ok {
		return -1
	}
	for _, name := range []string{"Close", "Stop"} {
		obj, index, _ := types.LookupFieldOrMethod(t, true, nil, name)
		if _, ok := obj.(*types.Func); ok {
			if len(index) > 1 {
				return index[0]
			}
			return -1
		}
	}
	return -1
}

// storedInParam reports whether v is kept in a field of a parameter (the
// receiver's current child: s.current = ch): that owner keeps it, and
// whoever the function returns it to borrows it.
func storedInParam(v ssa.Value) bool {
	for _, r := range *v.Referrers() {
		st, ok := r.(*ssa.Store)
		if !ok || st.Val != v {
			continue
		}
		if fa, ok := st.Addr.(*ssa.FieldAddr); ok {
			if _, isParam := fa.X.(*ssa.Parameter); isParam {
				return true
			}
		}
	}
	return false
}

// registeredWithParam reports whether the function hands v, or a part of
// it (v.core), to an owner it reaches from a parameter: a method of the
// parameter (or of what the parameter's methods return, c.state()) that
// keeps the argument. The parameter's owner then tracks the value and
// releases it with itself (a bus client closing its subscribers); whoever
// the function returns v to borrows it.
func (m *Model) registeredWithParam(v ssa.Value) bool {
	parts := []ssa.Value{v}
	for i := 0; i < len(parts) && i < 16; i++ {
		for _, r := range *parts[i].Referrers() {
			switch x := r.(type) {
			case *ssa.FieldAddr:
				parts = append(parts, x)
			case *ssa.UnOp:
				if x.Op == token.MUL {
					parts = append(parts, x)
				}
			case *ssa.Field, *ssa.ChangeType, *ssa.MakeInterface:
				parts = append(parts, x.(ssa.Value))
			case ssa.CallInstruction:
				if m.takenOverByParam(x.Common(), parts[i]) {
					return true
				}
			}
		}
	}
	return false
}

// takenOverByParam reports whether call is a method call on a receiver
// rooted in a parameter that keeps arg in that receiver (KeepsParams; a
// method that only closes it on failure does not take it over).
func (m *Model) takenOverByParam(c *ssa.CallCommon, arg ssa.Value) bool {
	callee := c.StaticCallee()
	if callee == nil || callee.Signature.Recv() == nil || len(c.Args) < 2 || !paramRooted(c.Args[0], 4) {
		return false
	}
	s, known := m.calleeSummary(callee)
	if !known || s == nil {
		return false
	}
	for i, a := range c.Args[1:] {
		if a == arg && contains(s.KeepsParams, i+1) {
			return true
		}
	}
	return false
}

// paramRooted reports whether v is a parameter, read from one through
// fields, or returned by a method of such a value (c.subscribeState()).
func paramRooted(v ssa.Value, depth int) bool {
	if depth < 0 {
		return false
	}
	switch x := v.(type) {
	case *ssa.Parameter:
		return true
	case *ssa.FieldAddr:
		return paramRooted(x.X, depth-1)
	case *ssa.Field:
		return paramRooted(x.X, depth-1)
	case *ssa.UnOp:
		return x.Op == token.MUL && paramRooted(x.X, depth-1)
	case *ssa.Call:
		callee := x.Call.StaticCallee()
		return callee != nil && callee.Signature.Recv() != nil && len(x.Call.Args) > 0 && paramRooted(x.Call.Args[0], depth-1)
	}
	return false
}

// borrowedCall reports whether the result of call is not the caller's: the
// call acquires nothing, or f already released or handed over what it
// acquired.
func (m *Model) borrowedCall(call ssa.Value, acqByCall map[ssa.Value]*Acquisition) bool {
	a, ok := acqByCall[call]
	if !ok {
		return true
	}
	return len(a.Returned) == 0 && !a.Leaks()
}

// releaseArranged reports whether every return of f returns, as result r,
// a value f built and whose release it registered (t.Cleanup(stub.Stop);
// return stub).
func (m *Model) releaseArranged(f *ssa.Function, r int) bool {
	return everyReturn(f, r, func(v ssa.Value) bool {
		alloc, ok := seeThrough(v).(*ssa.Alloc)
		return ok && m.releaseRegistered(alloc)
	})
}

// everyReturn reports whether f returns at all and pred holds of result r
// of every return statement.
func everyReturn(f *ssa.Function, r int, pred func(ssa.Value) bool) bool {
	returns := 0
	for _, b := range f.Blocks {
		ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
		if !ok || r >= len(ret.Results) {
			continue
		}
		returns++
		if !pred(ret.Results[r]) {
			return false
		}
	}
	return returns > 0
}

// releaseRegistered reports whether the function hands a closure that
// releases v to a call (t.Cleanup(srv.Stop), registry.OnClose(func() {
// srv.Close() })): whoever runs that closure releases v.
func (m *Model) releaseRegistered(v ssa.Value) bool {
	for _, h := range cellHolders(v) {
		if m.registersRelease(h) {
			return true
		}
	}
	return false
}

// cellHolders returns v and, when a closure captures the variable holding
// v (it then lives in a cell), the cell and the values loaded from it:
// s.Close binds what is loaded.
func cellHolders(v ssa.Value) []ssa.Value {
	holders := []ssa.Value{v}
	addCell := func(cell *ssa.Alloc) {
		holders = append(holders, cell)
		for _, rr := range *cell.Referrers() {
			if load, ok := rr.(*ssa.UnOp); ok && load.Op == token.MUL && load != v {
				holders = append(holders, load)
			}
		}
	}
	if load, ok := v.(*ssa.UnOp); ok && load.Op == token.MUL {
		if cell, ok := load.X.(*ssa.Alloc); ok && cell.Heap && singleStore(cell) {
			// Loaded from such a cell: the same variable.
			addCell(cell)
			return holders
		}
	}
	for _, r := range *v.Referrers() {
		if st, ok := r.(*ssa.Store); ok && st.Val == v {
			if cell, ok := st.Addr.(*ssa.Alloc); ok {
				addCell(cell)
			}
		}
	}
	return holders
}

// singleStore reports whether the variable cell is assigned once.
func singleStore(cell *ssa.Alloc) bool {
	n := 0
	for _, r := range *cell.Referrers() {
		if st, ok := r.(*ssa.Store); ok && st.Addr == cell {
			n++
		}
	}
	return n == 1
}

// registersRelease reports whether a closure binding v and releasing it is
// handed to a call, or run by a goroutine the function starts.
func (m *Model) registersRelease(v ssa.Value) bool {
	for _, r := range *v.Referrers() {
		mc, ok := r.(*ssa.MakeClosure)
		if !ok {
			continue
		}
		fn, ok := mc.Fn.(*ssa.Function)
		if !ok {
			continue
		}
		releases := false
		for i, b := range mc.Bindings {
			if b == v && (boundRelease(fn) || m.closureCallsRelease(fn, i)) {
				releases = true
			}
		}
		if !releases {
			continue
		}
		for _, rr := range *mc.Referrers() {
			call, ok := rr.(ssa.CallInstruction)
			if !ok {
				continue
			}
			if call.Common().Value != mc {
				return true // handed to a call that runs it later
			}
			if _, ok := call.(*ssa.Go); ok {
				// A goroutine that releases it (when what it
				// watches is done): that goroutine owns it.
				return true
			}
		}
	}
	return false
}

// boundRelease reports whether fn is the bound method value of a Close or
// Stop method (srv.Stop as a func value).
func boundRelease(fn *ssa.Function) bool {
	if fn.Synthetic == "" || len(fn.FreeVars) != 1 {
		return false
	}
	obj := fn.Object()
	if obj == nil {
		return false
	}
	switch obj.Name() {
	case "Close", "Stop":
		return true
	}
	return false
}

// closureCallsRelease reports whether closure fn calls a release method
// (Close, Stop, or a method that releases what its receiver holds) on its
// free variable i: keeping the value somewhere is not releasing it.
func (m *Model) closureCallsRelease(fn *ssa.Function, i int) bool {
	if i >= len(fn.FreeVars) {
		return false
	}
	isFV := freeVarMatcher(fn.FreeVars[i])
	return anyCall(fn, func(c *ssa.CallCommon) bool {
		if c.IsInvoke() {
			return isFV(c.Value) && isReleaseName(c.Method.Name())
		}
		callee := c.StaticCallee()
		return callee != nil && callee.Signature.Recv() != nil && len(c.Args) > 0 && isFV(c.Args[0]) &&
			(isReleaseName(callee.Name()) || m.isReleaseMethod(callee))
	})
}

// anyCall reports whether pred holds of some call, defer or go statement
// of fn.
func anyCall(fn *ssa.Function, pred func(*ssa.CallCommon) bool) bool {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if ci, ok := instr.(ssa.CallInstruction); ok && pred(ci.Common()) {
				return true
			}
		}
	}
	return false
}

// isReleaseName reports the names of the generic kinds' release methods.
func isReleaseName(name string) bool { return name == "Close" || name == "Stop" }
