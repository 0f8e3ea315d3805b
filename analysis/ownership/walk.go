package ownership

import (
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/resource"
)

// class tells what an alias of a resource is.
type class uint8

const (
	classNone   class = iota
	classValue        // the resource itself (or a conversion of it)
	classBody         // the Body of a tracked *http.Response
	classCloser       // a closure (or method value) that releases the resource
	classHolder       // a closure that only uses the resource
	classField        // the field of the resource its kind's FieldRelease is called on
)

// walker follows one resource through one function.
type walker struct {
	m  *Model
	a  *Acquisition
	k  *resource.Kind
	fn *ssa.Function

	vals  map[ssa.Value]class
	cells map[ssa.Value]class

	ctx ssa.Value // the context a tracked cancel func cancels
	// relErrs are the error results of calls that released the
	// resource wherever they are set.
	relErrs []ssa.Value

	visited     map[visit]bool
	corr        map[ssa.Value]int        // conditions tested more than once
	reach       map[*ssa.BasicBlock]bool // blocks the acquisition reaches, for φ conditions
	transferred bool
	exitSeen    map[token.Pos]bool
}

func (m *Model) newWalker(a *Acquisition, cell bool) *walker {
	w := &walker{m: m, a: a, k: a.Kind, fn: a.Fn,
		vals: map[ssa.Value]class{}, cells: map[ssa.Value]class{},
		visited: map[visit]bool{}, exitSeen: map[token.Pos]bool{}}
	w.ctx = cancelledContext(a)
	w.corr = m.correlated(a.Fn)
	if cell {
		w.addCell(a.Value, classValue)
	} else {
		w.add(a.Value, classValue)
		if alloc := singleStoreVar(a.Value); alloc != nil {
			// A variable captured by a closure lives in a cell: the
			// closure sees the resource through it.
			w.addCell(alloc, classValue)
		}
	}
	return w
}

// singleStoreVar returns the local variable v was loaded from when that
// variable is assigned exactly once, with the value v loads.
func singleStoreVar(v ssa.Value) *ssa.Alloc {
	load, ok := v.(*ssa.UnOp)
	if !ok || load.Op != token.MUL {
		return nil
	}
	alloc, ok := load.X.(*ssa.Alloc)
	if !ok {
		return nil
	}
	stores := 0
	for _, r := range *alloc.Referrers() {
		if st, ok := r.(*ssa.Store); ok && st.Addr == alloc {
			stores++
		}
	}
	if stores != 1 {
		return nil
	}
	return alloc
}

// add records v as an alias of class c and follows its conversions.
func (w *walker) add(v ssa.Value, c class) {
	if v == nil {
		return
	}
	if old := w.vals[v]; old != classNone && !(old == classHolder && c == classCloser) {
		// Seen already; a closure first reached through a binding it
		// only uses may still release the resource through another.
		return
	}
	w.vals[v] = c
	refs := v.Referrers()
	if refs == nil {
		return
	}
	for _, r := range *refs {
		switch r := r.(type) {
		case *ssa.Phi:
			w.add(r, c)
		case *ssa.ChangeType:
			w.add(r, c)
		case *ssa.ChangeInterface:
			w.add(r, c)
		case *ssa.MakeInterface:
			w.add(r, c)
		case *ssa.TypeAssert:
			if !r.CommaOk {
				w.add(r, c)
				continue
			}
			for _, rr := range *r.Referrers() {
				if e, ok := rr.(*ssa.Extract); ok && e.Index == 0 {
					w.add(e, c)
				}
			}
		case *ssa.Store:
			if r.Val == v {
				if alloc, ok := r.Addr.(*ssa.Alloc); ok && !w.escapes(alloc) {
					w.addCell(alloc, c)
				}
			}
		case *ssa.UnOp:
			if _, ok := v.(*ssa.FieldAddr); ok && r.Op == token.MUL && c == classValue {
				// The embedded field itself (an interface whose Close
				// is promoted): c.Close() calls it on the loaded value.
				w.add(r, classValue)
			}
		case *ssa.FieldAddr:
			if c == classValue && !w.k.Body && r.X == v && embeddedField(r) {
				// c.Close() promoted from an embedded field: the
				// receiver is &c.conn.
				w.add(r, classValue)
				continue
			}
			if fr := w.k.FieldRelease; c == classValue && fr != nil && r.X == v && fieldName(r) == fr.Field {
				for _, rr := range *r.Referrers() {
					if load, ok := rr.(*ssa.UnOp); ok && load.Op == token.MUL {
						w.add(load, classField)
					}
				}
				continue
			}
			if c == classValue && w.k.Body && r.X == v && fieldName(r) == "Body" {
				for _, rr := range *r.Referrers() {
					if load, ok := rr.(*ssa.UnOp); ok && load.Op == token.MUL {
						w.add(load, classBody)
					}
				}
			}
		case *ssa.Call:
			if c == classValue {
				w.addWrapped(r, w.wrappedBy(&r.Call, v))
			}
		case *ssa.MakeClosure:
			for i, b := range r.Bindings {
				if b != v {
					continue
				}
				fn := r.Fn.(*ssa.Function)
				if w.closureReleases(fn, i) {
					w.add(r, classCloser)
				} else {
					w.add(r, classHolder)
				}
			}
		}
	}
}

