package overwrite

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/ownership"
	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/resource"
)

// A slot is a struct field or package-level variable of the package that
// some function stores an owned resource into: the field itself (scalar) or
// the map or slice it holds (container).
type slot struct {
	obj *types.Var
	// typ is the static type of what is released: the field's type, or
	// the element type of a container.
	typ  types.Type
	kind *resource.Kind
	// container is set for a map or slice of resources; isMap for a map.
	container, isMap bool
	// acquired is the position of one acquisition stored into the slot.
	acquired token.Pos
	callee   string
}

// findSlots returns the slots of the package: every field (of a struct type
// declared in the package) or package variable into which some function
// stores the value of an acquisition, whose static type can release it.
// A store of a value that a call also takes over (a transport built on the
// connection, a goroutine that closes it) does not count: the field or
// container keeps a borrowed copy, and its owner releases it.
func (c *checker) findSlots() map[*types.Var]*slot {
	slots := map[*types.Var]*slot{}
	m := c.model
	pkg := c.pkg
	add := func(obj *types.Var, container bool, a *ownership.Acquisition) {
		if _, ok := slots[obj]; ok {
			return
		}
		if sl := newSlot(c.table, obj, container, a); sl != nil && !c.takenOver(a.Value, sl, map[ssa.Value]bool{}) {
			slots[obj] = sl
		}
	}
	for _, fn := range m.Functions() {
		acqs := m.Acquisitions(fn)
		if len(acqs) == 0 {
			continue
		}
		byValue := map[ssa.Value]*ownership.Acquisition{}
		for _, a := range acqs {
			if a.Value != nil && a.Result >= 0 {
				byValue[a.Value] = a
			}
		}
		acqOf := func(v ssa.Value) *ownership.Acquisition { return byValue[strip(v)] }
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				switch in := instr.(type) {
				case *ssa.Store:
					a := acqOf(in.Val)
					if a == nil {
						continue
					}
					if obj := slotVar(in.Addr, pkg); obj != nil {
						add(obj, false, a)
						continue
					}
					// s.conns[i] = c, or append(s.conns, c)'s variadic array.
					if ia, ok := in.Addr.(*ssa.IndexAddr); ok {
						if obj := containerVar(ia.X, pkg); obj != nil {
							add(obj, true, a)
						} else if obj := appendedTo(ia.X, pkg); obj != nil {
							add(obj, true, a)
						}
					}
				case *ssa.MapUpdate:
					a := acqOf(in.Value)
					if a == nil {
						continue
					}
					if obj := containerVar(in.Map, pkg); obj != nil {
						add(obj, true, a)
					}
				}
			}
		}
	}
	return slots
}

// newSlot returns the slot of obj when its static type (the element type of
// a container) can release what a was acquired as, or nil.
func newSlot(table *resource.Table, obj *types.Var, container bool, a *ownership.Acquisition) *slot {
	typ := obj.Type()
	isMap := false
	if container {
		switch u := typ.Underlying().(type) {
		case *types.Map:
			typ, isMap = u.Elem(), true
		case *types.Slice:
			typ = u.Elem()
		default:
			return nil
		}
	}
	kind := table.KindOfType(typ)
	if kind == nil && a.Kind != nil && a.Kind.Func {
		if sig, ok := typ.Underlying().(*types.Signature); ok && sig.Params().Len() == 0 {
			kind = a.Kind
		}
	}
	if kind == nil || !nillable(typ) {
		return nil
	}
	return &slot{obj: obj, typ: typ, kind: kind, container: container, isMap: isMap, acquired: a.Pos, callee: a.Callee}
}

// slotVar returns the field or package variable addressed by addr when it
// belongs to pkg.
func slotVar(addr ssa.Value, pkg *types.Package) *types.Var {
	switch a := addr.(type) {
	case *ssa.Global:
		if v, ok := a.Object().(*types.Var); ok && v.Pkg() == pkg {
			return v
		}
	case *ssa.FieldAddr:
		st, ok := deref(a.X.Type()).Underlying().(*types.Struct)
		if !ok {
			return nil
		}
		if f := st.Field(a.Field); f.Pkg() == pkg {
			return f
		}
	}
	return nil
}

// containerVar returns the slot variable a container value was loaded from
// (the map or slice held in a field or package variable).
func containerVar(v ssa.Value, pkg *types.Package) *types.Var {
	if ld, ok := v.(*ssa.UnOp); ok && ld.Op == token.MUL {
		return slotVar(ld.X, pkg)
	}
	return nil
}

// appendedTo returns the slot of s.conns = append(s.conns, arr[:]...) where
// arr is the variadic array x belongs to.
func appendedTo(x ssa.Value, pkg *types.Package) *types.Var {
	alloc, ok := x.(*ssa.Alloc)
	if !ok {
		return nil
	}
	for _, r := range *alloc.Referrers() {
		sl, ok := r.(*ssa.Slice)
		if !ok {
			continue
		}
		for _, r2 := range *sl.Referrers() {
			call, ok := r2.(*ssa.Call)
			if !ok {
				continue
			}
			if b, ok := call.Call.Value.(*ssa.Builtin); !ok || b.Name() != "append" {
				continue
			}
			for _, r3 := range *call.Referrers() {
				if st, ok := r3.(*ssa.Store); ok && st.Val == call {
					if obj := slotVar(st.Addr, pkg); obj != nil {
						return obj
					}
				}
			}
		}
	}
	return nil
}

// strip removes conversions that keep the identity of a value.
func strip(v ssa.Value) ssa.Value {
	for {
		switch c := v.(type) {
		case *ssa.MakeInterface:
			v = c.X
		case *ssa.ChangeInterface:
			v = c.X
		case *ssa.ChangeType:
			v = c.X
		default:
			return v
		}
	}
}

func deref(t types.Type) types.Type {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		return p.Elem()
	}
	return t
}

// nillable reports whether a value of type t can be nil.
func nillable(t types.Type) bool {
	switch t.Underlying().(type) {
	case *types.Pointer, *types.Interface, *types.Signature, *types.Map, *types.Chan, *types.Slice:
		return true
	}
	return false
}
