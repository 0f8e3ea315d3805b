package hoistonce_test

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"testing"

	"github.com/lifecycle-lsp/lifecycle-lsp/codeaction/hoistonce"
)

func TestMovable(t *testing.T) {
	const src = `package p

import (
	"context"
	"net"
	"net/http"
	"time"
)

const timeout = time.Second

var dialer net.Dialer

func f(r *http.Request, local time.Duration) {
	_ = &http.Transport{IdleConnTimeout: timeout, DialContext: dialer.DialContext}          // movable
	_ = &http.Transport{IdleConnTimeout: local}                                             // not
	_ = &http.Transport{DialContext: func(ctx context.Context, n, a string) (net.Conn, error) { // movable
		return dialer.DialContext(ctx, n, a)
	}}
	_ = &http.Client{Timeout: time.Duration(len(r.URL.Path))} // not
}
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{Uses: map[*ast.Ident]types.Object{}, Defs: map[*ast.Ident]types.Object{}, Types: map[ast.Expr]types.TypeAndValue{}}
	conf := types.Config{Importer: importer.Default()}
	if _, err := conf.Check("p", fset, []*ast.File{f}, info); err != nil {
		t.Fatal(err)
	}
	var got []bool
	ast.Inspect(f, func(n ast.Node) bool {
		if u, ok := n.(*ast.UnaryExpr); ok && u.Op == token.AND {
			got = append(got, hoistonce.Movable(info, u))
			return false
		}
		return true
	})
	want := []bool{true, false, true, false}
	if len(got) != len(want) {
		t.Fatalf("got %d expressions, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("expression %d: Movable = %v, want %v", i, got[i], want[i])
		}
	}
}