// closureReleases reports whether closure fn releases the resource it
// captures as free variable i: by its summary, or by calling a release
// method of this acquisition's kind on it (a kind its type alone does not
// tell, such as a started *exec.Cmd waited for in a goroutine).
func (w *walker) closureReleases(fn *ssa.Function, i int) bool {
	if w.m.consumesFreeVar(fn, i) {
		return true
	}
	return w.callsReleaseOn(fn, i)
}

// callsReleaseOn reports whether closure fn calls a release of this
// acquisition's kind on its free variable i itself (not merely keeps it).
func (w *walker) callsReleaseOn(fn *ssa.Function, i int) bool {
	if w.k.Body || i >= len(fn.FreeVars) {
		return false
	}
	isFV := freeVarMatcher(fn.FreeVars[i])
	return anyCall(fn, func(c *ssa.CallCommon) bool {
		if c.IsInvoke() {
			return isFV(c.Value) && w.k.IsReleaseMethod(c.Method.Name())
		}
		if isFV(c.Value) && w.k.Func {
			return true // cancel()
		}
		callee := c.StaticCallee()
		if callee == nil || len(c.Args) == 0 {
			return false
		}
		if fr := w.k.FieldRelease; fr != nil && callee.Name() == fr.Method && fieldOf(c.Args[0], isFV) == fr.Field {
			return true // cmd.Process.Wait() in a deferred closure
		}
		if !isFV(c.Args[0]) {
			return false
		}
		if callee.Signature.Recv() != nil && (w.k.IsReleaseMethod(callee.Name()) || w.m.isReleaseMethod(callee)) {
			return true
		}
		obj, ok := callee.Object().(*types.Func)
		return ok && w.k.IsReleaseFunc(obj)
	})
}

// addWrapped tracks the results of call that are the resource itself.
func (w *walker) addWrapped(call *ssa.Call, results []int) {
	if len(results) == 0 {
		return
	}
	if _, ok := call.Type().(*types.Tuple); !ok {
		w.add(call, classValue)
		return
	}
	for _, r := range *call.Referrers() {
		if e, ok := r.(*ssa.Extract); ok && contains(results, e.Index) {
			w.add(e, classValue)
		}
	}
}

// deferredCloser reports whether the variable alloc is captured by a
// closure that releases it and that the function defers.
func (w *walker) deferredCloser(alloc *ssa.Alloc, store *ssa.Store) bool {
	for _, r := range *alloc.Referrers() {
		mc, ok := r.(*ssa.MakeClosure)
		if !ok {
			continue
		}
		deferred := false
		for _, rr := range *mc.Referrers() {
			if d, ok := rr.(*ssa.Defer); ok && d.Call.Value == mc && before(d, store) {
				deferred = true
			}
		}
		if !deferred {
			continue
		}
		fn := mc.Fn.(*ssa.Function)
		for i, b := range mc.Bindings {
			if b == alloc && w.m.consumesFreeVar(fn, i) {
				return true
			}
		}
	}
	return false
}

// before reports whether instruction a executes before b on every path to b.
func before(a, b ssa.Instruction) bool {
	ab, bb := a.Block(), b.Block()
	if ab != bb {
		return ab.Dominates(bb)
	}
	for _, in := range ab.Instrs {
		switch in {
		case a:
			return true
		case b:
			return false
		}
	}
	return false
}

// escapes reports whether a local cell is more than a plain variable: its
// address is stored, passed or used as an aggregate, so a store into it hands
// the resource to whoever holds that address.
func (w *walker) escapes(alloc *ssa.Alloc) bool {
	for _, r := range *alloc.Referrers() {
		switch r := r.(type) {
		case *ssa.UnOp:
			if r.Op != token.MUL {
				return true
			}
		case *ssa.Store:
			if r.Val == alloc {
				return true
			}
		case *ssa.MakeClosure, *ssa.DebugRef:
			// captured by a closure: still a variable of this function
		default:
			return true
		}
	}
	return false
}

// addCell records that loads from p yield aliases of class c.
func (w *walker) addCell(p ssa.Value, c class) {
	if w.cells[p] != classNone {
		return
	}
	w.cells[p] = c
	for _, r := range *p.Referrers() {
		switch r := r.(type) {
		case *ssa.UnOp:
			if r.Op == token.MUL {
				w.add(r, c)
			}
		case *ssa.MakeClosure:
			for i, b := range r.Bindings {
				if b == p {
					fn := r.Fn.(*ssa.Function)
					if w.closureReleases(fn, i) {
						w.add(r, classCloser)
					} else {
						w.add(r, classHolder)
					}
				}
			}
		}
	}
}

func embeddedField(fa *ssa.FieldAddr) bool {
	t := types.Unalias(fa.X.Type())
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	st, ok := t.Underlying().(*types.Struct)
	return ok && fa.Field < st.NumFields() && st.Field(fa.Field).Anonymous()
}

