package overwrite

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/astutil"
	"golang.org/x/tools/go/ssa"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/directive"
	"github.com/lifecycle-lsp/lifecycle-lsp/codeaction/release"
)

func (c *checker) fileOf(pos token.Pos) *ast.File {
	for _, f := range c.pass.Files {
		if f.FileStart <= pos && pos <= f.FileEnd {
			return f
		}
	}
	return nil
}

func (c *checker) report(filter *directive.Filter, fn *ssa.Function, fd finding) {
	if !fd.pos.IsValid() {
		return
	}
	file := c.fileOf(fd.pos)
	if file == nil {
		return
	}
	path, _ := astutil.PathEnclosingInterval(file, fd.pos, fd.pos)
	stmt, parent := enclosingStmt(path)
	if stmt == nil {
		return
	}
	target := c.targetExpr(fd, stmt)
	if target == "" {
		return
	}
	var msg string
	switch fd.what {
	case overwritten:
		msg = target + " is overwritten"
	case setNil:
		msg = target + " is set to nil"
	case replaced:
		msg = target + " is replaced"
	case deleted:
		msg = "delete removes " + target
	case cleared:
		msg = target + " is cleared"
	}
	noun := fd.slot.kind.Name
	if fd.what == cleared {
		msg += fmt.Sprintf(" while it may still hold %s that are not released first", plural(noun))
	} else {
		msg += fmt.Sprintf(" while it may still hold %s %s that is not released first", article(noun), noun)
	}
	var related []analysis.RelatedInformation
	for _, h := range fd.pre.held {
		related = append(related, analysis.RelatedInformation{Pos: h.pos, Message: "the " + noun + " it may hold is acquired here"})
	}
	if len(related) == 0 && fd.slot.acquired.IsValid() {
		related = append(related, analysis.RelatedInformation{Pos: fd.slot.acquired, Message: fd.slot.obj.Name() + " is given " + article(noun) + " " + noun + " here"})
	}
	d := analysis.Diagnostic{Pos: stmt.Pos(), End: stmt.End(), Message: msg, Related: related}
	if fix := c.fix(fd, file, stmt, parent, target); fix != nil {
		d.SuggestedFixes = []analysis.SuggestedFix{*fix}
	}
	filter.Report(d)
}

func plural(noun string) string {
	switch {
	case strings.HasSuffix(noun, "s"):
		return noun + "es"
	case strings.HasSuffix(noun, "y"):
		return strings.TrimSuffix(noun, "y") + "ies"
	}
	return noun + "s"
}

func article(noun string) string {
	if noun != "" && strings.ContainsRune("aeiou", rune(noun[0])) {
		return "an"
	}
	return "a"
}

// enclosingStmt returns the innermost statement on path and its parent.
func enclosingStmt(path []ast.Node) (ast.Stmt, ast.Node) {
	for i, n := range path {
		if s, ok := n.(ast.Stmt); ok {
			if i+1 < len(path) {
				return s, path[i+1]
			}
			return s, nil
		}
	}
	return nil, nil
}

// targetExpr renders what the statement overwrites: the left-hand side
// whose position the finding carries, or the entry a delete removes.
func (c *checker) targetExpr(fd finding, stmt ast.Stmt) string {
	switch s := stmt.(type) {
	case *ast.AssignStmt:
		for _, lhs := range s.Lhs {
			if lhs.Pos() <= fd.pos && fd.pos <= lhs.End() {
				return types.ExprString(lhs)
			}
		}
	case *ast.ExprStmt:
		call, ok := s.X.(*ast.CallExpr)
		if !ok || len(call.Args) == 0 {
			return ""
		}
		if fd.what == deleted && len(call.Args) == 2 {
			return types.ExprString(call.Args[0]) + "[" + types.ExprString(call.Args[1]) + "]"
		}
		return types.ExprString(call.Args[0])
	}
	return ""
}

// fix releases the old value just before the statement, guarded by a nil
// check. It is offered only when that is certainly safe: the new value is
// nil or a fresh acquisition (so it cannot be the old one), no path reaching
// the statement has released the old value already, the release may be
// repeated, the target is a plain expression without calls, and the
// statement starts its own line in a statement list.
func (c *checker) fix(fd finding, file *ast.File, stmt ast.Stmt, parent ast.Node, target string) *analysis.SuggestedFix {
	if fd.what == cleared || !fd.fresh || fd.pre.b&bReleased != 0 || fd.slot.kind.NotIdempotent {
		return nil
	}
	switch parent.(type) {
	case *ast.BlockStmt, *ast.CaseClause, *ast.CommClause:
	default:
		return nil
	}
	var lhs ast.Expr
	switch s := stmt.(type) {
	case *ast.AssignStmt:
		if s.Tok != token.ASSIGN {
			return nil
		}
		for _, l := range s.Lhs {
			if types.ExprString(l) == target {
				lhs = l
			}
		}
		if lhs == nil || !plain(lhs) {
			return nil
		}
		for _, r := range s.Rhs {
			if mentionsExpr(r, target) {
				return nil
			}
		}
	case *ast.ExprStmt:
		call := s.X.(*ast.CallExpr)
		for _, a := range call.Args {
			if !plain(a) {
				return nil
			}
		}
	default:
		return nil
	}
	call, err := release.Call(fd.slot.typ, fd.slot.kind, target)
	if err != nil {
		return nil
	}
	tf := c.pass.Fset.File(stmt.Pos())
	src, err := c.pass.ReadFile(tf.Name())
	if err != nil {
		return nil
	}
	off := tf.Offset(stmt.Pos())
	lineStart := tf.Offset(tf.LineStart(tf.Line(stmt.Pos())))
	indent := string(src[lineStart:off])
	if strings.TrimLeft(indent, " \t") != "" {
		return nil
	}
	text := "if " + target + " != nil {\n" + indent + "\t" + call + "\n" + indent + "}\n" + indent
	return &analysis.SuggestedFix{
		Message:   "Release the old value first: " + call,
		TextEdits: []analysis.TextEdit{{Pos: stmt.Pos(), End: stmt.Pos(), NewText: []byte(text)}},
	}
}

// plain reports whether e can be evaluated again without effects: names,
// selections, dereferences and indexes by such expressions or literals.
func plain(e ast.Expr) bool {
	switch x := e.(type) {
	case *ast.Ident, *ast.BasicLit:
		return true
	case *ast.SelectorExpr:
		return plain(x.X)
	case *ast.StarExpr:
		return plain(x.X)
	case *ast.ParenExpr:
		return plain(x.X)
	case *ast.IndexExpr:
		return plain(x.X) && plain(x.Index)
	}
	return false
}

func mentionsExpr(e ast.Expr, target string) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if x, ok := n.(ast.Expr); ok && types.ExprString(x) == target {
			found = true
		}
		return !found
	})
	return found
}
