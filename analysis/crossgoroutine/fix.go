package crossgoroutine

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/resource"
	"github.com/lifecycle-lsp/lifecycle-lsp/codeaction/assigned"
	"github.com/lifecycle-lsp/lifecycle-lsp/codeaction/movecleanup"
)

// fireAndForget reports shape 3, `go x.Close()`, and returns whether g has
// that shape. It stays silent when the owner waits for the release
// afterwards (`<-x.Done()`, x.Wait()) or starts it while holding a lock,
// where a synchronous release could block everyone waiting for the lock.
func (c *checker) fireAndForget(fn *ssa.Function, g *ssa.Go) bool {
	x, k := c.releasedBy(g.Common())
	if k == nil {
		return false
	}
	if c.waitedAfter(fn, g, x) || c.waitsFirst(fn, g) || lockHeld(fn, g) {
		return true
	}
	stmt := c.syntax.gos[g.Pos()]
	var call ast.Node
	if stmt != nil {
		call = stmt.Call
	}
	d := analysis.Diagnostic{
		Pos:     g.Pos(),
		End:     endOf(stmt, g),
		Message: fmt.Sprintf("go %s releases the %s in a goroutine nobody waits for: the release races the code that follows and its error is lost; call it directly", c.text(call, "release"), k.Name),
	}
	// Whether the Close of a value the function does not own (a field, a
	// global) may block is its owner's design, and a connection's Close
	// may block by design (a TLS close_notify write to a stuck peer): no
	// fix for those, the report stays.
	if !borrowed(fn, releasedRoot(x, k)) && k != resource.NetConn {
		if fix := c.syncFix(fn, g, stmt); fix != nil {
			d.SuggestedFixes = []analysis.SuggestedFix{*fix}
		}
	}
	c.filter.Report(d)
	return true
}

// releasedBy returns the value a goroutine's call releases and its kind:
// x.Close() for a release method of x's kind, resp.Body.Close() for a
// response.
func (c *checker) releasedBy(call *ssa.CallCommon) (ssa.Value, *resource.Kind) {
	name, recv := methodOf(call)
	if recv == nil {
		return nil, nil
	}
	if load, ok := unwrap(recv).(*ssa.UnOp); ok && load.Op == token.MUL && name == "Close" {
		if fa, ok := load.X.(*ssa.FieldAddr); ok && fieldName(fa) == "Body" {
			if k := c.kindOf(fa.X.Type()); k != nil && k.Body {
				return recv, k
			}
		}
	}
	k := c.kindOf(recv.Type())
	if k == nil || k.Body || k.Func || !c.isReleaseMethod(call, k, name) {
		return nil, nil
	}
	return recv, k
}

// releasedRoot returns the root of the variable whose value x is: the
// response for its Body.
func releasedRoot(x ssa.Value, k *resource.Kind) ssa.Value {
	if load, ok := unwrap(x).(*ssa.UnOp); ok && k.Body && load.Op == token.MUL {
		if fa, ok := load.X.(*ssa.FieldAddr); ok {
			return rootOf(fa.X)
		}
	}
	return rootOf(x)
}

// waitedAfter reports whether fn, after g, waits for the value x: a
// receive from a channel one of x's methods returned (<-x.Done()) or a
// Wait method of x.
func (c *checker) waitedAfter(fn *ssa.Function, g *ssa.Go, x ssa.Value) bool {
	key := pathKey(x)
	if key == "" {
		return false
	}
	fromX := func(ch ssa.Value) bool {
		call, ok := unwrap(ch).(*ssa.Call)
		if !ok {
			return false
		}
		_, recv := methodOf(&call.Call)
		return recv != nil && pathKey(recv) == key
	}
	waitsOnX := func(instr ssa.Instruction) bool {
		switch i := instr.(type) {
		case *ssa.UnOp:
			return i.Op == token.ARROW && fromX(i.X)
		case *ssa.Select:
			for _, st := range i.States {
				if st.Dir == types.RecvOnly && fromX(st.Chan) {
					return true
				}
			}
		case *ssa.Call:
			_, recv := methodOf(&i.Call)
			return isWaitCall(&i.Call) && recv != nil && pathKey(recv) == key
		}
		return false
	}
	return reach(fn, g, waitsOnX, never) != nil
}