// fieldOf returns the name of the field v is loaded from, when the struct
// it belongs to satisfies base (*x.Field with base(x)), or "".
func fieldOf(v ssa.Value, base func(ssa.Value) bool) string {
	load, ok := v.(*ssa.UnOp)
	if !ok || load.Op != token.MUL {
		return ""
	}
	fa, ok := load.X.(*ssa.FieldAddr)
	if !ok || !base(fa.X) {
		return ""
	}
	return fieldName(fa)
}

func fieldName(fa *ssa.FieldAddr) string {
	t := types.Unalias(fa.X.Type())
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	st, ok := t.Underlying().(*types.Struct)
	if !ok || fa.Field >= st.NumFields() {
		return ""
	}
	return st.Field(fa.Field).Name()
}

// outcome of one instruction for the tracked resource.
type outcome uint8

const (
	none outcome = iota
	released
	transferred
	stopped // the path panics or ends the process
)

// run explores every path from instruction start of block b.
func (w *walker) run(b *ssa.BasicBlock, start int) {
	type item struct {
		visit
		start int
	}
	stack := []item{{visit{b, pathFacts{}}, start}}
	// Path facts multiply the blocks to visit; past this budget the walk
	// forgets them (it then explores every path, as if no condition were
	// correlated).
	budget := 8*len(w.fn.Blocks) + 64
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		succs, done := w.block(it.b, it.start, it.f)
		if done {
			continue
		}
		for _, s := range succs {
			if len(w.visited) > budget {
				s.f = pathFacts{}
			}
			if !w.visited[s] {
				w.visited[s] = true
				stack = append(stack, item{s, 0})
			}
		}
	}
}

// block processes a block from index start with the path facts f; it
// returns the successors to explore, or done when the path ended.
func (w *walker) block(b *ssa.BasicBlock, start int, f pathFacts) (succs []visit, done bool) {
	for i := start; i < len(b.Instrs); i++ {
		instr := b.Instrs[i]
		if start == 0 && w.a.Call != nil && instr == w.a.Call {
			w.exit(Exit{Pos: w.a.Pos, Iteration: true})
			return nil, true
		}
		switch w.effect(instr) {
		case released:
			w.a.Releases = append(w.a.Releases, instr.Pos())
			if _, ok := instr.(*ssa.Defer); ok {
				w.a.Deferred = true
			}
			return nil, true
		case transferred:
			w.transferred = true
			w.a.Transfers = append(w.a.Transfers, instr.Pos())
			return nil, true
		case stopped:
			return nil, true
		}
		switch t := instr.(type) {
		case *ssa.Return:
			if isProgramMain(w.fn) {
				// Returning from main ends the process, which
				// releases everything it still holds.
				return nil, true
			}
			if !filledBefore(w.a.fills, t) {
				// A lazily filled value still empty here.
				return nil, true
			}
			pos := t.Pos()
			implicit := false
			if !pos.IsValid() {
				pos, implicit = w.endOfFunction(), true
			}
			w.exit(Exit{Pos: pos, Implicit: implicit})
			return nil, true
		case *ssa.Panic:
			return nil, true
		case *ssa.If:
			return w.correlate(t, w.branch(b, t), f), false
		}
	}
	for _, s := range b.Succs {
		succs = append(succs, visit{s, f})
	}
	return succs, false
}

func (w *walker) endOfFunction() token.Pos {
	if syn := w.fn.Syntax(); syn != nil {
		return syn.End() - 1
	}
	return w.fn.Pos()
}

func (w *walker) exit(e Exit) {
	if w.exitSeen[e.Pos] {
		return
	}
	w.exitSeen[e.Pos] = true
	w.a.Exits = append(w.a.Exits, e)
}

