package findingkey

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strings"
	"testing"
)

const src = `package p

var v = func() int { return 1 }()

func F() {}

func (t *T) M() {}

func (g G[K, V]) N() {}

type T struct{}
`

func TestEnclosing(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	at := func(text string) token.Pos {
		off := strings.Index(src, text)
		if off < 0 {
			t.Fatalf("%q not in source", text)
		}
		return fset.File(f.Pos()).Pos(off)
	}
	for text, want := range map[string]string{
		"return 1":    PackageLevel,
		"F() {}":      "F",
		"M() {}":      "(*T).M",
		"N() {}":      "(G).N",
		"struct{}":    PackageLevel,
		"package p\n": PackageLevel,
	} {
		if got := Enclosing(f, at(text)); got != want {
			t.Errorf("Enclosing(%q) = %q, want %q", text, got, want)
		}
	}
	var _ ast.Node = f
}

func TestAssignIgnoresLinesAndNumbersDuplicates(t *testing.T) {
	parts := []string{"leak", "a.go", "F", "file f is never closed"}
	before := Assign([]Subject{
		{Parts: parts, File: "a.go", Line: 10},
		{Parts: parts, File: "a.go", Line: 20},
		{Parts: []string{"leak", "a.go", "G", "file f is never closed"}, File: "a.go", Line: 30},
	})
	// The same findings after lines were added above them, listed in
	// another order: the keys follow the findings, not the lines.
	after := Assign([]Subject{
		{Parts: []string{"leak", "a.go", "G", "file f is never closed"}, File: "a.go", Line: 95},
		{Parts: parts, File: "a.go", Line: 50},
		{Parts: parts, File: "a.go", Line: 40},
	})
	if before[0] != after[2] || before[1] != after[1] || before[2] != after[0] {
		t.Errorf("keys changed with line numbers: before %v, after %v", before, after)
	}
	if before[0] == before[1] || !strings.HasSuffix(before[1], ".1") || strings.Contains(before[0], ".") {
		t.Errorf("two alike findings in one function: want base and base.1, got %v", before[:2])
	}
	if before[0] == before[2] {
		t.Error("findings in different functions share a key")
	}
	if len(before[2]) != 12 {
		t.Errorf("key %q: want 12 hex digits", before[2])
	}
}
