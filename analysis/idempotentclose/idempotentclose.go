package idempotentclose

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"reflect"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/checkdoc"
	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/directive"
	"github.com/lifecycle-lsp/lifecycle-lsp/codeaction/oncewrap"
)

//go:embed doc.go
var doc string

const name = "idempotentclose"

// NotIdempotent is the fact exported on a release method (Close, Stop,
// Shutdown) whose second call panics or releases twice. Reason says why, as
// in "closes channel c.done without a guard".
type NotIdempotent struct{ Reason string }

// AFact marks NotIdempotent as an analysis fact.
func (*NotIdempotent) AFact() {}

func (f *NotIdempotent) String() string { return "notIdempotent(" + f.Reason + ")" }

// Verdicts is the analyzer's result: the release methods known not to be
// idempotent, in this package and (through facts) in its dependencies.
type Verdicts struct{ m map[*types.Func]string }

// Reason reports whether fn is a release method known not to be idempotent,
// and why.
func (v *Verdicts) Reason(fn *types.Func) (string, bool) {
	if v == nil || fn == nil {
		return "", false
	}
	r, ok := v.m[fn.Origin()]
	return r, ok
}

// Analyzer reports release methods that are not safe to call twice.
var Analyzer = func() *analysis.Analyzer {
	a := checkdoc.NewAnalyzer(name, doc, run)
	a.FactTypes = []analysis.Fact{new(NotIdempotent)}
	a.ResultType = reflect.TypeOf((*Verdicts)(nil))
	return a
}()

// IsReleaseName reports whether a method name is one this check examines.
func IsReleaseName(n string) bool { return n == "Close" || n == "Stop" || n == "Shutdown" }

type site struct {
	node   ast.Node
	reason string
}

type method struct {
	decl *ast.FuncDecl
	file *ast.File
	fn   *types.Func
	recv *types.Var
}

func run(pass *analysis.Pass) (any, error) {
	filter := directive.NewFilter(pass, name)
	filter.ReportMissingReasons(false)

	var methods []*method
	for _, f := range pass.Files {
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Recv == nil || fd.Body == nil || len(fd.Recv.List) != 1 || len(fd.Recv.List[0].Names) != 1 {
				continue
			}
			fn, _ := pass.TypesInfo.Defs[fd.Name].(*types.Func)
			recv, _ := pass.TypesInfo.Defs[fd.Recv.List[0].Names[0]].(*types.Var)
			if fn == nil || recv == nil {
				continue
			}
			methods = append(methods, &method{fd, f, fn, recv})
		}
	}
	// Fast path: no release method declared here.
	any := false
	for _, m := range methods {
		if IsReleaseName(m.fn.Name()) {
			any = true
			break
		}
	}
	if !any {
		return collect(pass), nil
	}
	methods = reachableFromRelease(pass, methods)

	// Summaries of every method (helpers included), to a fixed point so
	// that Close → c.shutdown() → close(c.done) is seen.
	verdict := map[*types.Func][]site{}
	for round := 0; round < 8; round++ {
		changed := false
		for _, m := range methods {
			sites := (&walker{pass: pass, m: m, verdict: verdict}).sites()
			if len(sites) != len(verdict[m.fn]) {
				verdict[m.fn] = sites
				changed = true
			}
		}
		if !changed {
			break
		}
	}

	specs := typeSpecs(pass)
	for _, m := range methods {
		sites := verdict[m.fn]
		if !IsReleaseName(m.fn.Name()) || len(sites) == 0 {
			continue
		}
		pass.ExportObjectFact(m.fn, &NotIdempotent{Reason: sites[0].reason})
		recvName := m.recv.Name()
		d := analysis.Diagnostic{
			Pos:      sites[0].node.Pos(),
			End:      sites[0].node.End(),
			Category: name,
			Message: fmt.Sprintf("%s is not idempotent: it %s, so a second call to %s.%s panics or releases twice; guard it with a sync.Once",
				m.fn.Name(), sites[0].reason, recvName, m.fn.Name()),
			Related: []analysis.RelatedInformation{{Pos: m.decl.Name.Pos(), End: m.decl.Name.End(), Message: "release method " + m.fn.Name()}},
		}
		for _, s := range sites[1:] {
			d.Related = append(d.Related, analysis.RelatedInformation{Pos: s.node.Pos(), End: s.node.End(), Message: "also " + s.reason})
		}
		if fix := buildFix(pass, m, specs); fix != nil {
			d.SuggestedFixes = []analysis.SuggestedFix{*fix}
		}
		filter.Report(d)
	}
	return collect(pass), nil
}

