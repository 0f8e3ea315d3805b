package ownership

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/resource"
)

// A method is a release method when it releases what its receiver holds:
// it closes or stops a resource field, closes a channel field, calls a
// cancel func kept in a field, or calls another release method of the same
// receiver. Close, Stop, Shutdown(ctx), AsyncClose and Terminate all
// qualify by that rule, whatever they are called; a Close that only resets
// the struct does not. Standard-library types are described by the table.

// releasesHeld reports whether method f releases something its receiver
// holds, on some path.
func (m *Model) releasesHeld(f *ssa.Function) bool {
	if f.Signature.Recv() == nil || len(f.Params) == 0 || f.Blocks == nil {
		return false
	}
	return m.releasesFrom(f, map[ssa.Value]bool{f.Params[0]: true}, f.Params[0], 2)
}

// releasesFrom reports whether f, or a closure it creates (up to depth
// levels down: a deferred func() { cancel() }), releases a value derived
// from the seeds: read from them through fields and loads.
func (m *Model) releasesFrom(f *ssa.Function, derived map[ssa.Value]bool, recv ssa.Value, depth int) bool {
	deriveReads(f, derived)
	for _, b := range f.Blocks {
		for _, instr := range b.Instrs {
			if mc, ok := instr.(*ssa.MakeClosure); ok && depth > 0 {
				fn, ok := mc.Fn.(*ssa.Function)
				if !ok {
					continue
				}
				inner := map[ssa.Value]bool{}
				for i, bv := range mc.Bindings {
					if derived[bv] || bv == recv || cellHolds(bv, derived) {
						inner[fn.FreeVars[i]] = true
					}
				}
				if len(inner) > 0 && m.releasesFrom(fn, inner, nil, depth-1) {
					return true
				}
				continue
			}
			ci, ok := instr.(ssa.CallInstruction)
			if !ok {
				continue
			}
			if m.releasesDerived(recv, ci.Common(), derived) && !onFailurePath(instr) {
				return true
			}
		}
	}
	return false
}

// deriveReads marks in derived the values f reads from the values already
// in it: through fields, loads, conversions, and the elements of slices,
// arrays and maps (a Close ranging over p.conns closes each). Blocks are
// taken in order; two passes settle chains of reads across blocks.
func deriveReads(f *ssa.Function, derived map[ssa.Value]bool) {
	for pass := 0; pass < 2; pass++ {
		for _, b := range f.Blocks {
			for _, instr := range b.Instrs {
				var from ssa.Value
				switch x := instr.(type) {
				case *ssa.FieldAddr:
					from = x.X
				case *ssa.Field:
					from = x.X
				case *ssa.UnOp:
					if x.Op == token.MUL {
						from = x.X
					}
				case *ssa.ChangeType:
					from = x.X
				case *ssa.MakeInterface:
					from = x.X
				case *ssa.IndexAddr:
					from = x.X
				case *ssa.Index:
					from = x.X
				case *ssa.Lookup:
					from = x.X
				case *ssa.Slice:
					from = x.X
				case *ssa.Range:
					from = x.X
				case *ssa.Next:
					from = x.Iter
				case *ssa.Extract:
					from = x.Tuple
				}
				if v, ok := instr.(ssa.Value); ok && from != nil && derived[from] {
					derived[v] = true
				}
			}
		}
	}
}

// onFailurePath reports whether instr runs only where an error is set: in
// the branch of an `if err != nil` that dominates it. A method that closes
// its connection when a request fails handles the failure; it is not a
// release method.
func onFailurePath(instr ssa.Instruction) bool {
	b := instr.Block()
	for d := b.Idom(); d != nil; d = d.Idom() {
		ifi, ok := d.Instrs[len(d.Instrs)-1].(*ssa.If)
		if !ok {
			continue
		}
		cond, ok := ifi.Cond.(*ssa.BinOp)
		if !ok || (cond.Op != token.NEQ && cond.Op != token.EQL) {
			continue
		}
		other := cond.X
		if isNil(cond.X) {
			other = cond.Y
		} else if !isNil(cond.Y) {
			continue
		}
		if !isError(other.Type()) {
			continue
		}
		failed := d.Succs[0] // err != nil
		if cond.Op == token.EQL {
			failed = d.Succs[1]
		}
		if failed.Dominates(b) {
			return true
		}
	}
	return false
}

