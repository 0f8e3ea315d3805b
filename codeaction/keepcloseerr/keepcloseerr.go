// Package keepcloseerr builds the quick fix of the closeerr check: a
// deferred Close whose error is dropped becomes a deferred closure that
// keeps it in the function's error result.
//
// The shape is first-error-wins:
//
//	defer func() {
//		if cerr := f.Close(); cerr != nil && err == nil {
//			err = cerr
//		}
//	}()
//
// An error the function is already returning is never replaced by Close's
// error (which is usually a consequence of it); Close's error is returned
// only when everything else succeeded. The error result is named when it is
// not (other unnamed results become "_"), choosing a name that neither
// collides with a declaration in the function nor gets shadowed where the
// closure or a bare return refers to it. When no such name exists the
// builder returns nil rather than an edit that would not compile.
package keepcloseerr

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// Func is the function whose deferred Close is rewritten.
type Func struct {
	Type *ast.FuncType
	Body *ast.BlockStmt
}

// DeferFix returns the fix replacing stmt (a `defer v.Close()` directly in
// fn's body, v a local variable) with a closure that keeps Close's error in
// fn's error result, or nil when no compiling rewrite exists. src is the
// content of the file holding fn, whose base position is base.
func DeferFix(info *types.Info, fn Func, stmt *ast.DeferStmt, v *types.Var, src []byte, base token.Pos) *analysis.SuggestedFix {
	results := fn.Type.Results
	if results == nil || len(results.List) == 0 {
		return nil
	}
	// The closure reads v when the function returns, the defer read it when
	// the defer ran: they differ if v is reassigned afterwards.
	if assignedAfter(info, fn.Body, v, stmt.End()) {
		return nil
	}
	var edits []analysis.TextEdit
	last := results.List[len(results.List)-1]
	var errName string
	if len(last.Names) > 0 {
		res := info.Defs[last.Names[len(last.Names)-1]]
		errName = res.Name()
		if errName == "_" || !visibleAt(info, fn, errName, res, stmt.Pos()) || !bareReturnsSee(info, fn, errName, res) {
			return nil
		}
	} else {
		errName = pickName(info, fn, stmt.Pos())
		if errName == "" {
			return nil
		}
		var parts []string
		for i, f := range results.List {
			name := "_"
			if i == len(results.List)-1 {
				name = errName
			}
			parts = append(parts, name+" "+text(src, base, f.Type))
		}
		edits = append(edits, analysis.TextEdit{Pos: results.Pos(), End: results.End(),
			NewText: []byte("(" + strings.Join(parts, ", ") + ")")})
	}
	call := stmt.Call
	sel := call.Fun.(*ast.SelectorExpr)
	recv := text(src, base, sel.X)
	cerr := "cerr"
	if recv == cerr || errName == cerr {
		cerr = "closeErr"
	}
	ind := indentOf(src, base, stmt.Pos())
	body := fmt.Sprintf("defer func() {\n%[1]s\tif %[2]s := %[3]s; %[2]s != nil && %[4]s == nil {\n%[1]s\t\t%[4]s = %[2]s\n%[1]s\t}\n%[1]s}()",
		ind, cerr, text(src, base, call), errName)
	edits = append(edits, analysis.TextEdit{Pos: stmt.Pos(), End: stmt.End(), NewText: []byte(body)})
	return &analysis.SuggestedFix{
		Message:   fmt.Sprintf("Keep the error of %s in the result %s", text(src, base, call), errName),
		TextEdits: edits,
	}
}

// ReturnFix returns the fix for a discarded `v.Close()` statement directly
// followed by a return whose error result is nil: the two become one return
// of Close's error.
func ReturnFix(close *ast.ExprStmt, ret *ast.ReturnStmt, src []byte, base token.Pos) *analysis.SuggestedFix {
	if len(ret.Results) == 0 {
		return nil
	}
	var parts []string
	for _, r := range ret.Results[:len(ret.Results)-1] {
		parts = append(parts, text(src, base, r))
	}
	parts = append(parts, text(src, base, close.X))
	return &analysis.SuggestedFix{
		Message: "Return the error of " + text(src, base, close.X),
		TextEdits: []analysis.TextEdit{{Pos: close.Pos(), End: ret.End(),
			NewText: []byte("return " + strings.Join(parts, ", "))}},
	}
}

var errorType = types.Universe.Lookup("error").Type()

