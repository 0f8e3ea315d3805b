package loopdefer

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
)

// contextDoneEveryIteration reports whether, for a cancel func deferred in a
// loop, the context it cancels is done on every path that goes round the
// loop again: the iteration receives from its Done channel, selects on it
// with every other case leaving the loop, or stops unless an operation
// given the context failed with the context's own error
// (if _, err := q.Receive(ctx); err != context.DeadlineExceeded { t.Fatal(…) }).
// A done context has already released its timer and left its parent, so
// the pending cancel calls hold nothing.
func contextDoneEveryIteration(pass *analysis.Pass, body *ast.BlockStmt, acq ast.Node, d *ast.DeferStmt) bool {
	info := pass.TypesInfo
	ctx := contextOf(info, acq)
	if ctx == nil {
		return false
	}
	for i, s := range body.List {
		if s.End() <= d.Pos() {
			continue
		}
		if waitsDone(info, s, ctx) || selectsDone(info, s, ctx) || requiresCtxErr(info, body.List, i, ctx) || requiresDoneResult(pass, body.List, i, ctx) {
			return true
		}
		if continues(s) {
			return false // round the loop before the context is done
		}
	}
	return false
}

// contextOf returns the context variable that acquisition statement acq
// assigns beside the cancel func (sCtx, sCancel := context.WithTimeout(…)).
func contextOf(info *types.Info, acq ast.Node) types.Object {
	as, ok := acq.(*ast.AssignStmt)
	if !ok {
		return nil
	}
	for _, lhs := range as.Lhs {
		id, ok := lhs.(*ast.Ident)
		if !ok {
			continue
		}
		if obj := objOf(info, id); obj != nil && isContext(obj.Type()) {
			return obj
		}
	}
	return nil
}

func isContext(t types.Type) bool {
	for _, name := range []string{"Done", "Err", "Deadline"} {
		if obj, _, _ := types.LookupFieldOrMethod(t, true, nil, name); obj == nil {
			return false
		}
	}
	return true
}

// isDoneRecv reports whether e is <-ctx.Done().
func isDoneRecv(info *types.Info, e ast.Expr, ctx types.Object) bool {
	u, ok := ast.Unparen(e).(*ast.UnaryExpr)
	if !ok || u.Op != token.ARROW {
		return false
	}
	call, ok := ast.Unparen(u.X).(*ast.CallExpr)
	if !ok {
		return false
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	return ok && sel.Sel.Name == "Done" && refersTo(info, sel.X, ctx)
}

func refersTo(info *types.Info, e ast.Expr, obj types.Object) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	return ok && info.Uses[id] == obj
}

// waitsDone: <-ctx.Done() as a statement.
func waitsDone(info *types.Info, s ast.Stmt, ctx types.Object) bool {
	es, ok := s.(*ast.ExprStmt)
	return ok && isDoneRecv(info, es.X, ctx)
}

// selectsDone: a select (without default) whose cases either receive from
// ctx.Done() or leave the loop.
func selectsDone(info *types.Info, s ast.Stmt, ctx types.Object) bool {
	sel, ok := s.(*ast.SelectStmt)
	if !ok {
		return false
	}
	done := false
	for _, c := range sel.Body.List {
		cc := c.(*ast.CommClause)
		switch comm := cc.Comm.(type) {
		case nil:
			return false // default: no wait at all
		case *ast.ExprStmt:
			if isDoneRecv(info, comm.X, ctx) && !continuesAny(cc.Body) {
				done = true
				continue
			}
		case *ast.AssignStmt:
			if len(comm.Rhs) == 1 && isDoneRecv(info, comm.Rhs[0], ctx) && !continuesAny(cc.Body) {
				done = true
				continue
			}
		}
		if !stopsIteration(info, cc.Body) {
			return false
		}
	}
	return done
}

// requiresCtxErr: statement i is `if err != context.DeadlineExceeded { stop }`
// (or !errors.Is(err, context.Canceled), …) where err comes from a call
// given ctx, in the if's init or the statement right before it.
func requiresCtxErr(info *types.Info, list []ast.Stmt, i int, ctx types.Object) bool {
	ifs, ok := list[i].(*ast.IfStmt)
	if !ok || ifs.Else != nil || !stopsIteration(info, ifs.Body.List) {
		return false
	}
	errObj := notContextErr(info, ifs.Cond)
	if errObj == nil {
		return false
	}
	call, _ := assignedBy(info, list, i, errObj)
	if call == nil {
		return false
	}
	for _, arg := range call.Args {
		if refersTo(info, arg, ctx) {
			return true
		}
	}
	return false
}

