package crossgoroutine

import (
	"fmt"
	"go/ast"
	"go/token"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/resource"
)

// spawn is one goroutine started by a function: a go statement, or a
// method named Go given a function (errgroup.Group.Go, sync.WaitGroup.Go).
type spawn struct {
	instr ssa.CallInstruction
	// body is the function the goroutine runs, nil when it has no body
	// here (a function or method of another package, an interface method).
	body *ssa.Function
	// shared maps the owner's variables (roots) that the goroutine sees to
	// the value standing for them in body (a free variable or a
	// parameter); the value is nil when body is nil.
	shared map[ssa.Value]ssa.Value
	// passed holds the roots passed as arguments, not captured.
	passed map[ssa.Value]bool
}

// spawnsOf returns the goroutines fn starts.
func (c *checker) spawnsOf(fn *ssa.Function) []*spawn {
	var out []*spawn
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			switch x := instr.(type) {
			case *ssa.Go:
				out = append(out, goSpawn(x))
			case *ssa.Call:
				if s := goMethodSpawn(x); s != nil {
					out = append(out, s)
				}
			}
		}
	}
	return out
}

func newSpawn(instr ssa.CallInstruction) *spawn {
	return &spawn{instr: instr, shared: map[ssa.Value]ssa.Value{}, passed: map[ssa.Value]bool{}}
}

// goSpawn describes a go statement.
func goSpawn(g *ssa.Go) *spawn {
	s := newSpawn(g)
	call := g.Common()
	switch fn := call.Value.(type) {
	case *ssa.MakeClosure:
		s.body = fn.Fn.(*ssa.Function)
		s.bind(fn.Bindings)
	case *ssa.Function:
		if fn.Blocks != nil {
			s.body = fn
		}
	}
	if call.IsInvoke() {
		s.share(call.Value, nil, true)
	}
	for i, a := range call.Args {
		var inner ssa.Value
		if s.body != nil && i < len(s.body.Params) {
			inner = s.body.Params[i]
		}
		s.share(a, inner, true)
	}
	return s
}

// goMethodSpawn describes g.Go(f), a goroutine started by a method named
// Go whose last argument is a function literal or a function.
func goMethodSpawn(call *ssa.Call) *spawn {
	name, recv := methodOf(&call.Call)
	if name != "Go" || recv == nil || len(call.Call.Args) < 2 {
		return nil
	}
	s := newSpawn(call)
	switch fn := call.Call.Args[len(call.Call.Args)-1].(type) {
	case *ssa.MakeClosure:
		s.body = fn.Fn.(*ssa.Function)
		s.bind(fn.Bindings)
	case *ssa.Function:
		s.body = fn
	default:
		return nil
	}
	return s
}

// bind records the captured variables of a closure.
func (s *spawn) bind(bindings []ssa.Value) {
	for i, b := range bindings {
		s.share(b, s.body.FreeVars[i], false)
	}
}

func (s *spawn) share(v, inner ssa.Value, passed bool) {
	root := rootOf(v)
	if _, ok := s.shared[root]; !ok || inner != nil {
		s.shared[root] = inner
	}
	if passed {
		s.passed[root] = true
	}
}

// checkSpawn reports the three shapes for one goroutine of fn.
func (c *checker) checkSpawn(fn *ssa.Function, s *spawn) {
	if g, ok := s.instr.(*ssa.Go); ok && c.fireAndForget(fn, g) {
		return
	}
	for root, inner := range s.shared {
		k := c.trackedKind(root)
		if k == nil || borrowed(fn, root) {
			continue
		}
		var inside []use
		if inner != nil {
			inside = c.usesOf(inner, k)
		}
		owner := c.usesOf(root, k)
		if c.releasedWhileUsed(fn, s, root, k, inside, owner) {
			continue // one report per variable and goroutine
		}
		c.deferredWhileUsed(fn, s, root, k, inside, owner)
	}
}

// releasedWhileUsed reports shape 1: the goroutine releases the variable,
// nothing in it waits after its own last operation on the value, and its
// owner uses the value after the go statement with no wait in between. It
// returns whether it reported.
func (c *checker) releasedWhileUsed(fn *ssa.Function, s *spawn, root ssa.Value, k *resource.Kind, inside, owner []use) bool {
	rel := c.unwaitedRelease(s.body, inside)
	if rel == nil {
		return false
	}
	later := c.unorderedUse(fn, s.instr, root, owner)
	if later == nil {
		return false
	}
	call, what := c.syntax.calls[rel.Pos()], ""
	if d, ok := rel.(*ssa.Defer); ok {
		call, what = c.syntax.deferCall(d), "deferred "
	}
	name := c.varName(root, nil)
	if name == unnamed {
		name = c.varName(root, call)
	}
	d := analysis.Diagnostic{
		Pos: rel.Pos(),
		End: endOf(call, rel),
		Message: fmt.Sprintf("%s%s in a goroutine releases the %s while the function that started it still uses %s after the go statement, and nothing orders the two: the owner's operations race with the release",
			what, c.text(call, "the release"), k.Name, name),
		Related: []analysis.RelatedInformation{
			{Pos: s.instr.Pos(), End: s.instr.Pos() + 2, Message: "goroutine started here"},
			{Pos: later.Pos(), End: later.Pos(), Message: name + " still used here by its owner"},
		},
	}
	if len(releasesIn(inside)) == 1 {
		if fix := c.releaseInOwnerFix(fn, s, rel); fix != nil {
			d.SuggestedFixes = []analysis.SuggestedFix{*fix}
		}
	}
	c.filter.Report(d)
	return true
}