// pickName chooses the name of a new error result for fn.
func pickName(info *types.Info, fn Func, at token.Pos) string {
	scope := info.Scopes[fn.Type]
	if scope == nil {
		return ""
	}
	if obj := scope.Lookup("err"); obj == nil || mergesWithResult(info, fn, obj) {
		if found := lookup(info, fn, "err", at); found == nil || found == obj {
			if bareReturnsSeeNew(info, fn, "err", obj) {
				return "err"
			}
		}
	}
	for _, name := range []string{"retErr", "closeErr", "resultErr"} {
		if !mentions(fn, name) {
			return name
		}
	}
	return ""
}

// mergesWithResult reports whether obj, a top-level variable of fn named
// like the new result, would simply become the result: it has type error and
// is declared by a := that also declares another new variable.
func mergesWithResult(info *types.Info, fn Func, obj types.Object) bool {
	v, ok := obj.(*types.Var)
	if !ok || !types.Identical(v.Type(), errorType) {
		return false
	}
	for _, st := range fn.Body.List {
		as, ok := st.(*ast.AssignStmt)
		if !ok || as.Tok != token.DEFINE {
			continue
		}
		declares, others := false, false
		for _, l := range as.Lhs {
			id, ok := l.(*ast.Ident)
			if !ok || info.Defs[id] == nil {
				continue
			}
			if info.Defs[id] == obj {
				declares = true
			} else {
				others = true
			}
		}
		if declares {
			return others
		}
	}
	return false
}

func lookup(info *types.Info, fn Func, name string, at token.Pos) types.Object {
	s := innermost(info, fn, at)
	if s == nil {
		return nil
	}
	_, obj := s.LookupParent(name, at)
	if obj != nil && obj.Parent() == types.Universe {
		return nil
	}
	return obj
}

func innermost(info *types.Info, fn Func, at token.Pos) *types.Scope {
	s := info.Scopes[fn.Type]
	if s == nil {
		return nil
	}
	return s.Innermost(at)
}

func visibleAt(info *types.Info, fn Func, name string, want types.Object, at token.Pos) bool {
	return lookup(info, fn, name, at) == want
}

// bareReturnsSee reports whether every bare return of fn sees the result
// variable res under name (go vet's "err is shadowed during return").
func bareReturnsSee(info *types.Info, fn Func, name string, res types.Object) bool {
	ok := true
	inspectOwn(fn.Body, func(n ast.Node) {
		if r, isRet := n.(*ast.ReturnStmt); isRet && len(r.Results) == 0 && lookup(info, fn, name, r.Pos()) != res {
			ok = false
		}
	})
	return ok
}

// bareReturnsSeeNew is bareReturnsSee for a result that does not exist yet:
// fn has no bare returns when its results are unnamed, so this only guards
// against future edits; it reports true.
func bareReturnsSeeNew(info *types.Info, fn Func, name string, top types.Object) bool {
	ok := true
	inspectOwn(fn.Body, func(n ast.Node) {
		if r, isRet := n.(*ast.ReturnStmt); isRet && len(r.Results) == 0 {
			if obj := lookup(info, fn, name, r.Pos()); obj != nil && obj != top {
				ok = false
			}
		}
	})
	return ok
}

// inspectOwn visits the nodes of body that belong to its function, not to
// nested function literals.
func inspectOwn(body *ast.BlockStmt, f func(ast.Node)) {
	ast.Inspect(body, func(n ast.Node) bool {
		if _, lit := n.(*ast.FuncLit); lit {
			return false
		}
		if n != nil {
			f(n)
		}
		return true
	})
}

func mentions(fn Func, name string) bool {
	found := false
	for _, root := range []ast.Node{fn.Type, fn.Body} {
		ast.Inspect(root, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok && id.Name == name {
				found = true
			}
			return !found
		})
	}
	return found
}

func assignedAfter(info *types.Info, body *ast.BlockStmt, v *types.Var, after token.Pos) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok || as.Pos() < after {
			return !found
		}
		for _, l := range as.Lhs {
			if id, ok := l.(*ast.Ident); ok && info.ObjectOf(id) == v {
				found = true
			}
		}
		return !found
	})
	return found
}

func text(src []byte, base token.Pos, n ast.Node) string {
	return string(src[n.Pos()-base : n.End()-base])
}

// indentOf returns the whitespace that starts the line holding pos.
func indentOf(src []byte, base token.Pos, pos token.Pos) string {
	off := int(pos - base)
	start := off
	for start > 0 && src[start-1] != '\n' {
		start--
	}
	end := start
	for end < off && (src[end] == ' ' || src[end] == '\t') {
		end++
	}
	return string(src[start:end])
}
