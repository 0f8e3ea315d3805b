package leak

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"

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
	ret := returnStmtAt(s.path, a.Exits[0])
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

// returnStmtAt finds the return statement of the exit e in the function
// around the acquisition's statement.
func returnStmtAt(path []ast.Node, e ownership.Exit) *ast.ReturnStmt {
	var body ast.Node
	for _, n := range path {
		switch f := n.(type) {
		case *ast.FuncDecl:
			body = f.Body
		case *ast.FuncLit:
			body = f.Body
		}
		if body != nil {
			break
		}
	}
	if body == nil {
		return nil
	}
	var found *ast.ReturnStmt
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			if n.Pos() == e.Pos {
				found = n
			}
		}
		return found == nil
	})
	return found
}
