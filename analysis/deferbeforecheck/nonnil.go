package deferbeforecheck

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"
)

// neverNilFuncs is the fact that a function's func-typed results are never
// nil: on every return, error or not, the function hands back a callable
// value (a function literal, a declared function, a method value). A
// cleanup func from such a function may be deferred before the error check:
// on the failure path it is the function's own no-op, not a nil func.
type neverNilFuncs struct {
	Results []int
}

func (*neverNilFuncs) AFact() {}

func (f *neverNilFuncs) String() string { return "neverNilFuncs" }

func (f *neverNilFuncs) has(i int) bool {
	for _, r := range f.Results {
		if r == i {
			return true
		}
	}
	return false
}

// exportNeverNil records the neverNilFuncs fact of every function declared
// in the package.
func exportNeverNil(pass *analysis.Pass) {
	for _, file := range pass.Files {
		for _, d := range file.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			fn, ok := pass.TypesInfo.Defs[fd.Name].(*types.Func)
			if !ok {
				continue
			}
			if res := neverNilResults(pass, fn, fd.Body); len(res) > 0 {
				pass.ExportObjectFact(fn, &neverNilFuncs{Results: res})
			}
		}
	}
}

// neverNilResults returns the indexes of fn's func-typed results that are
// a callable value at every return statement of body.
func neverNilResults(pass *analysis.Pass, fn *types.Func, body *ast.BlockStmt) []int {
	results := fn.Type().(*types.Signature).Results()
	candidate := map[int]bool{}
	for i := 0; i < results.Len(); i++ {
		if _, ok := results.At(i).Type().Underlying().(*types.Signature); ok {
			candidate[i] = true
		}
	}
	if len(candidate) == 0 {
		return nil
	}
	returns := 0
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			returns++
			if len(n.Results) != results.Len() {
				clear(candidate) // bare return or `return f()`: unknown
				return false
			}
			for i := range candidate {
				if !callable(pass, n.Results[i]) {
					delete(candidate, i)
				}
			}
		}
		return len(candidate) > 0
	})
	if returns == 0 {
		return nil
	}
	var out []int
	for i := 0; i < results.Len(); i++ {
		if candidate[i] {
			out = append(out, i)
		}
	}
	return out
}

// callable reports whether e is certainly a non-nil func value: a function
// literal, a declared function or a method value, or a call of a function
// whose only result is never nil.
func callable(pass *analysis.Pass, e ast.Expr) bool {
	e = ast.Unparen(e)
	switch e := e.(type) {
	case *ast.FuncLit:
		return true
	case *ast.Ident:
		_, ok := pass.TypesInfo.Uses[e].(*types.Func)
		return ok
	case *ast.SelectorExpr:
		if sel := pass.TypesInfo.Selections[e]; sel != nil {
			return sel.Kind() == types.MethodVal
		}
		_, ok := pass.TypesInfo.Uses[e.Sel].(*types.Func) // pkg.Func
		return ok
	case *ast.CallExpr:
		fn, ok := typeutil.Callee(pass.TypesInfo, e).(*types.Func)
		if !ok {
			return false
		}
		var fact neverNilFuncs
		return pass.ImportObjectFact(fn, &fact) && fact.has(0) && fn.Type().(*types.Signature).Results().Len() == 1
	}
	return false
}

// cleanupNeverNil reports whether the func-typed variable v, assigned by
// the acquisition's call, is a result the callee never leaves nil.
func cleanupNeverNil(pass *analysis.Pass, a *acquisition, v types.Object) bool {
	fn, ok := typeutil.Callee(pass.TypesInfo, a.call).(*types.Func)
	if !ok {
		return false
	}
	var fact neverNilFuncs
	if !pass.ImportObjectFact(fn, &fact) {
		return false
	}
	for i, lhs := range a.lhs {
		if lhs != nil && objOf(pass.TypesInfo, lhs) == v {
			return fact.has(i)
		}
	}
	return false
}