// waitsFirst reports whether, on every path after g, the first thing fn
// does that may block is a wait (a receive, a select, a Wait): the owner
// observes the release it started, often because the release blocks until
// the owner acts on what it observes.
func (c *checker) waitsFirst(fn *ssa.Function, g *ssa.Go) bool {
	if reach(fn, g, c.order.waits, never) == nil {
		return false
	}
	other := reach(fn, g, func(i ssa.Instruction) bool {
		_, ret := i.(*ssa.Return)
		return ret || c.order.mayBlock(i) && !c.order.waits(i)
	}, c.order.waits)
	return other == nil
}

// syncFix makes the release synchronous: `return …, x.Close()` when the go
// statement is followed by a return whose error result is nil and Close
// returns an error (the error is kept), else the call without `go`.
func (c *checker) syncFix(fn *ssa.Function, g *ssa.Go, stmt *ast.GoStmt) *analysis.SuggestedFix {
	if stmt == nil {
		return nil
	}
	src, base := c.source(stmt.Pos())
	if src == nil {
		return nil
	}
	s := movecleanup.Source{Src: src, Base: base}
	if nilErr := c.nilErrorReturnAfter(fn, g, stmt); nilErr != nil {
		return movecleanup.ReturnRelease(s, stmt, nilErr)
	}
	return movecleanup.DropGo(s, stmt)
}

// nilErrorReturnAfter returns the `nil` error result of the return
// statement right after stmt, when the function's last result is an error,
// the released call returns one, and the other results are plain names or
// literals (so evaluating the release first changes nothing else).
func (c *checker) nilErrorReturnAfter(fn *ssa.Function, g *ssa.Go, stmt *ast.GoStmt) ast.Expr {
	results := fn.Signature.Results()
	if results.Len() == 0 || !isErrorType(results.At(results.Len()-1).Type()) {
		return nil
	}
	if r := g.Common().Signature().Results(); r.Len() != 1 || !isErrorType(r.At(0).Type()) {
		return nil
	}
	list := c.syntax.blocks[stmt]
	for i, st := range list {
		if st != ast.Stmt(stmt) || i+1 >= len(list) {
			continue
		}
		ret, ok := list[i+1].(*ast.ReturnStmt)
		if !ok || len(ret.Results) != results.Len() {
			return nil
		}
		last := ret.Results[len(ret.Results)-1]
		if tv, ok := c.TypesInfo.Types[last]; !ok || !tv.IsNil() {
			return nil
		}
		for _, r := range ret.Results[:len(ret.Results)-1] {
			switch ast.Unparen(r).(type) {
			case *ast.Ident, *ast.BasicLit:
			default:
				return nil
			}
		}
		return last
	}
	return nil
}

func isErrorType(t types.Type) bool {
	return types.Identical(t, types.Universe.Lookup("error").Type())
}

