package doubleclose

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/lifecycle-lsp/lifecycle-lsp/codeaction/assigned"
	"github.com/lifecycle-lsp/lifecycle-lsp/codeaction/closeonce"
)

// checkLoop reports a release that runs on every iteration of a loop that
// goes on to the next, of a value that stays the same across iterations:
// the second iteration releases it again. The release's block dominates
// every back edge of the loop (no iteration continues without it), and the
// released value is defined before the loop (a parameter, a value made
// before it, a field of one) and never reassigned.
func (p *pass) checkLoop(stores map[ssa.Value]map[string]int, e *event) {
	if e.deferred || e.inLit || killed(stores, e) {
		return
	}
	for _, h := range e.block.Parent().Blocks {
		if !h.Dominates(e.block) || !everyIteration(h, e.block) {
			continue
		}
		if in, ok := e.base.(ssa.Instruction); ok && in.Block() != nil && h.Dominates(in.Block()) {
			continue // a new value on each iteration
		}
		p.reportLoop(e)
		return
	}
}

// everyIteration reports whether h heads a loop (it has back edges: edges
// from blocks it dominates) and b lies on every one of them.
func everyIteration(h, b *ssa.BasicBlock) bool {
	latches := 0
	for _, pred := range h.Preds {
		if !h.Dominates(pred) {
			continue
		}
		latches++
		if !b.Dominates(pred) {
			return false
		}
	}
	return latches > 0
}

func (p *pass) reportLoop(e *event) {
	what := p.describe(e)
	verb := releasedVerb(e)
	d := analysis.Diagnostic{
		Pos: e.pos, Category: name,
		Message: fmt.Sprintf("%s is %s on every iteration of the loop, so the second iteration %s it again: %s", what, verb, verbAgain(e), e.why),
	}
	p.span(&d, e)
	path := p.enclosingPath(e.pos)
	if loop := innermostLoop(path); loop != nil {
		d.Related = []analysis.RelatedInformation{{Pos: loop.Pos(), End: loop.Pos() + token.Pos(len("for")), Message: "the loop"}}
	}
	if fix := p.loopFix(e, path); fix != nil {
		d.SuggestedFixes = []analysis.SuggestedFix{*fix}
	}
	p.filter.Report(d)
}

// releasedVerb is what a release does to its value, in the past tense.
func releasedVerb(e *event) string {
	if e.isClose {
		return "closed"
	}
	return "released"
}

func verbAgain(e *event) string {
	if e.isClose {
		return "closes"
	}
	return "releases"
}

func isFunc(n ast.Node) bool {
	switch n.(type) {
	case *ast.FuncLit, *ast.FuncDecl:
		return true
	}
	return false
}

func isLoop(n ast.Node) bool {
	switch n.(type) {
	case *ast.ForStmt, *ast.RangeStmt:
		return true
	}
	return false
}

// innermostLoop returns the loop statement nearest the start of path,
// within the function.
func innermostLoop(path []ast.Node) ast.Node {
	for _, n := range path {
		if isFunc(n) {
			return nil
		}
		if isLoop(n) {
			return n
		}
	}
	return nil
}

// loopFix guards the release with a flag declared before the outermost
// loop, within the function, over which the released value's variable is
// neither declared nor assigned.
func (p *pass) loopFix(e *event, path []ast.Node) *analysis.SuggestedFix {
	stmt, ok := p.stmtAt(e).(*ast.ExprStmt)
	if !ok {
		return nil
	}
	call := p.callAt(e)
	var operand ast.Expr
	if e.isClose && len(call.Args) == 1 {
		operand = call.Args[0]
	} else if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
		operand = sel.X
	}
	root, last := rootOf(operand)
	if root == nil {
		return nil
	}
	obj := p.TypesInfo.Uses[root]
	if obj == nil {
		return nil
	}
	var loop ast.Stmt
	for i, n := range path {
		if isFunc(n) {
			break
		}
		l, ok := n.(ast.Stmt)
		if !ok || !isLoop(l) {
			continue
		}
		if changes(p.TypesInfo, l, obj) {
			break
		}
		loop = l
		if i+1 < len(path) {
			if ls, ok := path[i+1].(*ast.LabeledStmt); ok {
				loop = ls
			}
		}
	}
	if loop == nil {
		return nil
	}
	tf := p.Fset.File(stmt.Pos())
	src, err := p.ReadFile(tf.Name())
	if err != nil {
		return nil
	}
	return closeonce.Build(closeonce.Request{
		Src: src, File: tf, Loop: loop, Release: stmt, Name: last,
		Scope: p.Pkg.Scope().Innermost(loop.Pos()), Info: p.TypesInfo,
	})
}

// rootOf returns the variable an operand (x, x.f, x.f.g) starts from and
// the last name in it; nil for any other expression.
func rootOf(x ast.Expr) (*ast.Ident, string) {
	switch x := ast.Unparen(x).(type) {
	case *ast.Ident:
		return x, x.Name
	case *ast.SelectorExpr:
		root, _ := rootOf(x.X)
		return root, x.Sel.Name
	}
	return nil, ""
}

// changes reports whether n declares obj or changes it.
func changes(info *types.Info, n ast.Node, obj types.Object) bool {
	if obj.Pos() >= n.Pos() && obj.Pos() < n.End() {
		return true
	}
	return assigned.Where(info, n, obj) != nil
}
