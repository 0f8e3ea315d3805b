package driver

import (
	"context"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/objectpath"
)

type mark struct{ N int }

func (*mark) AFact() {}

// marker exports a fact on every function and counts the facts it can
// import for the functions that package uses.
var marker = &analysis.Analyzer{
	Name:      "marker",
	Doc:       "test",
	FactTypes: []analysis.Fact{new(mark)},
	Run: func(pass *analysis.Pass) (any, error) {
		for id, obj := range pass.TypesInfo.Defs {
			if fn, ok := obj.(*types.Func); ok && fn.Parent() == pass.Pkg.Scope() {
				pass.ExportObjectFact(fn, &mark{N: len(id.Name)})
			}
		}
		for id, obj := range pass.TypesInfo.Uses {
			var m mark
			if fn, ok := obj.(*types.Func); ok && fn.Pkg() != pass.Pkg && pass.ImportObjectFact(fn, &m) {
				pass.Reportf(id.Pos(), "imported fact %d", m.N)
			}
		}
		return nil, nil
	},
}

var crasher = &analysis.Analyzer{Name: "crasher", Doc: "test", Run: func(*analysis.Pass) (any, error) { panic("oops") }}

var dependent = &analysis.Analyzer{Name: "dependent", Doc: "test", Requires: []*analysis.Analyzer{crasher},
	Run: func(*analysis.Pass) (any, error) { return nil, nil }}

func check(t *testing.T, fset *token.FileSet, path, src string, imp types.Importer) (Input, *ast.File) {
	f, err := parser.ParseFile(fset, path+".go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{Defs: map[*ast.Ident]types.Object{}, Uses: map[*ast.Ident]types.Object{}, Types: map[ast.Expr]types.TypeAndValue{}}
	pkg, err := (&types.Config{Importer: imp}).Check(path, fset, []*ast.File{f}, info)
	if err != nil {
		t.Fatal(err)
	}
	return Input{Fset: fset, Files: []*ast.File{f}, Pkg: pkg, Info: info}, f
}

func TestFactsFlowAndPanicsAreConfined(t *testing.T) {
	fset := token.NewFileSet()
	inA, _ := check(t, fset, "a", "package a\nfunc Hello() {}\n", importer.Default())
	resA := Run(context.Background(), []*analysis.Analyzer{marker}, inA)
	if resA.Facts.Len() != 1 || len(resA.Errors) != 0 {
		t.Fatalf("a: %d facts, errors %v", resA.Facts.Len(), resA.Errors)
	}
	imp := importerFunc(func(p string) (*types.Package, error) { return inA.Pkg, nil })
	inB, _ := check(t, fset, "b", "package b\nimport \"a\"\nfunc F() { a.Hello() }\n", imp)
	inB.DepFacts = func(path string) *Facts {
		if path == "a" {
			return resA.Facts
		}
		return nil
	}
	resB := Run(context.Background(), []*analysis.Analyzer{marker, dependent}, inB)
	if len(resB.Diagnostics) != 1 || resB.Diagnostics[0].Message != "imported fact 5" {
		t.Fatalf("b diagnostics: %+v", resB.Diagnostics)
	}
	if len(resB.Errors) != 2 || !strings.Contains(resB.Errors[0].Error(), "panicked") || !strings.Contains(resB.Errors[1].Error(), "skipped") {
		t.Fatalf("errors: %v", resB.Errors)
	}
	// Missing facts: the import fails, nothing crashes.
	inB.DepFacts = nil
	if res := Run(context.Background(), []*analysis.Analyzer{marker}, inB); len(res.Diagnostics) != 0 || len(res.Errors) != 0 {
		t.Fatalf("without facts: %+v", res)
	}
	if resA.Facts.Hash() == newFacts().Hash() {
		t.Fatal("facts hash ignores content")
	}
}

type importerFunc func(string) (*types.Package, error)

func (f importerFunc) Import(p string) (*types.Package, error) { return f(p) }

// ownMarker reports each call of a function of its own package that it
// exported a fact on earlier in the same run.
var ownMarker = &analysis.Analyzer{
	Name:      "ownmarker",
	Doc:       "test",
	FactTypes: []analysis.Fact{new(mark)},
	Run: func(pass *analysis.Pass) (any, error) {
		for _, obj := range pass.TypesInfo.Defs {
			if fn, ok := obj.(*types.Func); ok {
				pass.ExportObjectFact(fn, &mark{N: len(fn.Name())})
			}
		}
		for id, obj := range pass.TypesInfo.Uses {
			var m mark
			if fn, ok := obj.(*types.Func); ok && pass.ImportObjectFact(fn, &m) {
				pass.Reportf(id.Pos(), "fact %d on %s", m.N, fn.Name())
			}
		}
		return nil, nil
	},
}

// TestFactsOnUnexportedObjects checks that a fact on an object without an
// objectpath (an unexported function) serves the package's own analyzers,
// as in go/analysis/checker, and is left out of what dependents see.
func TestFactsOnUnexportedObjects(t *testing.T) {
	fset := token.NewFileSet()
	in, _ := check(t, fset, "a", "package a\nfunc helper() {}\nfunc Hello() { helper() }\n", importer.Default())
	res := Run(context.Background(), []*analysis.Analyzer{ownMarker}, in)
	if len(res.Errors) != 0 {
		t.Fatal(res.Errors)
	}
	if len(res.Diagnostics) != 1 || res.Diagnostics[0].Message != "fact 6 on helper" {
		t.Fatalf("diagnostics: %+v", res.Diagnostics)
	}
	n := 0
	res.Facts.Each(func(objectpath.Path, analysis.Fact) { n++ })
	if n != 1 || res.Facts.Len() != 1 {
		t.Fatalf("facts for dependents: %d listed, Len %d; want only Hello's", n, res.Facts.Len())
	}
}
