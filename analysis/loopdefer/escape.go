package loopdefer

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/types/typeutil"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/resource"
)

// escapes reports whether a value of vars (the released variable and its
// siblings from the same acquisition) outlives the iteration: stored in a
// variable declared outside the loop body, a field, an element of a map or
// slice, sent on a channel, returned, captured by a goroutine, or handed to
// a method that reads as storing it (Add, Push, Store, Register…) or to a
// standard function that takes ownership. Then the deferred release at
// function exit is deliberate: the values must all stay open until the
// function is done with them (the classic "open every file, merge them, then
// close them all" shape).
//
// Locals of the body that are computed from vars and may hold a resource
// join the set, so `r := bufio.NewReader(f); readers = append(readers, r)`
// counts as an escape of f.
func escapes(info *types.Info, body *ast.BlockStmt, vars map[types.Object]bool, d *ast.DeferStmt) bool {
	for range 4 {
		before := len(vars)
		esc := false
		ast.Inspect(body, func(n ast.Node) bool {
			if esc {
				return false
			}
			switch n := n.(type) {
			case *ast.DeferStmt:
				return n != d
			case *ast.GoStmt:
				esc = mentions(info, n.Call, vars)
				return false
			case *ast.SendStmt:
				esc = mentions(info, n.Value, vars)
			case *ast.ReturnStmt:
				for _, r := range n.Results {
					esc = esc || mentions(info, r, vars)
				}
			case *ast.AssignStmt:
				for i, l := range n.Lhs {
					rhs := n.Rhs[0]
					if len(n.Rhs) == len(n.Lhs) {
						rhs = n.Rhs[i]
					}
					if !mentions(info, rhs, vars) {
						continue
					}
					id, isIdent := ast.Unparen(l).(*ast.Ident)
					if isIdent && id.Name == "_" {
						continue
					}
					if t := info.TypeOf(l); t != nil && !mayHold(t) {
						continue
					}
					if isIdent {
						if o := objOf(info, id); o != nil && inside(o.Pos(), body) {
							vars[o] = true
							continue
						}
					}
					esc = true
				}
			case *ast.ValueSpec:
				for i, id := range n.Names {
					var val ast.Expr
					switch {
					case len(n.Values) == len(n.Names):
						val = n.Values[i]
					case len(n.Values) == 1:
						val = n.Values[0]
					}
					if val != nil && mentions(info, val, vars) && mayHold(info.TypeOf(id)) {
						if o := info.Defs[id]; o != nil {
							vars[o] = true
						}
					}
				}
			case *ast.UnaryExpr:
				if id, ok := ast.Unparen(n.X).(*ast.Ident); ok && n.Op == token.AND && vars[info.Uses[id]] {
					esc = true
				}
			case *ast.CallExpr:
				esc = storing(info, n, vars)
			}
			return !esc
		})
		if esc {
			return true
		}
		if len(vars) == before {
			break
		}
	}
	return false
}

// mentions reports whether e uses a variable of vars as a value. The
// receiver of a method call (f.Name(), rows.Scan(&x)) is not such a use:
// the call does not copy the resource anywhere.
func mentions(info *types.Info, e ast.Node, vars map[types.Object]bool) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if found {
			return false
		}
		switch n := n.(type) {
		case *ast.CallExpr:
			if sel, ok := ast.Unparen(n.Fun).(*ast.SelectorExpr); ok {
				id, ok := ast.Unparen(sel.X).(*ast.Ident)
				s := info.Selections[sel]
				if ok && vars[info.Uses[id]] && s != nil && s.Kind() == types.MethodVal {
					for _, a := range n.Args {
						found = found || mentions(info, a, vars)
					}
					return false
				}
			}
		case *ast.Ident:
			found = vars[info.Uses[n]]
		}
		return true
	})
	return found
}

// mayHold reports whether a value of type t can hold (a reference to) a
// resource: plain data (numbers, strings, byte slices, errors) cannot.
func mayHold(t types.Type) bool {
	switch u := t.Underlying().(type) {
	case *types.Basic:
		return false
	case *types.Slice:
		return mayHold(u.Elem())
	case *types.Array:
		return mayHold(u.Elem())
	case *types.Map:
		return mayHold(u.Key()) || mayHold(u.Elem())
	}
	return !types.Identical(t, errorType)
}

// storeVerbs are method-name prefixes that read as keeping an argument.
var storeVerbs = []string{"Add", "Append", "Push", "Store", "Set", "Put", "Insert", "Register", "Track", "Enqueue", "Send", "Submit", "Go", "Defer", "Keep", "Cache", "Save"}

// storing reports whether call hands a value of vars to something that may
// keep it beyond the iteration.
func storing(info *types.Info, call *ast.CallExpr, vars map[types.Object]bool) bool {
	fn, _ := typeutil.Callee(info, call).(*types.Func)
	if fn == nil {
		return false
	}
	sig := fn.Type().(*types.Signature)
	shift := 0
	if sig.Recv() != nil {
		shift = 1
		if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
			if id, ok := ast.Unparen(sel.X).(*ast.Ident); ok && vars[info.Uses[id]] {
				return false // a method of the resource itself
			}
		}
	}
	key := resource.KeyOf(fn)
	verb := false
	if sig.Recv() != nil {
		for _, p := range storeVerbs {
			if strings.HasPrefix(fn.Name(), p) {
				verb = true
			}
		}
	}
	for i, a := range call.Args {
		if !mentions(info, a, vars) {
			continue
		}
		if verb || resource.TakesOwnership(key, i+shift) {
			return true
		}
	}
	return false
}