// branch picks the successors of an If where the resource exists: on the
// err != nil edge (and the x == nil edge) there is nothing to release; a
// false rows.Next() closes the rows.
func (w *walker) branch(b *ssa.BasicBlock, ifInstr *ssa.If) []*ssa.BasicBlock {
	thenB, elseB := b.Succs[0], b.Succs[1]
	if w.a.OK != nil {
		// c, ok := get(): no resource where ok is false.
		if ifInstr.Cond == w.a.OK {
			return []*ssa.BasicBlock{thenB}
		}
		if not, isNot := ifInstr.Cond.(*ssa.UnOp); isNot && not.Op == token.NOT && not.X == w.a.OK {
			return []*ssa.BasicBlock{elseB}
		}
	}
	if only, ok := w.m.nilErrorBranch(ifInstr); ok {
		// if err := rand.Read(b); err != nil { … }: never taken.
		return []*ssa.BasicBlock{only}
	}
	if w.selectsDone(ifInstr.Cond) {
		// select { case <-ctx.Done(): … }: done on that case.
		w.a.Releases = append(w.a.Releases, ifInstr.Cond.Pos())
		return []*ssa.BasicBlock{elseB}
	}
	if sel := w.sendCase(ifInstr.Cond); sel != nil {
		// select { case out <- c: … }: handed over on that case.
		w.transferred = true
		w.a.Transfers = append(w.a.Transfers, sel.Pos())
		return []*ssa.BasicBlock{elseB}
	}
	switch cond := ifInstr.Cond.(type) {
	case *ssa.Extract:
		// for v := range ch over a channel nobody closes: the loop
		// never ends, so the edge out of it is never taken.
		if rangeNeverEnds(cond) {
			return []*ssa.BasicBlock{thenB}
		}
	case *ssa.Phi:
		// didOpen := false; if … { f, err = open(); didOpen = true }:
		// on the paths that come from the acquisition the flag is a
		// known constant.
		if c, ok := w.phiConstant(cond); ok {
			if c {
				return []*ssa.BasicBlock{thenB}
			}
			return []*ssa.BasicBlock{elseB}
		}
	case *ssa.Const:
		// for ; true; { … }: the other edge is never taken.
		if cond.Value != nil && cond.Value.Kind() == constant.Bool {
			if constant.BoolVal(cond.Value) {
				return []*ssa.BasicBlock{thenB}
			}
			return []*ssa.BasicBlock{elseB}
		}
	case *ssa.BinOp:
		if cond.Op != token.EQL && cond.Op != token.NEQ {
			break
		}
		var other ssa.Value
		switch {
		case isNil(cond.Y):
			other = cond.X
		case isNil(cond.X):
			other = cond.Y
		default:
			if (w.isErr(cond.X) && w.m.nonNil(cond.Y)) || (w.isErr(cond.Y) && w.m.nonNil(cond.X)) {
				// err != errWant { t.Fatal(…) }: where err equals a
				// sentinel it is not nil, and nothing was acquired.
				if cond.Op == token.EQL {
					return []*ssa.BasicBlock{elseB}
				}
				return []*ssa.BasicBlock{thenB}
			}
			return b.Succs
		}
		var absentWhenEqual bool
		switch {
		case w.isErr(other):
			absentWhenEqual = false // err == nil: resource present
		case w.releasedWhenSet(other):
			// cl, err := newClient(conn): where err is set, newClient
			// closed conn.
			w.a.Releases = append(w.a.Releases, cond.Pos())
			absentWhenEqual = false
		case w.vals[other] == classValue || w.vals[other] == classBody:
			absentWhenEqual = true // x == nil (or x.Body == nil): resource absent
		default:
			return b.Succs
		}
		equalB, notEqualB := thenB, elseB
		if cond.Op == token.NEQ {
			equalB, notEqualB = elseB, thenB
		}
		if absentWhenEqual {
			return []*ssa.BasicBlock{notEqualB}
		}
		return []*ssa.BasicBlock{equalB}
	case *ssa.UnOp:
		// if !errors.Is(err, ErrX) { t.Fatal(…) }: where the predicate
		// holds, err != nil and nothing was acquired.
		if call, ok := cond.X.(*ssa.Call); ok && cond.Op == token.NOT && w.a.Err != nil && w.impliesErr(call) {
			return []*ssa.BasicBlock{thenB}
		}
	case *ssa.Call:
		// if errors.Is(err, X) { … } or if isTemporary(err) { … }: a
		// predicate that holds of the acquisition's error implies err != nil.
		if w.a.Err != nil && w.impliesErr(cond) {
			return []*ssa.BasicBlock{elseB}
		}
		// for rows.Next() { … }: a false Next closes the rows.
		if w.k == resource.Rows && !cond.Call.IsInvoke() && len(cond.Call.Args) == 1 && w.vals[cond.Call.Args[0]] == classValue {
			if callee := cond.Call.StaticCallee(); callee != nil && callee.Name() == "Next" {
				w.a.Releases = append(w.a.Releases, cond.Pos())
				return []*ssa.BasicBlock{thenB}
			}
		}
	}
	return b.Succs
}

// isErr reports whether v is the acquisition's error (possibly merged
// through a φ with other values).
func (w *walker) isErr(v ssa.Value) bool {
	return isValue(v, w.a.Err)
}

// isValue reports whether v is x: itself, merged through a φ, or loaded
// from the variable x was last stored in.
func isValue(v, x ssa.Value) bool {
	if x == nil {
		return false
	}
	if v == x {
		return true
	}
	if phi, ok := v.(*ssa.Phi); ok && phiMerges(phi, x, map[*ssa.Phi]bool{}) {
		return true
	}
	// A named result or a variable captured by a closure lives in a cell:
	// the check loads what the acquisition stored there.
	if load, ok := v.(*ssa.UnOp); ok && load.Op == token.MUL {
		switch cell := load.X.(type) {
		case *ssa.Alloc, *ssa.FreeVar:
			if st := lastStoreBefore(load, cell); st != nil {
				return st.Val == x
			}
		}
	}
	return false
}

// phiMerges reports whether x is an edge of phi or of the φs merged into
// it (f, err = open(); if isCorrupted(err) { f, err = recover() }; if
// isCorrupted(err) { f, err = open() }: the last check sees x two φs
// down).
func phiMerges(phi *ssa.Phi, x ssa.Value, seen map[*ssa.Phi]bool) bool {
	if seen[phi] || len(seen) > 8 {
		return false
	}
	seen[phi] = true
	for _, e := range phi.Edges {
		if e == x {
			return true
		}
		if inner, ok := e.(*ssa.Phi); ok && phiMerges(inner, x, seen) {
			return true
		}
	}
	return false
}

