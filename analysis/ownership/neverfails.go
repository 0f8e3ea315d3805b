package ownership

import (
	"go/token"
	"go/types"
	"go/version"

	"golang.org/x/tools/go/ssa"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/resource"
)

// Calls that never fail: the `if err != nil` after crypto/rand.Read (Go
// 1.24 on), a bytes.Buffer write, or a function of the package whose
// every returning path returns a nil error is never taken, so a resource
// is not leaked there.

// neverFails reports whether call's error result is always nil.
func (m *Model) neverFails(c *ssa.CallCommon) bool {
	if c.IsInvoke() {
		return false
	}
	callee := c.StaticCallee()
	if callee == nil {
		return false
	}
	obj, _ := origin(callee).Object().(*types.Func)
	if obj != nil && obj.Pkg() != nil && resource.IsStd(obj.Pkg().Path()) {
		since := resource.StdNeverFails(resource.KeyOf(obj))
		if since == "" {
			return false
		}
		if since == "go1" {
			return true
		}
		v := m.pass.Pkg.GoVersion()
		return v != "" && version.Compare(v, since) >= 0
	}
	s, known := m.calleeSummary(callee)
	return known && s != nil && s.NeverFails
}

// errOfNeverFailing reports whether v is the error result of a call that
// never fails.
func (m *Model) errOfNeverFailing(v ssa.Value) bool {
	switch x := v.(type) {
	case *ssa.Extract:
		call, ok := x.Tuple.(*ssa.Call)
		return ok && isError(x.Type()) && m.neverFails(&call.Call)
	case *ssa.Call:
		return isError(x.Type()) && m.neverFails(&x.Call)
	}
	return false
}

// nilErrorBranch returns, for an if comparing the error of a call that never
// fails with nil, the only successor that can be taken.
func (m *Model) nilErrorBranch(ifi *ssa.If) (*ssa.BasicBlock, bool) {
	cond, ok := ifi.Cond.(*ssa.BinOp)
	if !ok || (cond.Op != token.EQL && cond.Op != token.NEQ) {
		return nil, false
	}
	other := cond.X
	if isNil(cond.X) {
		other = cond.Y
	} else if !isNil(cond.Y) {
		return nil, false
	}
	if !m.errOfNeverFailing(other) {
		return nil, false
	}
	b := ifi.Block()
	if cond.Op == token.EQL {
		return b.Succs[0], true // err == nil
	}
	return b.Succs[1], true
}

// alwaysNilError reports whether every return of f that can be reached,
// given that calls that never fail do not, returns a nil error.
func (m *Model) alwaysNilError(f *ssa.Function) bool {
	errIdx := resource.ErrorResult(f.Signature)
	if errIdx < 0 || f.Blocks == nil {
		return false
	}
	returns, ok := 0, true
	explore(f, func(b *ssa.BasicBlock) []*ssa.BasicBlock {
		switch last := b.Instrs[len(b.Instrs)-1].(type) {
		case *ssa.Return:
			returns++
			if !isNil(last.Results[errIdx]) && !m.errOfNeverFailing(last.Results[errIdx]) {
				ok = false
			}
		case *ssa.If:
			if only, decided := m.nilErrorBranch(last); decided {
				return []*ssa.BasicBlock{only}
			}
		}
		return b.Succs
	})
	return ok && returns > 0
}
