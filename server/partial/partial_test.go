package partial

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"strings"
	"testing"

	"golang.org/x/tools/go/ssa"
)

func TestRepairKeepsPositions(t *testing.T) {
	src := "package a\n\nimport \"os\"\n\nfunc f() {\n\tg, err := os.Open(\n}\n\nfunc h() {\n\tx, _ := os.Open(\"y\")\n\t_ = x\n}\n"
	fixed, emptied, ok := Repair("a.go", []byte(src))
	if !ok {
		t.Fatal("not repaired")
	}
	if len(fixed) != len(src) || strings.Count(string(fixed), "\n") != strings.Count(src, "\n") {
		t.Fatalf("length or line breaks changed:\n%s", fixed)
	}
	if want := strings.Index(src, "func f"); len(emptied) != 1 || emptied[0] != want {
		t.Errorf("emptied %v, want [%d]", emptied, want)
	}
	h := strings.Index(src, "func h")
	if string(fixed[h:]) != src[h:] {
		t.Errorf("the well-formed function changed:\n%s", fixed[h:])
	}
	if _, err := parser.ParseFile(token.NewFileSet(), "a.go", fixed, 0); err != nil {
		t.Errorf("repaired text does not parse: %v", err)
	}
}

func TestRepairGivesUpOnBrokenHeader(t *testing.T) {
	src := "package\n\nfunc f() {}\n"
	fixed, emptied, ok := Repair("a.go", []byte(src))
	if ok || string(fixed) != src || emptied != nil {
		t.Errorf("Repair of a broken package clause: ok=%v emptied=%v", ok, emptied)
	}
}

func TestPruneLeavesOutIllTypedFunctions(t *testing.T) {
	src := `package a

import "os"

var bad = undefinedThing

func usesBad() { _ = bad }

func wrong() int { return "s" }

func good() {
	_ = wrong()
	f, _ := os.Open("x")
	_ = f
}
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "a.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}, Defs: map[*ast.Ident]types.Object{}, Uses: map[*ast.Ident]types.Object{}}
	var errs []types.Error
	conf := types.Config{Importer: importer.Default(), Error: func(err error) { errs = append(errs, err.(types.Error)) }}
	pkg, _ := conf.Check("a", fset, []*ast.File{f}, info)
	res := Prune(fset, []*ast.File{f}, info, errs, nil)
	if got := strings.Join(res.Skipped, ","); got != "var bad,func usesBad,func wrong" {
		t.Errorf("skipped %q", got)
	}
	var spans []string
	for _, sp := range res.Spans {
		spans = append(spans, src[sp.Start:sp.End])
	}
	if got := strings.Join(spans, "|"); got != `var bad = undefinedThing|func usesBad() { _ = bad }|func wrong() int { return "s" }` {
		t.Errorf("spans of the skipped declarations: %q", got)
	}
	if len(res.Files) != 1 || res.Files[0] == f || len(f.Decls) != 5 || f.Decls[4].(*ast.FuncDecl).Body == nil {
		t.Fatalf("Prune modified its input or returned no copy")
	}
	var bodies []string
	for _, d := range res.Files[0].Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil {
			bodies = append(bodies, fd.Name.Name)
		}
	}
	if strings.Join(bodies, ",") != "good" {
		t.Errorf("functions with a body: %v, want [good]", bodies)
	}
	// The pruned package builds: good's call of wrong refers to a
	// function without body.
	prog := ssa.NewProgram(fset, 0)
	for _, imp := range pkg.Imports() {
		prog.CreatePackage(imp, nil, nil, true)
	}
	prog.CreatePackage(pkg, res.Files, res.Info, false).Build()
}

// TestDuplicateLabelIsNotBenign: go/types reports a label declared twice
// as a soft error, but SSA construction panics on it; only unused
// variables, imports and labels are harmless.
func TestDuplicateLabelIsNotBenign(t *testing.T) {
	src := "package a\n\nfunc f() {\n\tfor range 2 {\n\tp:\n\t}\np:\n}\n\nfunc g() {\n\tx := 1\n}\n"
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "a.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}, Defs: map[*ast.Ident]types.Object{}, Uses: map[*ast.Ident]types.Object{}}
	var errs []types.Error
	conf := types.Config{Error: func(err error) { errs = append(errs, err.(types.Error)) }}
	_, _ = conf.Check("a", fset, []*ast.File{f}, info)
	if got := strings.Join(Prune(fset, []*ast.File{f}, info, errs, nil).Skipped, ","); got != "func f" {
		t.Errorf("skipped %q, want only func f (errors: %v)", got, errs)
	}
}
