// Package hoistonce builds the quick fix of the perrequest check: an
// expression that builds a heavyweight client (a *sql.DB, an
// *http.Transport, a gRPC connection…) inside a handler or a loop is moved
// into a package-level variable initialized once, on first use, through
// sync.OnceValue or sync.OnceValues, and the expression is replaced by a call
// of that variable:
//
//	var getDB = sync.OnceValues(func() (*sql.DB, error) {
//		return sql.Open("postgres", dsn)
//	})
//
// Statements that released the per-request value (`defer db.Close()`) are
// removed with it, since the shared value must outlive the request.
//
// The builder is pure: it takes syntax, types and source text and returns
// edits. Movable decides whether an expression can leave its function at
// all (it must mention nothing local).
package hoistonce

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/lifecycle-lsp/lifecycle-lsp/codeaction/addimport"
)

// Movable reports whether expr can be evaluated at package level: every
// identifier in it denotes a package-level or predeclared object, an
// imported package, a field or method, or something declared inside expr
// itself (the parameters of a function literal in a Transport's DialContext,
// for example).
func Movable(info *types.Info, expr ast.Expr) bool {
	return movable(info, expr, expr)
}

func movable(info *types.Info, root ast.Expr, n ast.Node) bool {
	ok := true
	ast.Inspect(n, func(n ast.Node) bool {
		if !ok {
			return false
		}
		switch n := n.(type) {
		case *ast.SelectorExpr:
			// the selected field or method needs no check, only its operand
			ok = movable(info, root, n.X)
			return false
		case *ast.KeyValueExpr:
			if _, isID := n.Key.(*ast.Ident); isID {
				// a struct field key: only the value can refer to locals
				ok = movable(info, root, n.Value)
				return false
			}
		case *ast.Ident:
			if !outside(info, root, n) {
				ok = false
			}
		}
		return ok
	})
	return ok
}

// outside reports whether id may be used from package level.
func outside(info *types.Info, expr ast.Expr, id *ast.Ident) bool {
	obj := info.Uses[id]
	if obj == nil {
		return info.Defs[id] != nil // a declaration inside expr
	}
	switch obj := obj.(type) {
	case *types.PkgName, *types.Builtin, *types.Nil:
		return true
	case *types.Var:
		if obj.IsField() {
			return true
		}
	case *types.Func:
		if obj.Signature().Recv() != nil {
			return true // a method
		}
	}
	if obj.Parent() == types.Universe {
		return true
	}
	if obj.Pkg() != nil && obj.Parent() == obj.Pkg().Scope() {
		return true
	}
	return expr.Pos() <= obj.Pos() && obj.Pos() < expr.End()
}

// Hoist describes one hoisting.
type Hoist struct {
	File *ast.File
	Src  []byte    // content of File
	Base token.Pos // position of Src[0]
	// Expr is replaced by a call of the new variable.
	Expr ast.Expr
	// Decl is the top-level declaration holding Expr; the variable is
	// declared right after it.
	Decl ast.Decl
	// Name is the new variable's name, free in the package and unshadowed
	// at Expr.
	Name string
	// Results are the rendered result types of Expr (one, or a value and
	// an error).
	Results []string
	// Remove are statements (`defer db.Close()`) deleted with the hoisting.
	Remove []ast.Stmt
	// What names the value in the doc comment ("database handle").
	What string
}

// Fix returns the suggested fix for h, or nil when Results has an
// unsupported length.
func Fix(h Hoist) *analysis.SuggestedFix {
	var once, results string
	switch len(h.Results) {
	case 1:
		once, results = "OnceValue", h.Results[0]
	case 2:
		once, results = "OnceValues", "("+h.Results[0]+", "+h.Results[1]+")"
	default:
		return nil
	}
	syncName, imported := addimport.LocalName(h.File, "sync")
	if !imported {
		if addimport.NameTaken(h.File, "sync") {
			return nil // another package is imported as sync
		}
		syncName = "sync"
	}
	body := reindent(h.text(h.Expr), h.indentOf(h.Expr.Pos()), "\t")
	decl := "\n\n// " + h.Name + " builds the shared " + h.What + " once, on first use.\n" +
		"var " + h.Name + " = " + syncName + "." + once + "(func() " + results + " {\n\treturn " + body + "\n})"
	edits := []analysis.TextEdit{
		{Pos: h.Expr.Pos(), End: h.Expr.End(), NewText: []byte(h.Name + "()")},
		{Pos: h.Decl.End(), End: h.Decl.End(), NewText: []byte(decl)},
	}
	for _, s := range h.Remove {
		start, end := h.lineOf(s)
		edits = append(edits, analysis.TextEdit{Pos: start, End: end})
	}
	if !imported {
		edits = append(edits, addimport.Edits(h.File, "sync")...)
	}
	return &analysis.SuggestedFix{
		Message:   "Build it once: hoist into package-level " + h.Name + " (sync." + once + ")",
		TextEdits: edits,
	}
}

func (h Hoist) text(n ast.Node) string {
	return string(h.Src[n.Pos()-h.Base : n.End()-h.Base])
}

func (h Hoist) indentOf(pos token.Pos) string {
	off := int(pos - h.Base)
	start := off
	for start > 0 && h.Src[start-1] != '\n' {
		start--
	}
	end := start
	for end < off && (h.Src[end] == ' ' || h.Src[end] == '\t') {
		end++
	}
	return string(h.Src[start:end])
}

// lineOf returns the range covering s and, when s is alone on its lines,
// the whole lines including the newline.
func (h Hoist) lineOf(s ast.Stmt) (token.Pos, token.Pos) {
	start, end := int(s.Pos()-h.Base), int(s.End()-h.Base)
	ls := start
	for ls > 0 && (h.Src[ls-1] == ' ' || h.Src[ls-1] == '\t') {
		ls--
	}
	le := end
	for le < len(h.Src) && (h.Src[le] == ' ' || h.Src[le] == '\t') {
		le++
	}
	if le+1 < len(h.Src) && h.Src[le] == '/' && h.Src[le+1] == '/' {
		// a trailing line comment goes with the statement
		for le < len(h.Src) && h.Src[le] != '\n' {
			le++
		}
	}
	if (ls == 0 || h.Src[ls-1] == '\n') && le < len(h.Src) && h.Src[le] == '\n' {
		return h.Base + token.Pos(ls), h.Base + token.Pos(le+1)
	}
	return s.Pos(), s.End()
}

// reindent moves the continuation lines of text from indentation old to new.
func reindent(text, old, new string) string {
	lines := strings.Split(text, "\n")
	for i := 1; i < len(lines); i++ {
		if rest, ok := strings.CutPrefix(lines[i], old); ok {
			lines[i] = new + rest
		}
	}
	return strings.Join(lines, "\n")
}
