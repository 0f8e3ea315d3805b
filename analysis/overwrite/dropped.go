package overwrite

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// goroutinePath is the path of the pseudo-place that records a goroutine
// started on a value the function allocated (go p.loop()).
const goroutinePath = "#go"

// localAlloc returns the allocation v is, when it is a value the function
// made and that does not escape it other than by being returned, having its
// methods called, or running them in a goroutine.
func (f *flow) localAlloc(v ssa.Value) *ssa.Alloc {
	a, ok := v.(*ssa.Alloc)
	if !ok || a.Parent() != f.fn {
		return nil
	}
	if _, ok := deref(a.Type()).Underlying().(*types.Struct); !ok {
		return nil // the cell of a captured variable, an array
	}
	if esc, ok := f.c.escapes[a]; ok {
		if esc {
			return nil
		}
		return a
	}
	esc := f.c.allocEscapes(a)
	f.c.escapes[a] = esc
	if esc {
		return nil
	}
	return a
}

func (c *checker) allocEscapes(a *ssa.Alloc) bool {
	for _, r := range *a.Referrers() {
		switch u := r.(type) {
		case *ssa.FieldAddr, *ssa.Return, *ssa.DebugRef:
		case *ssa.UnOp:
			// a copy of a struct value, only returned
			if u.Op != token.MUL {
				return true
			}
			for _, r2 := range *u.Referrers() {
				if _, ok := r2.(*ssa.Return); !ok {
					return true
				}
			}
		case *ssa.Store:
			if u.Val == a {
				return true
			}
		case *ssa.MakeClosure:
			// go func() { … p … }() starts a goroutine on p; any other
			// closure may keep it.
			refs := u.Referrers()
			if refs == nil || len(*refs) != 1 {
				return true
			}
			if g, ok := (*refs)[0].(*ssa.Go); !ok || g.Call.Value != u {
				return true
			}
		case ssa.CallInstruction:
			common := u.Common()
			callee := common.StaticCallee()
			if callee == nil || common.IsInvoke() {
				return true
			}
			for i, arg := range common.Args {
				if arg != a {
					continue
				}
				if i == 0 && callee.Signature.Recv() != nil {
					if c.releasesReceiver(callee, a) {
						continue
					}
					if _, isGo := u.(*ssa.Go); isGo {
						continue
					}
					if sum := c.model.CalleeSummary(callee); sum == nil || !sum.ConsumesParam(0) {
						continue
					}
				}
				return true
			}
		default:
			return true
		}
	}
	return false
}

// releasesReceiver reports whether calling method callee on v releases v.
func (c *checker) releasesReceiver(callee *ssa.Function, v ssa.Value) bool {
	if k := c.table.KindOfType(v.Type()); k != nil && k.IsReleaseMethod(callee.Name()) {
		return true
	}
	sum := c.model.CalleeSummary(callee)
	return sum != nil && sum.ReleasesReceiver
}

// goStarted records a goroutine running a method of a value the function
// made (go p.loop()), when the value's type has a release method to stop
// it.
func (f *flow) goStarted(s *state, g *ssa.Go) {
	callee := g.Call.StaticCallee()
	if callee == nil || callee.Signature.Recv() == nil || len(g.Call.Args) == 0 {
		return
	}
	a := f.localAlloc(g.Call.Args[0])
	if a == nil || f.c.table.KindOfType(a.Type()) == nil {
		return
	}
	k := pkey{root: a, path: goroutinePath}
	f.info[k] = nil
	f.set(s, k, pstate{b: bHeld, held: []held{{pos: g.Pos()}}})
}

// releaseLocal handles p.Close() on a value the function made: whatever
// its fields hold and the goroutines it started are released.
func (f *flow) releaseLocal(s *state, common *ssa.CallCommon) {
	callee := common.StaticCallee()
	if callee == nil || callee.Signature.Recv() == nil || len(common.Args) == 0 {
		return
	}
	a := f.localAlloc(common.Args[0])
	if a == nil || !f.c.releasesReceiver(callee, a) {
		return
	}
	for k := range s.p {
		if k.root == a {
			f.set(s, k, pstate{b: bReleased})
		}
	}
	for k := range f.info {
		if k.root == a {
			f.set(s, k, pstate{b: bReleased})
		}
	}
}

// dropped reports, at a return whose error is not nil, a value the
// function made that holds resources in its fields or runs a goroutine and
// is neither returned nor released.
func (f *flow) dropped(s *state, ret *ssa.Return) {
	sig := f.fn.Signature
	ei := errIndex(sig)
	if ei < 0 || ei >= len(ret.Results) || !ret.Pos().IsValid() || !nonNilError(ret, ret.Results[ei]) {
		return
	}
	returned := map[ssa.Value]bool{}
	for _, r := range ret.Results {
		r = strip(r)
		returned[r] = true
		if ld, ok := r.(*ssa.UnOp); ok && ld.Op == token.MUL {
			returned[ld.X] = true
		}
	}
	byRoot := map[*ssa.Alloc][]pkey{}
	for k := range f.info {
		a, ok := k.root.(*ssa.Alloc)
		if !ok || k.elem || returned[a] || f.localAlloc(a) == nil {
			continue
		}
		if k.path != goroutinePath && (len(k.path) < 2 || k.path[0] != '.' || containsAny(k.path[1:], ".*")) {
			continue // only direct fields of the value
		}
		if f.get(s, k).b&bHeld != 0 {
			byRoot[a] = append(byRoot[a], k)
		}
	}
	for a, keys := range byRoot {
		fd := finding{instr: ret, pos: ret.Pos(), what: droppedValue, root: a}
		for _, k := range keys {
			fd.fields = append(fd.fields, droppedField{key: k, slot: f.info[k], st: f.get(s, k)})
		}
		f.findings[ret] = fd
	}
}

func containsAny(s, chars string) bool {
	for _, c := range s {
		for _, d := range chars {
			if c == d {
				return true
			}
		}
	}
	return false
}

type droppedField struct {
	key  pkey
	slot *slot // nil for a goroutine
	st   pstate
}

func (d droppedField) field() int {
	n := 0
	for _, c := range d.key.path[1:] {
		n = n*10 + int(c-'0')
	}
	return n
}

// nonNilError reports whether the error a return returns is a value other
// than the nil constant, looking through a named result assigned in the
// return's block.
func nonNilError(ret *ssa.Return, v ssa.Value) bool {
	ld, ok := v.(*ssa.UnOp)
	if !ok || ld.Op != token.MUL {
		return !isNilConst(v)
	}
	if _, ok := ld.X.(*ssa.Alloc); !ok {
		return false
	}
	instrs := ret.Block().Instrs
	for i := len(instrs) - 1; i >= 0; i-- {
		if st, ok := instrs[i].(*ssa.Store); ok && st.Addr == ld.X {
			return !isNilConst(st.Val)
		}
	}
	return false
}
