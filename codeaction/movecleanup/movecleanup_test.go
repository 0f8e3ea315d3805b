package movecleanup_test

import (
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"sort"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/lifecycle-lsp/lifecycle-lsp/codeaction/movecleanup"
)

func apply(t *testing.T, src string, base int, edits []analysis.TextEdit) string {
	t.Helper()
	sort.Slice(edits, func(i, j int) bool { return edits[i].Pos > edits[j].Pos })
	for _, e := range edits {
		start, end := int(e.Pos)-base, int(e.End)-base
		src = src[:start] + string(e.NewText) + src[end:]
	}
	if out, err := format.Source([]byte(src)); err != nil || string(out) != src {
		t.Errorf("not gofmt-clean (%v):\n%s", err, src)
	}
	return src
}

func parse(t *testing.T, src string) (*token.FileSet, *ast.File) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	return fset, f
}

func TestMoveDefer(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		{
			name: "multi-line body",
			src: `package p

func f(c interface{ Close() error }, use func()) {
	defer c.Close()
	go func() {
		use()
	}()
}
`,
			want: `package p

func f(c interface{ Close() error }, use func()) {
	go func() {
		defer c.Close()
		use()
	}()
}
`,
		},
		{
			name: "one-line body",
			src: `package p

func f(c interface{ Close() error }, use func()) {
	defer c.Close()
	if true {
		go func() { use(); use() }()
	}
}
`,
			want: `package p

func f(c interface{ Close() error }, use func()) {
	if true {
		go func() {
			defer c.Close()
			use()
			use()
		}()
	}
}
`,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fset, f := parse(t, tc.src)
			var d *ast.DeferStmt
			var lit *ast.FuncLit
			ast.Inspect(f, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.DeferStmt:
					d = n
				case *ast.GoStmt:
					lit = n.Call.Fun.(*ast.FuncLit)
				}
				return true
			})
			base := fset.File(f.Pos()).Base()
			fix := movecleanup.MoveDefer(movecleanup.Source{Src: []byte(tc.src), Base: token.Pos(base)}, d, lit)
			if fix == nil {
				t.Fatal("no fix")
			}
			if got := apply(t, tc.src, base, fix.TextEdits); got != tc.want {
				t.Errorf("got\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

func TestDropGo(t *testing.T) {
	src := "package p\n\nfunc f(c interface{ Close() error }) {\n\tgo c.Close()\n}\n"
	want := "package p\n\nfunc f(c interface{ Close() error }) {\n\tc.Close()\n}\n"
	fset, f := parse(t, src)
	var g *ast.GoStmt
	ast.Inspect(f, func(n ast.Node) bool {
		if s, ok := n.(*ast.GoStmt); ok {
			g = s
		}
		return true
	})
	base := fset.File(f.Pos()).Base()
	fix := movecleanup.DropGo(movecleanup.Source{Src: []byte(src), Base: token.Pos(base)}, g)
	if got := apply(t, src, base, fix.TextEdits); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestReturnRelease(t *testing.T) {
	src := "package p\n\nfunc f(c interface{ Close() error }, n int) (int, error) {\n\tgo c.Close() // later\n\treturn n, nil\n}\n"
	want := "package p\n\nfunc f(c interface{ Close() error }, n int) (int, error) {\n\treturn n, c.Close()\n}\n"
	fset, f := parse(t, src)
	var g *ast.GoStmt
	var nilErr ast.Expr
	ast.Inspect(f, func(n ast.Node) bool {
		switch s := n.(type) {
		case *ast.GoStmt:
			g = s
		case *ast.ReturnStmt:
			nilErr = s.Results[1]
		}
		return true
	})
	base := fset.File(f.Pos()).Base()
	fix := movecleanup.ReturnRelease(movecleanup.Source{Src: []byte(src), Base: token.Pos(base)}, g, nilErr)
	if got := apply(t, src, base, fix.TextEdits); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
