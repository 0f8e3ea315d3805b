package loopdefer

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"
)

// atMostOnce reports whether control, once it has passed from (a defer
// statement, or an inner loop the defer runs at most once in), always
// leaves loop without starting another iteration of it: the statements
// after from, at every level up to the loop body, end in a return, a panic
// or a break out of loop before anything can continue it. Such a loop runs
// the deferred call at most once (the go-critic deferInLoop false positive
// "loop that returns right after the defer").
func atMostOnce(info *types.Info, from, loop inspector.Cursor) bool {
	l := loop.Node().(ast.Stmt)
	var label types.Object
	if ls, ok := loop.Parent().Node().(*ast.LabeledStmt); ok {
		label = info.Defs[ls.Label]
	}
	child := from
	for p := from.Parent(); p != loop && p.Node() != nil; child, p = p, p.Parent() {
		var list []ast.Stmt
		switch n := p.Node().(type) {
		case *ast.BlockStmt:
			list = n.List
		case *ast.CaseClause:
			list = n.Body
		case *ast.CommClause:
			list = n.Body
		default:
			continue
		}
		i := slices.Index(list, child.Node().(ast.Stmt))
		if i < 0 {
			continue
		}
		e := exiter{info: info, loop: l, label: label, breakLeaves: breakTargets(p, loop)}
		if e.list(list[i+1:]) {
			return true
		}
	}
	return false
}

// breakTargets reports whether an unlabelled break at level targets loop:
// no switch or select lies between them.
func breakTargets(level, loop inspector.Cursor) bool {
	for p := level; p != loop && p.Node() != nil; p = p.Parent() {
		switch p.Node().(type) {
		case *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
			return false
		}
	}
	return true
}

type exiter struct {
	info        *types.Info
	loop        ast.Stmt
	label       types.Object
	breakLeaves bool
}

// list reports whether a statement list surely leaves the loop before it
// can start another iteration.
func (e exiter) list(list []ast.Stmt) bool {
	for _, s := range list {
		if e.reiterates(s) {
			return false
		}
		if e.exits(s) {
			return true
		}
	}
	return false
}

func (e exiter) exits(s ast.Stmt) bool {
	switch s := s.(type) {
	case *ast.ReturnStmt:
		return true
	case *ast.ExprStmt:
		call, ok := ast.Unparen(s.X).(*ast.CallExpr)
		return ok && noReturn(e.info, call)
	case *ast.BranchStmt:
		switch s.Tok {
		case token.BREAK, token.CONTINUE:
			if s.Label == nil {
				return s.Tok == token.BREAK && e.breakLeaves
			}
			t := e.info.Uses[s.Label]
			return t != nil && (t == e.label || t.Pos() < e.loop.Pos())
		}
	case *ast.BlockStmt:
		return e.list(s.List)
	case *ast.LabeledStmt:
		return e.exits(s.Stmt)
	case *ast.IfStmt:
		return s.Else != nil && e.list(s.Body.List) && e.exits(s.Else)
	}
	return false
}

// reiterates reports whether s may start the loop's next iteration: a
// continue targeting it, or a goto anywhere.
func (e exiter) reiterates(s ast.Stmt) bool {
	found := false
	var walk func(n ast.Node, nested bool)
	walk = func(n ast.Node, nested bool) {
		ast.Inspect(n, func(c ast.Node) bool {
			if found {
				return false
			}
			switch c := c.(type) {
			case *ast.FuncLit:
				return false
			case *ast.ForStmt:
				if c != n {
					walk(c.Body, true)
					return false
				}
			case *ast.RangeStmt:
				if c != n {
					walk(c.Body, true)
					return false
				}
			case *ast.BranchStmt:
				switch {
				case c.Tok == token.GOTO:
					found = true
				case c.Tok == token.CONTINUE && c.Label == nil:
					found = !nested
				case c.Tok == token.CONTINUE:
					found = e.info.Uses[c.Label] == e.label
				}
			}
			return true
		})
	}
	walk(s, false)
	return found
}

// noReturn reports whether call never returns normally: panic, os.Exit,
// log.Fatal…, log.Panic…, and testing's Fatal, FailNow and Skip families.
func noReturn(info *types.Info, call *ast.CallExpr) bool {
	if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok {
		if b, ok := info.Uses[id].(*types.Builtin); ok && b.Name() == "panic" {
			return true
		}
	}
	fn, ok := typeutil.Callee(info, call).(*types.Func)
	if !ok || fn.Pkg() == nil {
		return false
	}
	name := fn.Name()
	switch fn.Pkg().Path() {
	case "os":
		return name == "Exit"
	case "log":
		return strings.HasPrefix(name, "Fatal") || strings.HasPrefix(name, "Panic")
	case "testing":
		return strings.HasPrefix(name, "Fatal") || name == "FailNow" || strings.HasPrefix(name, "Skip")
	}
	return false
}
