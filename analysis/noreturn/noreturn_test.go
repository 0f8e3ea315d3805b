package noreturn_test

import (
	"go/ast"
	"go/types"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/analysis/passes/ctrlflow"
	"golang.org/x/tools/go/packages"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/noreturn"
)

func TestShapes(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), noreturn.Analyzer, "shapes")
}

// agree reports every function of the package, declared or called, on
// which noreturn and go/analysis's ctrlflow disagree.
var agree = &analysis.Analyzer{
	Name:     "agree",
	Doc:      "reports where noreturn and ctrlflow disagree",
	Requires: []*analysis.Analyzer{noreturn.Analyzer, ctrlflow.Analyzer},
	Run: func(pass *analysis.Pass) (any, error) {
		ours := pass.ResultOf[noreturn.Analyzer].(*noreturn.Funcs)
		theirs := pass.ResultOf[ctrlflow.Analyzer].(*ctrlflow.CFGs)
		compare := func(n ast.Node, fn *types.Func) {
			if ours.NeverReturns(fn) != theirs.NoReturn(fn) {
				pass.Reportf(n.Pos(), "%s: noreturn says %v, ctrlflow %v", fn.FullName(), ours.NeverReturns(fn), theirs.NoReturn(fn))
			}
		}
		for _, file := range pass.Files {
			ast.Inspect(file, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.FuncDecl:
					if fn, ok := pass.TypesInfo.Defs[n.Name].(*types.Func); ok {
						compare(n, fn)
					}
				case *ast.Ident:
					if fn, ok := pass.TypesInfo.Uses[n].(*types.Func); ok {
						compare(n, fn)
					}
				}
				return true
			})
		}
		return nil, nil
	},
}

// TestSameAsCtrlflow checks that the answers, which the ownership engine
// hands to the SSA builder, are those of ctrlflow, which it used before:
// on the test shapes, and on standard packages (tests included) with many
// functions that never return (runtime, testing, log) and many that only
// might.
func TestSameAsCtrlflow(t *testing.T) {
	cfg := &packages.Config{Mode: packages.LoadAllSyntax, Tests: true}
	pkgs, err := packages.Load(cfg, "os", "log", "testing", "runtime", "net/http", "go/types")
	if err != nil {
		t.Fatal(err)
	}
	shapes, err := packages.Load(&packages.Config{
		Mode: packages.LoadAllSyntax,
		Dir:  filepath.Join(analysistest.TestData(), "src", "shapes"),
		Env:  append(os.Environ(), "GO111MODULE=off", "GOPATH="+analysistest.TestData()),
	}, "shapes")
	if err != nil {
		t.Fatal(err)
	}
	pkgs = append(pkgs, shapes...)
	if packages.PrintErrors(pkgs) > 0 {
		t.Fatal("the packages do not load")
	}
	graph, err := checker.Analyze([]*analysis.Analyzer{agree}, pkgs, nil)
	if err != nil {
		t.Fatal(err)
	}
	roots := 0
	for act := range graph.All() {
		if act.Analyzer != agree || !act.IsRoot {
			continue
		}
		roots++
		if act.Err != nil {
			t.Errorf("%s: %v", act.Package.ID, act.Err)
		}
		for _, d := range act.Diagnostics {
			t.Errorf("%s: %s", act.Package.Fset.Position(d.Pos), d.Message)
		}
	}
	if roots < 7 {
		t.Errorf("compared %d packages, want at least 7", roots)
	}
}
