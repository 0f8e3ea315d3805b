package loopdefer

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/format"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/checkdoc"
	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/directive"
	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/resource"
	"github.com/lifecycle-lsp/lifecycle-lsp/codeaction/wrapbody"
)

//go:embed doc.go
var doc string

const name = "loopdefer"

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
	a.FactTypes = []analysis.Fact{new(ContextDone)}
	return a
}

type checker struct{ table *resource.Table }

// finding is one release deferred in a loop.
type finding struct {
	defer_ *ast.DeferStmt
	loop   ast.Stmt // innermost loop in which the defer piles up
	cur    inspector.Cursor
	v      *types.Var
	kind   *resource.Kind
	acq    ast.Node // the statement assigning v in the loop body
	text   string   // the release, as written ("f.Close()")
}

// site is what the walk up from a defer statement finds.
type site struct {
	loops  []inspector.Cursor // enclosing loops in the same function, innermost first
	fnBody *ast.BlockStmt
	fnType *ast.FuncType
	file   *ast.File
}

func (c *checker) run(pass *analysis.Pass) (any, error) {
	filter := directive.NewFilter(pass, name)
	filter.ReportMissingReasons(false)
	ins := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	exportContextDone(pass)

	var findings []*finding
	sites := map[*finding]site{}
	for cur := range ins.Root().Preorder((*ast.DeferStmt)(nil)) {
		s := enclosing(cur)
		if len(s.loops) == 0 {
			continue // fast path: most defers are not in loops
		}
		if f := c.check(pass, cur, s); f != nil {
			findings = append(findings, f)
			sites[f] = s
		}
	}
	if len(findings) == 0 {
		return nil, nil
	}

	byLoop := map[ast.Stmt][]*finding{}
	for _, f := range findings {
		byLoop[f.loop] = append(byLoop[f.loop], f)
	}
	fixes := map[ast.Stmt]*analysis.SuggestedFix{}
	for _, f := range findings {
		if _, done := fixes[f.loop]; done {
			continue
		}
		fixes[f.loop] = c.fix(pass, f, sites[f], byLoop)
	}

	for _, f := range findings {
		kw := "for"
		if _, ok := f.loop.(*ast.RangeStmt); ok {
			kw = "range"
		}
		d := analysis.Diagnostic{
			Pos:      f.defer_.Pos(),
			End:      f.defer_.End(),
			Category: name,
			Message: fmt.Sprintf("%s is deferred inside a %s loop: each iteration's %s is released only when %s returns, so they pile up (wrap the loop body in func() { … }() or release it explicitly)",
				f.text, kw, f.kind.Name, funcName(sites[f])),
			Related: []analysis.RelatedInformation{
				{Pos: f.acq.Pos(), End: f.acq.End(), Message: fmt.Sprintf("%s acquired here, once per iteration", f.v.Name())},
				{Pos: f.loop.Pos(), End: f.loop.Pos() + token.Pos(len(kw)), Message: "the loop"},
			},
		}
		if fix := fixes[f.loop]; fix != nil {
			d.SuggestedFixes = []analysis.SuggestedFix{*fix}
		}
		filter.Report(d)
	}
	return nil, nil
}

func funcName(s site) string {
	for _, d := range s.file.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Body == s.fnBody {
			return fd.Name.Name
		}
	}
	return "the function"
}

// enclosing walks up from a defer statement to its function and file.
func enclosing(cur inspector.Cursor) site {
	var s site
	p := cur.Parent()
up:
	for ; p.Node() != nil; p = p.Parent() {
		switch n := p.Node().(type) {
		case *ast.ForStmt, *ast.RangeStmt:
			s.loops = append(s.loops, p)
		case *ast.FuncLit:
			s.fnBody, s.fnType = n.Body, n.Type
			break up
		case *ast.FuncDecl:
			s.fnBody, s.fnType = n.Body, n.Type
			break up
		}
	}
	for ; p.Node() != nil; p = p.Parent() {
		if f, ok := p.Node().(*ast.File); ok {
			s.file = f
			break
		}
	}
	return s
}

