package assigned_test

import (
	"go/ast"
	"go/types"
	"testing"

	"github.com/lifecycle-lsp/lifecycle-lsp/codeaction/assigned"
	"github.com/lifecycle-lsp/lifecycle-lsp/codeaction/codeactiontest"
)

// TestWhere checks, for each function of the source, whether its body
// changes the variable x it declares first.
func TestWhere(t *testing.T) {
	src := `package x

import "bytes"

type T struct{ n int }

func (t *T) set()    { t.n = 1 }
func (t T) get() int { return t.n }

func read() int      { x := 1; return x + 1 }
func assign() int    { x := 1; x = 2; return x }
func incr() int      { x := 1; x++; return x }
func addr() *int     { x := 1; return &x }
func rangeAssign()   { x := 0; for x = range 3 { }; _ = x }
func ptrMethod()     { var x T; x.set() }
func valueMethod()   { var x T; _ = x.get() }
func ptrVar()        { x := &T{}; x.set() }
func buffer() string { var x bytes.Buffer; x.WriteString("a"); return "" }
func field()         { var x T; _ = x.n }
`
	_, f, info := codeactiontest.Check(t, src)
	want := map[string]bool{
		"read": false, "assign": true, "incr": true, "addr": true, "rangeAssign": true,
		"ptrMethod": true, "valueMethod": false, "ptrVar": false, "buffer": true, "field": false,
	}
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Recv != nil {
			continue
		}
		var x types.Object
		ast.Inspect(fd.Body, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok && id.Name == "x" && x == nil {
				x = info.Defs[id]
			}
			return x == nil
		})
		if x == nil {
			t.Fatalf("%s declares no x", fd.Name.Name)
		}
		if got := assigned.Where(info, fd.Body, x) != nil; got != want[fd.Name.Name] {
			t.Errorf("%s: changed = %v, want %v", fd.Name.Name, got, want[fd.Name.Name])
		}
	}
}
