package wrapbody_test

import (
	"go/ast"
	"strings"
	"testing"

	"github.com/lifecycle-lsp/lifecycle-lsp/codeaction/codeactiontest"
	"github.com/lifecycle-lsp/lifecycle-lsp/codeaction/wrapbody"
)

// build type-checks src, finds the first loop of the first function and
// runs Build on it, returning the fixed text or the refusal.
func build(t *testing.T, src string) (string, error) {
	t.Helper()
	fset, f, info := codeactiontest.Check(t, src)
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
	fix, err := wrapbody.Build(wrapbody.Request{Fset: fset, Info: info, Src: []byte(src), Loop: loop, Label: label, Func: fn.Body, FuncType: fn.Type})
	if err != nil {
		return "", err
	}
	return codeactiontest.Apply(t, fset, src, fix), nil
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
	for name, src := range map[string]string{
		"goto":               "package x\n\nfunc f(xs []int) {\n\tfor _, x := range xs {\n\t\tif x > 0 {\n\t\t\tgoto end\n\t\t}\n\t}\nend:\n}\n",
		"multi-value return": "package x\n\nfunc f(xs []int) (int, error) {\n\tfor _, x := range xs {\n\t\tif x > 0 {\n\t\t\treturn g()\n\t\t}\n\t}\n\treturn 0, nil\n}\n\nfunc g() (int, error) { return 0, nil }\n",
	} {
		if _, err := build(t, src); err == nil {
			t.Errorf("%s: Build offered a fix for a body that jumps out", name)
		} else if strings.TrimSpace(err.Error()) == "" {
			t.Errorf("%s: empty reason", name)
		}
	}
}

func TestBreakAndReturnAreCarried(t *testing.T) {
	src := `package x

func f(xs []int) (int, bool) {
	for _, x := range xs {
		if x < 0 {
			break
		}
		if x > 9 {
			return x, true
		}
	}
	return 0, false
}
`
	got, err := build(t, src)
	if err != nil {
		t.Fatal(err)
	}
	want := `package x

func f(xs []int) (int, bool) {
	for _, x := range xs {
		shouldReturn, shouldBreak, res, res2 := func() (bool, bool, int, bool) {
			if x < 0 {
				return false, true, 0, false
			}
			if x > 9 {
				return true, false, x, true
			}
			return false, false, 0, false
		}()
		if shouldReturn {
			return res, res2
		}
		if shouldBreak {
			break
		}
	}
	return 0, false
}
`
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestOneLineBodyHasNoFix(t *testing.T) {
	src := "package x\n\nfunc f(xs []int) {\n\tfor range xs { println() }\n}\n"
	if _, err := build(t, src); err == nil {
		t.Error("Build offered a fix for a one-line body")
	}
}
