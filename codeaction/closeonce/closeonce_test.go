package closeonce_test

import (
	"go/ast"
	"go/format"
	"go/token"
	"testing"

	"github.com/lifecycle-lsp/lifecycle-lsp/codeaction/closeonce"
	"github.com/lifecycle-lsp/lifecycle-lsp/codeaction/codeactiontest"
)

// request finds the for statement and the close(...) statement of src.
func request(t *testing.T, src string) (*token.FileSet, closeonce.Request) {
	t.Helper()
	fset, f, info := codeactiontest.Check(t, src)
	r := closeonce.Request{Src: []byte(src), File: fset.File(f.Pos()), Info: info}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.ForStmt, *ast.RangeStmt:
			if r.Loop == nil {
				r.Loop = n.(ast.Stmt)
			}
		case *ast.ExprStmt:
			if call, ok := n.X.(*ast.CallExpr); ok {
				if id, ok := call.Fun.(*ast.Ident); ok && id.Name == "close" {
					r.Release = n
					r.Name = call.Args[0].(*ast.Ident).Name
				}
			}
		}
		return true
	})
	for _, obj := range info.Defs {
		if obj != nil && obj.Pkg() != nil {
			r.Scope = obj.Pkg().Scope().Innermost(r.Loop.Pos())
			break
		}
	}
	return fset, r
}

func TestBuild(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{{
		name: "a flag before the loop",
		src: `package x

func f(xs []int, done chan struct{}) {
	for range xs {
		close(done)
	}
}
`,
		want: `package x

func f(xs []int, done chan struct{}) {
	doneClosed := false
	for range xs {
		if !doneClosed {
			close(done)
			doneClosed = true
		}
	}
}
`,
	}, {
		name: "a name already taken, in scope and inside the loop",
		src: `package x

func f(xs []int, done chan struct{}) {
	doneClosed := 1
	_ = doneClosed
	for range xs {
		doneClosed2 := 2
		_ = doneClosed2
		close(done)
	}
}
`,
		want: `package x

func f(xs []int, done chan struct{}) {
	doneClosed := 1
	_ = doneClosed
	doneClosed3 := false
	for range xs {
		doneClosed2 := 2
		_ = doneClosed2
		if !doneClosed3 {
			close(done)
			doneClosed3 = true
		}
	}
}
`,
	}} {
		t.Run(tc.name, func(t *testing.T) {
			fset, r := request(t, tc.src)
			fix := closeonce.Build(r)
			if fix == nil {
				t.Fatal("no fix")
			}
			got := codeactiontest.Apply(t, fset, tc.src, fix)
			if got != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tc.want)
			}
			if out, err := format.Source([]byte(got)); err != nil || string(out) != got {
				t.Errorf("not gofmt-clean: %v", err)
			}
		})
	}
}

func TestNoFixWhenTheReleaseSharesItsLine(t *testing.T) {
	src := `package x

func f(xs []int, done chan struct{}) {
	for range xs { close(done) }
}
`
	if _, r := request(t, src); closeonce.Build(r) != nil {
		t.Error("a fix for a release that does not start its line")
	}
}