// assignedBy returns the call that assigns obj in the init of the if
// statement list[i] or in the statement right before it, and the index of
// the call's result that obj gets.
func assignedBy(info *types.Info, list []ast.Stmt, i int, obj types.Object) (*ast.CallExpr, int) {
	assigns := list[i].(*ast.IfStmt).Init
	if assigns == nil && i > 0 {
		assigns = list[i-1]
	}
	as, ok := assigns.(*ast.AssignStmt)
	if !ok || len(as.Rhs) != 1 {
		return nil, 0
	}
	call, ok := ast.Unparen(as.Rhs[0]).(*ast.CallExpr)
	if !ok {
		return nil, 0
	}
	for j, lhs := range as.Lhs {
		if id, ok := lhs.(*ast.Ident); ok && objOf(info, id) == obj {
			return call, j
		}
	}
	return nil, 0
}

// notContextErr returns err when cond is true exactly when err is not the
// error of a done context: err != context.DeadlineExceeded, err !=
// context.Canceled, !errors.Is(err, context.DeadlineExceeded).
func notContextErr(info *types.Info, cond ast.Expr) types.Object {
	switch c := ast.Unparen(cond).(type) {
	case *ast.BinaryExpr:
		if c.Op != token.NEQ {
			return nil
		}
		for _, pair := range [][2]ast.Expr{{c.X, c.Y}, {c.Y, c.X}} {
			if id, ok := ast.Unparen(pair[0]).(*ast.Ident); ok && isContextErr(info, pair[1]) {
				return info.Uses[id]
			}
		}
	case *ast.UnaryExpr:
		if c.Op != token.NOT {
			return nil
		}
		call, ok := ast.Unparen(c.X).(*ast.CallExpr)
		if !ok || len(call.Args) != 2 {
			return nil
		}
		fn, ok := calleeObj(info, call).(*types.Func)
		if !ok || fn.Pkg() == nil || fn.Pkg().Path() != "errors" || fn.Name() != "Is" {
			return nil
		}
		if id, ok := ast.Unparen(call.Args[0]).(*ast.Ident); ok && isContextErr(info, call.Args[1]) {
			return info.Uses[id]
		}
	}
	return nil
}

// isContextErr reports whether e is context.DeadlineExceeded or
// context.Canceled.
func isContextErr(info *types.Info, e ast.Expr) bool {
	sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	v, ok := info.Uses[sel.Sel].(*types.Var)
	return ok && v.Pkg() != nil && v.Pkg().Path() == "context" && (v.Name() == "DeadlineExceeded" || v.Name() == "Canceled")
}

func calleeObj(info *types.Info, call *ast.CallExpr) types.Object {
	switch fn := ast.Unparen(call.Fun).(type) {
	case *ast.Ident:
		return info.Uses[fn]
	case *ast.SelectorExpr:
		return info.Uses[fn.Sel]
	}
	return nil
}

// stopsIteration reports whether a statement list ends by leaving the
// function or the goroutine (a return, a panic, a test's Fatal or FailNow,
// an exit) or by reporting that the test failed (t.Error, t.Errorf,
// t.Fail): what piles up on a path where the test has already failed is
// not worth a report of its own.
func stopsIteration(info *types.Info, list []ast.Stmt) bool {
	if len(list) == 0 {
		return false
	}
	switch last := list[len(list)-1].(type) {
	case *ast.ReturnStmt:
		return true
	case *ast.ExprStmt:
		call, ok := ast.Unparen(last.X).(*ast.CallExpr)
		if !ok {
			return false
		}
		name := ""
		switch fn := ast.Unparen(call.Fun).(type) {
		case *ast.Ident:
			name = fn.Name
		case *ast.SelectorExpr:
			name = fn.Sel.Name
		}
		switch name {
		case "panic", "Exit", "Fatal", "Fatalf", "Fatalln", "FailNow", "Goexit":
			return true
		case "Error", "Errorf", "Fail":
			return reportsToTest(info, call)
		}
	}
	return false
}

// continues reports whether s contains a continue statement (of this loop
// or of one inside it: either may start the next iteration early).
func continues(s ast.Stmt) bool {
	found := false
	ast.Inspect(s, func(n ast.Node) bool {
		if b, ok := n.(*ast.BranchStmt); ok && b.Tok == token.CONTINUE {
			found = true
		}
		return !found
	})
	return found
}

func continuesAny(list []ast.Stmt) bool {
	for _, s := range list {
		if continues(s) {
			return true
		}
	}
	return false
}

// reportsToTest reports whether call is a method of a test's reporter: a
// receiver that also has FailNow (a *testing.T, a testing.TB, or a type
// shaped like them).
func reportsToTest(info *types.Info, call *ast.CallExpr) bool {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	t := info.TypeOf(sel.X)
	if t == nil {
		return false
	}
	obj, _, _ := types.LookupFieldOrMethod(t, true, nil, "FailNow")
	_, isFunc := obj.(*types.Func)
	return isFunc
}