// moveFix moves the owner's `defer x.Close()` into the goroutine when that
// is safe: the goroutine is a function literal started by a go statement
// in the same statement list as the defer, after it, with nothing in
// between that can leave the list; the value is captured, not passed; no
// other goroutine shares it; and the owner does nothing more with it after
// the go statement.
func (c *checker) moveFix(fn *ssa.Function, s *spawn, root ssa.Value, k *resource.Kind, d *ssa.Defer, owner []use) *analysis.SuggestedFix {
	g, ok := s.instr.(*ssa.Go)
	if !ok {
		return nil
	}
	goStmt, deferStmt := c.syntax.gos[g.Pos()], c.syntax.defers[d.Pos()]
	if goStmt == nil || deferStmt == nil {
		return nil
	}
	lit, isLit := ast.Unparen(goStmt.Call.Fun).(*ast.FuncLit)
	switch {
	case isLit && (len(goStmt.Call.Args) != 0 || s.passed[root]):
		return nil
	case !isLit && !c.wrappable(fn, s, goStmt.Call):
		return nil
	}
	for _, other := range c.spawnsOf(fn) {
		if _, shares := other.shared[root]; shares && other.instr != s.instr {
			return nil
		}
	}
	usedLater := reach(fn, g, func(i ssa.Instruction) bool {
		if i == ssa.Instruction(d) {
			return false
		}
		for _, u := range owner {
			if u.instr == i {
				return true
			}
		}
		return false
	}, definedBy(root))
	if usedLater != nil || !straightLine(c.syntax.blocks[goStmt], deferStmt, goStmt) {
		return nil
	}
	src, base := c.source(d.Pos())
	if src == nil {
		return nil
	}
	if !isLit {
		return movecleanup.WrapCall(movecleanup.Source{Src: src, Base: base}, deferStmt, goStmt)
	}
	return movecleanup.MoveDefer(movecleanup.Source{Src: src, Base: base}, deferStmt, lit)
}

// wrappable reports whether the call a goroutine runs can move into a
// function literal: the function runs here (so the check saw that it does
// not release the value) and starts no goroutine of its own, and its
// function and arguments evaluate inside the goroutine to what the go
// statement evaluated them to (names of variables never reassigned,
// constants, functions, package members).
func (c *checker) wrappable(fn *ssa.Function, s *spawn, call *ast.CallExpr) bool {
	if s.body == nil || startsGoroutines(s.body) || call.Ellipsis.IsValid() {
		return false
	}
	body := fn.Syntax()
	if body == nil {
		return false
	}
	stable := func(e ast.Expr) bool { return c.stableExpr(body, e) }
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
		if !stable(sel.X) && !c.isPackageName(sel.X) {
			return false
		}
	} else if !stable(call.Fun) {
		return false
	}
	for _, a := range call.Args {
		if !stable(a) {
			return false
		}
	}
	return true
}

// stableExpr reports whether e is a literal, a constant, nil, a function or
// a package member, or a local variable that scope (the function's syntax)
// never assigns after declaring it, never declares in a loop header and
// never takes the address of.
func (c *checker) stableExpr(scope ast.Node, e ast.Expr) bool {
	switch e := ast.Unparen(e).(type) {
	case *ast.BasicLit:
		return true
	case *ast.SelectorExpr:
		return c.isPackageName(e.X)
	case *ast.Ident:
		switch obj := c.TypesInfo.Uses[e].(type) {
		case *types.Const, *types.Func, *types.Nil:
			return true
		case *types.Var:
			return obj.Parent() != nil && obj.Parent() != obj.Pkg().Scope() && assigned.Where(c.TypesInfo, scope, obj) == nil
		}
	}
	return false
}

func (c *checker) isPackageName(e ast.Expr) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return false
	}
	_, ok = c.TypesInfo.Uses[id].(*types.PkgName)
	return ok
}

// startsGoroutines reports whether fn, or a function literal in it, has a
// go statement.
func startsGoroutines(fn *ssa.Function) bool {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if _, ok := instr.(*ssa.Go); ok {
				return true
			}
		}
	}
	for _, a := range fn.AnonFuncs {
		if startsGoroutines(a) {
			return true
		}
	}
	return false
}

// straightLine reports whether d and g are both in list, d first, and no
// statement between them can leave it (return, break, continue, goto).
func straightLine(list []ast.Stmt, d *ast.DeferStmt, g *ast.GoStmt) bool {
	di, gi := -1, -1
	for i, s := range list {
		switch s {
		case ast.Stmt(d):
			di = i
		case ast.Stmt(g):
			gi = i
		}
	}
	if di < 0 || gi < di {
		return false
	}
	for _, s := range list[di+1 : gi] {
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
			return false
		}
	}
	return true
}