// lastStoreBefore returns the store into cell that the load reads on every
// path: the nearest one before it in its block or, failing that, in the
// blocks that dominate it. A later `err = f.Chmod(…)` is then not taken for
// the acquisition's own error.
func lastStoreBefore(load ssa.Instruction, cell ssa.Value) *ssa.Store {
	b := load.Block()
	idx := -1
	for i, in := range b.Instrs {
		if in == load {
			idx = i
			break
		}
	}
	for b != nil {
		for i := idx - 1; i >= 0; i-- {
			if st, ok := b.Instrs[i].(*ssa.Store); ok && st.Addr == cell {
				return st
			}
		}
		b = b.Idom()
		if b != nil {
			idx = len(b.Instrs)
		}
	}
	return nil
}

// isErrIface reports whether v is the acquisition's error converted to
// another interface (errors.As(err, &target) takes an error; a predicate may
// take any).
func (w *walker) isErrIface(v ssa.Value) bool {
	switch v := v.(type) {
	case *ssa.ChangeInterface:
		return w.isErr(v.X)
	case *ssa.MakeInterface:
		return w.isErr(v.X)
	}
	return false
}

func isNil(v ssa.Value) bool {
	c, ok := v.(*ssa.Const)
	return ok && c.IsNil()
}

// effect classifies one instruction.
func (w *walker) effect(instr ssa.Instruction) outcome {
	switch in := instr.(type) {
	case *ssa.Return:
		for i, r := range in.Results {
			if w.vals[r] != classNone {
				w.a.Returned = appendUnique(w.a.Returned, i)
				return transferred
			}
		}
	case *ssa.Store:
		if w.vals[in.Val] != classNone {
			if alloc, ok := in.Addr.(*ssa.Alloc); ok && w.vals[in.Val] != classHolder && w.deferredCloser(alloc, in) {
				// var f *os.File; defer func() { if f != nil { f.Close() } }()
				return released
			}
			if w.cells[in.Addr] != classNone {
				return none
			}
			if alloc, ok := in.Addr.(*ssa.Alloc); ok && !w.escapes(alloc) {
				return none
			}
			if w.vals[in.Val] == classHolder {
				return none
			}
			return transferred
		}
	case *ssa.MapUpdate:
		if w.tracked(in.Value) || w.tracked(in.Key) {
			return transferred
		}
	case *ssa.Send:
		if w.tracked(in.X) {
			return transferred
		}
	case *ssa.UnOp:
		if in.Op == token.ARROW && w.isDone(in.X) {
			// <-ctx.Done(): the context is done, its cancel a no-op.
			return released
		}
	case *ssa.Call:
		w.noteReleasedOnError(in)
		if in.Call.IsInvoke() && w.a.Err != nil && w.isErr(in.Call.Value) {
			// err.Error(): a method call on a nil interface panics,
			// so past it the acquisition failed and holds nothing.
			return stopped
		}
		return w.callEffect(&in.Call, false)
	case *ssa.Defer:
		return w.callEffect(&in.Call, false)
	case *ssa.Go:
		out := w.callEffect(&in.Call, true)
		if out == none && w.vals[in.Call.Value] == classHolder {
			w.noteGoroutineUse(in)
		}
		return out
	}
	return none
}

// tracked reports whether v is the resource, its body, or a closure that
// releases it (not a closure that merely uses it).
func (w *walker) tracked(v ssa.Value) bool {
	c := w.vals[v]
	return c != classNone && c != classHolder && c != classField
}

func appendUnique(list []int, i int) []int {
	for _, j := range list {
		if j == i {
			return list
		}
	}
	return append(list, i)
}

