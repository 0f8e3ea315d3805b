package cgotypes

import (
	"context"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const cgoSrc = `package cg

/*
#include <stdlib.h>
static int twice(int x) { return 2*x; }
int counter;
#define LIMIT 10
*/
import "C"

import "unsafe"

func Twice(x int) int { return int(C.twice(C.int(x))) }

func Free() {
	s := C.CString("x")
	C.free(unsafe.Pointer(s))
	_ = C.counter + C.LIMIT
}
`

func parse(t *testing.T, fset *token.FileSet, name, src string) *ast.File {
	t.Helper()
	f, err := parser.ParseFile(fset, name, src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// TestKey: the key follows the preamble and the C names used, not the
// rest of the code; a package without cgo has none.
func TestKey(t *testing.T) {
	key := func(src string) ([32]byte, bool) {
		fset := token.NewFileSet()
		return Key([]*ast.File{parse(t, fset, "/m/cg/cg.go", src)}, fset)
	}
	base, ok := key(cgoSrc)
	if !ok {
		t.Fatal("a file importing C has no key")
	}
	for _, tc := range []struct {
		name, src string
		same      bool
	}{
		{"code that uses no new C name", strings.Replace(cgoSrc, "func Free() {", "func Free() {\n\tprintln(1)", 1), true},
		{"a comment elsewhere", cgoSrc + "\n// more\n", true},
		{"another preamble", strings.Replace(cgoSrc, "2*x", "3*x", 1), false},
		{"a new C name", strings.Replace(cgoSrc, "C.LIMIT", "C.LIMIT + C.other", 1), false},
	} {
		got, _ := key(tc.src)
		if (got == base) != tc.same {
			t.Errorf("%s: key unchanged = %v, want %v", tc.name, got == base, tc.same)
		}
	}
	if _, ok := key("package p\n"); ok {
		t.Error("a file without cgo has a key")
	}
}

// TestGenerateTypeChecks runs cgo on a package and type-checks its files
// with the declarations: every reference to C resolves, including
// functions, types, variables, constants and cgo's helpers.
func TestGenerateTypeChecks(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module example.com/m\n\ngo 1.22\n")
	write("cg/cg.go", "package cg\n") // the overlay holds the real text
	file := filepath.Join(dir, "cg", "cg.go")
	path, src, err := Generate(context.Background(), Request{
		Dir: dir, PkgPath: "example.com/m/cg", Name: "cg", GoFiles: []string{file},
		Env:     append(os.Environ(), "CGO_ENABLED=1", "GOFLAGS=-mod=mod"),
		Overlay: map[string][]byte{file: []byte(cgoSrc)},
	})
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	if path == "" || strings.Contains(string(src), "import \"syscall\"") || strings.Contains(string(src), "runtime/cgo") {
		t.Fatalf("the declarations keep cgo's runtime imports:\n%s", src)
	}
	fset := token.NewFileSet()
	decls, err := parser.ParseFile(fset, path, src, 0)
	if err != nil {
		t.Fatalf("the declarations do not parse: %v", err)
	}
	for _, d := range decls.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil {
			t.Errorf("func %s keeps its body", fd.Name.Name)
		}
	}
	user := parse(t, fset, file, cgoSrc)
	conf := &types.Config{Importer: importer.Default()}
	Enable(conf)
	info := &types.Info{Uses: map[*ast.Ident]types.Object{}}
	if _, err := conf.Check("example.com/m/cg", fset, []*ast.File{decls, user}, info); err != nil {
		t.Fatalf("type-checking with the declarations: %v", err)
	}
	for _, name := range []string{"twice", "int", "CString", "free", "counter", "LIMIT"} {
		found := false
		for id, obj := range info.Uses {
			if id.Name == name && obj != nil && fset.Position(id.Pos()).Filename == file {
				found = true
			}
		}
		if !found {
			t.Errorf("C.%s does not resolve", name)
		}
	}
}

// TestGenerateFails: a preamble cmd/cgo rejects gives an error that says
// which package, not a file.
func TestGenerateFails(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/m\n\ngo 1.22\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "p.go")
	if err := os.WriteFile(file, []byte("package p\n\n// int broken(\nimport \"C\"\n\nfunc F() { C.broken() }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err := Generate(context.Background(), Request{
		Dir: dir, PkgPath: "example.com/m", Name: "p", GoFiles: []string{file},
		Env: append(os.Environ(), "CGO_ENABLED=1", "GOFLAGS=-mod=mod"),
	})
	if err == nil || !strings.Contains(err.Error(), "example.com/m") {
		t.Fatalf("Generate on a broken preamble: err = %v, want an error naming the package", err)
	}
}
