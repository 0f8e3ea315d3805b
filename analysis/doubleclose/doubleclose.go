package doubleclose

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/astutil"
	"golang.org/x/tools/go/ssa"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/checkdoc"
	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/directive"
	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/idempotentclose"
	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/ownership"
	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/resource"
	"github.com/lifecycle-lsp/lifecycle-lsp/codeaction/removestmt"
)

//go:embed doc.go
var doc string

const name = "doubleclose"

// Analyzer is the check built on the default resource table.
var Analyzer = newAnalyzer(resource.Default(), ownership.Analyzer)

// New returns the check for table t: kinds marked NotIdempotent in t count
// as unsafe to release twice, besides close(ch) and the idempotentclose
// facts. own is the ownership analyzer of the same table: the check walks
// the SSA form it builds, so the package is converted to SSA once.
func New(t *resource.Table, own *analysis.Analyzer) *analysis.Analyzer {
	if t == resource.Default() && own == ownership.Analyzer {
		return Analyzer
	}
	return newAnalyzer(t, own)
}

func newAnalyzer(t *resource.Table, own *analysis.Analyzer) *analysis.Analyzer {
	c := &checker{table: t, own: own, unsafeKinds: t.HasNotIdempotent()}
	return checkdoc.NewAnalyzer(name, doc, c.run, own, idempotentclose.Analyzer)
}

type checker struct {
	table *resource.Table
	own   *analysis.Analyzer
	// unsafeKinds is set when the table marks some kind NotIdempotent.
	unsafeKinds bool
}

// event is one release: close(v) or v.M() with M not idempotent.
type event struct {
	instr    ssa.Instruction // the Call or Defer (in fn)
	block    *ssa.BasicBlock
	index    int
	deferred bool
	inLit    bool // inside a deferred closure
	pos      token.Pos
	base     ssa.Value
	path     string
	what     string // "close(ch)" or "w.Close()"
	why      string
	isClose  bool
}

type pass struct {
	*analysis.Pass
	c       *checker
	ic      *idempotentclose.Verdicts
	filter  *directive.Filter
	fnStore map[ssa.Value]map[string]int
}

func (c *checker) run(p *analysis.Pass) (any, error) {
	filter := directive.NewFilter(p, name)
	filter.ReportMissingReasons(false)
	ps := &pass{Pass: p, c: c, ic: p.ResultOf[idempotentclose.Analyzer].(*idempotentclose.Verdicts), filter: filter}
	if !ps.mayContain() {
		return nil, nil
	}
	model := p.ResultOf[c.own].(*ownership.Model)
	for _, fn := range model.Functions() {
		ps.checkFunc(fn)
	}
	return nil, nil
}

// mayContain is the fast path, from syntax and types alone: some function
// (with the literals nested in it) has two release sites (a close builtin or
// a call of a method known not to be idempotent), or one inside a loop.
// Only then is the SSA form needed.
func (p *pass) mayContain() bool {
	for _, f := range p.Files {
		for _, decl := range f.Decls {
			fd, ok := decl.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			if p.releaseSites(fd.Body) >= 2 {
				return true
			}
		}
	}
	return false
}

// releaseSites counts the release calls in body, those inside a loop twice,
// stopping at two.
func (p *pass) releaseSites(body *ast.BlockStmt) int {
	sites := 0
	var visit func(n ast.Node, inLoop bool)
	visit = func(n ast.Node, inLoop bool) {
		ast.Inspect(n, func(n ast.Node) bool {
			if sites >= 2 {
				return false
			}
			switch n := n.(type) {
			case *ast.ForStmt:
				if !inLoop {
					visit(n.Body, true)
					return false
				}
			case *ast.RangeStmt:
				if !inLoop {
					visit(n.Body, true)
					return false
				}
			case *ast.CallExpr:
				if p.isReleaseCall(n) {
					sites++
					if inLoop {
						sites++
					}
				}
			}
			return true
		})
	}
	visit(body, false)
	return sites
}

