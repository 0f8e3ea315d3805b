package crossgoroutine

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"os"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/checkdoc"
	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/directive"
	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/resource"
	"github.com/lifecycle-lsp/lifecycle-lsp/codeaction/movecleanup"
)

//go:embed doc.go
var doc string

const name = "crossgoroutine"

// Analyzer is the crossgoroutine check over the default resource table.
var Analyzer = newAnalyzer(resource.Default())

// New returns the crossgoroutine check for a resource table.
func New(table *resource.Table) *analysis.Analyzer {
	if table == resource.Default() {
		return Analyzer
	}
	return newAnalyzer(table)
}

func newAnalyzer(table *resource.Table) *analysis.Analyzer {
	c := &checker{table: table}
	return checkdoc.NewAnalyzer(name, doc, c.run, inspect.Analyzer)
}

type checker struct {
	table *resource.Table
}

// pass is the state of one package's analysis.
type pass struct {
	*analysis.Pass
	table  *resource.Table
	filter *directive.Filter
	src    map[*token.File][]byte
}

func (c *checker) run(p *analysis.Pass) (any, error) {
	ps := &pass{Pass: p, table: c.table, filter: directive.NewFilter(p, name), src: map[*token.File][]byte{}}
	ps.filter.ReportMissingReasons(false)
	ins := p.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	// Every pattern starts at a go statement: check only the functions
	// that run one themselves (not in a nested literal).
	spawners := map[ast.Node]bool{}
	for cur := range ins.Root().Preorder((*ast.GoStmt)(nil)) {
		for fn := range cur.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
			spawners[fn.Node()] = true
			break
		}
	}
	if len(spawners) == 0 {
		return nil, nil
	}
	for cur := range ins.Root().Preorder((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		if !spawners[cur.Node()] {
			continue
		}
		switch n := cur.Node().(type) {
		case *ast.FuncDecl:
			if n.Body != nil {
				var recv *types.Var
				if n.Recv != nil && len(n.Recv.List) > 0 && len(n.Recv.List[0].Names) > 0 {
					recv, _ = p.TypesInfo.Defs[n.Recv.List[0].Names[0]].(*types.Var)
				}
				ps.checkFunc(n.Body, recv)
			}
		case *ast.FuncLit:
			ps.checkFunc(n.Body, nil)
		}
	}
	return nil, nil
}

// own visits the nodes of body that its function runs itself: nested
// function literals are skipped, with the stack of enclosing nodes.
func own(body *ast.BlockStmt, f func(n ast.Node, stack []ast.Node)) {
	ast.PreorderStack(body, nil, func(n ast.Node, stack []ast.Node) bool {
		if _, lit := n.(*ast.FuncLit); lit {
			return false
		}
		f(n, stack)
		return true
	})
}

// release describes a call that releases a variable: v.Close(),
// v.Body.Close(), v.Stop()…
type release struct {
	v    *types.Var
	call *ast.CallExpr
}

// releaseOf returns the variable that call releases, if it is a release of
// a resource held in a local variable or parameter.
func (ps *pass) releaseOf(call *ast.CallExpr) (*types.Var, *resource.Kind) {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok || len(call.Args) != 0 {
		return nil, nil
	}
	x := ast.Unparen(sel.X)
	body := false
	if inner, ok := x.(*ast.SelectorExpr); ok && inner.Sel.Name == "Body" {
		x, body = ast.Unparen(inner.X), true
	}
	id, ok := x.(*ast.Ident)
	if !ok {
		return nil, nil
	}
	v := ps.localVar(id)
	if v == nil {
		return nil, nil
	}
	k := ps.table.KindOfType(v.Type())
	if k == nil || k.Body != body || !k.IsReleaseMethod(sel.Sel.Name) {
		return nil, nil
	}
	return v, k
}

// localVar returns the variable id denotes when it is a local variable or
// parameter (not a field, not package-level).
func (ps *pass) localVar(id *ast.Ident) *types.Var {
	v, ok := ps.TypesInfo.Uses[id].(*types.Var)
	if !ok || v.IsField() || v.Pkg() == nil || v.Parent() == v.Pkg().Scope() || v.Parent() == nil {
		return nil
	}
	return v
}

