package loopdefer

import (
	"fmt"
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"
)

// ContextDone is a fact about a function that takes a context: one of its
// results tells that the context is done. Every return that yields false
// (for a bool result) or a non-nil error (for an error result) is in the
// case of a select that received from the context's Done channel; every
// other return yields the constant true or nil. So a caller that goes on
// only when the call returned false, or an error, knows the context is
// done:
//
//	func (h *Hold) Wait(ctx context.Context) bool {
//		select {
//		case <-ctx.Done():
//			return false
//		case <-h.ch:
//			return true
//		}
//	}
type ContextDone struct {
	Param  int // index of the context parameter (receiver not counted)
	Result int // index of the telling result
	Error  bool
}

// AFact marks ContextDone as an analysis fact.
func (*ContextDone) AFact() {}

func (f *ContextDone) String() string {
	tells := "false"
	if f.Error {
		tells = "a non-nil error"
	}
	return fmt.Sprintf("contextDone(result %d is %s only when param %d is done)", f.Result, tells, f.Param)
}

// exportContextDone exports a ContextDone fact for every function of the
// package whose results tell that its context is done.
func exportContextDone(pass *analysis.Pass) {
	for _, file := range pass.Files {
		for _, decl := range file.Decls {
			fd, ok := decl.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			fn, ok := pass.TypesInfo.Defs[fd.Name].(*types.Func)
			if !ok {
				continue
			}
			if f := contextDoneFact(pass.TypesInfo, fd, fn.Type().(*types.Signature)); f != nil {
				pass.ExportObjectFact(fn, f)
			}
		}
	}
}

func contextDoneFact(info *types.Info, fd *ast.FuncDecl, sig *types.Signature) *ContextDone {
	res := sig.Results()
	for pi := 0; pi < sig.Params().Len(); pi++ {
		p := sig.Params().At(pi)
		if !isContext(p.Type()) {
			continue
		}
		for ri := 0; ri < res.Len(); ri++ {
			t := res.At(ri).Type()
			isErr := types.Identical(t, errorType)
			if !isErr && !types.Identical(t, types.Typ[types.Bool]) {
				continue
			}
			if tellsDone(info, fd.Body, p, ri, res.Len(), isErr) {
				return &ContextDone{Param: pi, Result: ri, Error: isErr}
			}
		}
	}
	return nil
}

// tellsDone reports whether every return of body that may yield the telling
// value at result ri is inside a select case receiving from ctx.Done(), and
// at least one is.
func tellsDone(info *types.Info, body *ast.BlockStmt, ctx *types.Var, ri, n int, isErr bool) bool {
	ok, telling := true, false
	var walk func(n ast.Node, inDone bool)
	walk = func(node ast.Node, inDone bool) {
		ast.Inspect(node, func(x ast.Node) bool {
			if !ok {
				return false
			}
			switch x := x.(type) {
			case *ast.FuncLit:
				return false
			case *ast.CommClause:
				done := inDone || recvsDone(info, x.Comm, ctx)
				for _, s := range x.Body {
					walk(s, done)
				}
				return false
			case *ast.ReturnStmt:
				if len(x.Results) != n {
					ok = false // a bare return or a call yielding all results
					return false
				}
				if inDone {
					telling = true
				} else if !isConstant(info, x.Results[ri], isErr) {
					ok = false
				}
			}
			return true
		})
	}
	walk(body, false)
	return ok && telling
}

// recvsDone reports whether a select case receives from ctx.Done().
func recvsDone(info *types.Info, comm ast.Stmt, ctx *types.Var) bool {
	switch c := comm.(type) {
	case *ast.ExprStmt:
		return isDoneRecv(info, c.X, ctx)
	case *ast.AssignStmt:
		return len(c.Rhs) == 1 && isDoneRecv(info, c.Rhs[0], ctx)
	}
	return false
}

// isConstant reports whether e is the untelling value: true for a bool
// result, nil for an error result.
func isConstant(info *types.Info, e ast.Expr, isErr bool) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return false
	}
	if isErr {
		_, isNil := info.Uses[id].(*types.Nil)
		return isNil
	}
	return info.Uses[id] == types.Universe.Lookup("true")
}

// requiresDoneResult: statement i is `if call(…, ctx, …) { stop }` or
// `if _, err := call(…, ctx, …); err == nil { stop }` (the call in the if's
// init or the statement right before it), for a callee whose ContextDone
// fact says that the result the iteration goes on with tells ctx is done.
func requiresDoneResult(pass *analysis.Pass, list []ast.Stmt, i int, ctx types.Object) bool {
	info := pass.TypesInfo
	ifs, ok := list[i].(*ast.IfStmt)
	if !ok || ifs.Else != nil || !stopsIteration(info, ifs.Body.List) {
		return false
	}
	fact := func(call *ast.CallExpr) *ContextDone {
		fn, ok := typeutil.Callee(info, call).(*types.Func)
		if !ok {
			return nil
		}
		var f ContextDone
		if !pass.ImportObjectFact(fn.Origin(), &f) || f.Param >= len(call.Args) || !refersTo(info, call.Args[f.Param], ctx) {
			return nil
		}
		return &f
	}
	// if call(ctx) { stop }: the iteration goes on with false.
	if call, ok := ast.Unparen(ifs.Cond).(*ast.CallExpr); ok {
		f := fact(call)
		return f != nil && !f.Error
	}
	// if err == nil { stop }, err from call(ctx): goes on with an error.
	cond, ok := ast.Unparen(ifs.Cond).(*ast.BinaryExpr)
	if !ok || cond.Op.String() != "==" {
		return false
	}
	var errObj types.Object
	for _, pair := range [][2]ast.Expr{{cond.X, cond.Y}, {cond.Y, cond.X}} {
		id, ok := ast.Unparen(pair[0]).(*ast.Ident)
		nilID, isID := ast.Unparen(pair[1]).(*ast.Ident)
		if ok && isID {
			if _, isNil := info.Uses[nilID].(*types.Nil); isNil {
				errObj = info.Uses[id]
			}
		}
	}
	if errObj == nil {
		return false
	}
	call, j := assignedBy(info, list, i, errObj)
	if call == nil {
		return false
	}
	f := fact(call)
	return f != nil && f.Error && f.Result == j
}
