package wrapbody

import (
	"errors"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/types/typeutil"
)

// result is one result of the function enclosing the loop.
type result struct {
	name string // "" when unnamed or blank
	typ  types.Type
	text string // the type as written in the signature
}

// results lists the results of the function type ft, with their types
// written as in its source.
func results(info *types.Info, text func(ast.Node) string, ft *ast.FuncType) ([]result, error) {
	if ft == nil || ft.Results == nil {
		return nil, nil
	}
	var out []result
	for _, f := range ft.Results.List {
		t := info.TypeOf(f.Type)
		if t == nil {
			return nil, errors.New("the function's results are not type-checked")
		}
		r := result{typ: t, text: text(f.Type)}
		if len(f.Names) == 0 {
			out = append(out, r)
		}
		for _, n := range f.Names {
			r.name = n.Name
			if r.name == "_" {
				r.name = ""
			}
			out = append(out, r)
		}
	}
	return out, nil
}

// zero returns the zero value of r's type as an expression.
func zero(r result) string {
	if _, ok := types.Unalias(r.typ).(*types.TypeParam); ok {
		return "*new(" + r.text + ")"
	}
	switch u := r.typ.Underlying().(type) {
	case *types.Basic:
		switch {
		case u.Info()&types.IsBoolean != 0:
			return "false"
		case u.Info()&types.IsString != 0:
			return `""`
		case u.Info()&types.IsNumeric != 0:
			return "0"
		}
		return "nil" // unsafe.Pointer
	case *types.Struct, *types.Array:
		return r.text + "{}"
	}
	return "nil"
}

// isZeroLiteral reports whether e is written as its type's zero value: nil,
// a zero constant, or an empty composite literal.
func isZeroLiteral(info *types.Info, e ast.Expr) bool {
	e = ast.Unparen(e)
	tv, ok := info.Types[e]
	if !ok {
		return false
	}
	if tv.IsNil() {
		return true
	}
	if tv.Value != nil {
		switch tv.Value.Kind() {
		case constant.Bool:
			return !constant.BoolVal(tv.Value)
		case constant.String:
			return constant.StringVal(tv.Value) == ""
		case constant.Int, constant.Float, constant.Complex:
			return constant.Sign(tv.Value) == 0
		}
		return false
	}
	lit, ok := e.(*ast.CompositeLit)
	return ok && len(lit.Elts) == 0
}

// nonNilError reports whether the error expression e of a return is surely
// non-nil: a fresh error (fmt.Errorf, errors.New), or a variable that an
// enclosing `if v != nil` tested and that its then-branch does not assign.
func nonNilError(info *types.Info, e ast.Expr, guards []*ast.IfStmt) bool {
	e = ast.Unparen(e)
	if call, ok := e.(*ast.CallExpr); ok {
		if fn, ok := typeutil.Callee(info, call).(*types.Func); ok && fn.Pkg() != nil {
			key := fn.Pkg().Path() + "." + fn.Name()
			return key == "fmt.Errorf" || key == "errors.New"
		}
		return false
	}
	id, ok := e.(*ast.Ident)
	if !ok {
		return false
	}
	v := info.Uses[id]
	if v == nil {
		return false
	}
	for _, g := range guards {
		if testsNonNil(info, g.Cond, v) && !assigns(info, g.Body, v) {
			return true
		}
	}
	return false
}

// testsNonNil reports whether cond is `v != nil` (or `nil != v`).
func testsNonNil(info *types.Info, cond ast.Expr, v types.Object) bool {
	b, ok := ast.Unparen(cond).(*ast.BinaryExpr)
	if !ok || b.Op != token.NEQ {
		return false
	}
	is := func(x, y ast.Expr) bool {
		id, ok := ast.Unparen(x).(*ast.Ident)
		return ok && info.Uses[id] == v && info.Types[ast.Unparen(y)].IsNil()
	}
	return is(b.X, b.Y) || is(b.Y, b.X)
}

// assigns reports whether n assigns v or takes its address.
func assigns(info *types.Info, n ast.Node, v types.Object) bool {
	found := false
	isV := func(e ast.Expr) bool {
		id, ok := ast.Unparen(e).(*ast.Ident)
		return ok && (info.Uses[id] == v || info.Defs[id] == v)
	}
	ast.Inspect(n, func(c ast.Node) bool {
		switch c := c.(type) {
		case *ast.AssignStmt:
			for _, l := range c.Lhs {
				found = found || isV(l)
			}
		case *ast.UnaryExpr:
			found = found || (c.Op == token.AND && isV(c.X))
		}
		return !found
	})
	return found
}