// isReleaseCall reports whether call is close(ch) or a call of a method
// that is not idempotent.
func (p *pass) isReleaseCall(call *ast.CallExpr) bool {
	switch fun := ast.Unparen(call.Fun).(type) {
	case *ast.Ident:
		b, ok := p.TypesInfo.Uses[fun].(*types.Builtin)
		return ok && b.Name() == "close"
	case *ast.SelectorExpr:
		fn, ok := p.TypesInfo.Uses[fun.Sel].(*types.Func)
		if !ok {
			return false
		}
		if _, bad := p.ic.Reason(fn); bad {
			return true
		}
		if !p.c.unsafeKinds {
			return false
		}
		if sel := p.TypesInfo.Selections[fun]; sel != nil {
			if k := p.c.table.KindOfType(sel.Recv()); k != nil && k.NotIdempotent && k.IsReleaseMethod(fn.Name()) {
				return true
			}
		}
	}
	return false
}

func (p *pass) checkFunc(fn *ssa.Function) {
	if fn.Blocks == nil {
		return
	}
	stores := storesOf(fn)
	var evs []*event
	for _, b := range fn.Blocks {
		for i, instr := range b.Instrs {
			switch in := instr.(type) {
			case *ssa.Call:
				if e := p.eventOf(in.Common(), nil); e != nil {
					e.instr, e.block, e.index, e.pos = in, b, i, in.Pos()
					evs = append(evs, e)
				}
			case *ssa.Defer:
				if e := p.eventOf(in.Common(), nil); e != nil {
					e.instr, e.block, e.index, e.pos, e.deferred = in, b, i, in.Pos(), true
					evs = append(evs, e)
					continue
				}
				// defer func() { …release… }()
				if mc, ok := in.Call.Value.(*ssa.MakeClosure); ok {
					lit := mc.Fn.(*ssa.Function)
					binds := map[*ssa.FreeVar]ssa.Value{}
					for j, fv := range lit.FreeVars {
						binds[fv] = mc.Bindings[j]
					}
					for _, e := range p.unconditional(lit, binds) {
						e.instr, e.block, e.index, e.deferred, e.inLit = in, b, i, true, true
						evs = append(evs, e)
					}
				}
			}
		}
	}
	for _, e := range evs {
		p.checkLoop(stores, e)
	}
	for i, e1 := range evs {
		for _, e2 := range evs[i+1:] {
			if e1.base != e2.base || e1.path != e2.path || e1.isClose != e2.isClose {
				continue
			}
			if killed(stores, e1) {
				continue
			}
			p.pair(fn, e1, e2)
		}
	}
}

// storesOf counts the stores to each address (by key) in fn.
func storesOf(fn *ssa.Function) map[ssa.Value]map[string]int {
	out := map[ssa.Value]map[string]int{}
	var visit func(f *ssa.Function)
	visit = func(f *ssa.Function) {
		for _, b := range f.Blocks {
			for _, instr := range b.Instrs {
				if st, ok := instr.(*ssa.Store); ok {
					base, path := addrKey(st.Addr, nil)
					if out[base] == nil {
						out[base] = map[string]int{}
					}
					out[base][path]++
				}
			}
		}
		for _, a := range f.AnonFuncs {
			visit(a)
		}
	}
	visit(fn)
	return out
}

// killed reports whether the released location may be reassigned in the
// function: a field stored to at all, a variable stored to more than once.
func killed(stores map[ssa.Value]map[string]int, e *event) bool {
	if len(e.path) == 0 || e.path[len(e.path)-1] != '*' {
		return false
	}
	addr := e.path[:len(e.path)-1]
	n := stores[e.base][addr]
	if addr == "" {
		return n > 1
	}
	return n > 0
}

