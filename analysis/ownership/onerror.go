package ownership

import (
	"go/token"

	"golang.org/x/tools/go/ssa"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/resource"
)

// Per-outcome ownership: a constructor such as
//
//	func newClient(c net.Conn) (*Client, error) {
//		if err := handshake(c); err != nil {
//			c.Close()
//			return nil, err
//		}
//		return &Client{c: c}, nil
//	}
//
// keeps its argument when it succeeds and releases it when it fails. Its
// caller owes nothing on the path where the returned error is set, and
// owns the client otherwise.

// releasedOnErrorReturns reports whether every path from f's entry to a
// return of a possibly non-nil error goes through one of the release
// instructions at releases (the positions the walker recorded).
func releasedOnErrorReturns(f *ssa.Function, releases []token.Pos) bool {
	errIdx := resource.ErrorResult(f.Signature)
	if errIdx < 0 {
		return false
	}
	at := map[token.Pos]bool{}
	for _, p := range releases {
		if !p.IsValid() {
			return false
		}
		at[p] = true
	}
	cut := func(b *ssa.BasicBlock) bool {
		for _, instr := range b.Instrs {
			if at[instr.Pos()] {
				return true
			}
		}
		return false
	}
	cuts, ok := 0, true
	explore(f, func(b *ssa.BasicBlock) []*ssa.BasicBlock {
		if cut(b) {
			cuts++ // what follows in b happens after the release
			return nil
		}
		if ret, isRet := b.Instrs[len(b.Instrs)-1].(*ssa.Return); isRet && errIdx < len(ret.Results) && !isNil(ret.Results[errIdx]) {
			ok = false // an error return that still holds the value
		}
		return b.Succs
	})
	return ok && cuts > 0
}

// releaseSites returns the positions of every call in the function that
// releases the tracked value, including those after a path stored it
// somewhere (c.Close() on a handshake failure, after the conn was put in
// the struct being built): the walk itself stops at the first hand-over.
func (w *walker) releaseSites() []token.Pos {
	var out []token.Pos
	for _, b := range w.fn.Blocks {
		for _, instr := range b.Instrs {
			switch instr.(type) {
			case *ssa.Call, *ssa.Defer:
				if w.effect(instr) == released {
					out = append(out, instr.Pos())
				}
			}
		}
	}
	return out
}

// noteReleasedOnError remembers the error result of a call that releases
// the resource, passed as an argument, whenever that error is set.
func (w *walker) noteReleasedOnError(call *ssa.Call) {
	c := &call.Call
	if c.IsInvoke() {
		return
	}
	callee := c.StaticCallee()
	if callee == nil {
		return
	}
	s, known := w.m.calleeSummary(callee)
	if !known || s == nil || len(s.ReleasesOnError) == 0 {
		return
	}
	for _, i := range s.ReleasesOnError {
		if i >= len(c.Args) || w.vals[c.Args[i]] != classValue {
			continue
		}
		errIdx := resource.ErrorResult(c.Signature())
		if errIdx < 0 {
			return
		}
		if e := w.m.extract(call, errIdx); e != nil {
			w.relErrs = append(w.relErrs, e)
		}
		return
	}
}

// releasedWhenSet reports whether v is the error of a call that released
// the resource wherever the error is set.
func (w *walker) releasedWhenSet(v ssa.Value) bool {
	for _, e := range w.relErrs {
		if isValue(v, e) {
			return true
		}
	}
	return false
}
