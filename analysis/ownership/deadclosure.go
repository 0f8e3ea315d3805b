package ownership

import "golang.org/x/tools/go/ssa"

// A function literal that is created only after a call that never returns
// (t.SkipNow(), log.Fatal) is never created: its acquisitions never happen.
//
//	func TestPerf(t *testing.T) {
//		t.SkipNow()
//		run(t, func(t *testing.T) { o := open(); … })
//	}

// neverCreated reports whether every place that creates the function
// literal f comes after a call in the same block that does not return. A
// literal is created by the function around it; where the SSA form left no
// place that creates it (the code after a call known not to return is not
// built), it is never created either.
func (m *Model) neverCreated(f *ssa.Function) bool {
	parent := f.Parent()
	if parent == nil || len(parent.Blocks) == 0 {
		return false
	}
	sites := 0
	for _, b := range parent.Blocks {
		for i, instr := range b.Instrs {
			if !creates(instr, f) {
				continue
			}
			sites++
			if !m.afterNoReturn(b, i) {
				return false
			}
		}
	}
	return true
}

// creates reports whether instr makes a closure of f or uses f as a value.
func creates(instr ssa.Instruction, f *ssa.Function) bool {
	if mc, ok := instr.(*ssa.MakeClosure); ok {
		return mc.Fn == f
	}
	var ops [8]*ssa.Value
	for _, op := range instr.Operands(ops[:0]) {
		if op != nil && *op == f {
			return true
		}
	}
	return false
}

// afterNoReturn reports whether an instruction before index i of block b
// is a call that never returns.
func (m *Model) afterNoReturn(b *ssa.BasicBlock, i int) bool {
	for _, instr := range b.Instrs[:i] {
		call, ok := instr.(*ssa.Call)
		if !ok {
			continue
		}
		c := &call.Call
		if c.IsInvoke() {
			if isNoReturnMethod(c.Method) {
				return true
			}
			continue
		}
		callee := c.StaticCallee()
		if callee == nil {
			continue
		}
		if noReturn(callee) {
			return true
		}
		if s, known := m.calleeSummary(callee); known && s != nil && s.NoReturn {
			return true
		}
	}
	return false
}
