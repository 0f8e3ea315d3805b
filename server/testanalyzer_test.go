package server_test

import (
	"fmt"
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/catalogue"
)

// isOpener marks a function that returns the result of leakyOpen (or of
// another opener): calls to it acquire a resource too.
type isOpener struct{}

func (*isOpener) AFact()         {}
func (*isOpener) String() string { return "opener" }

// leakcheck is a test-only analyzer: it reports `x := f()` where f is a
// function named leakyOpen (or an opener, known through facts) and the
// enclosing function never calls x.Close(); its fix inserts
// `defer x.Close()` after the statement.
var leakcheck = &analysis.Analyzer{
	Name:      "leakcheck",
	Doc:       "test analyzer: reports leakyOpen results never closed",
	URL:       "https://example.com/checks/leakcheck",
	Requires:  []*analysis.Analyzer{inspect.Analyzer},
	FactTypes: []analysis.Fact{new(isOpener)},
	Run:       runLeakcheck,
}

func runLeakcheck(pass *analysis.Pass) (any, error) {
	ins := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	isOpenerCall := func(e ast.Expr) bool {
		call, ok := e.(*ast.CallExpr)
		if !ok {
			return false
		}
		var id *ast.Ident
		switch f := call.Fun.(type) {
		case *ast.Ident:
			id = f
		case *ast.SelectorExpr:
			id = f.Sel
		default:
			return false
		}
		fn, ok := pass.TypesInfo.Uses[id].(*types.Func)
		if !ok {
			return false
		}
		if fn.Name() == "leakyOpen" {
			return true
		}
		return pass.ImportObjectFact(fn, new(isOpener))
	}
	// Export facts for wrappers: func F() T { return leakyOpen() }.
	ins.Preorder([]ast.Node{(*ast.FuncDecl)(nil)}, func(n ast.Node) {
		fd := n.(*ast.FuncDecl)
		if fd.Body == nil {
			return
		}
		for _, st := range fd.Body.List {
			if ret, ok := st.(*ast.ReturnStmt); ok && len(ret.Results) == 1 && isOpenerCall(ret.Results[0]) {
				if obj, ok := pass.TypesInfo.Defs[fd.Name].(*types.Func); ok {
					pass.ExportObjectFact(obj, new(isOpener))
				}
			}
		}
	})
	ins.Preorder([]ast.Node{(*ast.FuncDecl)(nil)}, func(n ast.Node) {
		fd := n.(*ast.FuncDecl)
		if fd.Body == nil {
			return
		}
		ast.Inspect(fd.Body, func(n ast.Node) bool {
			as, ok := n.(*ast.AssignStmt)
			if !ok || len(as.Lhs) != 1 || len(as.Rhs) != 1 || !isOpenerCall(as.Rhs[0]) {
				return true
			}
			id, ok := as.Lhs[0].(*ast.Ident)
			if !ok || id.Name == "_" || closes(fd.Body, id.Name) {
				return true
			}
			call := as.Rhs[0].(*ast.CallExpr)
			pass.Report(analysis.Diagnostic{
				Pos:     call.Pos(),
				End:     call.End(),
				Message: fmt.Sprintf("%s is never closed", id.Name),
				Related: []analysis.RelatedInformation{{Pos: id.Pos(), End: id.End(), Message: "acquired here"}},
				SuggestedFixes: []analysis.SuggestedFix{{
					Message:   fmt.Sprintf("Insert defer %s.Close()", id.Name),
					TextEdits: []analysis.TextEdit{{Pos: as.End(), End: as.End(), NewText: []byte("\n\tdefer " + id.Name + ".Close()")}},
				}},
			})
			return true
		})
	})
	return nil, nil
}

// closes reports whether body calls name.Close().
func closes(body *ast.BlockStmt, name string) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok {
			if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Close" {
				if x, ok := sel.X.(*ast.Ident); ok && x.Name == name {
					found = true
				}
			}
		}
		return !found
	})
	return found
}

// panicker panics on packages named boom, to test fault confinement.
var panicker = &analysis.Analyzer{
	Name: "panicker",
	Doc:  "test analyzer: panics on package boom",
	Run: func(pass *analysis.Pass) (any, error) {
		if pass.Pkg.Name() == "boom" {
			panic("boom goes the analyzer")
		}
		return nil, nil
	},
}

// testCatalogue builds the test checks.
func testCatalogue(catalogue.Config) ([]catalogue.Check, error) {
	return []catalogue.Check{{Analyzer: leakcheck, Default: true}, {Analyzer: panicker, Default: true}}, nil
}
