package ownership

import (
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/resource"
)

// A value can hold resources without its constructor acquiring any: a
// connection pool built empty dials on demand and keeps what it dialled in
// its fields, and its Close closes them. Such a type is recognised by two
// of its methods' summaries: one stores a resource in the receiver
// (FillsReceiver), and its release method releases what the receiver
// holds. A call of its constructor acquires it where the caller also calls
// a filling method on the result; a value the caller never fills holds
// nothing there.

// fillsReceiver reports whether method f stores a resource in a place
// reached from its receiver: a field, an element of a slice field or an
// entry of a map field. Storing nil is not filling.
func (m *Model) fillsReceiver(f *ssa.Function) bool {
	if f.Signature.Recv() == nil || len(f.Params) == 0 || f.Blocks == nil {
		return false
	}
	derived := map[ssa.Value]bool{f.Params[0]: true}
	deriveReads(f, derived)
	for _, b := range f.Blocks {
		for _, instr := range b.Instrs {
			switch x := instr.(type) {
			case *ssa.Store:
				// p.idle = p.idle[:n-1] moves what is there already.
				if derived[x.Addr] && !derived[x.Val] && !isNil(x.Val) && m.holdsResource(x.Val.Type()) {
					return true
				}
			case *ssa.MapUpdate:
				if derived[x.Map] && !isNil(x.Value) && m.holdsResource(x.Value.Type()) {
					return true
				}
			}
		}
	}
	return false
}

// keptParams returns the parameters (receiver excluded) method f keeps in
// a place reached from its receiver, whatever their type (KeepsParams).
func (m *Model) keptParams(f *ssa.Function) []int {
	if f.Signature.Recv() == nil || len(f.Params) < 2 || f.Blocks == nil {
		return nil
	}
	derived := map[ssa.Value]bool{f.Params[0]: true}
	deriveReads(f, derived)
	var out []int
	for i, p := range f.Params[1:] {
		if m.keptIn(p, derived) {
			out = append(out, i+1)
		}
	}
	return out
}

// keptIn reports whether v is stored in a place derived marks, or given
// to a method of such a place that keeps it.
func (m *Model) keptIn(v ssa.Value, derived map[ssa.Value]bool) bool {
	if v.Referrers() == nil {
		return false
	}
	for _, r := range *v.Referrers() {
		switch x := r.(type) {
		case *ssa.Store:
			if x.Val == v && derived[x.Addr] {
				return true
			}
		case *ssa.MapUpdate:
			if (x.Key == v || x.Value == v) && derived[x.Map] {
				return true
			}
		case *ssa.MakeInterface, *ssa.ChangeType:
			if m.keptIn(x.(ssa.Value), derived) {
				return true
			}
		case ssa.CallInstruction:
			c := x.Common()
			callee := c.StaticCallee()
			if callee == nil || callee.Signature.Recv() == nil || len(c.Args) < 2 || !derived[c.Args[0]] {
				continue
			}
			s, known := m.calleeSummary(callee)
			if !known || s == nil {
				continue
			}
			for j, a := range c.Args[1:] {
				if a == v && contains(s.KeepsParams, j+1) {
					return true
				}
			}
		}
	}
	return false
}

// declaresGenericKeepers reports whether the package declares a method of
// a generic type that takes a value of one of the type's parameters (a
// set's Add): callers in other packages learn from its summary whether it
// keeps what it is given.
func (m *Model) declaresGenericKeepers() bool {
	return m.anyDeclared(func(sig *types.Signature) bool {
		if sig.Recv() == nil || sig.RecvTypeParams().Len() == 0 {
			return false
		}
		for i := 0; i < sig.Params().Len(); i++ {
			if _, ok := types.Unalias(sig.Params().At(i).Type()).(*types.TypeParam); ok {
				return true
			}
		}
		return false
	})
}

// holdsResource reports whether a value of type t is a resource, or a
// slice, array or map of them.
func (m *Model) holdsResource(t types.Type) bool {
	switch u := types.Unalias(t).Underlying().(type) {
	case *types.Slice:
		t = u.Elem()
	case *types.Array:
		t = u.Elem()
	case *types.Map:
		t = u.Elem()
	}
	k := m.paramKind(t)
	return k != nil && k != resource.Cancel
}

// lazyHolder reports whether values of type t are released by t's release
// method for kind k (releaseSummary) and filled by one of their own methods.
func (m *Model) lazyHolder(prog *ssa.Program, t types.Type, k *resource.Kind) bool {
	n := resource.NamedOf(t)
	if n == nil || n.Obj().Pkg() == nil || resource.IsStd(n.Obj().Pkg().Path()) {
		return false
	}
	if rs := m.releaseSummary(t, k); rs == nil || !rs.ReleasesReceiver {
		return false
	}
	ms := prog.MethodSets.MethodSet(types.NewPointer(n))
	for i := 0; i < ms.Len(); i++ {
		if fn := prog.MethodValue(ms.At(i)); fn != nil {
			if s, known := m.calleeSummary(fn); known && s != nil && s.FillsReceiver {
				return true
			}
		}
	}
	return false
}

// fillCalls returns the calls on v itself of a method that fills its
// receiver.
func (m *Model) fillCalls(v ssa.Value) []ssa.Instruction {
	if v == nil || v.Referrers() == nil {
		return nil
	}
	var fills []ssa.Instruction
	for _, r := range *v.Referrers() {
		ci, ok := r.(ssa.CallInstruction)
		if !ok {
			continue
		}
		c := ci.Common()
		callee := c.StaticCallee()
		if callee == nil || callee.Signature.Recv() == nil || len(c.Args) == 0 || c.Args[0] != v {
			continue
		}
		if s, known := m.calleeSummary(callee); known && s != nil && s.FillsReceiver {
			fills = append(fills, r)
		}
	}
	return fills
}

// filledBefore reports whether one of the fill calls runs before instr on
// every path to it (for a value without fill calls: always).
func filledBefore(fills []ssa.Instruction, instr ssa.Instruction) bool {
	if fills == nil {
		return true
	}
	for _, f := range fills {
		if before(f, instr) {
			return true
		}
	}
	return false
}
