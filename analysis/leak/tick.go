package leak

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/constant"

	"golang.org/x/tools/go/analysis"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/ownership"
	"github.com/lifecycle-lsp/lifecycle-lsp/codeaction/insertdefer"
)

// tickMessage is the report for time.Tick's channel in a function that
// returns, in a module older than Go 1.23: nothing can stop its ticker and
// the runtime never collects it.
func tickMessage(pass *analysis.Pass, a *ownership.Acquisition, s site) string {
	subject := "the channel"
	if s.name != "" && s.name != "_" {
		subject = s.name
	}
	return fmt.Sprintf("the ticker behind %s from time.Tick can never be stopped, and before Go 1.23 (this module says %s) the runtime never collects it: it keeps firing after %s returns; use time.NewTicker and defer its Stop",
		subject, pass.Pkg.GoVersion(), a.Fn.Name())
}

// tickFix rewrites `c := time.Tick(d)` as a ticker stopped when the
// function returns:
//
//	ticker := time.NewTicker(d)
//	defer ticker.Stop()
//	c := ticker.C
//
// Only for a statement of that form outside loops, and only when d is a
// positive constant: time.Tick returns nil for a period of zero or less,
// where time.NewTicker panics.
func tickFix(pass *analysis.Pass, a *ownership.Acquisition, s site) *analysis.SuggestedFix {
	if len(s.path) == 0 || insertdefer.InsideLoop(s.path) {
		return nil
	}
	as, ok := s.path[0].(*ast.AssignStmt)
	if !ok || len(as.Lhs) != 1 || len(as.Rhs) != 1 || ast.Unparen(as.Rhs[0]) != s.call || len(s.call.Args) != 1 {
		return nil
	}
	if _, ok := as.Lhs[0].(*ast.Ident); !ok {
		return nil
	}
	tv, ok := pass.TypesInfo.Types[s.call.Args[0]]
	if !ok || tv.Value == nil || constant.Sign(tv.Value) <= 0 {
		return nil
	}
	sel, ok := ast.Unparen(s.call.Fun).(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	tf := pass.Fset.File(as.Pos())
	src, err := pass.ReadFile(tf.Name())
	if err != nil {
		return nil
	}
	text := func(n ast.Node) string { return string(src[tf.Offset(n.Pos()):tf.Offset(n.End())]) }
	if bytes.ContainsRune([]byte(text(s.call)), '\n') {
		return nil
	}
	ticker := insertdefer.FreshName(pass.TypesInfo, as.Pos(), "ticker")
	indent := insertdefer.LineIndent(pass.Fset, src, as.Pos())
	newTicker := fmt.Sprintf("%s := %s.NewTicker(%s)\n%sdefer %s.Stop()\n%s", ticker, text(sel.X), text(s.call.Args[0]), indent, ticker, indent)
	return &analysis.SuggestedFix{
		Message: fmt.Sprintf("Use a ticker stopped when %s returns", a.Fn.Name()),
		TextEdits: []analysis.TextEdit{
			{Pos: as.Pos(), End: as.Pos(), NewText: []byte(newTicker)},
			{Pos: s.call.Pos(), End: s.call.End(), NewText: []byte(ticker + ".C")},
		},
	}
}