// releasesIn returns the releases among a goroutine's uses of a value.
func releasesIn(uses []use) []ssa.Instruction {
	var out []ssa.Instruction
	for _, u := range uses {
		if u.kind == useRelease {
			out = append(out, u.instr)
		}
	}
	return out
}

// unwaitedRelease returns a release of the goroutine's body that is not
// preceded, on every path, by a wait after the body's last operation on the
// value; nil when every release waits (cancellation) or there is none.
func (c *checker) unwaitedRelease(body *ssa.Function, inside []use) ssa.Instruction {
	var rels []ssa.Instruction
	touched := map[ssa.Instruction]bool{}
	read := map[ssa.Instruction]bool{}
	for _, u := range inside {
		switch u.kind {
		case useRelease:
			rels = append(rels, u.instr)
		case useOther:
			touched[u.instr] = true
		case useRead:
			read[u.instr] = true
		}
	}
	if len(rels) == 0 {
		return nil
	}
	waited := waitedBefore(body, func(i ssa.Instruction) bool { return touched[i] },
		func(i ssa.Instruction) bool { return read[i] || c.order.mayBlock(i) })
	for _, r := range rels {
		if !c.waitedForRelease(body, r, waited) {
			return r
		}
	}
	return nil
}

// unorderedUse returns an operation of the owner on the variable after the
// spawn that no wait orders: none on any path from the spawn to it (a wait
// on one of them, in a loop that may or may not run, say, may be the
// join). It returns nil when the owner no longer uses the value: the
// goroutine owns it now.
func (c *checker) unorderedUse(fn *ssa.Function, from ssa.Instruction, root ssa.Value, owner []use) ssa.Instruction {
	redefined := definedBy(root)
	later := reach(fn, from, func(i ssa.Instruction) bool { return ownerUse(owner, i) }, func(i ssa.Instruction) bool {
		return redefined(i) || c.order.waits(i)
	})
	if later == nil {
		return nil
	}
	joined := reach(fn, from, func(i ssa.Instruction) bool {
		return c.order.waits(i) && reach(fn, i, func(j ssa.Instruction) bool { return j == later }, redefined) != nil
	}, redefined)
	if joined != nil {
		return nil
	}
	return later
}

// waitedForRelease reports whether the goroutine waited after its last
// operation on the value before releasing it: before the release call, or,
// for a deferred release, before every return.
func (c *checker) waitedForRelease(body *ssa.Function, rel ssa.Instruction, waited func(ssa.Instruction) bool) bool {
	if _, ok := rel.(*ssa.Defer); !ok {
		return waited(rel)
	}
	for _, b := range body.Blocks {
		if len(b.Instrs) == 0 {
			continue
		}
		if ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); ok && !waited(ret) {
			return false
		}
	}
	return true
}

// ownerUse reports whether instr operates on the owner's variable: any use
// but a release, a metadata read, and the starting of goroutines or
// deferred calls.
func ownerUse(owner []use, instr ssa.Instruction) bool {
	switch instr.(type) {
	case *ssa.Go, *ssa.Defer:
		return false
	}
	for _, u := range owner {
		if u.instr == instr && (u.kind == useOther || u.kind == useRead) {
			return true
		}
	}
	return false
}

// deferredWhileUsed reports shape 2: the owner defers the release, the
// goroutine uses the value (and may release it too), no deferred call waits,
// and the owner can run from the go statement to a return without blocking.
func (c *checker) deferredWhileUsed(fn *ssa.Function, s *spawn, root ssa.Value, k *resource.Kind, inside, owner []use) {
	var usePos ssa.Instruction
	releases := false
	for _, u := range inside {
		switch u.kind {
		case useRelease:
			releases = true
		case useOther, useRead, useField:
			if usePos == nil {
				usePos = u.instr
			}
		}
	}
	if usePos == nil && s.body == nil && s.passed[root] {
		usePos = s.instr
	}
	if usePos == nil {
		return
	}
	d := c.deferredRelease(fn, root, k, owner)
	if d == nil || c.deferredJoin(fn) {
		return
	}
	if !c.returnsWithoutBlocking(fn, s.instr, d) {
		return
	}
	stmt := c.syntax.defers[d.Pos()]
	name := c.varName(root, c.syntax.deferCall(d))
	diag := analysis.Diagnostic{
		Pos: d.Pos(),
		End: endOf(stmt, d),
		Message: fmt.Sprintf("deferred %s runs when the function returns, while a goroutine it started may still use %s: nothing waits for it (sync.WaitGroup, a done channel) and nothing blocks before the return",
			c.text(c.syntax.deferCall(d), k.ReleaseText(name)), name),
		Related: []analysis.RelatedInformation{
			{Pos: s.instr.Pos(), End: s.instr.Pos() + 2, Message: "goroutine started here"},
			{Pos: usePos.Pos(), End: usePos.Pos(), Message: name + " used by the goroutine"},
		},
	}
	// When the goroutine releases the value too, moving the owner's
	// release into it would release twice: no fix.
	if !releases {
		if fix := c.moveFix(fn, s, root, k, d, owner); fix != nil {
			diag.SuggestedFixes = []analysis.SuggestedFix{*fix}
		}
	}
	c.filter.Report(diag)
}