// releasesDerived reports whether call releases a value read from the
// receiver recv (or from a closure's captured receiver).
func (m *Model) releasesDerived(recv ssa.Value, c *ssa.CallCommon, derived map[ssa.Value]bool) bool {
	if b, ok := c.Value.(*ssa.Builtin); ok {
		return b.Name() == "close" && len(c.Args) == 1 && derived[c.Args[0]]
	}
	if c.IsInvoke() {
		if !derived[c.Value] || c.Value == recv {
			return false
		}
		k := m.paramKind(c.Value.Type())
		return k != nil && k.IsReleaseMethod(c.Method.Name())
	}
	if derived[c.Value] && c.Value != recv {
		// A func kept in a field: a cancel func, a stop func; not one
		// that only ever holds the cancel of a context nothing reads.
		if load, ok := c.Value.(*ssa.UnOp); ok && load.Op == token.MUL {
			if fa, ok := load.X.(*ssa.FieldAddr); ok && m.inertCancelField(addressedField(fa)) {
				return false
			}
		}
		return m.paramKind(c.Value.Type()) == resource.Cancel
	}
	callee := c.StaticCallee()
	if callee == nil || callee.Signature.Recv() == nil || len(c.Args) == 0 || !derived[c.Args[0]] {
		return false
	}
	if c.Args[0] != recv {
		// A method of a field: its kind's release, or a method that
		// releases what the field holds. A type that is a resource
		// only by having a Close or Stop method is judged by what that
		// method does.
		k := m.paramKind(c.Args[0].Type())
		if k != nil && k != resource.GenericCloser && k != resource.GenericStopper && k.IsReleaseMethod(callee.Name()) {
			return true
		}
	}
	return m.isReleaseMethod(callee)
}

// isReleaseMethod reports whether the method callee releases what its
// receiver holds: per the standard table, or per its summary.
func (m *Model) isReleaseMethod(callee *ssa.Function) bool {
	// A release hands back nothing but its error: conn.Channel() may
	// clean up on a failure path, but it returns a new value, not an end.
	res := callee.Signature.Results()
	if res.Len() > 1 || (res.Len() == 1 && !isError(res.At(0).Type())) {
		return false
	}
	obj, _ := origin(callee).Object().(*types.Func)
	if obj != nil && obj.Pkg() != nil && resource.IsStd(obj.Pkg().Path()) {
		return resource.StdReleaseMethod(resource.KeyOf(obj))
	}
	s, known := m.calleeSummary(callee)
	return known && s != nil && s.ReleasesReceiver
}

// inertBody reports whether f does nothing a release could consist of: no
// call (bar builtins other than close), no goroutine, no deferred call, no
// channel operation. A Close like that (return nil, or *f = File{})
// releases nothing.
func inertBody(f *ssa.Function) bool {
	if f.Blocks == nil {
		return false
	}
	for _, b := range f.Blocks {
		for _, instr := range b.Instrs {
			switch x := instr.(type) {
			case *ssa.Call:
				bi, ok := x.Call.Value.(*ssa.Builtin)
				if !ok || bi.Name() == "close" {
					return false
				}
			case *ssa.Go, *ssa.Defer, *ssa.Send, *ssa.Select:
				return false
			case *ssa.UnOp:
				if x.Op == token.ARROW {
					return false
				}
			}
		}
	}
	return true
}

// inertRelease reports whether the release method of kind k on type t is
// known, from its body or its summary, to release nothing: a value of that
// type is not a resource, whatever its constructor does.
func (m *Model) inertRelease(t types.Type, k *resource.Kind) bool {
	s := m.releaseSummary(t, k)
	return s != nil && s.Inert
}

// releaseSummary returns the summary of the release method of kind k on
// type t, when it is a method of a package outside the standard library
// with a known summary.
func (m *Model) releaseSummary(t types.Type, k *resource.Kind) *Summary {
	if len(k.Methods) == 0 {
		return nil
	}
	obj, _, _ := types.LookupFieldOrMethod(t, true, nil, k.Methods[0])
	fn, ok := obj.(*types.Func)
	if !ok || fn.Pkg() == nil || resource.IsStd(fn.Pkg().Path()) {
		return nil
	}
	if recv := fn.Type().(*types.Signature).Recv(); recv == nil || types.IsInterface(recv.Type()) {
		return nil // an interface method: any implementation
	}
	if f := m.pkg.Prog.FuncValue(fn); f != nil && f.Blocks != nil {
		return m.summary(f)
	}
	var s Summary
	if m.pass.ImportObjectFact(fn, &s) {
		return &s
	}
	return nil
}

