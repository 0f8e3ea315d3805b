package leak

import (
	"go/token"

	"golang.org/x/tools/go/ssa"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/ownership"
)

// safeExit reports whether the resource surely exists at exit e, so that a
// release placed right before it cannot touch a nil or stale value: the
// acquisition dominates the exit, and no path on which the acquisition
// failed (its error non-nil, or the value nil) reaches it.
func safeExit(a *ownership.Acquisition, e ownership.Exit) bool {
	if a.Call == nil {
		return false
	}
	ret := returnOf(a.Fn, e)
	if ret == nil {
		return false
	}
	start := a.Call.Block()
	if !start.Dominates(ret.Block()) {
		return false
	}
	return !absentBlocks(a, start)[ret.Block()] && !afterHandOver(a, ret.Block())
}

// afterHandOver reports whether exit block may be reached after the
// resource was handed over or released: a path that stores it and then
// falls through to the same return as a leaking path must not release it.
// A hand-over whose place is unknown counts as reaching everything.
func afterHandOver(a *ownership.Acquisition, exit *ssa.BasicBlock) bool {
	at := map[token.Pos]bool{}
	for _, p := range append(append([]token.Pos(nil), a.Transfers...), a.Releases...) {
		if !p.IsValid() {
			return true
		}
		at[p] = true
	}
	found := map[token.Pos]bool{}
	var from []*ssa.BasicBlock
	for _, b := range a.Fn.Blocks {
		for _, instr := range b.Instrs {
			if at[instr.Pos()] {
				found[instr.Pos()] = true
				from = append(from, b)
			}
		}
	}
	if len(found) < len(at) {
		return true
	}
	seen := map[*ssa.BasicBlock]bool{}
	for len(from) > 0 {
		b := from[len(from)-1]
		from = from[:len(from)-1]
		if b == exit {
			return true
		}
		if seen[b] {
			continue
		}
		seen[b] = true
		from = append(from, b.Succs...)
	}
	return false
}

// returnOf finds the return instruction of exit e.
func returnOf(fn *ssa.Function, e ownership.Exit) *ssa.Return {
	for _, b := range fn.Blocks {
		if len(b.Instrs) == 0 {
			continue
		}
		ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
		if !ok {
			continue
		}
		if ret.Pos() == e.Pos || (e.Implicit && !ret.Pos().IsValid()) {
			return ret
		}
	}
	return nil
}

// absentBlocks returns the blocks reachable, after the acquisition, from a
// branch on which the resource does not exist. A branch on the acquisition's
// error or value that is not a plain comparison with nil counts as absent on
// both sides.
func absentBlocks(a *ownership.Acquisition, start *ssa.BasicBlock) map[*ssa.BasicBlock]bool {
	absent := map[*ssa.BasicBlock]bool{}
	var mark func(b *ssa.BasicBlock)
	mark = func(b *ssa.BasicBlock) {
		if b == start || absent[b] {
			return
		}
		absent[b] = true
		for _, s := range b.Succs {
			mark(s)
		}
	}
	seen := map[*ssa.BasicBlock]bool{}
	var walk func(b *ssa.BasicBlock)
	walk = func(b *ssa.BasicBlock) {
		if seen[b] {
			return
		}
		seen[b] = true
		if n := len(b.Instrs); n > 0 {
			if ifi, ok := b.Instrs[n-1].(*ssa.If); ok {
				for _, s := range failedSides(a, ifi) {
					mark(s)
				}
			}
		}
		for _, s := range b.Succs {
			if s != start {
				walk(s)
			}
		}
	}
	walk(start)
	return absent
}

// failedSides returns the successors of an if on which the acquisition may
// have failed: the error side of a comparison of its error (or its value)
// with nil, and both sides of any other test computed from its error
// (errors.Is(err, …)); a predicate on the value itself (ok(f)) says nothing.
func failedSides(a *ownership.Acquisition, ifi *ssa.If) []*ssa.BasicBlock {
	b := ifi.Block()
	thenB, elseB := b.Succs[0], b.Succs[1]
	if a.OK != nil {
		// c, ok := get(): nothing acquired where ok is false.
		if ifi.Cond == a.OK {
			return []*ssa.BasicBlock{elseB}
		}
		if not, isNot := ifi.Cond.(*ssa.UnOp); isNot && not.Op == token.NOT && not.X == a.OK {
			return []*ssa.BasicBlock{thenB}
		}
	}
	switch cond := ifi.Cond.(type) {
	case *ssa.BinOp:
		if cond.Op != token.EQL && cond.Op != token.NEQ {
			break
		}
		other := cond.X
		if isNilConst(cond.X) {
			other = cond.Y
		} else if !isNilConst(cond.Y) {
			break
		}
		var failedWhenEqual bool
		switch {
		case holds(other, a.Err):
			failedWhenEqual = false // err == nil: acquired
		case holds(other, a.Value):
			failedWhenEqual = true // x == nil: nothing acquired
		default:
			return nil
		}
		if failedWhenEqual == (cond.Op == token.EQL) {
			return []*ssa.BasicBlock{thenB}
		}
		return []*ssa.BasicBlock{elseB}
	}
	for _, op := range ifi.Operands(nil) {
		if uses(*op, a.Err) {
			return []*ssa.BasicBlock{thenB, elseB}
		}
	}
	return nil
}

func isNilConst(v ssa.Value) bool {
	c, ok := v.(*ssa.Const)
	return ok && c.IsNil()
}

// holds reports whether v is x: directly, merged through a φ, or loaded from
// a variable x was stored in.
func holds(v, x ssa.Value) bool {
	if x == nil || v == nil {
		return false
	}
	if v == x {
		return true
	}
	switch v := v.(type) {
	case *ssa.Phi:
		for _, e := range v.Edges {
			if e == x {
				return true
			}
		}
	case *ssa.UnOp:
		if v.Op != token.MUL {
			return false
		}
		if alloc, ok := v.X.(*ssa.Alloc); ok {
			for _, r := range *alloc.Referrers() {
				if st, ok := r.(*ssa.Store); ok && st.Addr == alloc && st.Val == x {
					return true
				}
			}
		}
	}
	return false
}

// uses reports whether the condition v is computed from x (one level of
// operands deep: a call taking err, a negation).
func uses(v, x ssa.Value) bool {
	if holds(v, x) {
		return true
	}
	instr, ok := v.(ssa.Instruction)
	if !ok {
		return false
	}
	for _, op := range instr.Operands(nil) {
		if *op != nil && holds(*op, x) {
			return true
		}
	}
	return false
}