// goroutine summarizes what a function literal started by go does with the
// variables it captures.
type goroutine struct {
	stmt *ast.GoStmt
	lit  *ast.FuncLit             // nil for `go f(x)`
	uses map[*types.Var]token.Pos // first use before any wait
	// firstCall is the position of the first call in the body that is not
	// a release of a captured value: work done before a release.
	firstCall token.Pos
	releases  map[*types.Var]*ast.CallExpr // release before any wait
	args      map[*types.Var]bool          // passed as an argument of the go call
}

func (ps *pass) summarize(g *ast.GoStmt) *goroutine {
	gr := &goroutine{stmt: g, uses: map[*types.Var]token.Pos{}, releases: map[*types.Var]*ast.CallExpr{}, args: map[*types.Var]bool{}}
	for _, a := range g.Call.Args {
		ast.Inspect(a, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok {
				if v := ps.localVar(id); v != nil {
					gr.args[v] = true
				}
			}
			return true
		})
	}
	lit, ok := ast.Unparen(g.Call.Fun).(*ast.FuncLit)
	if !ok {
		// go f(x) or go x.M(…): the receiver counts as an argument.
		if sel, ok := ast.Unparen(g.Call.Fun).(*ast.SelectorExpr); ok {
			if id, ok := ast.Unparen(sel.X).(*ast.Ident); ok {
				if v := ps.localVar(id); v != nil {
					gr.args[v] = true
				}
			}
		}
		return gr
	}
	gr.lit = lit
	wait := firstWait(ps.TypesInfo, lit.Body)
	ast.PreorderStack(lit.Body, nil, func(n ast.Node, stack []ast.Node) bool {
		if wait.IsValid() && n.Pos() >= wait {
			return false
		}
		if call, ok := n.(*ast.CallExpr); ok {
			if v, _ := ps.releaseOf(call); v != nil && !declaredIn(v, lit) {
				if _, seen := gr.releases[v]; !seen {
					gr.releases[v] = call
				}
				return false
			}
			if !gr.firstCall.IsValid() && !isDeferredCall(stack, call) {
				gr.firstCall = call.Pos()
			}
		}
		if id, ok := n.(*ast.Ident); ok {
			if v := ps.localVar(id); v != nil && !declaredIn(v, lit) {
				if _, seen := gr.uses[v]; !seen {
					gr.uses[v] = id.Pos()
				}
			}
		}
		return true
	})
	return gr
}

func declaredIn(v *types.Var, n ast.Node) bool {
	return n.Pos() <= v.Pos() && v.Pos() < n.End()
}

// firstWait returns the position of the first blocking wait in body: a
// channel receive, a select, a range over a channel, a Wait call or
// time.Sleep. A release after it is deliberate cancellation.
func firstWait(info *types.Info, body *ast.BlockStmt) token.Pos {
	var first token.Pos
	ast.Inspect(body, func(n ast.Node) bool {
		if first.IsValid() {
			return false
		}
		if isWait(info, n) {
			first = n.Pos()
			return false
		}
		return true
	})
	return first
}

func isWait(info *types.Info, n ast.Node) bool {
	switch n := n.(type) {
	case *ast.UnaryExpr:
		return n.Op == token.ARROW
	case *ast.SelectStmt:
		return true
	case *ast.RangeStmt:
		if t := info.TypeOf(n.X); t != nil {
			_, ok := t.Underlying().(*types.Chan)
			return ok
		}
	case *ast.CallExpr:
		if fn, ok := typeutil.Callee(info, n).(*types.Func); ok {
			if fn.Name() == "Wait" && fn.Signature().Recv() != nil {
				return true
			}
			if fn.Pkg() != nil && fn.Pkg().Path() == "time" && fn.Name() == "Sleep" {
				return true
			}
		}
	}
	return false
}

// join is a point in the owner that waits for goroutines.
type join struct {
	pos, end token.Pos
	deferred bool // inside a defer statement
}