// keepsOnlyReference reports whether the release method of kind k on type
// t is known to release nothing the value holds (no field closed, no
// channel closed, no release method called), though it may do other work
// (a publisher that unregisters itself from its bus): what such a value
// took over from its arguments it only refers to.
func (m *Model) keepsOnlyReference(t types.Type, k *resource.Kind) bool {
	s := m.releaseSummary(t, k)
	return s != nil && !s.ReleasesReceiver
}

// argsHold reports whether one of the arguments a call gives to the
// parameters its callee takes over may be a resource: of an interface type
// (anything may be behind it) or of a resource type whose release method
// releases something. A wrapper built around an in-memory stub holds
// nothing.
func (m *Model) argsHold(c *ssa.CallCommon, params []int) bool {
	for _, i := range params {
		if i >= len(c.Args) {
			return true
		}
		t := seeThrough(c.Args[i]).Type()
		if types.IsInterface(t) {
			return true
		}
		k := m.table.KindOfType(t)
		if k == nil {
			continue
		}
		if (k == resource.GenericCloser || k == resource.GenericStopper) && m.inertRelease(t, k) {
			continue
		}
		return true
	}
	return false
}

// dropInert removes generic acquisitions of values whose release method
// releases nothing.
func (m *Model) dropInert(sig *types.Signature, acqs []resource.Acquisition) []resource.Acquisition {
	out := acqs[:0:0]
	for _, a := range acqs {
		generic := a.Kind == resource.GenericCloser || a.Kind == resource.GenericStopper
		if generic && a.Result >= 0 && a.Result < sig.Results().Len() && m.inertRelease(sig.Results().At(a.Result).Type(), a.Kind) {
			continue
		}
		out = append(out, a)
	}
	return out
}

// inertResults returns the results of f that, on every return, are nil or
// a value whose concrete type's release method releases nothing: an
// in-memory file handed out as an interface with a Close.
func (m *Model) inertResults(f *ssa.Function) []int {
	results := f.Signature.Results()
	var out []int
	for r := 0; r < results.Len(); r++ {
		k := resource.GenericKind(results.At(r).Type())
		if k == nil || !types.IsInterface(results.At(r).Type()) {
			continue
		}
		inert := everyReturn(f, r, func(v ssa.Value) bool {
			if isNil(v) || m.inertCallResult(f, v, r) {
				return true // return fs.OpenFile(target): the same again
			}
			mi, ok := v.(*ssa.MakeInterface)
			return ok && m.inertRelease(mi.X.Type(), k)
		})
		if inert {
			out = append(out, r)
		}
	}
	return out
}

// inertCallResult reports whether v is result r of a call of f itself (a
// recursive call returns what f returns) or of a function whose result r
// is known to be inert.
func (m *Model) inertCallResult(f *ssa.Function, v ssa.Value, r int) bool {
	e, ok := v.(*ssa.Extract)
	if !ok || e.Index != r {
		return false
	}
	call, ok := e.Tuple.(*ssa.Call)
	if !ok {
		return false
	}
	callee := call.Call.StaticCallee()
	if callee == nil || call.Call.IsInvoke() {
		return false
	}
	if callee == f {
		return true
	}
	s, known := m.calleeSummary(callee)
	return known && s != nil && contains(s.InertResults, r)
}

// dropResults removes the acquisitions of the given results.
func dropResults(acqs []resource.Acquisition, results []int) []resource.Acquisition {
	if len(results) == 0 {
		return acqs
	}
	out := acqs[:0:0]
	for _, a := range acqs {
		if !contains(results, a.Result) {
			out = append(out, a)
		}
	}
	return out
}

// cellHolds reports whether v is a variable (a closure's cell) assigned a
// derived value.
func cellHolds(v ssa.Value, derived map[ssa.Value]bool) bool {
	cell, ok := v.(*ssa.Alloc)
	if !ok {
		return false
	}
	for _, r := range *cell.Referrers() {
		if st, ok := r.(*ssa.Store); ok && st.Addr == cell && derived[st.Val] {
			return true
		}
	}
	return false
}
