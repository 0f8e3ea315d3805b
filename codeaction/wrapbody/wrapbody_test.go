package wrapbody_test

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"strings"
	"testing"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/fixtest"
	"github.com/lifecycle-lsp/lifecycle-lsp/codeaction/wrapbody"
)

// build parses src, finds the first loop of the first function and runs
// Build on it, returning the fixed text or the refusal.
func build(t *testing.T, src string) (string, error) {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "x.go", src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{Defs: map[*ast.Ident]types.Object{}, Uses: map[*ast.Ident]types.Object{}}
	conf := types.Config{Importer: importer.Default()}
	if _, err := conf.Check("x", fset, []*ast.File{f}, info); err != nil {
		t.Fatal(err)
	}
	fn := f.Decls[0].(*ast.FuncDecl)
	var loop ast.Stmt
	var label *ast.LabeledStmt
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		if loop != nil {
			return false
		}
		switch n := n.(type) {
		case *ast.LabeledStmt:
			label = n
		case *ast.ForStmt, *ast.RangeStmt:
			loop = n.(ast.Stmt)
		}
		return true
	})
	if label != nil && label.Stmt != loop {
		label = nil
	}
	fix, err := wrapbody.Build(wrapbody.Request{Fset: fset, Info: info, Src: []byte(src), Loop: loop, Label: label, Func: fn.Body})
	if err != nil {
		return "", err
	}
	var edits = fix.TextEdits
	for i := range edits {
		edits[i].Pos = token.Pos(fset.Position(edits[i].Pos).Offset)
		edits[i].End = token.Pos(fset.Position(edits[i].End).Offset)
	}
	out, err := fixtest.Apply([]byte(src), edits)
	if err != nil {
		t.Fatal(err)
	}
	return string(out), nil
}

func TestContinueInSwitchIsRewritten(t *testing.T) {
	src := `package x

func f(xs []int) (n int) {
	for _, x := range xs {
		switch {
		case x < 0:
			continue
		case x == 0:
			break
		}
		n += x
	}
	return n
}
`
	got, err := build(t, src)
	if err != nil {
		t.Fatal(err)
	}
	want := `package x

func f(xs []int) (n int) {
	for _, x := range xs {
		func() {
			switch {
			case x < 0:
				return
			case x == 0:
				break
			}
			n += x
		}()
	}
	return n
}
`
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestRefusals(t *testing.T) {
	for name, body := range map[string]string{
		"return":         "if x > 0 { return }",
		"break":          "if x > 0 { break }",
		"goto":           "goto end\n\t\tend:",
		"labelled break": "for { break outer }",
	} {
		label := ""
		if strings.Contains(body, "outer") {
			label = "outer:\n"
		}
		src := "package x\n\nfunc f(xs []int) {\n" + label + "\tfor _, x := range xs {\n\t\t" + body + "\n\t\t_ = x\n\t}\n}\n"
		if _, err := build(t, src); err == nil {
			t.Errorf("%s: Build offered a fix for a body that jumps out", name)
		} else if strings.TrimSpace(err.Error()) == "" {
			t.Errorf("%s: empty reason", name)
		}
	}
}

func TestOneLineBodyHasNoFix(t *testing.T) {
	src := "package x\n\nfunc f(xs []int) {\n\tfor range xs { println() }\n}\n"
	if _, err := build(t, src); err == nil {
		t.Error("Build offered a fix for a one-line body")
	}
}