// key canonicalises a released value: the SSA value it is loaded from
// (following captured variables into their bindings) and a field path.
func key(v ssa.Value, binds map[*ssa.FreeVar]ssa.Value) (ssa.Value, string) {
	switch x := v.(type) {
	case *ssa.FreeVar:
		if b, ok := binds[x]; ok {
			return key(b, nil)
		}
	case *ssa.ChangeType:
		return key(x.X, binds)
	case *ssa.UnOp:
		if x.Op == token.MUL {
			b, p := addrKey(x.X, binds)
			return b, p + "*"
		}
	}
	return v, ""
}

func addrKey(a ssa.Value, binds map[*ssa.FreeVar]ssa.Value) (ssa.Value, string) {
	switch x := a.(type) {
	case *ssa.FieldAddr:
		b, p := key(x.X, binds)
		return b, fmt.Sprintf("%s.%d", p, x.Field)
	case *ssa.FreeVar:
		if b, ok := binds[x]; ok {
			return addrKey(b, nil)
		}
	}
	return a, ""
}

// eventOf classifies a call as a harmful-if-repeated release.
func (p *pass) eventOf(c *ssa.CallCommon, binds map[*ssa.FreeVar]ssa.Value) *event {
	if b, ok := c.Value.(*ssa.Builtin); ok {
		if b.Name() == "close" && len(c.Args) == 1 {
			base, path := key(c.Args[0], binds)
			return &event{base: base, path: path, isClose: true, why: "closing a closed channel panics"}
		}
		return nil
	}
	if c.IsInvoke() {
		if k := p.c.table.KindOfType(c.Value.Type()); k != nil && k.NotIdempotent && k.IsReleaseMethod(c.Method.Name()) {
			base, path := key(c.Value, binds)
			return &event{base: base, path: path, why: "a second " + c.Method.Name() + " of a " + k.Name + " is not safe"}
		}
		return nil
	}
	callee := c.StaticCallee()
	if callee == nil || callee.Signature.Recv() == nil || len(c.Args) == 0 {
		return nil
	}
	obj, _ := callee.Object().(*types.Func)
	if obj == nil {
		return nil
	}
	base, path := key(c.Args[0], binds)
	if reason, ok := p.ic.Reason(obj); ok {
		return &event{base: base, path: path, why: fmt.Sprintf("(%s).%s is not idempotent: it %s", recvString(obj), obj.Name(), reason)}
	}
	if k := p.c.table.KindOfType(callee.Signature.Recv().Type()); k != nil && k.NotIdempotent && k.IsReleaseMethod(obj.Name()) {
		return &event{base: base, path: path, why: "a second " + obj.Name() + " of a " + k.Name + " is not safe"}
	}
	return nil
}

func recvString(fn *types.Func) string {
	recv := fn.Type().(*types.Signature).Recv().Type()
	return types.TypeString(recv, func(p *types.Package) string { return p.Name() })
}

// unconditional returns the releases a deferred closure always performs.
func (p *pass) unconditional(lit *ssa.Function, binds map[*ssa.FreeVar]ssa.Value) []*event {
	var out []*event
	if len(lit.Blocks) == 0 {
		return nil
	}
	entry := lit.Blocks[0]
	for _, b := range lit.Blocks {
		if !postDominates(b, entry) {
			continue
		}
		for _, instr := range b.Instrs {
			if call, ok := instr.(*ssa.Call); ok {
				if e := p.eventOf(call.Common(), binds); e != nil {
					e.pos = call.Pos()
					out = append(out, e)
				}
			}
		}
	}
	return out
}

// before reports whether a executes before b on every path reaching b
// (a dominates b), or b follows a on every path leaving a (b
// post-dominates a).
func before(a, b *event) (dom, postdom bool) {
	if a.block == b.block {
		return a.index < b.index, a.index < b.index
	}
	return a.block.Dominates(b.block), postDominates(b.block, a.block)
}

