// Package codeactiontest supports the unit tests of the fix builders: it
// type-checks a one-file package given as text and applies a suggested fix
// to that text.
package codeactiontest

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/fixtest"
)

// Check parses and type-checks src as file x.go of package x, failing t on
// any error. The returned Info records Defs, Uses, Types and Selections.
func Check(t testing.TB, src string) (*token.FileSet, *ast.File, *types.Info) {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "x.go", src, parser.ParseComments)
	if err != nil {
		t.Fatalf("parsing: %v", err)
	}
	info := &types.Info{
		Defs:       map[*ast.Ident]types.Object{},
		Uses:       map[*ast.Ident]types.Object{},
		Types:      map[ast.Expr]types.TypeAndValue{},
		Selections: map[*ast.SelectorExpr]*types.Selection{},
	}
	conf := types.Config{Importer: importer.Default()}
	if _, err := conf.Check("x", fset, []*ast.File{f}, info); err != nil {
		t.Fatalf("type-checking: %v", err)
	}
	return fset, f, info
}

// Apply returns src with the edits of fix applied; fix's positions belong
// to the file x.go of fset.
func Apply(t testing.TB, fset *token.FileSet, src string, fix *analysis.SuggestedFix) string {
	t.Helper()
	edits := make([]analysis.TextEdit, len(fix.TextEdits))
	for i, e := range fix.TextEdits {
		edits[i] = analysis.TextEdit{
			Pos:     token.Pos(fset.Position(e.Pos).Offset),
			End:     token.Pos(fset.Position(e.End).Offset),
			NewText: e.NewText,
		}
	}
	out, err := fixtest.Apply([]byte(src), edits)
	if err != nil {
		t.Fatalf("applying %q: %v", fix.Message, err)
	}
	return string(out)
}
