package deferaftercheck_test

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"testing"

	"github.com/lifecycle-lsp/lifecycle-lsp/codeaction/deferaftercheck"
)

// build runs Build on the first function of src, whose body is:
// acquisition, defer, …, check.
func build(t *testing.T, src string) error {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "x.go", src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{Defs: map[*ast.Ident]types.Object{}, Uses: map[*ast.Ident]types.Object{}}
	if _, err := (&types.Config{Importer: importer.Default()}).Check("x", fset, []*ast.File{f}, info); err != nil {
		t.Fatal(err)
	}
	list := f.Decls[1].(*ast.FuncDecl).Body.List
	acq := list[0].(*ast.AssignStmt)
	v := info.Defs[acq.Lhs[0].(*ast.Ident)]
	e := info.Defs[acq.Lhs[1].(*ast.Ident)]
	_, err = deferaftercheck.Build(deferaftercheck.Request{
		Fset: fset, Info: info, Src: []byte(src), File: f,
		List: list, Defer: 1, Check: len(list) - 2, Err: e, Var: v,
	})
	return err
}

func TestRefusals(t *testing.T) {
	for name, tail := range map[string]string{
		"falls through": "\tif err != nil {\n\t\tprintln(err)\n\t}\n",
		"else":          "\tif err != nil {\n\t\treturn\n\t} else {\n\t\tprintln()\n\t}\n",
		"init":          "\tif x := 1; err != nil {\n\t\t_ = x\n\t\treturn\n\t}\n",
		"not nil":       "\tif err.Error() != \"\" {\n\t\treturn\n\t}\n",
	} {
		src := "package x\n\nimport \"os\"\n\nfunc f(name string) {\n\tf, err := os.Open(name)\n\tdefer f.Close()\n" + tail + "\tprintln()\n}\n"
		if err := build(t, src); err == nil {
			t.Errorf("%s: Build offered a fix", name)
		}
	}
}

func TestReturnBetweenRefused(t *testing.T) {
	src := "package x\n\nimport \"os\"\n\nfunc f(name string, b bool) {\n\tf, err := os.Open(name)\n\tdefer f.Close()\n\tif b {\n\t\treturn\n\t}\n\tif err != nil {\n\t\treturn\n\t}\n\tprintln()\n}\n"
	if err := build(t, src); err == nil {
		t.Error("Build moved a defer past a return")
	}
}

func TestPlainCheckAccepted(t *testing.T) {
	src := "package x\n\nimport \"os\"\n\nfunc f(name string) {\n\tf, err := os.Open(name)\n\tdefer f.Close()\n\tif err != nil {\n\t\treturn\n\t}\n\tprintln()\n}\n"
	if err := build(t, src); err != nil {
		t.Errorf("no fix for the plain shape: %v", err)
	}
}