// postDominates reports whether every non-panicking path from a to a
// return passes through b.
func postDominates(b, a *ssa.BasicBlock) bool {
	if a == b {
		return true
	}
	seen := map[*ssa.BasicBlock]bool{b: true}
	stack := []*ssa.BasicBlock{a}
	seen[a] = true
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if len(x.Instrs) > 0 {
			if _, ok := x.Instrs[len(x.Instrs)-1].(*ssa.Return); ok {
				return false
			}
		}
		for _, s := range x.Succs {
			if !seen[s] {
				seen[s] = true
				stack = append(stack, s)
			}
		}
	}
	return true
}

// reachesReturn reports whether a return is reachable from the event.
func reachesReturn(b *ssa.BasicBlock) bool {
	seen := map[*ssa.BasicBlock]bool{b: true}
	stack := []*ssa.BasicBlock{b}
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if _, ok := x.Instrs[len(x.Instrs)-1].(*ssa.Return); ok {
			return true
		}
		for _, s := range x.Succs {
			if !seen[s] {
				seen[s] = true
				stack = append(stack, s)
			}
		}
	}
	return false
}

// pair reports e1, e2 (e1 earlier in block order) when both run on one path.
func (p *pass) pair(fn *ssa.Function, e1, e2 *event) {
	if e1.instr == e2.instr || !reachesReturn(e1.block) || !reachesReturn(e2.block) {
		return // the same instruction, or a panicking path
	}
	switch {
	case !e1.deferred && !e2.deferred:
		first, second := e1, e2
		dom, post := before(e1, e2)
		if !dom && !post {
			first, second = e2, e1
			dom, post = before(e2, e1)
			if !dom && !post {
				return
			}
		}
		p.report(fn, first, second, dom, false)
	case e1.deferred && e2.deferred:
		dom, _ := before(e1, e2)
		first, second := e1, e2
		if !dom {
			if dom, _ = before(e2, e1); !dom {
				return
			}
			first, second = e2, e1
		}
		if !reachesReturn(second.block) {
			return
		}
		p.report(fn, first, second, true, true)
	default:
		d, e := e1, e2
		if e.deferred {
			d, e = e2, e1
		}
		if !reachesReturn(e.block) {
			return
		}
		// The defer registered before the explicit release: the explicit
		// one is redundant (the deferred one runs at exit).
		if dom, post := before(d, e); dom || post {
			p.reportDeferFirst(fn, d, e)
			return
		}
		// The explicit release first, the defer after it.
		if dom, post := before(e, d); dom || post {
			p.report(fn, e, d, dom, true)
		}
	}
}

func (p *pass) describe(e *event) string {
	if call := p.callAt(e); call != nil {
		if e.isClose && len(call.Args) == 1 {
			return "channel " + types.ExprString(call.Args[0])
		}
		if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
			return types.ExprString(sel.X)
		}
	}
	return "the value"
}

// report: second repeats first; fixable when first dominates second and
// second can simply go.
func (p *pass) report(fn *ssa.Function, first, second *event, dom, secondDeferred bool) {
	what := p.describe(second)
	verb := releasedVerb(second)
	msg := fmt.Sprintf("%s is %s twice on this path: %s", what, verb, second.why)
	if secondDeferred {
		msg = fmt.Sprintf("%s is %s before this deferred release, which releases it again: %s", what, verb, second.why)
	}
	d := analysis.Diagnostic{
		Pos: second.pos, Category: name, Message: msg,
		Related: []analysis.RelatedInformation{p.related(first, "first release")},
	}
	p.span(&d, second)
	if dom && !second.inLit {
		if fix := p.removeFix(second, "Remove the second release"); fix != nil {
			d.SuggestedFixes = []analysis.SuggestedFix{*fix}
		}
	}
	p.filter.Report(d)
}

