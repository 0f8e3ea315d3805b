package loopdefer

import (
	"go/ast"
	"go/types"
)

// releasedEveryIteration reports whether the loop body releases v itself on
// every pass through its statement list, besides the deferred release d: a
// release statement at the top level of the body (at the end of the
// iteration, or at the top for the previous iteration's value), or an if
// statement that releases it in both branches. The defer is then only a
// safety net for panics, and nothing piles up. A release under a condition
// or on an early path leaves the other iterations to the defer.
func (c *checker) releasedEveryIteration(info *types.Info, body *ast.BlockStmt, v *types.Var, d *ast.DeferStmt) bool {
	return c.releasesIn(info, body.List, v, d)
}

func (c *checker) releasesIn(info *types.Info, list []ast.Stmt, v *types.Var, d *ast.DeferStmt) bool {
	for _, s := range list {
		switch s := s.(type) {
		case *ast.ExprStmt:
			if call, ok := ast.Unparen(s.X).(*ast.CallExpr); ok {
				if rel, ok := c.table.ReleasedBy(info, call); ok && rel.Var == v {
					return true
				}
			}
		case *ast.IfStmt:
			els, ok := s.Else.(*ast.BlockStmt)
			if ok && c.releasesIn(info, s.Body.List, v, d) && c.releasesIn(info, els.List, v, d) {
				return true
			}
		case *ast.BlockStmt:
			if c.releasesIn(info, s.List, v, d) {
				return true
			}
		}
	}
	return false
}
