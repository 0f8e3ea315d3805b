package resource

import (
	"go/ast"
	"go/types"
)

// CallRelease describes a call that releases a local variable, as found by
// ReleasedBy.
type CallRelease struct {
	// Var is the released variable.
	Var *types.Var
	// Kind is the variable's kind by its type (KindOfType), or nil for a
	// call of a function-typed variable (FuncCall), whose kind depends on
	// the call that produced it.
	Kind *Kind
	// FuncCall is set for v(): the call of a function variable with no
	// arguments (a cancel or stop function, a cleanup func).
	FuncCall bool
	// Method is the release method's name ("Close", "Rollback"), empty for
	// FuncCall and ReleaseFunc releases.
	Method string
}

// ReleasedBy reports which local variable call releases, judged by syntax
// and the variable's type alone: v.M() for a release method M of v's kind,
// v.Body.Close() for an *http.Response, pkg.F(v) for a kind whose
// ReleaseFunc is F, and v() for a function variable. It returns false for
// anything else, including releases of fields (s.conn.Close()) and of
// values that are not variables.
func (t *Table) ReleasedBy(info *types.Info, call *ast.CallExpr) (CallRelease, bool) {
	switch fun := ast.Unparen(call.Fun).(type) {
	case *ast.Ident:
		v, ok := info.Uses[fun].(*types.Var)
		if !ok || len(call.Args) != 0 {
			return CallRelease{}, false
		}
		if _, ok := v.Type().Underlying().(*types.Signature); !ok {
			return CallRelease{}, false
		}
		return CallRelease{Var: v, FuncCall: true}, true
	case *ast.SelectorExpr:
		// pkg.F(v): a release function.
		if id, ok := ast.Unparen(fun.X).(*ast.Ident); ok {
			if _, isPkg := info.Uses[id].(*types.PkgName); isPkg {
				fn, _ := info.Uses[fun.Sel].(*types.Func)
				if fn == nil || len(call.Args) == 0 {
					return CallRelease{}, false
				}
				arg, ok := ast.Unparen(call.Args[0]).(*ast.Ident)
				if !ok {
					return CallRelease{}, false
				}
				v, ok := info.Uses[arg].(*types.Var)
				if !ok {
					return CallRelease{}, false
				}
				k := t.KindOfType(v.Type())
				if k == nil || !k.IsReleaseFunc(fn) {
					return CallRelease{}, false
				}
				return CallRelease{Var: v, Kind: k}, true
			}
		}
		if len(call.Args) != 0 {
			return CallRelease{}, false
		}
		if sel, ok := info.Selections[fun]; !ok || sel.Kind() != types.MethodVal {
			return CallRelease{}, false
		}
		method := fun.Sel.Name
		switch x := ast.Unparen(fun.X).(type) {
		case *ast.Ident:
			v, ok := info.Uses[x].(*types.Var)
			if !ok || v.IsField() {
				return CallRelease{}, false
			}
			k := t.KindOfType(v.Type())
			if k == nil || k.Body || k.Func || !k.IsReleaseMethod(method) {
				return CallRelease{}, false
			}
			return CallRelease{Var: v, Kind: k, Method: method}, true
		case *ast.SelectorExpr:
			// v.Body.Close() on an *http.Response.
			id, ok := ast.Unparen(x.X).(*ast.Ident)
			if !ok || x.Sel.Name != "Body" || method != "Close" {
				return CallRelease{}, false
			}
			v, ok := info.Uses[id].(*types.Var)
			if !ok || v.IsField() {
				return CallRelease{}, false
			}
			k := t.KindOfType(v.Type())
			if k == nil || !k.Body {
				return CallRelease{}, false
			}
			return CallRelease{Var: v, Kind: k, Method: method}, true
		}
	}
	return CallRelease{}, false
}
