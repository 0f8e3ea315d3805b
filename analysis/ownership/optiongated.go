package ownership

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// A constructor with functional options may start its goroutine only when
// an option asks for it:
//
//	func New(fs FS, opts ...Option) *Matcher {
//		m := &Matcher{fs: fs, stop: make(chan struct{})}
//		for _, opt := range opts {
//			opt(m)
//		}
//		if m.withCache {
//			go m.clean()
//		}
//		return m
//	}
//
// withCache is zero in the new value and only the options can set it, so a
// call that passes no options (New(fs)) starts nothing: its result holds
// nothing to release. A call with options may start it and is a resource
// as before.

// goroutinesNeedOptions reports whether every go statement of f is reached
// only through a test of a bool field of a value f allocates that only the
// variadic options can set, and on the edge where that field is true.
func goroutinesNeedOptions(f *ssa.Function) bool {
	sig := f.Signature
	if !sig.Variadic() || len(f.Params) == 0 {
		return false
	}
	for _, anon := range f.AnonFuncs {
		if startsGoroutine(anon) {
			return false // a goroutine in a closure: not followed
		}
	}
	opts := f.Params[len(f.Params)-1]
	// The edges never taken where no option was passed.
	cut := map[*ssa.BasicBlock]*ssa.BasicBlock{}
	for _, b := range f.Blocks {
		ifInstr := lastIf(b)
		if ifInstr == nil {
			continue
		}
		v, neg := baseCond(ifInstr.Cond)
		load, ok := v.(*ssa.UnOp)
		if !ok || load.Op != token.MUL {
			continue
		}
		fa, ok := load.X.(*ssa.FieldAddr)
		if !ok {
			continue
		}
		if bt, ok := fa.Type().(*types.Pointer).Elem().Underlying().(*types.Basic); !ok || bt.Kind() != types.Bool {
			continue
		}
		alloc, ok := fa.X.(*ssa.Alloc)
		if !ok || !onlyOptionsSet(alloc, fa.Field, opts) {
			continue
		}
		// The field is false: the then edge is taken only if negated.
		if neg {
			cut[b] = b.Succs[1]
		} else {
			cut[b] = b.Succs[0]
		}
	}
	if len(cut) == 0 {
		return false
	}
	seen := map[*ssa.BasicBlock]bool{f.Blocks[0]: true}
	stack := []*ssa.BasicBlock{f.Blocks[0]}
	for len(stack) > 0 {
		b := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, instr := range b.Instrs {
			if _, ok := instr.(*ssa.Go); ok {
				return false
			}
		}
		for _, s := range b.Succs {
			if cut[b] == s || seen[s] {
				continue
			}
			seen[s] = true
			stack = append(stack, s)
		}
	}
	return true
}

// onlyOptionsSet reports whether field of the fresh value alloc is zero
// unless an option function taken from opts sets it: f stores to it
// nowhere, and alloc is handed to no call but those of the options.
func onlyOptionsSet(alloc *ssa.Alloc, field int, opts *ssa.Parameter) bool {
	for _, r := range *alloc.Referrers() {
		switch r := r.(type) {
		case *ssa.FieldAddr:
			if r.Field != field {
				continue
			}
			for _, rr := range *r.Referrers() {
				if st, ok := rr.(*ssa.Store); ok && st.Addr == r {
					return false
				}
				if _, ok := rr.(*ssa.UnOp); !ok {
					return false // the field's address escapes
				}
			}
		case *ssa.Call:
			if !fromOptions(r.Call.Value, opts) || r.Call.IsInvoke() {
				return false
			}
		case *ssa.Go, *ssa.Return, *ssa.DebugRef:
			// The goroutine being decided on, the result.
		case *ssa.Store:
			if r.Val == alloc {
				return false // stored somewhere: others may set it
			}
		default:
			return false
		}
	}
	return true
}

// fromOptions reports whether fn is an element of the options slice.
func fromOptions(fn ssa.Value, opts *ssa.Parameter) bool {
	load, ok := fn.(*ssa.UnOp)
	if !ok || load.Op != token.MUL {
		return false
	}
	ia, ok := load.X.(*ssa.IndexAddr)
	return ok && ia.X == opts
}

// noOptions reports whether a call to a variadic function passes nothing
// for its variadic parameter.
func noOptions(c *ssa.CallCommon) bool {
	if !c.Signature().Variadic() || len(c.Args) == 0 {
		return false
	}
	k, ok := c.Args[len(c.Args)-1].(*ssa.Const)
	return ok && k.IsNil()
}
