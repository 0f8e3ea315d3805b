package ownership

import (
	"golang.org/x/tools/go/ssa"
)

// A goroutine whose function literal uses the resource (go func() {
// io.Copy(w, f) }()) while the function that started it returns without
// waiting: releasing the resource in that function, with a defer or
// before a return, would cut the goroutine's work short. The release
// belongs at the end of the goroutine.

// noteGoroutineUse records a go statement whose closure uses the resource.
func (w *walker) noteGoroutineUse(g *ssa.Go) {
	mc, ok := g.Call.Value.(*ssa.MakeClosure)
	if !ok {
		return
	}
	fn, ok := mc.Fn.(*ssa.Function)
	if !ok {
		return
	}
	for _, h := range w.a.HeldBy {
		if h.Go == g {
			return
		}
	}
	w.a.HeldBy = append(w.a.HeldBy, GoroutineUse{Go: g, Fn: fn, UsedAfter: w.usedAfter(g)})
}

// usedAfter reports whether an instruction reachable from g (other than g
// itself) has the resource, an alias of it or its variable as an operand.
func (w *walker) usedAfter(g *ssa.Go) bool {
	uses := func(instr ssa.Instruction) bool {
		switch instr.(type) {
		case *ssa.Go, *ssa.MakeClosure:
			// g itself, or another goroutine: not the function's
			// own use.
			return false
		}
		for _, op := range instr.Operands(nil) {
			if op == nil || *op == nil {
				continue
			}
			if w.vals[*op] != classNone || w.cells[*op] != classNone {
				return true
			}
		}
		return false
	}
	start := g.Block()
	after := false
	for _, instr := range start.Instrs {
		if after && uses(instr) {
			return true
		}
		after = after || instr == ssa.Instruction(g)
	}
	seen := map[*ssa.BasicBlock]bool{}
	stack := append([]*ssa.BasicBlock(nil), start.Succs...)
	for len(stack) > 0 {
		b := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[b] {
			continue
		}
		seen[b] = true
		for _, instr := range b.Instrs {
			if uses(instr) {
				return true
			}
		}
		stack = append(stack, b.Succs...)
	}
	return false
}
