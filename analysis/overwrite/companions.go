package overwrite

import (
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// Fields set together: a slot that is only ever filled in a block that
// also fills another field of the same value, a field that nothing sets
// back to nil, is empty wherever that other field is nil:
//
//	func (q *Queue) init() {
//		if q.ctx == nil {
//			q.ctx, q.cancel = context.WithCancel(context.Background())
//		}
//	}
//
// On the q.ctx == nil edge, q.cancel holds nothing. Only unexported fields
// count: no other package can set them.

// findCompanions returns, for each field G, the scalar slots that are
// filled only together with G.
func findCompanions(fns []*ssa.Function, pkg *types.Package, slots map[*types.Var]*slot) map[*types.Var][]*types.Var {
	type fill struct {
		b    *ssa.BasicBlock
		base ssa.Value
	}
	fills := map[*types.Var][]fill{}
	reset := map[*types.Var]bool{}
	for _, fn := range fns {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				st, ok := instr.(*ssa.Store)
				if !ok {
					continue
				}
				fa, ok := st.Addr.(*ssa.FieldAddr)
				if !ok {
					continue
				}
				v := slotVar(fa, pkg)
				if v == nil || v.Exported() {
					continue
				}
				if isNilConst(st.Val) {
					reset[v] = true
					continue
				}
				fills[v] = append(fills[v], fill{b, fa.X})
			}
		}
	}
	// fieldsFilled returns the fields filled in block b on base.
	fieldsFilled := func(b *ssa.BasicBlock, base ssa.Value) map[*types.Var]bool {
		out := map[*types.Var]bool{}
		for _, instr := range b.Instrs {
			if st, ok := instr.(*ssa.Store); ok && !isNilConst(st.Val) {
				if fa, ok := st.Addr.(*ssa.FieldAddr); ok && fa.X == base {
					if v := slotVar(fa, pkg); v != nil {
						out[v] = true
					}
				}
			}
		}
		return out
	}
	out := map[*types.Var][]*types.Var{}
	for f, sl := range slots {
		if sl.container || f.Exported() || len(fills[f]) == 0 {
			continue
		}
		var common map[*types.Var]bool
		for _, fl := range fills[f] {
			here := fieldsFilled(fl.b, fl.base)
			if common == nil {
				common = here
				continue
			}
			for g := range common {
				if !here[g] {
					delete(common, g)
				}
			}
		}
		for g := range common {
			if g != f && !reset[g] && !g.Exported() {
				out[g] = append(out[g], f)
			}
		}
	}
	return out
}

// fieldIndex returns the index of field v in the struct ptr points to.
func fieldIndex(ptr types.Type, v *types.Var) int {
	st, ok := deref(ptr).Underlying().(*types.Struct)
	if !ok {
		return -1
	}
	for i := 0; i < st.NumFields(); i++ {
		if st.Field(i) == v {
			return i
		}
	}
	return -1
}