// reachableFromRelease returns, in their declaration order, the release
// methods and the methods of the package they may call, directly or through
// other methods: a method's verdict depends only on those it calls, so the
// fixed point over these gives the release methods the verdicts it would
// give over every method, without walking the others round after round.
// A method counts as called when its body (function literals included)
// mentions it as a method value.
func reachableFromRelease(pass *analysis.Pass, methods []*method) []*method {
	byFunc := make(map[*types.Func]*method, len(methods))
	for _, m := range methods {
		byFunc[m.fn] = m
	}
	keep := map[*method]bool{}
	var queue []*method
	for _, m := range methods {
		if IsReleaseName(m.fn.Name()) {
			keep[m] = true
			queue = append(queue, m)
		}
	}
	for len(queue) > 0 {
		m := queue[0]
		queue = queue[1:]
		ast.Inspect(m.decl.Body, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if s := pass.TypesInfo.Selections[sel]; s != nil {
				if fn, ok := s.Obj().(*types.Func); ok {
					if callee := byFunc[fn.Origin()]; callee != nil && !keep[callee] {
						keep[callee] = true
						queue = append(queue, callee)
					}
				}
			}
			return true
		})
	}
	out := methods[:0]
	for _, m := range methods {
		if keep[m] {
			out = append(out, m)
		}
	}
	return out
}

// collect gathers the facts visible to this pass into the result.
func collect(pass *analysis.Pass) *Verdicts {
	v := &Verdicts{m: map[*types.Func]string{}}
	for _, of := range pass.AllObjectFacts() {
		if fn, ok := of.Object.(*types.Func); ok {
			if f, ok := of.Fact.(*NotIdempotent); ok {
				v.m[fn.Origin()] = f.Reason
			}
		}
	}
	return v
}

type specInfo struct {
	spec *ast.TypeSpec
	file *ast.File
}

func typeSpecs(pass *analysis.Pass) map[*types.TypeName]specInfo {
	out := map[*types.TypeName]specInfo{}
	for _, f := range pass.Files {
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.TYPE {
				continue
			}
			for _, s := range g.Specs {
				ts := s.(*ast.TypeSpec)
				if tn, ok := pass.TypesInfo.Defs[ts.Name].(*types.TypeName); ok {
					out[tn] = specInfo{ts, f}
				}
			}
		}
	}
	return out
}

func buildFix(pass *analysis.Pass, m *method, specs map[*types.TypeName]specInfo) *analysis.SuggestedFix {
	t := m.recv.Type()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	named, ok := types.Unalias(t).(*types.Named)
	if !ok {
		return nil
	}
	named = named.Origin()
	si, ok := specs[named.Obj()]
	if !ok {
		return nil
	}
	st, ok := si.spec.Type.(*ast.StructType)
	if !ok {
		return nil
	}
	msrc, err := pass.ReadFile(pass.Fset.File(m.file.Pos()).Name())
	if err != nil {
		return nil
	}
	ssrc, err := pass.ReadFile(pass.Fset.File(si.file.Pos()).Name())
	if err != nil {
		return nil
	}
	return oncewrap.Build(oncewrap.Input{
		Fset: pass.Fset, Info: pass.TypesInfo,
		Decl: m.decl, MethodFile: m.file, MethodSrc: msrc,
		Struct: st, StructFile: si.file, StructSrc: ssrc,
		Named: named,
	})
}

// walker finds the unguarded harmful releases of one method.
type walker struct {
	pass    *analysis.Pass
	m       *method
	verdict map[*types.Func][]site
	derived map[types.Object]bool
	nilled  map[string]bool // field expressions assigned nil in the method
	out     []site
}

func (w *walker) sites() []site {
	w.derived = map[types.Object]bool{}
	w.nilled = map[string]bool{}
	info := w.pass.TypesInfo
	// Locals derived from the receiver, and fields reset to nil.
	ast.Inspect(w.m.decl.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			rhsMentions := false
			for _, r := range n.Rhs {
				if w.mentions(r) {
					rhsMentions = true
				}
			}
			for i, l := range n.Lhs {
				if id, ok := l.(*ast.Ident); ok && rhsMentions {
					if obj := info.ObjectOf(id); obj != nil {
						w.derived[obj] = true
					}
				}
				if len(n.Rhs) == len(n.Lhs) && isNil(info, n.Rhs[i]) {
					w.nilled[types.ExprString(l)] = true
				}
			}
		case *ast.ValueSpec:
			for _, r := range n.Values {
				if w.mentions(r) {
					for _, id := range n.Names {
						w.derived[info.Defs[id]] = true
					}
				}
			}
		}
		return true
	})
	var stack []ast.Node
	ast.Inspect(w.m.decl.Body, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return true
		}
		if lit, ok := n.(*ast.FuncLit); ok && !deferredLit(stack, lit) {
			return false
		}
		if call, ok := n.(*ast.CallExpr); ok {
			if reason, rel := w.harmful(call); reason != "" && !w.guarded(stack, call, rel) {
				w.out = append(w.out, site{call, reason})
			}
		}
		stack = append(stack, n)
		return true
	})
	return w.out
}