func (ps *pass) checkFunc(body *ast.BlockStmt, recv *types.Var) {
	var gos []*ast.GoStmt
	var defers []*ast.DeferStmt
	var joins []join
	uses := map[*types.Var][]*ast.Ident{} // the owner's own uses
	own(body, func(n ast.Node, stack []ast.Node) {
		switch n := n.(type) {
		case *ast.GoStmt:
			gos = append(gos, n)
		case *ast.DeferStmt:
			defers = append(defers, n)
		case *ast.Ident:
			if v := ps.localVar(n); v != nil && v != recv {
				uses[v] = append(uses[v], n)
			}
		}
		if isWait(ps.TypesInfo, n) {
			deferred := false
			for _, s := range stack {
				if _, ok := s.(*ast.DeferStmt); ok {
					deferred = true
				}
			}
			joins = append(joins, join{pos: n.Pos(), end: n.End(), deferred: deferred})
		}
	})
	// deferred closures: `defer func() { wg.Wait() }()` joins too
	for _, d := range defers {
		if lit, ok := ast.Unparen(d.Call.Fun).(*ast.FuncLit); ok {
			ast.Inspect(lit.Body, func(n ast.Node) bool {
				if isWait(ps.TypesInfo, n) {
					joins = append(joins, join{pos: d.Pos(), end: d.End(), deferred: true})
				}
				return true
			})
		}
	}
	if len(gos) == 0 {
		return
	}
	for _, g := range gos {
		if ps.fireAndForget(g) {
			continue
		}
		gr := ps.summarize(g)
		ps.releasedWhileUsed(gr, uses, joins, recv)
		ps.deferredWhileUsed(gr, body, defers, gos, uses, joins, recv)
	}
}

// fireAndForget reports `go x.Close()` (shape 3) and returns whether g had
// that shape.
func (ps *pass) fireAndForget(g *ast.GoStmt) bool {
	sel, ok := ast.Unparen(g.Call.Fun).(*ast.SelectorExpr)
	if !ok || len(g.Call.Args) != 0 {
		return false
	}
	x := ast.Unparen(sel.X)
	typ := ps.TypesInfo.TypeOf(x)
	if typ == nil {
		return false
	}
	var k *resource.Kind
	if inner, ok := x.(*ast.SelectorExpr); ok && inner.Sel.Name == "Body" {
		if bk := ps.table.KindOfType(ps.TypesInfo.TypeOf(inner.X)); bk != nil && bk.Body && sel.Sel.Name == "Close" {
			k = bk
		}
	}
	if k == nil {
		if kk := ps.table.KindOfType(typ); kk != nil && !kk.Body && kk.IsReleaseMethod(sel.Sel.Name) {
			k = kk
		}
	}
	if k == nil || k == resource.NetConn {
		// Closing a connection may block (a TLS close_notify write);
		// closing it asynchronously is an established idiom (net/http).
		return false
	}
	call := ps.text(g.Call)
	d := analysis.Diagnostic{
		Pos:     g.Pos(),
		End:     g.End(),
		Message: fmt.Sprintf("go %s releases the %s in a goroutine nobody waits for: the release races the code that follows and its error is lost; call it directly", call, k.Name),
	}
	if src, base := ps.source(g.Pos()); src != nil {
		d.SuggestedFixes = []analysis.SuggestedFix{*movecleanup.DropGo(movecleanup.Source{Src: src, Base: base}, g)}
	}
	ps.filter.Report(d)
	return true
}

// releasedWhileUsed reports shape 1: the goroutine releases v, the owner
// uses v after the go statement with no join in between.
func (ps *pass) releasedWhileUsed(gr *goroutine, uses map[*types.Var][]*ast.Ident, joins []join, recv *types.Var) {
	for v, call := range gr.releases {
		if v == recv {
			continue
		}
		k := ps.table.KindOfType(v.Type())
		if k == resource.Listener || hasMethod(v.Type(), "Accept") {
			// Closing a listener from another goroutine is how Accept
			// loops are stopped.
			continue
		}
		usedFirst := gr.uses[v].IsValid() && gr.uses[v] < call.Pos()
		if !usedFirst && gr.firstCall.IsValid() && gr.firstCall < call.Pos() {
			// The goroutine does other work first (it reads another
			// connection, say) and then closes v: an event-triggered
			// close, deliberate like a cancellation.
			continue
		}
		if usedFirst && k != resource.File && k != resource.Body && streamLike(v.Type()) {
			// A producer that writes and then closes a pipe-like value to
			// signal end of stream to the reading owner.
			continue
		}
		var later *ast.Ident
		for _, id := range uses[v] {
			if id.Pos() <= gr.stmt.End() || ps.isReleaseUse(id) || ps.isMetadataUse(id) {
				continue
			}
			if joinedBefore(joins, gr.stmt.End(), id.Pos()) {
				break
			}
			later = id
			break
		}
		if later == nil {
			continue // ownership handed to the goroutine
		}
		ps.filter.Report(analysis.Diagnostic{
			Pos: call.Pos(),
			End: call.End(),
			Message: fmt.Sprintf("%s in a goroutine releases the %s while the function that started it still uses %s after the go statement: the owner's operations race with the release",
				ps.text(call), k.Name, v.Name()),
			Related: []analysis.RelatedInformation{
				{Pos: gr.stmt.Pos(), End: gr.stmt.Pos() + 2, Message: "goroutine started here"},
				{Pos: later.Pos(), End: later.End(), Message: v.Name() + " still used here by its owner"},
			},
		})
	}
}

