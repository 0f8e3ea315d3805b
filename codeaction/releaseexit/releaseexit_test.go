package releaseexit_test

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"
	"testing"

	"github.com/lifecycle-lsp/lifecycle-lsp/codeaction/codeactiontest"
	"github.com/lifecycle-lsp/lifecycle-lsp/codeaction/releaseexit"
)

// build releases variable f before every return statement marked with a
// `// leaks` comment (or at the closing brace of the function marked so).
func build(t *testing.T, src string) (string, error) {
	t.Helper()
	fset, file, info := codeactiontest.Check(t, src)
	tf := fset.File(file.Pos())
	leaking := map[int]bool{}
	for _, cg := range file.Comments {
		if strings.Contains(cg.Text(), "leaks") {
			leaking[tf.Line(cg.Pos())] = true
		}
	}
	var exits []token.Pos
	var res types.Object
	ast.Inspect(file, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.ReturnStmt:
			if leaking[tf.Line(n.Pos())] {
				exits = append(exits, n.Return)
			}
		case *ast.BlockStmt:
			if leaking[tf.Line(n.Rbrace)] {
				exits = append(exits, n.Rbrace)
			}
		case *ast.Ident:
			if n.Name == "f" && info.Defs[n] != nil {
				res = info.Defs[n]
			}
		}
		return true
	})
	fix, err := releaseexit.Build(releaseexit.Request{Fset: fset, Info: info, File: file, Src: []byte(src), Exits: exits, Release: "f.Close()", Resource: res})
	if err != nil {
		return "", err
	}
	return codeactiontest.Apply(t, fset, src, fix), nil
}

func TestBeforeReturnsAndAtEnd(t *testing.T) {
	src := `package x

import "os"

var kept *os.File

func a(p string, n int) {
	f, err := os.Open(p)
	if err != nil {
		return
	}
	switch n {
	case 0:
		return // leaks
	case 1:
		kept = f
		return
	}
	println(n)
} // leaks
`
	got, err := build(t, src)
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Replace(src, "\t\treturn // leaks", "\t\tf.Close()\n\t\treturn // leaks", 1)
	want = strings.Replace(want, "\tprintln(n)\n", "\tprintln(n)\n\tf.Close()\n", 1)
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestRefusals(t *testing.T) {
	for name, src := range map[string]string{
		"result uses the resource": `package x

import "os"

func a(p string) string {
	f, _ := os.Open(p)
	return f.Name() // leaks
}
`,
		"shared line": `package x

import "os"

func a(p string) error {
	f, _ := os.Open(p)
	_ = f; return nil // leaks
}
`,
	} {
		if _, err := build(t, src); err == nil {
			t.Errorf("%s: Build offered a fix", name)
		}
	}
}