// deferredLit reports whether lit is the function of `defer func(){…}()`.
func deferredLit(stack []ast.Node, lit *ast.FuncLit) bool {
	if len(stack) < 2 {
		return false
	}
	call, ok := stack[len(stack)-1].(*ast.CallExpr)
	if !ok || call.Fun != lit {
		return false
	}
	_, ok = stack[len(stack)-2].(*ast.DeferStmt)
	return ok
}

// harmful returns why call is a release whose repetition is harmful, and
// the released expression, or "".
func (w *walker) harmful(call *ast.CallExpr) (string, ast.Expr) {
	info := w.pass.TypesInfo
	switch fun := ast.Unparen(call.Fun).(type) {
	case *ast.Ident:
		if b, ok := info.Uses[fun].(*types.Builtin); ok && b.Name() == "close" && len(call.Args) == 1 {
			if w.recvField(call.Args[0]) {
				return "closes channel " + types.ExprString(call.Args[0]) + " without a guard", call.Args[0]
			}
		}
	case *ast.SelectorExpr:
		sel := info.Selections[fun]
		if sel == nil || sel.Kind() != types.MethodVal {
			return "", nil
		}
		fn, ok := sel.Obj().(*types.Func)
		if !ok {
			return "", nil
		}
		fn = fn.Origin()
		if !w.recvRooted(fun.X) {
			return "", nil
		}
		if fn == w.m.fn {
			return "", nil // recursion
		}
		if s := w.verdict[fn]; len(s) > 0 {
			return "calls " + types.ExprString(fun) + ", which " + s[0].reason, fun.X
		}
		var f NotIdempotent
		if fn.Pkg() != w.pass.Pkg && w.pass.ImportObjectFact(fn, &f) {
			return "calls " + types.ExprString(fun) + ", which " + f.Reason, fun.X
		}
	}
	return "", nil
}

// recvField reports whether e is a field (path) of the receiver.
func (w *walker) recvField(e ast.Expr) bool {
	sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	return w.recvRooted(sel)
}

// recvRooted reports whether e is the receiver or a field path of it.
func (w *walker) recvRooted(e ast.Expr) bool {
	for {
		switch x := ast.Unparen(e).(type) {
		case *ast.Ident:
			return w.pass.TypesInfo.Uses[x] == w.m.recv
		case *ast.SelectorExpr:
			s := w.pass.TypesInfo.Selections[x]
			if s == nil || s.Kind() != types.FieldVal {
				return false
			}
			e = x.X
		case *ast.StarExpr:
			e = x.X
		default:
			return false
		}
	}
}

// mentions reports whether e reads the receiver or a local derived from it.
func (w *walker) mentions(e ast.Node) bool {
	if e == nil {
		return false
	}
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			obj := w.pass.TypesInfo.Uses[id]
			if obj == w.m.recv || (obj != nil && w.derived[obj]) {
				found = true
			}
		}
		return !found
	})
	return found
}

// isSwap reports whether n contains an atomic compare-and-swap or swap, or
// a TryLock.
func isSwap(n ast.Node) bool {
	if n == nil {
		return false
	}
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok {
			var nm string
			switch f := ast.Unparen(call.Fun).(type) {
			case *ast.SelectorExpr:
				nm = f.Sel.Name
			case *ast.Ident:
				nm = f.Name
			}
			if strings.HasPrefix(nm, "CompareAndSwap") || strings.HasPrefix(nm, "Swap") || nm == "TryLock" {
				found = true
			}
		}
		return !found
	})
	return found
}

// guardCond reports whether a condition (with its init statement) guards
// the release of rel.
func (w *walker) guardCond(cond ast.Expr, init ast.Stmt, rel ast.Expr) bool {
	if isSwap(cond) || isSwap(init) {
		return true
	}
	info := w.pass.TypesInfo
	if b, ok := ast.Unparen(cond).(*ast.BinaryExpr); ok && (b.Op == token.EQL || b.Op == token.NEQ) {
		x, y := b.X, b.Y
		if isNil(info, x) {
			x, y = y, x
		}
		if isNil(info, y) {
			if t := info.TypeOf(x); t != nil && types.Identical(t, types.Universe.Lookup("error").Type()) {
				return false // err != nil is not a guard
			}
			if rel != nil && types.ExprString(x) == types.ExprString(rel) {
				return w.nilled[types.ExprString(rel)]
			}
		}
	}
	return w.mentions(cond) || w.mentions(init)
}

