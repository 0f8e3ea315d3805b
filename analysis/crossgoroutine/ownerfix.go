package crossgoroutine

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/ownership"
	"github.com/lifecycle-lsp/lifecycle-lsp/codeaction/assigned"
	"github.com/lifecycle-lsp/lifecycle-lsp/codeaction/movecleanup"
)

// releaseInOwnerFix returns the fix for shape 1 that moves the goroutine's
// release into the owner as a defer (`defer resp.Body.Close()` after the
// go statement), so the value is released when the owner, its last user,
// returns. Only when that is certainly what the code means:
//   - the goroutine is a function literal given nothing, whose body
//     releases the value once, unconditionally, at its top level, and
//     otherwise only reads plain fields of it (resp.ContentLength);
//   - the value is a local variable of the owner, assigned once, that the
//     owner only uses through its methods and fields, or passes as a
//     parameter type with no release method (an io.Reader): nothing else
//     can take it over or release it, and the owner does not release it
//     itself;
//   - the go statement is in the owner's own body, not in a loop, so the
//     added defer runs once, when the owner returns.
func (c *checker) releaseInOwnerFix(fn *ssa.Function, s *spawn, rel ssa.Instruction) *analysis.SuggestedFix {
	g, ok := s.instr.(*ssa.Go)
	if !ok {
		return nil
	}
	goStmt := c.syntax.gos[g.Pos()]
	if goStmt == nil || len(goStmt.Call.Args) != 0 {
		return nil
	}
	lit, ok := ast.Unparen(goStmt.Call.Fun).(*ast.FuncLit)
	if !ok {
		return nil
	}
	relStmt, call := topLevelRelease(lit, rel)
	if relStmt == nil {
		return nil
	}
	v := baseVar(c.TypesInfo, call)
	if v == nil {
		return nil
	}
	body, ok := ownerBody(fn)
	if !ok || !inside(v.Pos(), body) || v.Pos() >= goStmt.Pos() || inLoop(body, goStmt) {
		return nil
	}
	if w := assigned.Where(c.TypesInfo, body, v); w != nil {
		return nil // reassigned: the defer could release another value
	}
	if !c.onlyUsedInPlace(body, v, lit, relStmt) {
		return nil
	}
	src, base := c.source(goStmt.Pos())
	if src == nil {
		return nil
	}
	return movecleanup.ReleaseInOwner(movecleanup.Source{Src: src, Base: base}, relStmt, call, goStmt, lit)
}

// topLevelRelease finds the statement of lit's body that is the release
// rel (a call statement or a defer), with its call.
func topLevelRelease(lit *ast.FuncLit, rel ssa.Instruction) (ast.Stmt, *ast.CallExpr) {
	for _, st := range lit.Body.List {
		switch st := st.(type) {
		case *ast.ExprStmt:
			if call, ok := ast.Unparen(st.X).(*ast.CallExpr); ok && call.Lparen == rel.Pos() {
				return st, call
			}
		case *ast.DeferStmt:
			if st.Defer == rel.Pos() || st.Call.Lparen == rel.Pos() {
				return st, st.Call
			}
		}
	}
	return nil, nil
}

// baseVar returns the variable at the root of a release call's receiver:
// resp in resp.Body.Close().
func baseVar(info *types.Info, call *ast.CallExpr) *types.Var {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	e := sel.X
	for {
		switch x := ast.Unparen(e).(type) {
		case *ast.SelectorExpr:
			e = x.X
			continue
		case *ast.Ident:
			v, _ := info.Uses[x].(*types.Var)
			return v
		}
		return nil
	}
}

func ownerBody(fn *ssa.Function) (*ast.BlockStmt, bool) {
	switch syn := fn.Syntax().(type) {
	case *ast.FuncDecl:
		return syn.Body, syn.Body != nil
	case *ast.FuncLit:
		return syn.Body, true
	}
	return nil, false
}

func inside(pos token.Pos, n ast.Node) bool { return n.Pos() <= pos && pos < n.End() }

// inLoop reports whether target sits in a loop of body (not counting
// function literals, which body's defers do not reach anyway).
func inLoop(body *ast.BlockStmt, target ast.Node) bool {
	found := false
	var walk func(n ast.Node, loop bool)
	walk = func(n ast.Node, loop bool) {
		ast.Inspect(n, func(x ast.Node) bool {
			if found || x == nil {
				return false
			}
			if x == target {
				found = loop
				return false
			}
			switch x := x.(type) {
			case *ast.FuncLit:
				return false
			case *ast.ForStmt:
				walk(x.Body, true)
				return false
			case *ast.RangeStmt:
				walk(x.Body, true)
				return false
			}
			return true
		})
	}
	walk(body, false)
	return found
}

