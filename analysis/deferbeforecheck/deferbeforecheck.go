package deferbeforecheck

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/checkdoc"
	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/directive"
	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/resource"
	"github.com/lifecycle-lsp/lifecycle-lsp/codeaction/deferaftercheck"
)

//go:embed doc.go
var doc string

const name = "deferbeforecheck"

// Analyzer is the check built on the default resource table.
var Analyzer = newAnalyzer(resource.Default())

// New returns the check for resource table t.
func New(t *resource.Table) *analysis.Analyzer {
	if t == resource.Default() {
		return Analyzer
	}
	return newAnalyzer(t)
}

func newAnalyzer(t *resource.Table) *analysis.Analyzer {
	c := &checker{table: t}
	a := checkdoc.NewAnalyzer(name, doc, c.run, inspect.Analyzer)
	a.FactTypes = []analysis.Fact{new(neverNilFuncs)}
	return a
}

type checker struct{ table *resource.Table }

var errorType = types.Universe.Lookup("error").Type()

func (c *checker) run(pass *analysis.Pass) (any, error) {
	exportNeverNil(pass)
	filter := directive.NewFilter(pass, name)
	filter.ReportMissingReasons(false)
	ins := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)

	// Fast path: the pattern needs a defer statement.
	hasDefer := false
	for range ins.Root().Preorder((*ast.DeferStmt)(nil)) {
		hasDefer = true
		break
	}
	if !hasDefer {
		return nil, nil
	}

	for cur := range ins.Root().Preorder((*ast.BlockStmt)(nil), (*ast.CaseClause)(nil), (*ast.CommClause)(nil)) {
		var list []ast.Stmt
		switch n := cur.Node().(type) {
		case *ast.BlockStmt:
			list = n.List
		case *ast.CaseClause:
			list = n.Body
		case *ast.CommClause:
			list = n.Body
		}
		file := enclosingFile(cur)
		for i := range list {
			c.scan(pass, filter, file, list, i)
		}
	}
	return nil, nil
}

func enclosingFile(cur inspector.Cursor) *ast.File {
	for p := cur; p.Node() != nil; p = p.Parent() {
		if f, ok := p.Node().(*ast.File); ok {
			return f
		}
	}
	return nil
}

// acquisition is `v1, …, err := call(…)` (or `=`, or a var declaration).
type acquisition struct {
	stmt ast.Stmt
	call *ast.CallExpr
	err  types.Object
	lhs  []*ast.Ident // nil where the left-hand side is not an identifier
	vars map[types.Object]bool
}

func parseAcquisition(info *types.Info, s ast.Stmt) *acquisition {
	var (
		lhs []*ast.Ident
		rhs []ast.Expr
	)
	switch s := s.(type) {
	case *ast.AssignStmt:
		for _, l := range s.Lhs {
			id, _ := ast.Unparen(l).(*ast.Ident)
			lhs = append(lhs, id)
		}
		rhs = s.Rhs
	case *ast.DeclStmt:
		g, ok := s.Decl.(*ast.GenDecl)
		if !ok || g.Tok != token.VAR || len(g.Specs) != 1 {
			return nil
		}
		vs := g.Specs[0].(*ast.ValueSpec)
		lhs, rhs = vs.Names, vs.Values
	default:
		return nil
	}
	if len(rhs) != 1 || len(lhs) < 2 {
		return nil
	}
	call, ok := ast.Unparen(rhs[0]).(*ast.CallExpr)
	if !ok {
		return nil
	}
	tup, ok := info.TypeOf(call).(*types.Tuple)
	if !ok || tup.Len() != len(lhs) || !types.Identical(tup.At(tup.Len()-1).Type(), errorType) {
		return nil
	}
	errID := lhs[len(lhs)-1]
	if errID == nil || errID.Name == "_" {
		return nil // the error is deliberately ignored
	}
	a := &acquisition{stmt: s, call: call, err: objOf(info, errID), lhs: lhs, vars: map[types.Object]bool{}}
	for _, id := range lhs[:len(lhs)-1] {
		if id != nil && id.Name != "_" {
			if o := objOf(info, id); o != nil {
				a.vars[o] = true
			}
		}
	}
	if a.err == nil || len(a.vars) == 0 {
		return nil
	}
	return a
}