// joinedBefore reports whether a non-deferred join lies between from and to.
func joinedBefore(joins []join, from, to token.Pos) bool {
	for _, j := range joins {
		if !j.deferred && j.pos > from && j.end < to {
			return true
		}
	}
	return false
}

// isReleaseUse reports whether id is the receiver of a release call
// (id.Close(), id.Body.Close()), which is not a use of the value's content.
func (ps *pass) isReleaseUse(id *ast.Ident) bool {
	// Found by position: the enclosing call is searched in the files.
	for _, f := range ps.Files {
		if f.Pos() <= id.Pos() && id.Pos() < f.End() {
			found := false
			ast.Inspect(f, func(n ast.Node) bool {
				if found || n == nil || n.Pos() > id.Pos() || n.End() <= id.Pos() {
					return false
				}
				if call, ok := n.(*ast.CallExpr); ok {
					if v, _ := ps.releaseOf(call); v != nil && call.Fun.Pos() == id.Pos() {
						found = true
					}
				}
				return true
			})
			return found
		}
	}
	return false
}

// noDeferKinds are kinds whose deferred release is the standard way to stop
// a goroutine's loop: closing a listener ends Accept, closing a connection
// ends a read loop.
func noDeferKind(k *resource.Kind) bool {
	return k == resource.Listener || k == resource.NetConn || k == resource.TestServer || k == resource.Ticker || k.Func
}

// deferredWhileUsed reports shape 2: the owner defers v's release, the
// goroutine uses v, and nothing joins the goroutine before the release.
func (ps *pass) deferredWhileUsed(gr *goroutine, body *ast.BlockStmt, defers []*ast.DeferStmt, gos []*ast.GoStmt, uses map[*types.Var][]*ast.Ident, joins []join, recv *types.Var) {
	for _, d := range defers {
		v, k := ps.releaseOf(d.Call)
		if v == nil || v == recv || noDeferKind(k) || (k != resource.File && k != resource.Body && (streamLike(v.Type()) || hasMethod(v.Type(), "Accept"))) {
			continue
		}
		usePos, used := gr.uses[v]
		if !used && gr.args[v] {
			used, usePos = true, gr.stmt.Pos()
		}
		if !used {
			continue
		}
		if _, releases := gr.releases[v]; releases && gr.lit != nil {
			// The goroutine releases the value itself after using it: it
			// owns it, and the owner's defer is a second release that
			// doubleclose and leak judge.
			continue
		}
		joined := false
		for _, j := range joins {
			// A deferred join in either order keeps the function from
			// returning while the goroutine runs; registered before the
			// release, it is the deliberate "close to unblock, then wait"
			// order (os/readfrom_linux_test.go in the standard library).
			if j.deferred || j.pos > gr.stmt.End() {
				joined = true
			}
		}
		if joined {
			continue
		}
		diag := analysis.Diagnostic{
			Pos: d.Pos(),
			End: d.End(),
			Message: fmt.Sprintf("deferred %s runs when the function returns, while a goroutine it started may still use %s: nothing waits for it (sync.WaitGroup, a done channel)",
				ps.text(d.Call), v.Name()),
			Related: []analysis.RelatedInformation{
				{Pos: gr.stmt.Pos(), End: gr.stmt.Pos() + 2, Message: "goroutine started here"},
				{Pos: usePos, End: usePos, Message: v.Name() + " used by the goroutine"},
			},
		}
		if fix := ps.moveFix(d, gr, body, gos, uses, v); fix != nil {
			diag.SuggestedFixes = []analysis.SuggestedFix{*fix}
		}
		ps.filter.Report(diag)
	}
}

