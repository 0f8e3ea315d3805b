package removestmt

import (
	"go/ast"
	"go/parser"
	"go/token"
	"testing"
)

func TestEdit(t *testing.T) {
	src := "package p\n\nfunc f() {\n\ta()\n\tb() // note\n\tif x { c() }\n}\n"
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	body := f.Decls[0].(*ast.FuncDecl).Body
	tf := fset.File(f.Pos())
	apply := func(s ast.Stmt) string {
		e := Edit(tf, []byte(src), s)
		return src[:tf.Offset(e.Pos)] + string(e.NewText) + src[tf.Offset(e.End):]
	}
	if got, want := apply(body.List[0]), "package p\n\nfunc f() {\n\tb() // note\n\tif x { c() }\n}\n"; got != want {
		t.Errorf("whole line:\ngot  %q\nwant %q", got, want)
	}
	if got, want := apply(body.List[1]), "package p\n\nfunc f() {\n\ta()\n\tif x { c() }\n}\n"; got != want {
		t.Errorf("line with trailing comment:\ngot  %q\nwant %q", got, want)
	}
	inner := body.List[2].(*ast.IfStmt).Body.List[0]
	if got, want := apply(inner), "package p\n\nfunc f() {\n\ta()\n\tb() // note\n\tif x {  }\n}\n"; got != want {
		t.Errorf("statement sharing its line:\ngot  %q\nwant %q", got, want)
	}
}
