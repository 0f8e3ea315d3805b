package leak

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/astutil"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/ownership"
	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/resource"
)

// returnWaitFix is the fix for a started command never waited for whose
// only leaking exit is `return …, nil` in a function whose last result is
// an error: the wait takes the nil's place (`return cmd.Wait()`), so the
// command's failure is reported, not dropped as a deferred cmd.Wait()
// would drop it. nil when the shape differs.
func returnWaitFix(pass *analysis.Pass, a *ownership.Acquisition, s site, wait string) *analysis.SuggestedFix {
	if a.Kind != resource.Process || len(a.Exits) != 1 || a.Exits[0].Implicit || a.Exits[0].Iteration || !safeExit(a, a.Exits[0]) || wait == "" {
		return nil
	}
	ret := returnStmtAt(s.file, a.Exits[0])
	if ret == nil || len(ret.Results) == 0 {
		return nil
	}
	last := ret.Results[len(ret.Results)-1]
	id, ok := ast.Unparen(last).(*ast.Ident)
	if !ok {
		return nil
	}
	if _, isNil := pass.TypesInfo.Uses[id].(*types.Nil); !isNil {
		return nil
	}
	sig := a.Fn.Signature
	if sig.Results().Len() != len(ret.Results) || !types.Identical(sig.Results().At(sig.Results().Len()-1).Type(), types.Universe.Lookup("error").Type()) {
		return nil
	}
	return &analysis.SuggestedFix{
		Message:   "Return " + wait + "'s error",
		TextEdits: []analysis.TextEdit{{Pos: last.Pos(), End: last.End(), NewText: []byte(wait)}},
	}
}

// returnStmtAt returns the return statement of exit e.
func returnStmtAt(file *ast.File, e ownership.Exit) *ast.ReturnStmt {
	path, _ := astutil.PathEnclosingInterval(file, e.Pos, e.Pos)
	for _, n := range path {
		if ret, ok := n.(*ast.ReturnStmt); ok && ret.Return == e.Pos {
			return ret
		}
	}
	return nil
}
