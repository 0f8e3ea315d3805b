package ownership

import (
	"go/token"

	"golang.org/x/tools/go/ssa"
)

// returnsArgs returns, for each result of f, the parameter it returns
// whenever that parameter is not nil (StartService(t, srv) returning srv,
// setHeaders(resp) returning resp): on every return the result is the
// parameter itself, or the return is on a path where the parameter was
// found nil. Encoded as pairs result, parameter.
func returnsArgs(f *ssa.Function) []int {
	if f.Blocks == nil {
		return nil
	}
	results := f.Signature.Results()
	var out []int
	for r := 0; r < results.Len(); r++ {
		for p, param := range f.Params {
			if returnsParam(f, r, param) {
				out = append(out, r, p)
				break
			}
		}
	}
	return out
}

func returnsParam(f *ssa.Function, r int, param *ssa.Parameter) bool {
	nilBlocks := nilSuccessors(f, param)
	returns := 0
	for _, b := range f.Blocks {
		ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
		if !ok || r >= len(ret.Results) {
			continue
		}
		if dominatedByAny(b, nilBlocks) {
			continue
		}
		returns++
		v := unconvert(ret.Results[r])
		if v == param {
			continue
		}
		if load, ok := v.(*ssa.UnOp); ok && load.Op == token.MUL {
			// A parameter captured by a closure lives in a cell.
			cell, ok := load.X.(*ssa.Alloc)
			if !ok || !cellHoldsParam(cell, param, nilBlocks) {
				return false
			}
			continue
		}
		phi, ok := v.(*ssa.Phi)
		if !ok {
			return false
		}
		for i, e := range phi.Edges {
			if unconvert(e) == param || dominatedByAny(phi.Block().Preds[i], nilBlocks) {
				continue
			}
			return false
		}
	}
	return returns > 0
}

// nilSuccessors returns the blocks entered only when param == nil.
func nilSuccessors(f *ssa.Function, param ssa.Value) []*ssa.BasicBlock {
	var out []*ssa.BasicBlock
	for _, b := range f.Blocks {
		ifi, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If)
		if !ok {
			continue
		}
		cond, ok := ifi.Cond.(*ssa.BinOp)
		if !ok || (cond.Op != token.EQL && cond.Op != token.NEQ) {
			continue
		}
		if !(isParamValue(cond.X, param) && isNil(cond.Y)) && !(isParamValue(cond.Y, param) && isNil(cond.X)) {
			continue
		}
		s := b.Succs[0] // then: param == nil for ==
		if cond.Op == token.NEQ {
			s = b.Succs[1]
		}
		if len(s.Preds) == 1 {
			out = append(out, s)
		}
	}
	return out
}

func dominatedByAny(b *ssa.BasicBlock, doms []*ssa.BasicBlock) bool {
	for _, d := range doms {
		if d.Dominates(b) {
			return true
		}
	}
	return false
}

// nonNilByConstruction reports whether v is certainly not nil: the address
// of a value built here (&T{…}), directly or through a variable assigned
// once.
func nonNilByConstruction(v ssa.Value) bool {
	v = seeThrough(v)
	switch x := v.(type) {
	case *ssa.Alloc:
		return true
	case *ssa.UnOp:
		cell, ok := x.X.(*ssa.Alloc)
		if !ok || x.Op != token.MUL {
			return false
		}
		var stored ssa.Value
		for _, r := range *cell.Referrers() {
			if st, ok := r.(*ssa.Store); ok && st.Addr == cell {
				if stored != nil {
					return false
				}
				stored = st.Val
			}
		}
		_, isAlloc := seeThrough(stored).(*ssa.Alloc)
		return isAlloc
	}
	return false
}

// cellHoldsParam reports whether every store into cell stores param, or
// happens where param was found nil.
func cellHoldsParam(cell *ssa.Alloc, param ssa.Value, nilBlocks []*ssa.BasicBlock) bool {
	stores := 0
	for _, r := range *cell.Referrers() {
		st, ok := r.(*ssa.Store)
		if !ok || st.Addr != cell {
			continue
		}
		stores++
		if unconvert(st.Val) != param && !dominatedByAny(st.Block(), nilBlocks) {
			return false
		}
	}
	return stores > 0
}

// isParamValue reports whether v is param, or param read back from the
// cell it was spilled to (a parameter a closure captures).
func isParamValue(v, param ssa.Value) bool {
	if v == param {
		return true
	}
	load, ok := v.(*ssa.UnOp)
	if !ok || load.Op != token.MUL {
		return false
	}
	cell, ok := load.X.(*ssa.Alloc)
	if !ok {
		return false
	}
	if st := lastStoreBefore(load, cell); st != nil {
		return unconvert(st.Val) == param
	}
	return false
}
