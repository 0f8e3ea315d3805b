package leak

import (
	"go/ast"
	"go/token"

	"golang.org/x/tools/go/analysis"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/ownership"
	"github.com/lifecycle-lsp/lifecycle-lsp/codeaction/movecleanup"
)

// goroutineFix releases a resource that a goroutine uses after its owner
// returns at the end of that goroutine: `defer x.Close()` as the first
// statement of the function literal it runs. It is offered only when one
// goroutine uses the value, the owner releases it nowhere and does not use
// it after the go statement, so the goroutine is its last user; otherwise
// there is no fix (a release in the owner would cut the goroutine's work
// short, and with two goroutines neither is the last user for sure).
func goroutineFix(pass *analysis.Pass, a *ownership.Acquisition, s site, rel string) *analysis.SuggestedFix {
	if len(a.HeldBy) != 1 || len(a.Releases) > 0 || rel == "" || s.name == "" || s.name == "_" {
		return nil
	}
	h := a.HeldBy[0]
	if h.UsedAfter {
		return nil
	}
	lit, ok := h.Fn.Syntax().(*ast.FuncLit)
	if !ok {
		return nil
	}
	tf := pass.Fset.File(lit.Pos())
	src, err := pass.ReadFile(tf.Name())
	if err != nil {
		return nil
	}
	return movecleanup.AddDefer(movecleanup.Source{Src: src, Base: token.Pos(tf.Base())}, rel, lit)
}