// check decides whether the defer at cur is a release that piles up in one
// of its enclosing loops.
func (c *checker) check(pass *analysis.Pass, cur inspector.Cursor, s site) *finding {
	d := cur.Node().(*ast.DeferStmt)
	info := pass.TypesInfo

	rel, call, ok := c.deferredRelease(info, d)
	if !ok {
		return nil
	}
	v := rel.Var
	// The loop that matters is the innermost one in which the defer may run
	// more than once.
	from := cur
	var loop ast.Stmt
	var loopCur inspector.Cursor
	for _, lc := range s.loops {
		if !atMostOnce(info, from, lc) {
			loop, loopCur = lc.Node().(ast.Stmt), lc
			break
		}
		from = lc
	}
	if loop == nil {
		return nil
	}
	body := loopBody(loop)

	// v must be acquired in the loop body, once per iteration.
	acq, acqCall, result := lastAssignment(info, body, v, d.Pos())
	if acq == nil || acqCall == nil {
		return nil // a borrowed value: a range variable, a field, an element
	}
	kind := rel.Kind
	fn, _ := typeutil.Callee(info, acqCall).(*types.Func)
	if sig, ok := info.TypeOf(acqCall.Fun).Underlying().(*types.Signature); ok {
		for _, a := range c.table.Acquisitions(fn, sig) {
			if a.Result == result && a.Arg < 0 {
				kind = a.Kind
			}
		}
	}
	if rel.FuncCall {
		// Only cancel and stop functions; a release func of a lock is a
		// different matter.
		if kind == nil || !kind.Func {
			return nil
		}
	}
	if kind == nil {
		return nil
	}
	if !inside(v.Pos(), body) && usedAfter(info, s.fnBody, v, loop.End()) {
		return nil // the last value outlives the loop: deliberate
	}
	siblings := map[types.Object]bool{v: true}
	for _, o := range assignedVars(info, acq) {
		if !types.Identical(o.Type(), errorType) {
			siblings[o] = true
		}
	}
	if escapes(info, body, siblings, d) {
		return nil
	}
	if !usedInIteration(info, body, siblings, d, acq) {
		return nil // acquired only to be held until the function returns
	}
	if c.releasedEveryIteration(info, body, v, d) {
		return nil // the defer is a safety net
	}
	if kind == resource.Cancel && contextDoneEveryIteration(pass, body, acq, d) {
		return nil // the pending cancels hold nothing
	}
	return &finding{
		defer_: d,
		loop:   loop,
		cur:    loopCur,
		v:      v,
		kind:   kind,
		acq:    acq,
		text:   render(pass.Fset, call),
	}
}

var errorType = types.Universe.Lookup("error").Type()

func render(fset *token.FileSet, call *ast.CallExpr) string {
	var b strings.Builder
	if err := format.Node(&b, fset, call); err != nil || strings.Contains(b.String(), "\n") {
		return "the release"
	}
	return b.String()
}

// deferredRelease recognises `defer v.Close()` (and the other release
// shapes of resource.ReleasedBy) and a deferred closure whose body releases
// a variable: `defer func() { _ = v.Close() }()`.
func (c *checker) deferredRelease(info *types.Info, d *ast.DeferStmt) (resource.CallRelease, *ast.CallExpr, bool) {
	if rel, ok := c.table.ReleasedBy(info, d.Call); ok {
		return rel, d.Call, true
	}
	lit, ok := ast.Unparen(d.Call.Fun).(*ast.FuncLit)
	if !ok || len(d.Call.Args) != 0 {
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
			if r, ok := c.table.ReleasedBy(info, n); ok && !inside(r.Var.Pos(), lit) {
				rel, found = r, n
				return false
			}
		}
		return true
	})
	return rel, found, found != nil
}

func loopBody(loop ast.Stmt) *ast.BlockStmt {
	switch l := loop.(type) {
	case *ast.ForStmt:
		return l.Body
	case *ast.RangeStmt:
		return l.Body
	}
	return nil
}

func inside(p token.Pos, n ast.Node) bool { return n.Pos() <= p && p < n.End() }

// lastAssignment finds the last statement of body before pos that assigns v
// (outside function literals), the call on its right-hand side if it is
// one, and the index of v among that call's results.
func lastAssignment(info *types.Info, body *ast.BlockStmt, v *types.Var, before token.Pos) (ast.Node, *ast.CallExpr, int) {
	var (
		stmt   ast.Node
		call   *ast.CallExpr
		result int
	)
	ast.Inspect(body, func(n ast.Node) bool {
		if n == nil || n.Pos() >= before {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.AssignStmt:
			for i, l := range n.Lhs {
				id, ok := ast.Unparen(l).(*ast.Ident)
				if !ok || objOf(info, id) != v {
					continue
				}
				stmt, call, result = n, nil, 0
				switch {
				case len(n.Rhs) == len(n.Lhs):
					call, _ = ast.Unparen(n.Rhs[i]).(*ast.CallExpr)
				case len(n.Rhs) == 1:
					call, _ = ast.Unparen(n.Rhs[0]).(*ast.CallExpr)
					result = i
				}
			}
		case *ast.ValueSpec:
			for i, id := range n.Names {
				if objOf(info, id) != v {
					continue
				}
				stmt, call, result = n, nil, 0
				switch {
				case len(n.Values) == len(n.Names):
					call, _ = ast.Unparen(n.Values[i]).(*ast.CallExpr)
				case len(n.Values) == 1:
					call, _ = ast.Unparen(n.Values[0]).(*ast.CallExpr)
					result = i
				}
			}
		}
		return true
	})
	if call != nil {
		if _, isConv := info.Types[call.Fun]; isConv && info.Types[call.Fun].IsType() {
			call = nil // a conversion, not a call
		}
	}
	return stmt, call, result
}