// reportDeferFirst: a deferred release covers an explicit one.
func (p *pass) reportDeferFirst(fn *ssa.Function, d, e *event) {
	what := p.describe(e)
	verb := releasedVerb(e)
	diag := analysis.Diagnostic{
		Pos: e.pos, Category: name,
		Message: fmt.Sprintf("%s is %s here and again by the deferred release when the function returns: %s", what, verb, e.why),
		Related: []analysis.RelatedInformation{p.related(d, "deferred release")},
	}
	p.span(&diag, e)
	if stmt := p.stmtAt(e); stmt != nil && endsFunc(p.enclosingPath(e.pos), stmt) {
		if fix := p.removeFix(e, "Remove the explicit release covered by the deferred one"); fix != nil {
			diag.SuggestedFixes = []analysis.SuggestedFix{*fix}
		}
	}
	p.filter.Report(diag)
}

// span makes d cover the release's call (or defer statement).
func (p *pass) span(d *analysis.Diagnostic, e *event) {
	if stmt := p.stmtAt(e); stmt != nil {
		if ds, ok := stmt.(*ast.DeferStmt); ok {
			d.Pos, d.End = ds.Pos(), ds.End()
			return
		}
	}
	if call := p.callAt(e); call != nil {
		d.Pos, d.End = call.Pos(), call.End()
	}
}

func (p *pass) related(e *event, msg string) analysis.RelatedInformation {
	d := analysis.Diagnostic{Pos: e.pos}
	p.span(&d, e)
	return analysis.RelatedInformation{Pos: d.Pos, End: d.End, Message: msg}
}

func (p *pass) fileOf(pos token.Pos) *ast.File {
	for _, f := range p.Files {
		if f.FileStart <= pos && pos <= f.FileEnd {
			return f
		}
	}
	return nil
}

func (p *pass) enclosingPath(pos token.Pos) []ast.Node {
	f := p.fileOf(pos)
	if f == nil {
		return nil
	}
	path, _ := astutil.PathEnclosingInterval(f, pos, pos)
	return path
}

// callAt returns the call expression of an event.
func (p *pass) callAt(e *event) *ast.CallExpr {
	for _, n := range p.enclosingPath(e.pos) {
		switch n := n.(type) {
		case *ast.CallExpr:
			if n.Lparen == e.pos {
				return n
			}
		case *ast.DeferStmt:
			if n.Defer == e.pos {
				return n.Call
			}
		}
	}
	return nil
}

// stmtAt returns the statement that is exactly the release: an expression
// statement holding the call, or the defer statement.
func (p *pass) stmtAt(e *event) ast.Stmt {
	path := p.enclosingPath(e.pos)
	for i, n := range path {
		switch n := n.(type) {
		case *ast.DeferStmt:
			if n.Defer == e.pos {
				return n
			}
		case *ast.CallExpr:
			if n.Lparen == e.pos && i+1 < len(path) {
				if es, ok := path[i+1].(*ast.ExprStmt); ok {
					return es
				}
				return nil
			}
		}
	}
	return nil
}

// endsFunc reports whether stmt is followed by a return in its block or is
// the last statement of the function body.
func endsFunc(path []ast.Node, stmt ast.Stmt) bool {
	for i, n := range path {
		if n != stmt || i+1 >= len(path) {
			continue
		}
		block, ok := path[i+1].(*ast.BlockStmt)
		if !ok {
			return false
		}
		for j, s := range block.List {
			if s != stmt {
				continue
			}
			if j+1 < len(block.List) {
				_, ret := block.List[j+1].(*ast.ReturnStmt)
				return ret
			}
			// last in its block: the function body itself?
			if i+2 < len(path) {
				switch path[i+2].(type) {
				case *ast.FuncDecl, *ast.FuncLit:
					return true
				}
			}
		}
	}
	return false
}

func (p *pass) removeFix(e *event, msg string) *analysis.SuggestedFix {
	stmt := p.stmtAt(e)
	if stmt == nil {
		return nil
	}
	tf := p.Fset.File(stmt.Pos())
	src, err := p.ReadFile(tf.Name())
	if err != nil {
		return nil
	}
	return &analysis.SuggestedFix{Message: msg, TextEdits: []analysis.TextEdit{removestmt.Edit(tf, src, stmt)}}
}
