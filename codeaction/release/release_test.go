package release_test

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"testing"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/resource"
	"github.com/lifecycle-lsp/lifecycle-lsp/codeaction/release"
)

// typeOf type-checks a file declaring variable v and returns v's type.
func typeOf(t *testing.T, decl string) types.Type {
	t.Helper()
	src := "package x\n\nimport (\n\t\"context\"\n\t\"database/sql\"\n\t\"io\"\n\t\"net/http\"\n\t\"os\"\n\t\"os/exec\"\n)\n\nvar (\n\t_ context.CancelFunc\n\t_ *sql.Tx\n\t_ io.Reader\n\t_ *http.Response\n\t_ *os.File\n\t_ *exec.Cmd\n)\n\n" + decl + "\n"
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "x.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	conf := types.Config{Importer: importer.Default()}
	pkg, err := conf.Check("x", fset, []*ast.File{f}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return pkg.Scope().Lookup("v").Type()
}

func TestCall(t *testing.T) {
	for _, tc := range []struct {
		decl string
		kind *resource.Kind
		want string
	}{
		{"var v *http.Response", resource.Body, "v.Body.Close()"},
		{"var v io.ReadCloser", resource.Body, "v.Close()"},
		{"var v *os.File", resource.File, "v.Close()"},
		{"var v *sql.Tx", resource.Tx, "v.Rollback()"},
		{"var v context.CancelFunc", resource.Cancel, "v()"},
		{"var v func()", resource.StopFunc, "v()"},
		{"var v *exec.Cmd", resource.Process, "v.Wait()"},
		{"var v chan int", resource.Signal, "signal.Stop(v)"},
		{"type stopper struct{}\n\nfunc (stopper) Stop() {}\n\nvar v stopper", resource.GenericStopper, "v.Stop()"},
	} {
		got, err := release.Call(typeOf(t, tc.decl), tc.kind, "v")
		if err != nil || got != tc.want {
			t.Errorf("%s (%s): got %q, %v; want %q", tc.decl, tc.kind.Name, got, err, tc.want)
		}
	}
}

func TestNoRelease(t *testing.T) {
	for _, tc := range []struct {
		decl string
		kind *resource.Kind
	}{
		{"var v io.Reader", resource.Body},   // neither Body nor Close
		{"var v io.Reader", resource.File},   // no Close
		{"var v func(int)", resource.Cancel}, // takes an argument
		{"type c struct{}\n\nfunc (c) Close(force bool) {}\n\nvar v c", resource.GenericCloser}, // Close needs an argument
	} {
		if got, err := release.Call(typeOf(t, tc.decl), tc.kind, "v"); err == nil {
			t.Errorf("%s (%s): got %q, want no release", tc.decl, tc.kind.Name, got)
		}
	}
}