// callEffect classifies a call, defer or go statement.
func (w *walker) callEffect(c *ssa.CallCommon, isGo bool) outcome {
	// The callee itself is the resource (a cancel func) or a closure.
	if !c.IsInvoke() {
		switch w.vals[c.Value] {
		case classValue:
			if w.k.Func {
				return released
			}
		case classCloser:
			if isGo {
				return transferred
			}
			return released
		case classHolder:
			if isGo && w.a.Result < 0 && w.a.Arg >= 0 && w.a.Call != nil {
				// A registration (signal.Notify(ch)) whose channel a
				// goroutine goes on receiving from: the registration
				// lasts as long as that goroutine, which now owns it.
				// A goroutine that can return must stop it then.
				if mc, ok := c.Value.(*ssa.MakeClosure); ok {
					if fn, ok := mc.Fn.(*ssa.Function); ok && goroutineEnds(fn) {
						return none
					}
				}
				return transferred
			}
			// A goroutine that only uses the resource: the owner keeps
			// the obligation.
		}
	}
	if c.IsInvoke() {
		switch w.vals[c.Value] {
		case classValue:
			// A response body handed around as an io.ReadCloser is
			// released by its own Close (an *http.Response is never
			// an interface value).
			if w.k.IsReleaseMethod(c.Method.Name()) {
				return released
			}
		case classBody:
			if c.Method.Name() == "Close" {
				return released
			}
		}
	}
	callee := c.StaticCallee()
	if callee != nil && !c.IsInvoke() {
		if w.k.ReleaseFunc != "" && len(c.Args) > 0 && w.tracked(c.Args[0]) {
			if obj, ok := callee.Object().(*types.Func); ok && w.k.IsReleaseFunc(obj) {
				return released
			}
		}
		if callee.Signature.Recv() != nil && len(c.Args) > 0 {
			switch w.vals[c.Args[0]] {
			case classValue:
				if w.k.IsReleaseMethod(callee.Name()) && !w.k.Body {
					return released
				}
				if !w.k.Body && !w.k.Func && w.m.isReleaseMethod(callee) {
					// srv.Shutdown(ctx), p.AsyncClose(): a method
					// that releases what the value holds.
					return released
				}
			case classBody:
				if callee.Name() == "Close" {
					return released
				}
			case classField:
				if callee.Name() == w.k.FieldRelease.Method {
					return released // cmd.Process.Wait()
				}
			}
		}
		if noReturn(callee) {
			return stopped
		}
		if s, known := w.m.calleeSummary(callee); known && s != nil && (s.NoReturn || w.assertsErr(c, s)) {
			// requireError(t, err): past the call the acquisition
			// failed, and there is nothing to release.
			return stopped
		}
	}
	if c.IsInvoke() && isNoReturnMethod(c.Method) {
		return stopped
	}
	if reportsTestFailure(c) {
		// t.Errorf(…): the test has failed on this path; what it
		// leaves open there is not a report of its own.
		return stopped
	}
	// Arguments.
	if !isGo {
		for _, arg := range c.Args {
			if w.vals[arg] == classValue && len(w.wrappedBy(c, arg)) > 0 {
				return none // the result is tracked as the same resource
			}
		}
	}
	for i, arg := range c.Args {
		cl := w.vals[arg]
		if cl == classNone || cl == classHolder {
			continue
		}
		if isGo || (cl == classCloser && w.releasingClosure(arg)) {
			// A goroutine, or a closure that releases the resource
			// handed to whoever registers it (time.AfterFunc(d,
			// func() { c.Close() }), a field's Store(ln.Close)).
			return transferred
		}
		if (cl == classValue || cl == classBody) && w.m.unknownCallee(c) && !w.m.paramCanRelease(c, i) {
			// parse(f) with parse a func(io.Reader): a callee the
			// engine cannot see into cannot release what it gets as a
			// type with no release method.
			continue
		}
		switch w.argEffect(c, callee, i) {
		case released:
			return released
		case transferred:
			return transferred
		}
	}
	return none
}

// argEffect says what passing the resource as argument i does.
func (w *walker) argEffect(c *ssa.CallCommon, callee *ssa.Function, i int) outcome {
	if c.IsInvoke() {
		if pkg := c.Method.Pkg(); pkg != nil && resource.IsStd(pkg.Path()) {
			// Args excludes the receiver; table indexes count it.
			if resource.TakesOwnership(resource.KeyOf(c.Method), i+1) {
				return transferred
			}
			return none
		}
		return transferred
	}
	if _, ok := c.Value.(*ssa.Builtin); ok {
		return none
	}
	if callee == nil {
		return transferred
	}
	orig := origin(callee)
	if obj, ok := orig.Object().(*types.Func); ok && obj != nil && obj.Pkg() != nil && resource.IsStd(obj.Pkg().Path()) {
		if resource.TakesOwnership(resource.KeyOf(obj), i) {
			return transferred
		}
		if !w.m.local(callee) {
			return none
		}
	}
	s, known := w.m.calleeSummary(callee)
	if !known || s == nil {
		return transferred
	}
	if s.ReleasesParam(i) {
		return released
	}
	if s.ConsumesParam(i) {
		if i == 0 && callee.Signature.Recv() != nil && returnsReleasable(callee.Signature) {
			// ch, err := conn.Channel(): a child that refers back to
			// its receiver does not take the receiver over.
			return none
		}
		return transferred
	}
	return none
}

// childAcquisitions returns the results of a method of a resource that are
// new children of it (ch, err := conn.Channel(), c := bus.Client(name)): a
// value with a release method that the method built, that keeps a
// reference to the receiver (so the receiver is consumed in the summary)
// and that is neither the receiver wrapped nor a borrowed field.
func (m *Model) childAcquisitions(callee *ssa.Function, s *Summary, sig *types.Signature, seen map[int]bool) []resource.Acquisition {
	recv := callee.Signature.Recv()
	if recv == nil || !s.Holds || !s.ConsumesParam(0) || s.ReleasesParam(0) || !hasReleaseMethod(recv.Type()) {
		return nil
	}
	var out []resource.Acquisition
	for r := 0; r < sig.Results().Len(); r++ {
		k := resource.GenericKind(sig.Results().At(r).Type())
		if k == nil || seen[r] || contains(s.Wraps, r) || contains(s.Borrowed, r) {
			continue
		}
		out = append(out, resource.Acquisition{Kind: k, Result: r, Arg: -1, ErrResult: resource.ErrorResult(sig)})
	}
	return out
}

// returnsReleasable reports whether a result of sig has a release method.
func returnsReleasable(sig *types.Signature) bool {
	for i := 0; i < sig.Results().Len(); i++ {
		if hasReleaseMethod(sig.Results().At(i).Type()) {
			return true
		}
	}
	return false
}