// moveFix moves `defer v.Close()` into the goroutine when that is safe: the
// goroutine is a function literal started by a go statement in the same
// block as the defer, after it, not in a loop relative to it; nothing in
// between can return; the owner no longer uses v after the go statement;
// no other goroutine uses v; and v is captured, not passed.
func (ps *pass) moveFix(d *ast.DeferStmt, gr *goroutine, body *ast.BlockStmt, gos []*ast.GoStmt, uses map[*types.Var][]*ast.Ident, v *types.Var) *analysis.SuggestedFix {
	if gr.lit == nil || gr.args[v] || len(gr.stmt.Call.Args) != 0 {
		return nil
	}
	for _, other := range gos {
		if other != gr.stmt && other.Pos() > d.Pos() {
			if o := ps.summarize(other); o.args[v] || o.uses[v].IsValid() {
				return nil
			}
		}
	}
	for _, id := range uses[v] {
		if id.Pos() > gr.stmt.End() {
			return nil
		}
	}
	block := enclosingBlock(body, d)
	if block == nil {
		return nil
	}
	di, gi := -1, -1
	for i, s := range block {
		if s == d {
			di = i
		}
		if s == gr.stmt {
			gi = i
		}
	}
	if di < 0 || gi < di {
		return nil
	}
	for _, s := range block[di+1 : gi] {
		exits := false
		ast.Inspect(s, func(n ast.Node) bool {
			switch n.(type) {
			case *ast.ReturnStmt, *ast.BranchStmt:
				exits = true
			case *ast.FuncLit:
				return false
			}
			return !exits
		})
		if exits {
			return nil
		}
	}
	src, base := ps.source(d.Pos())
	if src == nil {
		return nil
	}
	return movecleanup.MoveDefer(movecleanup.Source{Src: src, Base: base}, d, gr.lit)
}

// enclosingBlock returns the statement list that holds s directly.
func enclosingBlock(body *ast.BlockStmt, s ast.Stmt) []ast.Stmt {
	var out []ast.Stmt
	ast.Inspect(body, func(n ast.Node) bool {
		if out != nil {
			return false
		}
		var list []ast.Stmt
		switch b := n.(type) {
		case *ast.BlockStmt:
			list = b.List
		case *ast.CaseClause:
			list = b.Body
		case *ast.CommClause:
			list = b.Body
		case *ast.FuncLit:
			return false
		}
		for _, st := range list {
			if st == s {
				out = list
			}
		}
		return true
	})
	return out
}

func (ps *pass) source(pos token.Pos) ([]byte, token.Pos) {
	tf := ps.Fset.File(pos)
	if tf == nil {
		return nil, token.NoPos
	}
	if src, ok := ps.src[tf]; ok {
		return src, token.Pos(tf.Base())
	}
	read := ps.ReadFile
	if read == nil {
		read = os.ReadFile
	}
	src, err := read(tf.Name())
	if err != nil || len(src) != tf.Size() {
		src = nil
	}
	ps.src[tf] = src
	return src, token.Pos(tf.Base())
}

func (ps *pass) text(n ast.Node) string {
	src, base := ps.source(n.Pos())
	if src == nil {
		return "the release"
	}
	return string(src[n.Pos()-base : n.End()-base])
}

// isDeferredCall reports whether call is the call of a defer statement
// (deferred work runs last, not first).
func isDeferredCall(stack []ast.Node, call *ast.CallExpr) bool {
	if len(stack) == 0 {
		return false
	}
	d, ok := stack[len(stack)-1].(*ast.DeferStmt)
	return ok && d.Call == call
}

// streamLike reports whether values of typ are streams like a pipe end or
// a connection (a Read or a Write method), whose Close signals end of
// stream or unblocks the other side.
func streamLike(typ types.Type) bool {
	return hasMethod(typ, "Read") || hasMethod(typ, "Write")
}

func hasMethod(typ types.Type, name string) bool {
	obj, _, _ := types.LookupFieldOrMethod(typ, true, nil, name)
	_, ok := obj.(*types.Func)
	return ok
}

// metadataMethods read what a value remembers about itself; calling them
// after a close is harmless.
var metadataMethods = map[string]bool{"Addr": true, "LocalAddr": true, "RemoteAddr": true, "Name": true, "String": true, "Fd": true}

// isMetadataUse reports whether id is the receiver of a metadata call.
func (ps *pass) isMetadataUse(id *ast.Ident) bool {
	for _, f := range ps.Files {
		if f.Pos() <= id.Pos() && id.Pos() < f.End() {
			found := false
			ast.Inspect(f, func(n ast.Node) bool {
				if found || n == nil || n.Pos() > id.Pos() || n.End() <= id.Pos() {
					return false
				}
				if sel, ok := n.(*ast.SelectorExpr); ok && sel.X == ast.Expr(id) && metadataMethods[sel.Sel.Name] {
					found = true
				}
				return true
			})
			return found
		}
	}
	return false
}