// guarded reports whether the release call (inside stack) is protected.
func (w *walker) guarded(stack []ast.Node, call *ast.CallExpr, rel ast.Expr) bool {
	info := w.pass.TypesInfo
	child := ast.Node(call)
	for i := len(stack) - 1; i >= 0; i-- {
		switch n := stack[i].(type) {
		case *ast.IfStmt:
			if child != n.Cond && child != n.Init && w.guardCond(n.Cond, n.Init, rel) {
				return true
			}
		case *ast.ForStmt:
			if child == n.Body && n.Cond != nil && w.guardCond(n.Cond, nil, rel) {
				return true
			}
		case *ast.SwitchStmt:
			if child == n.Body && (w.mentions(n.Tag) || w.mentions(n.Init) || isSwap(n.Tag)) {
				return true
			}
		case *ast.CaseClause:
			for _, e := range n.List {
				if w.guardCond(e, nil, rel) {
					return true
				}
			}
		case *ast.SelectStmt:
			if w.selectGuard(n, false) {
				return true
			}
		case *ast.CallExpr:
			// once.Do(func() {…}) and sync.OnceFunc(func() {…})
			if lit, ok := child.(*ast.FuncLit); ok && n.Fun != lit && isOnce(info, n) {
				return true
			}
		}
		if list := stmtList(stack[i]); list != nil {
			for _, s := range list {
				if s == child {
					break
				}
				if w.earlyExit(s, rel) {
					return true
				}
			}
		}
		child = stack[i]
	}
	return false
}

func stmtList(n ast.Node) []ast.Stmt {
	switch n := n.(type) {
	case *ast.BlockStmt:
		return n.List
	case *ast.CaseClause:
		return n.Body
	case *ast.CommClause:
		return n.Body
	}
	return nil
}

// earlyExit reports whether s leaves the method when the receiver is
// already released.
func (w *walker) earlyExit(s ast.Stmt, rel ast.Expr) bool {
	switch s := s.(type) {
	case *ast.IfStmt:
		return w.guardCond(s.Cond, s.Init, rel) && terminates(s.Body.List)
	case *ast.SelectStmt:
		return w.selectGuard(s, true)
	case *ast.SwitchStmt:
		if !(w.mentions(s.Tag) || w.mentions(s.Init)) {
			return false
		}
		for _, c := range s.Body.List {
			if terminates(c.(*ast.CaseClause).Body) {
				return true
			}
		}
	case *ast.LabeledStmt:
		return w.earlyExit(s.Stmt, rel)
	}
	return false
}

// selectGuard reports whether a select receives from the receiver's state
// (with a case that returns, when needReturn).
func (w *walker) selectGuard(s *ast.SelectStmt, needReturn bool) bool {
	for _, c := range s.Body.List {
		cc := c.(*ast.CommClause)
		if cc.Comm == nil || !w.mentions(cc.Comm) {
			continue
		}
		if _, isSend := cc.Comm.(*ast.SendStmt); isSend {
			continue
		}
		if !needReturn || terminates(cc.Body) {
			return true
		}
	}
	return false
}

func terminates(list []ast.Stmt) bool {
	if len(list) == 0 {
		return false
	}
	switch s := list[len(list)-1].(type) {
	case *ast.ReturnStmt:
		return true
	case *ast.ExprStmt:
		if call, ok := s.X.(*ast.CallExpr); ok {
			if id, ok := call.Fun.(*ast.Ident); ok && id.Name == "panic" {
				return true
			}
		}
	case *ast.BranchStmt:
		return s.Tok == token.GOTO
	}
	return false
}

// isOnce reports whether call is once.Do(f), sync.OnceFunc(f) or similar.
func isOnce(info *types.Info, call *ast.CallExpr) bool {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	obj, ok := info.Uses[sel.Sel].(*types.Func)
	if !ok || obj.Pkg() == nil {
		return false
	}
	if obj.Pkg().Path() == "sync" {
		switch obj.Name() {
		case "Do", "OnceFunc", "OnceValue", "OnceValues":
			return true
		}
	}
	// A method named Do on a type wrapping a sync.Once is trusted too.
	return obj.Name() == "Do"
}

func isNil(info *types.Info, e ast.Expr) bool {
	tv, ok := info.Types[e]
	return ok && tv.IsNil()
}
