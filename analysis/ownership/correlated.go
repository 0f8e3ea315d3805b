package ownership

import (
	"go/token"

	"golang.org/x/tools/go/ssa"
)

// A condition that a function tests more than once has the same outcome
// each time on one path:
//
//	nc, err := nats.Connect(url)
//	if expectedOk {
//		defer nc.Close()
//		…
//	} else if !expectedOk && err == nil {
//		nc.Close()
//	}
//
// The path that skips the first branch and then fails `!expectedOk` cannot
// happen. The walker carries, along each path, the outcomes of such
// conditions (at most maxCorrelated per function) and prunes the edges that
// contradict them.

const maxCorrelated = 32

// pathFacts holds the known outcomes of the correlated conditions on one
// path: bit i of known says that condition i was tested, bit i of val
// whether it held.
type pathFacts struct{ known, val uint32 }

// visit is a block reached with some path facts.
type visit struct {
	b *ssa.BasicBlock
	f pathFacts
}

// baseCond strips negations from an If condition: it returns the value
// tested and whether the condition holds when that value is false.
func baseCond(v ssa.Value) (ssa.Value, bool) {
	neg := false
	for {
		u, ok := v.(*ssa.UnOp)
		if !ok || u.Op != token.NOT {
			return v, neg
		}
		v, neg = u.X, !neg
	}
}

// correlated returns correlatedConds(fn), computed once per function: every
// acquisition and parameter followed in fn needs it.
func (m *Model) correlated(fn *ssa.Function) map[ssa.Value]int {
	m.mu.Lock()
	defer m.mu.Unlock()
	if c, ok := m.corr[fn]; ok {
		return c
	}
	c := correlatedConds(fn)
	if m.corr == nil {
		m.corr = map[*ssa.Function]map[ssa.Value]int{}
	}
	m.corr[fn] = c
	return c
}

// lastIf returns the If that ends block b, or nil.
func lastIf(b *ssa.BasicBlock) *ssa.If {
	if len(b.Instrs) == 0 {
		return nil
	}
	ifInstr, _ := b.Instrs[len(b.Instrs)-1].(*ssa.If)
	return ifInstr
}

// correlatedConds returns the boolean values that the function's If
// instructions test more than once (directly or negated), numbered in
// block order.
func correlatedConds(fn *ssa.Function) map[ssa.Value]int {
	var tested []ssa.Value
	count := map[ssa.Value]int{}
	for _, b := range fn.Blocks {
		if ifInstr := lastIf(b); ifInstr != nil {
			v, _ := baseCond(ifInstr.Cond)
			tested = append(tested, v)
			count[v]++
		}
	}
	var idx map[ssa.Value]int
	for _, v := range tested {
		if _, seen := idx[v]; seen || count[v] < 2 {
			continue
		}
		if _, isConst := v.(*ssa.Const); isConst {
			continue
		}
		if idx == nil {
			idx = map[ssa.Value]int{}
		}
		if len(idx) == maxCorrelated {
			break
		}
		idx[v] = len(idx)
	}
	return idx
}

// correlate filters the successors the walker chose at an If by the path
// facts, and records the outcome each successor implies.
func (w *walker) correlate(ifInstr *ssa.If, succs []*ssa.BasicBlock, f pathFacts) []visit {
	v, neg := baseCond(ifInstr.Cond)
	i, tracked := w.corr[v]
	out := make([]visit, 0, len(succs))
	for _, s := range succs {
		if !tracked {
			out = append(out, visit{s, f})
			continue
		}
		holds := s == ifInstr.Block().Succs[0] // the then edge
		if ifInstr.Block().Succs[0] == ifInstr.Block().Succs[1] {
			out = append(out, visit{s, f})
			continue
		}
		val := holds != neg // the tested value on this edge
		bit := uint32(1) << i
		if f.known&bit != 0 {
			if (f.val&bit != 0) != val {
				continue // contradicts an earlier test on this path
			}
			out = append(out, visit{s, f})
			continue
		}
		nf := pathFacts{known: f.known | bit, val: f.val}
		if val {
			nf.val |= bit
		}
		out = append(out, visit{s, nf})
	}
	return out
}
