package ownership

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// A constructor may acquire only when its configuration asks for it:
//
//	if cfg.Bus != nil {
//		l.client = cfg.Bus.Client("logger")
//	}
//
// A caller that passes a configuration whose field is nil (conf.Bus = nil,
// or a literal that leaves it out) gets a value that holds nothing.

// FieldGate names the struct parameter field whose being non-nil every
// acquisition of a function depends on.
type FieldGate struct {
	Param int // index of the parameter (receiver excluded)
	Field int // index of the field in the parameter's struct type
}

// fieldGate returns the gate of f's acquisitions: every one lies past the
// edge on which field Field of struct parameter Param is not nil, f starts
// no goroutine, takes over no parameter and returns no resource of its
// own making. Nil when there is no such single gate.
func (m *Model) fieldGate(f *ssa.Function, s *Summary) *FieldGate {
	acqs := m.acquisitions(f)
	if len(acqs) == 0 || len(s.Fresh) > 0 || len(s.Consumes) > 0 || startsGoroutine(f) || f.Signature.Recv() != nil {
		return nil
	}
	var gate *FieldGate
	for _, b := range f.Blocks {
		ifInstr := lastIf(b)
		if ifInstr == nil {
			continue
		}
		g, nonNil, ok := paramFieldNilTest(f, ifInstr.Cond)
		if !ok {
			continue
		}
		succ := b.Succs[1]
		if nonNil {
			succ = b.Succs[0]
		}
		if len(succ.Preds) != 1 {
			continue
		}
		all := true
		for _, a := range acqs {
			if a.Call.Parent() != f || !succ.Dominates(a.Call.Block()) {
				all = false
				break
			}
		}
		if all {
			gate = &g
			break
		}
	}
	if gate == nil || storesParamField(f, *gate) {
		return nil
	}
	return gate
}

// paramFieldNilTest matches cond against p.F != nil (nonNil) or p.F == nil
// where p is a struct parameter of f (read directly or from the variable
// it was spilled to).
func paramFieldNilTest(f *ssa.Function, cond ssa.Value) (g FieldGate, nonNil bool, ok bool) {
	bin, isBin := cond.(*ssa.BinOp)
	if !isBin || (bin.Op != token.EQL && bin.Op != token.NEQ) {
		return g, false, false
	}
	x := bin.X
	if isNil(x) {
		x = bin.Y
	} else if !isNil(bin.Y) {
		return g, false, false
	}
	param, field, found := paramField(f, x)
	if !found {
		return g, false, false
	}
	return FieldGate{Param: param, Field: field}, bin.Op == token.NEQ, true
}

// paramField reports which field of which struct parameter v reads:
// p.F on the parameter itself, or *(&p.F) on the variable p was spilled
// to.
func paramField(f *ssa.Function, v ssa.Value) (param, field int, ok bool) {
	var base ssa.Value
	switch x := v.(type) {
	case *ssa.Field:
		base, field = x.X, x.Field
	case *ssa.UnOp:
		fa, isFA := x.X.(*ssa.FieldAddr)
		if x.Op != token.MUL || !isFA {
			return 0, 0, false
		}
		base, field = spilledParam(fa.X), fa.Field
	default:
		return 0, 0, false
	}
	for i, p := range f.Params {
		if p == base {
			if _, isStruct := p.Type().Underlying().(*types.Struct); isStruct {
				return i, field, true
			}
		}
	}
	return 0, 0, false
}

// spilledParam returns the parameter whose variable addr is (a struct
// parameter whose fields the function assigns lives in a local), or addr.
func spilledParam(addr ssa.Value) ssa.Value {
	alloc, ok := addr.(*ssa.Alloc)
	if !ok {
		return addr
	}
	for _, r := range *alloc.Referrers() {
		if st, ok := r.(*ssa.Store); ok && st.Addr == alloc {
			if p, ok := st.Val.(*ssa.Parameter); ok {
				return p
			}
		}
	}
	return addr
}

// storesParamField reports whether f assigns the gate's field of its
// parameter's variable: the test would then not see the caller's value.
func storesParamField(f *ssa.Function, g FieldGate) bool {
	for _, b := range f.Blocks {
		for _, instr := range b.Instrs {
			st, ok := instr.(*ssa.Store)
			if !ok {
				continue
			}
			fa, ok := st.Addr.(*ssa.FieldAddr)
			if !ok || fa.Field != g.Field {
				continue
			}
			if p, ok := spilledParam(fa.X).(*ssa.Parameter); ok && g.Param < len(f.Params) && f.Params[g.Param] == p {
				return true
			}
		}
	}
	return false
}

// gateClosed reports whether the call passes, for the gate's parameter, a
// struct whose gating field is nil: a variable whose only assignment to
// that field stores nil before the call, or a literal that leaves it out.
func gateClosed(c *ssa.CallCommon, g *FieldGate) bool {
	// Gates are found on functions only (fieldGate), so the argument
	// index is the parameter's.
	if g.Param >= len(c.Args) {
		return false
	}
	arg := c.Args[g.Param]
	if k, ok := arg.(*ssa.Const); ok {
		return k.Value == nil // the zero struct
	}
	load, ok := arg.(*ssa.UnOp)
	if !ok || load.Op != token.MUL {
		return false
	}
	alloc, ok := load.X.(*ssa.Alloc)
	if !ok {
		return false
	}
	var fieldStore *ssa.Store
	wholeStores := 0
	for _, r := range *alloc.Referrers() {
		switch x := r.(type) {
		case *ssa.Store:
			if x.Addr != alloc {
				return false // its address is stored somewhere
			}
			wholeStores++
		case *ssa.FieldAddr:
			if x.Field != g.Field {
				continue
			}
			for _, rr := range *x.Referrers() {
				st, ok := rr.(*ssa.Store)
				if !ok {
					continue
				}
				if st.Addr != x || fieldStore != nil {
					return false // its address escapes, or assigned twice
				}
				fieldStore = st
			}
		case *ssa.UnOp, *ssa.DebugRef:
		default:
			return false // its address escapes (a call, a closure)
		}
	}
	if fieldStore == nil {
		// A literal leaves the field out; a copy of something else may
		// not.
		return wholeStores == 0
	}
	if k, ok := fieldStore.Val.(*ssa.Const); !ok || !k.IsNil() || !storedBefore(alloc, fieldStore) {
		return false
	}
	return before(fieldStore, load)
}

// storedBefore reports whether every whole-value store into alloc (the
// spill of a parameter) runs before st on every path to it.
func storedBefore(alloc *ssa.Alloc, st *ssa.Store) bool {
	for _, r := range *alloc.Referrers() {
		if whole, ok := r.(*ssa.Store); ok && whole.Addr == alloc && !before(whole, st) {
			return false
		}
	}
	return true
}