// onlyUsedInPlace reports whether every use of v in body is one that
// cannot take the value over or release it: in the goroutine, the release
// statement and reads of plain fields; in the owner, its methods other than
// releases, its fields, a comparison with nil, and arguments whose
// parameter type has no release method.
func (c *checker) onlyUsedInPlace(body *ast.BlockStmt, v *types.Var, lit *ast.FuncLit, relStmt ast.Stmt) bool {
	ok := true
	var stack []ast.Node
	ast.Inspect(body, func(n ast.Node) bool {
		if !ok {
			return false
		}
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		stack = append(stack, n)
		id, isID := n.(*ast.Ident)
		if !isID || c.TypesInfo.Uses[id] != v {
			return true
		}
		if inside(id.Pos(), relStmt) {
			return true
		}
		if !c.harmlessUse(stack, inside(id.Pos(), lit)) {
			ok = false
		}
		return true
	})
	return ok
}

// harmlessUse decides one use of the variable, given the syntax path to
// its identifier (the identifier last).
func (c *checker) harmlessUse(path []ast.Node, inGoroutine bool) bool {
	i := len(path) - 1
	// Climb through selections: resp.Body, conn.Read.
	for i > 0 {
		sel, ok := path[i-1].(*ast.SelectorExpr)
		if !ok || sel.X != path[i] {
			break
		}
		selection := c.TypesInfo.Selections[sel]
		if selection == nil {
			return false
		}
		if selection.Kind() == types.MethodVal {
			if inGoroutine || c.releases(sel) {
				return false
			}
			// A method call on it (conn.Read(buf)): used in place.
			if i-2 >= 0 {
				if call, ok := path[i-2].(*ast.CallExpr); ok && call.Fun == sel {
					return true
				}
			}
			return false // a method value escapes
		}
		i--
		if c.kindOf(selection.Type()) == nil {
			// A plain field (resp.ContentLength, resp.StatusCode).
			return !assignedTo(path, i)
		}
		if inGoroutine {
			return false // the goroutine uses the resource itself
		}
	}
	if inGoroutine || i == 0 {
		return false
	}
	e := path[i].(ast.Expr)
	switch p := path[i-1].(type) {
	case *ast.BinaryExpr:
		return (p.Op == token.EQL || p.Op == token.NEQ) && isNilExpr(c.TypesInfo, p.X, p.Y)
	case *ast.CallExpr:
		return c.argCannotRelease(p, e)
	}
	return false
}

// assignedTo reports whether path[i] is assigned to (x.f = …, x.f++).
func assignedTo(path []ast.Node, i int) bool {
	if i == 0 {
		return false
	}
	switch p := path[i-1].(type) {
	case *ast.AssignStmt:
		for _, l := range p.Lhs {
			if l == path[i] {
				return true
			}
		}
	case *ast.IncDecStmt:
		return true
	case *ast.UnaryExpr:
		return p.Op == token.AND
	}
	return false
}

func isNilExpr(info *types.Info, x, y ast.Expr) bool {
	for _, e := range []ast.Expr{x, y} {
		if id, ok := ast.Unparen(e).(*ast.Ident); ok {
			if _, isNil := info.Uses[id].(*types.Nil); isNil {
				return true
			}
		}
	}
	return false
}

// argCannotRelease reports whether e, an argument of call, goes to a
// parameter whose type has no release method (io.Reader, io.Writer).
func (c *checker) argCannotRelease(call *ast.CallExpr, e ast.Expr) bool {
	sig, ok := c.TypesInfo.TypeOf(call.Fun).Underlying().(*types.Signature)
	if !ok {
		return false // a conversion or a builtin
	}
	for j, a := range call.Args {
		if a != e {
			continue
		}
		var pt types.Type
		switch {
		case sig.Variadic() && j >= sig.Params().Len()-1:
			pt = sig.Params().At(sig.Params().Len() - 1).Type().(*types.Slice).Elem()
		case j < sig.Params().Len():
			pt = sig.Params().At(j).Type()
		default:
			return false
		}
		return !ownership.HasReleaseMethod(pt)
	}
	return false
}

// releases reports whether the method selected may release its receiver:
// a release method of the receiver's kind, or any Close.
func (c *checker) releases(sel *ast.SelectorExpr) bool {
	if sel.Sel.Name == "Close" {
		return true
	}
	k := c.kindOf(c.TypesInfo.TypeOf(sel.X))
	return k != nil && k.IsReleaseMethod(sel.Sel.Name)
}
