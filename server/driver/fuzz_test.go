package driver

import (
	"bytes"
	"context"
	"go/ast"
	"go/format"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/catalogue"
	"github.com/lifecycle-lsp/lifecycle-lsp/server/partial"
)

// stdImporter imports standard-library packages from export data, shared
// by every input of a fuzzing process (the packages are immutable).
var stdImporter = sync.OnceValue(func() types.Importer { return importer.Default() })

// importerMu serialises the shared importer, which is not safe for
// concurrent use.
var importerMu sync.Mutex

type lockedImporter struct{}

func (lockedImporter) Import(path string) (*types.Package, error) {
	importerMu.Lock()
	defer importerMu.Unlock()
	if path == "C" {
		return nil, os.ErrNotExist
	}
	return stdImporter().Import(path)
}

// mutate applies statement-level edits to the function bodies of f: every
// three bytes of ops delete, duplicate, swap, move or wrap (in a loop, a
// goroutine, a closure or a branch) one statement.
func mutate(f *ast.File, ops []byte) {
	var blocks []*ast.BlockStmt
	ast.Inspect(f, func(n ast.Node) bool {
		if b, ok := n.(*ast.BlockStmt); ok {
			blocks = append(blocks, b)
		}
		return true
	})
	if len(blocks) == 0 {
		return
	}
	wrappers := []string{
		"for range 2 { _ = 0 }",
		"go func() { _ = 0 }()",
		"func() { _ = 0 }()",
		"if len(\"x\") > 0 { _ = 0 }",
		"defer func() { _ = 0 }()",
	}
	for ; len(ops) >= 3; ops = ops[3:] {
		b := blocks[int(ops[1])%len(blocks)]
		if len(b.List) == 0 {
			continue
		}
		i := int(ops[2]) % len(b.List)
		switch ops[0] % 5 {
		case 0:
			b.List = slices.Delete(b.List, i, i+1)
		case 1:
			b.List = slices.Insert(b.List, i, b.List[i])
		case 2:
			if i+1 < len(b.List) {
				b.List[i], b.List[i+1] = b.List[i+1], b.List[i]
			}
		case 3:
			to := blocks[int(ops[2])%len(blocks)]
			s := b.List[i]
			if contains(s, to) {
				continue // moving a statement into itself makes a cycle
			}
			b.List = slices.Delete(b.List, i, i+1)
			to.List = append(to.List, s)
		case 4:
			w := wrappers[int(ops[2])%len(wrappers)]
			e, err := parser.ParseExpr("func() { " + w + " }")
			if err != nil {
				panic(err)
			}
			stmt := e.(*ast.FuncLit).Body.List[0]
			var inner *ast.BlockStmt
			ast.Inspect(stmt, func(n ast.Node) bool {
				if bs, ok := n.(*ast.BlockStmt); ok && inner == nil {
					inner = bs
				}
				return inner == nil
			})
			inner.List = []ast.Stmt{b.List[i]}
			b.List[i] = stmt
		}
	}
}

// contains reports whether node n is inside the tree of root.
func contains(root, n ast.Node) bool {
	found := false
	ast.Inspect(root, func(x ast.Node) bool {
		if x == n {
			found = true
		}
		return !found
	})
	return found
}

// seedFiles returns the analyzers' test data files.
func seedFiles(tb testing.TB) []string {
	seeds, err := filepath.Glob(filepath.Join("..", "..", "analysis", "*", "testdata", "src", "*", "*.go"))
	if err != nil || len(seeds) == 0 {
		tb.Fatalf("no analyzer test data found: %v", err)
	}
	return seeds
}

// FuzzAnalyzers runs every check on mutations of the analyzers' test
// data. A mutation that does not type-check is not Go and is skipped;
// on every one that does, no analyzer may panic or fail.
func FuzzAnalyzers(f *testing.F) {
	for i, name := range seedFiles(f) {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(data), []byte{byte(i), byte(i * 7), byte(i * 13), 4, byte(i), 1})
	}
	analyzers := catalogue.Analyzers(catalogue.All())
	f.Fuzz(func(t *testing.T, src string, ops []byte) {
		if len(src) > 1<<14 || len(ops) > 3*64 {
			// Thousands of nested wraps make code no one writes and
			// only exhaust the stack of the printer and the parser.
			return
		}
		analyseMutant(t, analyzers, src, ops)
	})
}

// TestFuzzSeedsAreAnalysed keeps FuzzAnalyzers honest: most of its seeds
// type-check unmutated, and the checks find something in them.
func TestFuzzSeedsAreAnalysed(t *testing.T) {
	analyzers := catalogue.Analyzers(catalogue.All())
	seeds := seedFiles(t)
	checked, diags := 0, 0
	for _, name := range seeds {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if n, ok := analyseMutant(t, analyzers, string(data), nil); ok {
			checked++
			diags += n
		}
	}
	if checked*3 < len(seeds)*2 || diags == 0 {
		t.Errorf("%d of %d seeds type-check, with %d diagnostics in all", checked, len(seeds), diags)
	}
}

// analyseMutant mutates src by ops and, when the result type-checks, runs
// the analyzers on it, failing t on any analyzer error. It returns the
// number of diagnostics and whether the mutant type-checked.
func analyseMutant(t *testing.T, analyzers []*analysis.Analyzer, src string, ops []byte) (int, bool) {
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "in.go", src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return 0, false
	}
	mutate(file, ops)
	var buf bytes.Buffer
	if err := format.Node(&buf, token.NewFileSet(), file); err != nil {
		return 0, false
	}
	text := buf.String()
	fset = token.NewFileSet()
	file, err = parser.ParseFile(fset, "in.go", text, parser.ParseComments)
	if err != nil {
		return 0, false
	}
	info := NewInfo()
	hard := false
	conf := types.Config{Importer: lockedImporter{}, Error: func(err error) {
		if te, ok := err.(types.Error); !ok || !partial.Benign(te) {
			hard = true
		}
	}}
	pkg, _ := conf.Check(file.Name.Name, fset, []*ast.File{file}, info)
	if hard || pkg == nil {
		return 0, false
	}
	res := Run(context.Background(), analyzers, Input{
		Fset:  fset,
		Files: []*ast.File{file},
		Pkg:   pkg,
		Info:  info,
		Sizes: types.SizesFor("gc", "amd64"),
		ReadFile: func(name string) ([]byte, error) {
			if name != "in.go" {
				return nil, os.ErrNotExist
			}
			return []byte(text), nil
		},
	})
	for _, err := range res.Errors {
		t.Errorf("%v", strings.SplitN(err.Error(), "\n", 12))
	}
	if t.Failed() {
		t.Logf("program:\n%s", text)
	}
	return len(res.Diagnostics), true
}