func objOf(info *types.Info, id *ast.Ident) types.Object {
	if o := info.Defs[id]; o != nil {
		return o
	}
	return info.Uses[id]
}

// scan looks for a release of the acquisition at list[i] deferred before
// its error is used.
func (c *checker) scan(pass *analysis.Pass, filter *directive.Filter, file *ast.File, list []ast.Stmt, i int) {
	info := pass.TypesInfo
	a := parseAcquisition(info, list[i])
	if a == nil {
		return
	}
	for k := i + 1; k < len(list) && len(a.vars) > 0; k++ {
		s := list[k]
		if d, ok := s.(*ast.DeferStmt); ok {
			if rel, call, ok := c.deferredRelease(info, d, a); ok {
				if rel.FuncCall && cleanupNeverNil(pass, a, rel.Var) {
					// The callee hands back a callable cleanup on
					// every path: deferring it early cannot panic.
					delete(a.vars, rel.Var)
					continue
				}
				c.report(pass, filter, file, list, i, k, a, rel, call)
				delete(a.vars, rel.Var)
				continue
			}
		}
		if uses(info, s, a.err) {
			return // checked, passed on or overwritten
		}
		for v := range a.vars {
			if assigns(info, s, v) {
				delete(a.vars, v)
			}
		}
	}
}

// deferredRelease recognises a deferred release of one of a's variables
// that runs whatever the error: `defer v.Close()`, `defer v.Body.Close()`,
// `defer cleanup()`, or a deferred closure that releases v without looking
// at v or the error first.
func (c *checker) deferredRelease(info *types.Info, d *ast.DeferStmt, a *acquisition) (resource.CallRelease, *ast.CallExpr, bool) {
	if rel, ok := c.table.ReleasedBy(info, d.Call); ok && a.vars[rel.Var] && !uses(info, d.Call, a.err) {
		return rel, d.Call, true
	}
	lit, ok := ast.Unparen(d.Call.Fun).(*ast.FuncLit)
	if !ok || len(d.Call.Args) != 0 || uses(info, lit.Body, a.err) {
		return resource.CallRelease{}, nil, false
	}
	var (
		rel   resource.CallRelease
		found *ast.CallExpr
	)
	ast.Inspect(lit.Body, func(n ast.Node) bool {
		if found != nil {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.CallExpr:
			if r, ok := c.table.ReleasedBy(info, n); ok && a.vars[r.Var] {
				rel, found = r, n
				return false
			}
		}
		return true
	})
	if found == nil || nilChecked(info, lit.Body, rel.Var) {
		return resource.CallRelease{}, nil, false
	}
	return rel, found, true
}

// nilChecked reports whether body compares v (or v.Body) with nil.
func nilChecked(info *types.Info, body ast.Node, v types.Object) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		b, ok := n.(*ast.BinaryExpr)
		if !ok || (b.Op != token.EQL && b.Op != token.NEQ) {
			return !found
		}
		for _, e := range []ast.Expr{b.X, b.Y} {
			e = ast.Unparen(e)
			if sel, ok := e.(*ast.SelectorExpr); ok {
				e = ast.Unparen(sel.X)
			}
			if id, ok := e.(*ast.Ident); ok && info.Uses[id] == v {
				found = true
			}
		}
		return !found
	})
	return found
}

// uses reports whether n mentions obj.
func uses(info *types.Info, n ast.Node, obj types.Object) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && (info.Uses[id] == obj || info.Defs[id] == obj) {
			found = true
		}
		return !found
	})
	return found
}

