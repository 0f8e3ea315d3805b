package overwrite

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"sort"
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
	if fd.what == droppedValue {
		c.reportDropped(filter, fd, stmt, parent)
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
	return c.insertBefore(stmt, parent, []string{"if " + target + " != nil {\n\t" + call + "\n}"}, "Release the old value first: "+call)
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

// reportDropped reports a value the function made that an error return
// drops while its fields hold resources or it runs a goroutine. The fix
// releases the fields, each certainly holding its resource there, just
// before the return; none is offered for a goroutine (how to stop it is the
// type's business) or for a field that may be empty on some path.
func (c *checker) reportDropped(filter *directive.Filter, fd finding, stmt ast.Stmt, parent ast.Node) {
	name := c.allocName(fd.root)
	if name == "" {
		return
	}
	sort.Slice(fd.fields, func(i, j int) bool { return fd.fields[i].key.path < fd.fields[j].key.path })
	var parts []string
	var related []analysis.RelatedInformation
	var releases []string
	fixable := true
	st, _ := deref(fd.root.Type()).Underlying().(*types.Struct)
	for _, df := range fd.fields {
		if df.slot == nil {
			parts = append(parts, "runs a goroutine")
			for _, h := range df.st.held {
				related = append(related, analysis.RelatedInformation{Pos: h.pos, Message: "the goroutine is started here"})
			}
			fixable = false
			continue
		}
		if st == nil || df.field() >= st.NumFields() {
			return
		}
		expr := name + "." + st.Field(df.field()).Name()
		parts = append(parts, fmt.Sprintf("holds %s %s in %s", article(df.slot.kind.Name), df.slot.kind.Name, expr))
		for _, h := range df.st.held {
			related = append(related, analysis.RelatedInformation{Pos: h.pos, Message: "the " + df.slot.kind.Name + " in " + expr + " is acquired here"})
		}
		if df.st.b != bHeld || df.slot.kind.NotIdempotent {
			fixable = false
			continue
		}
		call, err := release.Call(df.slot.typ, df.slot.kind, expr)
		if err != nil {
			fixable = false
			continue
		}
		releases = append(releases, call)
	}
	msg := fmt.Sprintf("%s is dropped on this error return while it %s; release it first", name, strings.Join(parts, " and "))
	d := analysis.Diagnostic{Pos: stmt.Pos(), End: stmt.End(), Message: msg, Related: related}
	if fixable && len(releases) > 0 {
		if fix := c.insertBefore(stmt, parent, releases, "Release what "+name+" holds before returning"); fix != nil {
			d.SuggestedFixes = []analysis.SuggestedFix{*fix}
		}
	}
	filter.Report(d)
}

// allocName returns the source expression naming an allocated value, from
// one of its field selections.
func (c *checker) allocName(a *ssa.Alloc) string {
	if a.Comment != "complit" && token.IsIdentifier(a.Comment) {
		return a.Comment // var w Conn
	}
	if file := c.fileOf(a.Pos()); file != nil && a.Pos().IsValid() {
		// p := &Pool{…}
		path, _ := astutil.PathEnclosingInterval(file, a.Pos(), a.Pos())
		for i, n := range path {
			as, ok := n.(*ast.AssignStmt)
			if !ok {
				continue
			}
			if i > 0 && len(as.Lhs) == len(as.Rhs) {
				for j, r := range as.Rhs {
					if r == path[i-1] {
						if id, ok := as.Lhs[j].(*ast.Ident); ok {
							return id.Name
						}
					}
				}
			}
			break
		}
	}
	for _, r := range *a.Referrers() {
		fa, ok := r.(*ssa.FieldAddr)
		if !ok || !fa.Pos().IsValid() {
			continue
		}
		file := c.fileOf(fa.Pos())
		if file == nil {
			continue
		}
		path, _ := astutil.PathEnclosingInterval(file, fa.Pos(), fa.Pos())
		for _, n := range path {
			if sel, ok := n.(*ast.SelectorExpr); ok {
				if id, ok := ast.Unparen(sel.X).(*ast.Ident); ok {
					return id.Name
				}
				break
			}
		}
	}
	return ""
}

// insertBefore inserts statements before stmt, on lines of their own with
// its indentation, when stmt starts its line in a statement list.
func (c *checker) insertBefore(stmt ast.Stmt, parent ast.Node, lines []string, message string) *analysis.SuggestedFix {
	switch parent.(type) {
	case *ast.BlockStmt, *ast.CaseClause, *ast.CommClause:
	default:
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
	var sb strings.Builder
	for _, l := range lines {
		sb.WriteString(strings.ReplaceAll(l, "\n", "\n"+indent))
		sb.WriteString("\n" + indent)
	}
	return &analysis.SuggestedFix{
		Message:   message,
		TextEdits: []analysis.TextEdit{{Pos: stmt.Pos(), End: stmt.Pos(), NewText: []byte(sb.String())}},
	}
}
