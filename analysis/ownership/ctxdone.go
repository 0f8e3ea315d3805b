package ownership

import (
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/resource"
)

// A context that is done (its Done channel closed: the deadline passed or
// the parent was cancelled) has already stopped its timer and left its
// parent: calling its cancel func afterwards releases nothing. So a path
// that received from ctx.Done() owes no cancel.

// cancelledContext returns the context that an acquired cancel func
// cancels (ctx, cancel := context.WithTimeout(…)), or nil.
func cancelledContext(a *Acquisition) ssa.Value {
	call, ok := a.Call.(*ssa.Call)
	if !ok || a.Kind != resource.Cancel || a.Result != 1 {
		return nil
	}
	if _, ok := call.Type().(*types.Tuple); !ok {
		return nil
	}
	for _, r := range *call.Referrers() {
		if e, ok := r.(*ssa.Extract); ok && e.Index == 0 && hasDone(e.Type()) {
			return e
		}
	}
	return nil
}

func hasDone(t types.Type) bool {
	obj, _, _ := types.LookupFieldOrMethod(t, true, nil, "Done")
	_, ok := obj.(*types.Func)
	return ok
}

// isDone reports whether ch is ctx.Done() of the tracked cancel's context.
func (w *walker) isDone(ch ssa.Value) bool {
	if w.ctx == nil {
		return false
	}
	call, ok := ch.(*ssa.Call)
	if !ok {
		return false
	}
	c := call.Common()
	if c.IsInvoke() {
		return c.Method.Name() == "Done" && seeThrough(c.Value) == w.ctx
	}
	callee := c.StaticCallee()
	return callee != nil && callee.Name() == "Done" && len(c.Args) == 1 && seeThrough(c.Args[0]) == w.ctx
}

// sendCase returns the select whose case sending the tracked resource cond
// tests (the case was chosen: the value went to the receiver), or nil.
func (w *walker) sendCase(cond ssa.Value) *ssa.Select {
	sel, st := selectCase(cond)
	if sel == nil || st.Dir != types.SendOnly || !w.tracked(st.Send) {
		return nil
	}
	return sel
}

// selectCase returns the select and the state that cond tests was chosen
// (cond is `index == k` on the select's result).
func selectCase(cond ssa.Value) (*ssa.Select, *ssa.SelectState) {
	eq, ok := cond.(*ssa.BinOp)
	if !ok || eq.Op != token.EQL {
		return nil, nil
	}
	idx, ok := eq.X.(*ssa.Extract)
	k, isConst := eq.Y.(*ssa.Const)
	if !ok || !isConst || idx.Index != 0 || k.Value == nil || k.Value.Kind() != constant.Int {
		return nil, nil
	}
	sel, ok := idx.Tuple.(*ssa.Select)
	if !ok {
		return nil, nil
	}
	n, exact := constant.Int64Val(k.Value)
	if !exact || n < 0 || int(n) >= len(sel.States) {
		return nil, nil
	}
	return sel, sel.States[n]
}

// selectsDone reports whether cond is the test that a select took its case
// receiving from the tracked context's Done channel.
func (w *walker) selectsDone(cond ssa.Value) bool {
	if w.ctx == nil {
		return false
	}
	_, st := selectCase(cond)
	return st != nil && st.Dir == types.RecvOnly && w.isDone(st.Chan)
}