// assigns reports whether s assigns v (outside function literals).
func assigns(info *types.Info, s ast.Stmt, v types.Object) bool {
	found := false
	ast.Inspect(s, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.AssignStmt:
			for _, l := range n.Lhs {
				if id, ok := ast.Unparen(l).(*ast.Ident); ok && objOf(info, id) == v {
					found = true
				}
			}
		case *ast.UnaryExpr:
			if id, ok := ast.Unparen(n.X).(*ast.Ident); ok && n.Op == token.AND && info.Uses[id] == v {
				found = true
			}
		}
		return !found
	})
	return found
}

func (c *checker) report(pass *analysis.Pass, filter *directive.Filter, file *ast.File, list []ast.Stmt, acqIdx, deferIdx int, a *acquisition, rel resource.CallRelease, call *ast.CallExpr) {
	d := list[deferIdx].(*ast.DeferStmt)
	v := rel.Var
	callee := types.ExprString(a.call.Fun)
	release := types.ExprString(call)
	if len(release) > 60 {
		release = "the release"
	}
	diag := analysis.Diagnostic{
		Pos:      d.Pos(),
		End:      d.End(),
		Category: name,
		Message: fmt.Sprintf("%s is deferred before the error from %s is checked: %s",
			release, callee, consequence(v, rel, callee)),
		Related: []analysis.RelatedInformation{
			{Pos: a.stmt.Pos(), End: a.stmt.End(), Message: fmt.Sprintf("%s and %s come from %s here", v.Name(), a.err.Name(), callee)},
		},
	}
	check := -1
	for k := deferIdx + 1; k < len(list); k++ {
		if uses(pass.TypesInfo, list[k], a.err) {
			check = k
			diag.Related = append(diag.Related, analysis.RelatedInformation{
				Pos: list[k].Pos(), End: list[k].Pos(), Message: "the error is checked only here",
			})
			break
		}
	}
	if check >= 0 {
		if src, err := pass.ReadFile(pass.Fset.File(d.Pos()).Name()); err == nil {
			fix, err := deferaftercheck.Build(deferaftercheck.Request{
				Fset: pass.Fset, Info: pass.TypesInfo, Src: src, File: file,
				List: list, Defer: deferIdx, Check: check, Err: a.err, Var: v,
			})
			if err == nil {
				diag.SuggestedFixes = []analysis.SuggestedFix{*fix}
			}
		}
	}
	filter.Report(diag)
}

// consequence says what the deferred release does when the call failed,
// per kind (see the package documentation for the choices).
func consequence(v *types.Var, rel resource.CallRelease, callee string) string {
	switch {
	case rel.FuncCall:
		return fmt.Sprintf("when %s fails, %s is usually nil and calling it panics", callee, v.Name())
	case rel.Kind != nil && rel.Kind.Body:
		return fmt.Sprintf("when %s fails, %s is nil and reading its Body panics", callee, v.Name())
	case nilSafe(v.Type()):
		return fmt.Sprintf("when %s fails, %s is nil; %s's Close tolerates nil (it returns os.ErrInvalid), but the release belongs after the check", callee, v.Name(), types.TypeString(v.Type(), nil))
	case types.IsInterface(v.Type()):
		return fmt.Sprintf("when %s fails, %s is a nil interface and the deferred call panics", callee, v.Name())
	}
	return fmt.Sprintf("when %s fails, %s is nil and the deferred call dereferences it", callee, v.Name())
}

// nilSafe reports the types whose release method accepts a nil receiver:
// (*os.File).Close returns os.ErrInvalid. (*os.Root).Close, by contrast,
// dereferences its receiver.
func nilSafe(t types.Type) bool {
	p, ok := types.Unalias(t).(*types.Pointer)
	if !ok {
		return false
	}
	n, ok := types.Unalias(p.Elem()).(*types.Named)
	if !ok || n.Obj().Pkg() == nil || n.Obj().Pkg().Path() != "os" {
		return false
	}
	return n.Obj().Name() == "File"
}