// noReturn lists standard functions that end the process or the goroutine;
// noreturn's facts cover the rest when SSA marks their calls.
func noReturn(f *ssa.Function) bool {
	obj, ok := f.Object().(*types.Func)
	if !ok || obj == nil || obj.Pkg() == nil {
		return false
	}
	switch resource.KeyOf(obj) {
	case "os.Exit", "log.Fatal", "log.Fatalf", "log.Fatalln", "log.Panic", "log.Panicf", "log.Panicln",
		"log.Logger.Fatal", "log.Logger.Fatalf", "log.Logger.Fatalln", "log.Logger.Panic", "log.Logger.Panicf", "log.Logger.Panicln",
		"runtime.Goexit", "testing.common.Fatal", "testing.common.Fatalf", "testing.common.FailNow",
		"testing.common.Skip", "testing.common.Skipf", "testing.common.SkipNow":
		return true
	}
	return false
}

func isNoReturnMethod(m *types.Func) bool {
	if m.Pkg() == nil {
		return false
	}
	sig, _ := m.Type().(*types.Signature)
	if sig == nil || sig.Results().Len() > 0 {
		return false
	}
	if m.Pkg().Path() != "testing" {
		// An assertion library's own reporter interface (testify's
		// TestingT) declares testing.TB's methods to call them on a
		// *testing.T: the same name and shape is the same method.
		if sig.Recv() == nil || !types.IsInterface(sig.Recv().Type()) || !testingShape(m.Name(), sig) {
			return false
		}
	}
	switch m.Name() {
	case "Fatal", "Fatalf", "FailNow", "Skip", "Skipf", "SkipNow":
		return true
	}
	return false
}

// reportsTestFailure reports whether a call marks the running test failed
// and goes on: Error, Errorf or Fail of testing's T, B or F, or of a
// reporter interface with testing.TB's methods of those names and shapes.
func reportsTestFailure(c *ssa.CallCommon) bool {
	var m *types.Func
	if c.IsInvoke() {
		m = c.Method
	} else if callee := c.StaticCallee(); callee != nil {
		m, _ = callee.Object().(*types.Func)
	}
	if m == nil || m.Pkg() == nil {
		return false
	}
	switch m.Name() {
	case "Error", "Errorf", "Fail":
	default:
		return false
	}
	sig, _ := m.Type().(*types.Signature)
	if sig == nil || sig.Recv() == nil || sig.Results().Len() > 0 {
		return false
	}
	if m.Pkg().Path() == "testing" {
		return true
	}
	if !types.IsInterface(sig.Recv().Type()) || !testingShape(m.Name(), sig) {
		return false
	}
	failNow, _, _ := types.LookupFieldOrMethod(sig.Recv().Type(), true, nil, "FailNow")
	_, ok := failNow.(*types.Func)
	return ok
}

// testingShape reports whether a method named name with signature sig has
// the shape of testing.TB's method of that name.
func testingShape(name string, sig *types.Signature) bool {
	params := sig.Params()
	variadicAny := func(i int) bool {
		s, ok := params.At(i).Type().(*types.Slice)
		if !ok || !sig.Variadic() {
			return false
		}
		iface, ok := s.Elem().Underlying().(*types.Interface)
		return ok && iface.Empty()
	}
	switch name {
	case "FailNow", "SkipNow", "Fail":
		return params.Len() == 0
	case "Fatal", "Skip", "Error":
		return params.Len() == 1 && variadicAny(0)
	case "Fatalf", "Skipf", "Errorf":
		if params.Len() != 2 || !variadicAny(1) {
			return false
		}
		b, ok := params.At(0).Type().Underlying().(*types.Basic)
		return ok && b.Kind() == types.String
	}
	return false
}

// isProgramMain reports whether f is the main function of a program, whose
// return ends the process.
func isProgramMain(f *ssa.Function) bool {
	return f.Name() == "main" && f.Parent() == nil && f.Signature.Recv() == nil &&
		f.Pkg != nil && f.Pkg.Pkg.Name() == "main"
}

// phiConstant reports the boolean constant that phi takes on every edge
// from a block the acquisition reaches.
func (w *walker) phiConstant(phi *ssa.Phi) (value, ok bool) {
	if w.reach == nil {
		w.reach = reachableFrom(w.a.Call)
	}
	seen := false
	for i, e := range phi.Edges {
		pred := phi.Block().Preds[i]
		if !w.reach[pred] {
			continue
		}
		c, isConst := e.(*ssa.Const)
		if !isConst || c.Value == nil || c.Value.Kind() != constant.Bool {
			return false, false
		}
		b := constant.BoolVal(c.Value)
		if seen && b != value {
			return false, false
		}
		value, seen = b, true
	}
	return value, seen
}

// reachableFrom returns the blocks reachable from the block of instr.
func reachableFrom(instr ssa.Instruction) map[*ssa.BasicBlock]bool {
	reach := map[*ssa.BasicBlock]bool{}
	if instr == nil {
		return reach
	}
	stack := []*ssa.BasicBlock{instr.Block()}
	for len(stack) > 0 {
		b := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if reach[b] {
			continue
		}
		reach[b] = true
		stack = append(stack, b.Succs...)
	}
	return reach
}

