package closeerr

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"os"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/checkdoc"
	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/directive"
	"github.com/lifecycle-lsp/lifecycle-lsp/codeaction/keepcloseerr"
)

//go:embed doc.go
var doc string

const name = "closeerr"

// Analyzer reports a dropped Close error on a file opened for writing.
var Analyzer = checkdoc.NewAnalyzer(name, doc, run, inspect.Analyzer)

var errorType = types.Universe.Lookup("error").Type()

func run(pass *analysis.Pass) (any, error) {
	filter := directive.NewFilter(pass, name)
	filter.ReportMissingReasons(false)
	if !imports(pass.Pkg, "os") && pass.Pkg.Path() != "os" {
		return nil, nil
	}
	ins := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	for cur := range ins.Root().Preorder((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		var fn keepcloseerr.Func
		switch n := cur.Node().(type) {
		case *ast.FuncDecl:
			fn = keepcloseerr.Func{Type: n.Type, Body: n.Body}
		case *ast.FuncLit:
			fn = keepcloseerr.Func{Type: n.Type, Body: n.Body}
		}
		if fn.Body == nil || !returnsError(pass.TypesInfo, fn.Type) {
			continue
		}
		file := enclosingFile(cur)
		checkFunc(pass, filter, file, fn)
	}
	return nil, nil
}

func enclosingFile(cur inspector.Cursor) *ast.File {
	for c := range cur.Enclosing((*ast.File)(nil)) {
		return c.Node().(*ast.File)
	}
	return nil
}

func imports(pkg *types.Package, path string) bool {
	for _, p := range pkg.Imports() {
		if p.Path() == path {
			return true
		}
	}
	return false
}

func returnsError(info *types.Info, ft *ast.FuncType) bool {
	if ft.Results == nil || len(ft.Results.List) == 0 {
		return false
	}
	t := info.TypeOf(ft.Results.List[len(ft.Results.List)-1].Type)
	return t != nil && types.Identical(t, errorType)
}

// writable is a file variable opened for writing in the function.
type writable struct {
	v    *types.Var
	call *ast.CallExpr
	how  string
}

// useKind classifies one reference to a writable file variable.
type useKind int

const (
	useOther     useKind = iota
	useDefer             // defer v.Close() in the function's own body
	useDiscarded         // v.Close() as a statement in the function's own body
	useChecked           // Close or Sync whose error is looked at (or dropped with _ =)
	useEscape            // v leaves the function or gets an alias
	useDeferLit          // v.Close() dropped inside a deferred closure
	useWrite             // anything that may write to the file
)

// inertMethods neither write to the file nor hand it on.
var inertMethods = map[string]bool{"Close": true, "Stat": true, "Name": true, "Fd": true, "Chmod": true, "Chown": true, "Sync": true, "SetDeadline": true}

func checkFunc(pass *analysis.Pass, filter *directive.Filter, file *ast.File, fn keepcloseerr.Func) {
	info := pass.TypesInfo
	var files []writable
	inspectOwn(fn.Body, func(n ast.Node) {
		var lhs []ast.Expr
		var rhs []ast.Expr
		switch n := n.(type) {
		case *ast.AssignStmt:
			lhs, rhs = n.Lhs, n.Rhs
		case *ast.ValueSpec:
			for _, id := range n.Names {
				lhs = append(lhs, id)
			}
			rhs = n.Values
		default:
			return
		}
		if len(rhs) != 1 || len(lhs) == 0 {
			return
		}
		call, ok := ast.Unparen(rhs[0]).(*ast.CallExpr)
		if !ok {
			return
		}
		how := openedForWriting(info, call)
		if how == "" {
			return
		}
		id, ok := lhs[0].(*ast.Ident)
		if !ok {
			return
		}
		v, ok := info.ObjectOf(id).(*types.Var)
		if !ok || v.Parent() == nil || v.Parent() == pass.Pkg.Scope() {
			return
		}
		for _, w := range files {
			if w.v == v {
				return
			}
		}
		files = append(files, writable{v: v, call: call, how: how})
	})
	if len(files) == 0 {
		return
	}
	tf := pass.Fset.File(file.Pos())
	var src []byte
	for _, w := range files {
		uses := classify(info, fn.Body, w.v)
		silent, written := false, false
		for _, u := range uses {
			switch u.kind {
			case useChecked, useEscape:
				silent = true
			case useWrite:
				written = true
			}
		}
		if !written {
			silent = true // created only to exist, or to be stat'ed: nothing to lose
		}
		if scratch(info, fn.Body, w) {
			silent = true // removed when the function returns: the data is thrown away
		}
		if silent {
			continue
		}
		for _, u := range uses {
			var fix *analysis.SuggestedFix
			var what string
			switch u.kind {
			case useDefer:
				what = "deferred"
				if src == nil {
					src = readFile(pass, tf.Name())
				}
				if src != nil {
					fix = keepcloseerr.DeferFix(info, fn, u.deferStmt, w.v, src, token.Pos(tf.Base()))
				}
			case useDiscarded:
				if u.ret == nil {
					continue // an error path: the function fails anyway
				}
				what = "discarded"
				if src == nil {
					src = readFile(pass, tf.Name())
				}
				if src != nil {
					fix = keepcloseerr.ReturnFix(u.exprStmt, u.ret, src, token.Pos(tf.Base()))
				}
			case useDeferLit:
				what = "deferred"
			default:
				continue
			}
			d := analysis.Diagnostic{
				Pos:     u.call.Pos(),
				End:     u.call.End(),
				Message: fmt.Sprintf("%s %s.Close() drops the error of a file opened for writing (%s): a failed write-back is lost; return Close's error", what, w.v.Name(), w.how),
				Related: []analysis.RelatedInformation{{Pos: w.call.Pos(), End: w.call.End(), Message: "file opened for writing here"}},
			}
			if fix != nil {
				d.SuggestedFixes = []analysis.SuggestedFix{*fix}
			}
			filter.Report(d)
		}
	}
}

func readFile(pass *analysis.Pass, name string) []byte {
	read := pass.ReadFile
	if read == nil {
		read = os.ReadFile
	}
	src, err := read(name)
	if err != nil {
		return nil
	}
	return src
}

type use struct {
	kind      useKind
	call      *ast.CallExpr
	deferStmt *ast.DeferStmt
	exprStmt  *ast.ExprStmt
	ret       *ast.ReturnStmt // the return right after a discarded Close, if its error is nil
}

// classify finds every reference to v in body (nested closures included)
// and says what it does with the file.
func classify(info *types.Info, body *ast.BlockStmt, v *types.Var) []use {
	var out []use
	ast.PreorderStack(body, nil, func(n ast.Node, stack []ast.Node) bool {
		id, ok := n.(*ast.Ident)
		if !ok || info.Uses[id] != v || len(stack) == 0 {
			return true
		}
		parent := stack[len(stack)-1]
		// depth of function literals between body and the use
		lits := 0
		for _, s := range stack {
			if _, ok := s.(*ast.FuncLit); ok {
				lits++
			}
		}
		if sel, ok := parent.(*ast.SelectorExpr); !ok || sel.X != id || !inertMethods[sel.Sel.Name] {
			out = append(out, use{kind: useWrite})
		}
		switch p := parent.(type) {
		case *ast.SelectorExpr:
			if p.X != id || len(stack) < 3 {
				break
			}
			call, ok := stack[len(stack)-2].(*ast.CallExpr)
			if !ok || call.Fun != p {
				break
			}
			if p.Sel.Name != "Close" && p.Sel.Name != "Sync" {
				break
			}
			switch g := stack[len(stack)-3].(type) {
			case *ast.DeferStmt:
				if p.Sel.Name == "Close" && lits == 0 {
					out = append(out, use{kind: useDefer, call: call, deferStmt: g})
				}
			case *ast.GoStmt:
			case *ast.ExprStmt:
				if p.Sel.Name != "Close" {
					break
				}
				if lits == 0 {
					out = append(out, use{kind: useDiscarded, call: call, exprStmt: g, ret: nextReturn(stack[:len(stack)-3], g)})
				} else if inDeferredLit(stack[:len(stack)-3], g) {
					out = append(out, use{kind: useDeferLit, call: call})
				}
			default:
				out = append(out, use{kind: useChecked, call: call})
			}
		case *ast.ReturnStmt, *ast.SendStmt, *ast.CompositeLit, *ast.KeyValueExpr:
			out = append(out, use{kind: useEscape})
		case *ast.AssignStmt:
			for _, r := range p.Rhs {
				if r == id {
					out = append(out, use{kind: useEscape})
				}
			}
		case *ast.CallExpr:
			if fid, ok := p.Fun.(*ast.Ident); ok && fid.Name == "append" {
				out = append(out, use{kind: useEscape})
			}
		}
		return true
	})
	return out
}

// inDeferredLit reports whether s is a top-level statement of a function
// literal called by a defer statement: an unconditional release in a
// deferred closure. (A conditional one, `if err != nil { f.Close() }`, is
// error-path cleanup.)
func inDeferredLit(stack []ast.Node, s ast.Stmt) bool {
	if len(stack) < 4 {
		return false
	}
	body, ok := stack[len(stack)-1].(*ast.BlockStmt)
	if !ok {
		return false
	}
	if _, ok := stack[len(stack)-2].(*ast.FuncLit); !ok {
		return false
	}
	_ = body
	for i := len(stack) - 2; i >= 2; i-- {
		if lit, ok := stack[i].(*ast.FuncLit); ok {
			call, ok := stack[i-1].(*ast.CallExpr)
			if !ok || call.Fun != lit {
				return false
			}
			_, ok = stack[i-2].(*ast.DeferStmt)
			return ok
		}
	}
	return false
}

// nextReturn returns the statement after s in its block when it is a return
// whose last result is the literal nil.
func nextReturn(stack []ast.Node, s ast.Stmt) *ast.ReturnStmt {
	if len(stack) == 0 {
		return nil
	}
	var list []ast.Stmt
	switch b := stack[len(stack)-1].(type) {
	case *ast.BlockStmt:
		list = b.List
	case *ast.CaseClause:
		list = b.Body
	case *ast.CommClause:
		list = b.Body
	}
	for i, st := range list {
		if st == s && i+1 < len(list) {
			r, ok := list[i+1].(*ast.ReturnStmt)
			if !ok || len(r.Results) == 0 {
				return nil
			}
			if id, ok := r.Results[len(r.Results)-1].(*ast.Ident); ok && id.Name == "nil" {
				return r
			}
		}
	}
	return nil
}

// openedForWriting describes how call opens a file for writing, or returns
// "" when it does not (or cannot be told).
func openedForWriting(info *types.Info, call *ast.CallExpr) string {
	fn, ok := typeutil.Callee(info, call).(*types.Func)
	if !ok || fn.Pkg() == nil || fn.Pkg().Path() != "os" || fn.Signature().Recv() != nil {
		return ""
	}
	switch fn.Name() {
	case "Create", "CreateTemp":
		return "os." + fn.Name()
	case "OpenFile":
		if len(call.Args) != 3 {
			return ""
		}
		tv, ok := info.Types[call.Args[1]]
		if !ok || tv.Value == nil {
			return ""
		}
		flag, ok := constant.Int64Val(constant.ToInt(tv.Value))
		if !ok {
			return ""
		}
		if flag&int64(os.O_WRONLY|os.O_RDWR|os.O_APPEND|os.O_CREATE|os.O_TRUNC) != 0 {
			return "os.OpenFile with a write flag"
		}
	}
	return ""
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

// scratch reports whether the function removes the file unconditionally
// (`defer os.Remove(f.Name())`, or an os.Remove of it or of the path it was
// created with as a top-level statement): a scratch file whose content does
// not outlive the call.
func scratch(info *types.Info, body *ast.BlockStmt, w writable) bool {
	found := false
	var calls []*ast.CallExpr
	inspectOwn(body, func(n ast.Node) {
		if d, ok := n.(*ast.DeferStmt); ok {
			calls = append(calls, d.Call)
		}
	})
	for _, st := range body.List { // unconditional removal right away
		if es, ok := st.(*ast.ExprStmt); ok {
			if c, ok := es.X.(*ast.CallExpr); ok {
				calls = append(calls, c)
			}
		}
	}
	for _, call := range calls {
		if len(call.Args) != 1 {
			continue
		}
		fn, ok := typeutil.Callee(info, call).(*types.Func)
		if !ok || fn.Pkg() == nil || fn.Pkg().Path() != "os" || (fn.Name() != "Remove" && fn.Name() != "RemoveAll") {
			continue
		}
		arg := call.Args[0]
		if len(w.call.Args) > 0 && w.how != "os.CreateTemp" && types.ExprString(arg) == types.ExprString(w.call.Args[0]) {
			found = true
		}
		ast.Inspect(arg, func(m ast.Node) bool {
			if id, ok := m.(*ast.Ident); ok && info.Uses[id] == w.v {
				found = true
			}
			return true
		})
	}
	return found
}