// deferredRelease returns the owner's deferred release of root:
// `defer x.Close()` or a deferred closure that releases it on every path.
func (c *checker) deferredRelease(fn *ssa.Function, root ssa.Value, k *resource.Kind, owner []use) *ssa.Defer {
	for _, u := range owner {
		if d, ok := u.instr.(*ssa.Defer); ok && u.kind == useRelease {
			return d
		}
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			d, ok := instr.(*ssa.Defer)
			if !ok {
				continue
			}
			mc, ok := d.Call.Value.(*ssa.MakeClosure)
			if !ok {
				continue
			}
			lit := mc.Fn.(*ssa.Function)
			for i, bnd := range mc.Bindings {
				if rootOf(bnd) != root {
					continue
				}
				var rels []ssa.Instruction
				for _, u := range c.usesOf(lit.FreeVars[i], k) {
					if u.kind == useRelease {
						rels = append(rels, u.instr)
					}
				}
				if releasesOnEveryPath(lit, rels) {
					return d
				}
			}
		}
	}
	return nil
}

// releasesOnEveryPath reports whether one of rels runs on every path
// through fn to a return: a deferred closure that releases only on
// failure (`if err != nil { x.Close() }`) does not release on the paths
// where the function hands the value on.
func releasesOnEveryPath(fn *ssa.Function, rels []ssa.Instruction) bool {
	if len(rels) == 0 {
		return false
	}
	for _, b := range fn.Blocks {
		if len(b.Instrs) == 0 {
			continue
		}
		ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
		if !ok {
			continue
		}
		covered := false
		for _, r := range rels {
			if precedes(r, ret) {
				covered = true
				break
			}
		}
		if !covered {
			return false
		}
	}
	return true
}

// deferredJoin reports whether some deferred call of fn waits (a deferred
// Wait, or a deferred function that waits): the function does not return
// while its goroutines run, in whichever order the defers were registered.
func (c *checker) deferredJoin(fn *ssa.Function) bool {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if d, ok := instr.(*ssa.Defer); ok && c.order.deferWaits(d) {
				return true
			}
		}
	}
	return false
}

// returnsWithoutBlocking reports whether fn runs from the spawn to a
// return, with the deferred release d registered, and nothing after the
// spawn, on any path, may block: a path that looks free only because a
// loop may run zero times is no evidence.
func (c *checker) returnsWithoutBlocking(fn *ssa.Function, from ssa.Instruction, d *ssa.Defer) bool {
	isReturn := func(i ssa.Instruction) bool { _, ok := i.(*ssa.Return); return ok }
	if reach(fn, from, c.order.mayBlock, never) != nil {
		return false
	}
	if precedes(d, from) {
		return reach(fn, from, isReturn, c.order.mayBlock) != nil
	}
	if reach(fn, from, func(i ssa.Instruction) bool { return i == d }, c.order.mayBlock) == nil {
		return false
	}
	return reach(fn, d, isReturn, c.order.mayBlock) != nil
}

// definedBy returns a stop function for path searches that follow a
// variable: the instruction that defines root starts a new variable when a
// loop reaches it again.
func definedBy(root ssa.Value) func(ssa.Instruction) bool {
	def, _ := root.(ssa.Instruction)
	return func(i ssa.Instruction) bool { return def != nil && i == def }
}

// deferCall returns the call of the defer statement d comes from.
func (idx *syntaxIndex) deferCall(d *ssa.Defer) *ast.CallExpr {
	if s := idx.defers[d.Pos()]; s != nil {
		return s.Call
	}
	return nil
}

// varName names the variable root for messages: from the release call's
// receiver when there is one, else from SSA.
func (c *checker) varName(root ssa.Value, call *ast.CallExpr) string {
	if call != nil {
		if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
			x := ast.Unparen(sel.X)
			if inner, ok := x.(*ast.SelectorExpr); ok && inner.Sel.Name == "Body" {
				x = inner.X
			}
			if id, ok := x.(*ast.Ident); ok {
				return id.Name
			}
		}
	}
	switch r := root.(type) {
	case *ssa.Alloc:
		if r.Comment != "" {
			return r.Comment
		}
	case *ssa.FreeVar:
		return r.Name()
	case *ssa.Parameter:
		return r.Name()
	}
	return unnamed
}

const unnamed = "the value"

// endOf returns the end of n, or of instr's first byte when there is no
// syntax.
func endOf(n ast.Node, instr ssa.Instruction) token.Pos {
	if n != nil {
		return n.End()
	}
	return instr.Pos() + 1
}