// neverClosed reports whether ch is a channel made in this function that
// nothing can close: it is only received from, sent on, or handed to the
// signal package (which never closes the channels it is given).
func neverClosed(ch ssa.Value) bool {
	ch = unconvert(ch)
	// A goroutine ranging over its creator's channel.
	switch x := ch.(type) {
	case *ssa.FreeVar:
		if ch = capturedValue(x); ch == nil {
			return false
		}
	case *ssa.UnOp:
		if fv, ok := x.X.(*ssa.FreeVar); ok && x.Op == token.MUL {
			if ch = capturedCell(fv); ch == nil {
				return false
			}
		}
	}
	if call, ok := ch.(*ssa.Call); ok {
		// time.Tick(d): the runtime never closes it.
		if callee := call.Call.StaticCallee(); callee != nil {
			if obj, ok := callee.Object().(*types.Func); ok && obj.Pkg() != nil && resource.NeverClosed(resource.KeyOf(obj)) {
				return true
			}
		}
		return false
	}
	if _, ok := ch.(*ssa.MakeChan); !ok {
		return false
	}
	var ok func(v ssa.Value) bool
	ok = func(v ssa.Value) bool {
		for _, r := range *v.Referrers() {
			switch r := r.(type) {
			case *ssa.UnOp:
				switch {
				case r.Op == token.ARROW:
				case r.Op == token.MUL && ok(r): // a load from the variable
				default:
					return false
				}
			case *ssa.Store:
				if r.Addr == v {
					continue // the assignment of the variable itself
				}
				cell, isCell := r.Addr.(*ssa.Alloc)
				if !isCell || r.Val != v || singleStoreCell(cell) == nil || !ok(cell) {
					return false
				}
			case *ssa.Send, *ssa.DebugRef:
			case *ssa.ChangeType:
				if !ok(r) {
					return false
				}
			case *ssa.Call:
				callee := r.Call.StaticCallee()
				if callee == nil || callee.Pkg == nil || callee.Pkg.Pkg.Path() != "os/signal" {
					return false
				}
			case *ssa.MakeClosure:
				fn, isFn := r.Fn.(*ssa.Function)
				if !isFn {
					return false
				}
				for i, b := range r.Bindings {
					if b == v && !ok(fn.FreeVars[i]) {
						return false
					}
				}
			default:
				return false
			}
		}
		return true
	}
	return ok(ch)
}

// singleStoreCell returns the value stored in cell when it is stored
// exactly once.
func singleStoreCell(cell *ssa.Alloc) ssa.Value {
	var stored ssa.Value
	for _, r := range *cell.Referrers() {
		if st, ok := r.(*ssa.Store); ok && st.Addr == cell {
			if stored != nil {
				return nil
			}
			stored = st.Val
		}
	}
	return stored
}

// rangeNeverEnds reports whether cond is the "received" flag of a receive
// from a channel nobody closes: the edge out of the loop is never taken.
func rangeNeverEnds(cond ssa.Value) bool {
	e, ok := cond.(*ssa.Extract)
	if !ok || e.Index != 1 {
		return false
	}
	recv, ok := e.Tuple.(*ssa.UnOp)
	return ok && recv.Op == token.ARROW && neverClosed(recv.X)
}

// goroutineEnds reports whether fn, run as a goroutine, can return: a
// loop over a channel nobody closes, or for {}, never does.
func goroutineEnds(fn *ssa.Function) bool {
	if fn.Blocks == nil {
		return true
	}
	ends := false
	explore(fn, func(b *ssa.BasicBlock) []*ssa.BasicBlock {
		switch last := b.Instrs[len(b.Instrs)-1].(type) {
		case *ssa.Return:
			ends = true
		case *ssa.If:
			if rangeNeverEnds(last.Cond) {
				return b.Succs[:1]
			}
		}
		return b.Succs
	})
	return ends
}

// releasingClosure reports whether v is a closure that releases the
// resource when it runs (c.Close as a method value, func() { c.Close() }),
// as opposed to one that merely keeps it somewhere.
func (w *walker) releasingClosure(v ssa.Value) bool {
	for {
		switch x := v.(type) {
		case *ssa.MakeInterface:
			v = x.X
			continue
		case *ssa.ChangeType:
			v = x.X
			continue
		}
		break
	}
	mc, ok := v.(*ssa.MakeClosure)
	if !ok {
		return false
	}
	fn, ok := mc.Fn.(*ssa.Function)
	if !ok {
		return false
	}
	for i, b := range mc.Bindings {
		if w.vals[b] == classNone && w.cells[b] == classNone {
			continue
		}
		if boundRelease(fn) || w.callsReleaseOn(fn, i) {
			return true
		}
	}
	return false
}

// freeVarMatcher returns a test for the values that are free variable fv
// itself, or what is loaded from it when it is captured by reference.
func freeVarMatcher(fv *ssa.FreeVar) func(ssa.Value) bool {
	return func(v ssa.Value) bool {
		v = unconvert(v)
		if v == fv {
			return true
		}
		load, ok := v.(*ssa.UnOp)
		return ok && load.Op == token.MUL && load.X == fv
	}
}
