// Package assigned tells whether a piece of syntax changes a variable: the
// question a fix asks before it moves code that reads the variable to
// another place or time (a flag before a loop, a function literal, an
// extracted function that takes it by value).
package assigned

import (
	"go/ast"
	"go/token"
	"go/types"
)

// Where returns the first node of n that changes v (an assignment to it,
// ++ or --, a range clause that assigns it, a for statement's init that
// declares it, its address taken, explicitly or by calling a method with a
// pointer receiver on it) or nil. A declaration of v by := outside
// a loop header is not a change: it is where v starts.
func Where(info *types.Info, n ast.Node, v types.Object) ast.Node {
	is := func(e ast.Expr) bool {
		id, ok := ast.Unparen(e).(*ast.Ident)
		return ok && (info.Uses[id] == v || info.Defs[id] == v)
	}
	uses := func(e ast.Expr) bool {
		id, ok := ast.Unparen(e).(*ast.Ident)
		return ok && info.Uses[id] == v
	}
	var found ast.Node
	ast.Inspect(n, func(m ast.Node) bool {
		if found != nil {
			return false
		}
		switch m := m.(type) {
		case *ast.AssignStmt:
			for _, l := range m.Lhs {
				if uses(l) {
					found = m
				}
			}
		case *ast.IncDecStmt:
			if uses(m.X) {
				found = m
			}
		case *ast.UnaryExpr:
			if m.Op == token.AND && uses(m.X) {
				found = m
			}
		case *ast.SelectorExpr:
			if uses(m.X) && pointerMethod(info, m) {
				if _, ptr := v.Type().Underlying().(*types.Pointer); !ptr {
					found = m
				}
			}
		case *ast.RangeStmt:
			// One variable for every iteration before Go 1.22.
			if m.Key != nil && is(m.Key) || m.Value != nil && is(m.Value) {
				found = m
			}
		case *ast.ForStmt:
			if init, ok := m.Init.(*ast.AssignStmt); ok {
				for _, l := range init.Lhs {
					if is(l) {
						found = m
					}
				}
			}
		}
		return found == nil
	})
	return found
}

// pointerMethod reports whether sel selects a method with a pointer
// receiver.
func pointerMethod(info *types.Info, sel *ast.SelectorExpr) bool {
	s := info.Selections[sel]
	if s == nil || s.Kind() != types.MethodVal {
		return false
	}
	sig, ok := s.Obj().Type().(*types.Signature)
	if !ok || sig.Recv() == nil {
		return false
	}
	_, ptr := sig.Recv().Type().(*types.Pointer)
	return ptr
}