func objOf(info *types.Info, id *ast.Ident) types.Object {
	if o := info.Defs[id]; o != nil {
		return o
	}
	return info.Uses[id]
}

func assignedVars(info *types.Info, n ast.Node) []types.Object {
	var out []types.Object
	switch n := n.(type) {
	case *ast.AssignStmt:
		for _, l := range n.Lhs {
			if id, ok := ast.Unparen(l).(*ast.Ident); ok && id.Name != "_" {
				if o := objOf(info, id); o != nil {
					out = append(out, o)
				}
			}
		}
	case *ast.ValueSpec:
		for _, id := range n.Names {
			if o := objOf(info, id); o != nil && id.Name != "_" {
				out = append(out, o)
			}
		}
	}
	return out
}

// usedAfter reports whether v is used in fn after pos.
func usedAfter(info *types.Info, fn *ast.BlockStmt, v *types.Var, pos token.Pos) bool {
	used := false
	ast.Inspect(fn, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && id.Pos() >= pos && info.Uses[id] == v {
			used = true
		}
		return !used
	})
	return used
}

// fix wraps the loop body of f in a closing scope, when every defer of the
// body is a release reported for this loop (wrapping would otherwise move
// other deferred calls) and no loop nested in the body has findings of its
// own (their fixes would overlap; the inner loop is fixed first).
func (c *checker) fix(pass *analysis.Pass, f *finding, s site, byLoop map[ast.Stmt][]*finding) *analysis.SuggestedFix {
	mine := map[*ast.DeferStmt]bool{}
	for _, g := range byLoop[f.loop] {
		mine[g.defer_] = true
	}
	ok := true
	ast.Inspect(loopBody(f.loop), func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.DeferStmt:
			ok = ok && mine[n]
		case *ast.ForStmt:
			ok = ok && len(byLoop[n]) == 0
		case *ast.RangeStmt:
			ok = ok && len(byLoop[n]) == 0
		}
		return ok
	})
	if !ok {
		return nil
	}
	tf := pass.Fset.File(f.loop.Pos())
	src, err := pass.ReadFile(tf.Name())
	if err != nil {
		return nil
	}
	label, _ := f.cur.Parent().Node().(*ast.LabeledStmt)
	req := wrapbody.Request{
		Fset:     pass.Fset,
		Info:     pass.TypesInfo,
		Src:      src,
		Loop:     f.loop,
		Label:    label,
		Func:     s.fnBody,
		FuncType: s.fnType,
		Pkg:      pass.Pkg,
	}
	req.File, req.Decl = declOf(pass.Files, s.fnBody)
	fix, err := wrapbody.Build(req)
	if err != nil {
		return nil
	}
	return fix
}

// declOf returns the file and the function declaration whose body is
// body, or nils when body is a function literal's.
func declOf(files []*ast.File, body *ast.BlockStmt) (*ast.File, *ast.FuncDecl) {
	for _, f := range files {
		if body.Pos() < f.FileStart || body.Pos() > f.FileEnd {
			continue
		}
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Body == body {
				return f, fd
			}
		}
	}
	return nil, nil
}

// usedInIteration reports whether the body uses one of vars other than in
// their acquisition, the defer, and comparisons with nil. A resource that is
// acquired and never used is acquired to be held (open N connections, then
// check the pool), and releasing it at function exit is the point.
func usedInIteration(info *types.Info, body *ast.BlockStmt, vars map[types.Object]bool, d *ast.DeferStmt, acq ast.Node) bool {
	used := false
	ast.Inspect(body, func(n ast.Node) bool {
		if used || n == d || n == acq {
			return false
		}
		switch n := n.(type) {
		case *ast.BinaryExpr:
			if isNil(info, n.X) || isNil(info, n.Y) {
				return false
			}
		case *ast.Ident:
			used = vars[info.Uses[n]]
		}
		return !used
	})
	return used
}

func isNil(info *types.Info, e ast.Expr) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	return ok && info.Uses[id] == types.Universe.Lookup("nil")
}
