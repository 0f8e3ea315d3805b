package overwrite

import (
	"fmt"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/directive"
	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/ownership"
	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/resource"
)

// A type that keeps a time.AfterFunc timer in a field owes its Stop to its
// own release method: a Close that leaves the timer armed lets its function
// run after the value was closed (a reconnect, a flush, a callback into a
// closed connection).
//
//	func (c *Client) arm() { c.retry = time.AfterFunc(d, c.reconnect) }
//	func (c *Client) Close() error { return c.conn.Close() } // c.retry still armed

// checkTimers reports the stores of a time.AfterFunc timer into a field of
// a type of the package whose release method never stops that field, when
// the timer's function does work that the release should have ended.
//
// A timer whose function only updates the value's own state is harmless
// after the release, and is not reported: it sets fields or atomics, takes
// the value's locks, wakes waiters (sync.Cond), calls a release function
// the enclosing function acquired (a context's cancel, a no-op when called
// again), and never blocks (a send only in a select with a default case).
// A deadline timer that sets a timed-out flag, or a health check that
// pokes a channel without blocking, may fire after Close and change
// nothing. One that calls into another package or an interface (writes to
// a connection, flushes), sends or receives where it may block, closes a
// channel, starts a goroutine or re-arms a timer is reported.
func checkTimers(pass *analysis.Pass, m *ownership.Model, filter *directive.Filter) {
	type store struct {
		st    *ssa.Store
		field *types.Var
		named *types.Named
	}
	if !namesAfterFunc(pass) {
		return // no call of it: the SSA form need not be built
	}
	var stores []store
	for _, fn := range m.Functions() {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				st, ok := instr.(*ssa.Store)
				if !ok || !isAfterFunc(st.Val) {
					continue
				}
				fa, ok := st.Addr.(*ssa.FieldAddr)
				if !ok {
					continue
				}
				named := resource.NamedOf(fa.X.Type())
				v := slotVar(fa, pass.Pkg)
				if named == nil || v == nil || named.Obj().Pkg() != pass.Pkg {
					continue
				}
				stores = append(stores, store{st, v, named})
			}
		}
	}
	for _, s := range stores {
		rel := releaseMethod(m, s.named)
		if rel == nil || stopsField(rel, s.field, map[*ssa.Function]bool{}) {
			continue
		}
		if inertTimer(m, s.st.Val.(*ssa.Call)) {
			continue
		}
		recv := "(" + types.TypeString(types.NewPointer(s.named), types.RelativeTo(pass.Pkg)) + ")"
		filter.Report(analysis.Diagnostic{
			Pos:      s.st.Pos(),
			Category: Name,
			Message: fmt.Sprintf("%s keeps a time.AfterFunc timer that %s.%s does not stop: its function can still run after %s; stop it there",
				s.field.Name(), recv, rel.Name(), rel.Name()),
			Related: []analysis.RelatedInformation{{Pos: rel.Pos(), End: rel.Pos(), Message: rel.Name() + " releases the value without stopping " + s.field.Name()}},
		})
	}
}

// namesAfterFunc reports whether the package names time.AfterFunc: only
// then can an SSA value of its functions be a call of it.
func namesAfterFunc(pass *analysis.Pass) bool {
	if pass.Pkg.Path() != "time" && !slices.ContainsFunc(pass.Pkg.Imports(), func(p *types.Package) bool { return p.Path() == "time" }) {
		return false
	}
	for _, obj := range pass.TypesInfo.Uses {
		if fn, ok := obj.(*types.Func); ok && fn.Name() == "AfterFunc" && fn.Pkg() != nil && fn.Pkg().Path() == "time" {
			return true
		}
	}
	return false
}

// isAfterFunc reports whether v is the result of time.AfterFunc.
func isAfterFunc(v ssa.Value) bool {
	call, ok := v.(*ssa.Call)
	if !ok {
		return false
	}
	callee := call.Call.StaticCallee()
	return callee != nil && callee.Pkg != nil && callee.Pkg.Pkg.Path() == "time" && callee.Name() == "AfterFunc"
}

// releaseMethod returns the SSA function of named's release method, as
// the resource table knows it for *named (Close for a generic closer, Stop
// for a stopper, a configured type's own), declared in the package, or nil.
func releaseMethod(m *ownership.Model, named *types.Named) *ssa.Function {
	k := m.Table().KindOfType(types.NewPointer(named))
	if k == nil {
		return nil
	}
	prog := m.SSA().Prog
	for _, name := range k.Methods {
		obj, _, _ := types.LookupFieldOrMethod(types.NewPointer(named), true, named.Obj().Pkg(), name)
		fn, ok := obj.(*types.Func)
		if !ok || fn.Pkg() != named.Obj().Pkg() {
			continue
		}
		if f := prog.FuncValue(fn); f != nil && f.Blocks != nil {
			return f
		}
	}
	return nil
}

// stopsField reports whether fn, or a function of the package it calls,
// calls Stop on a value loaded from field.
func stopsField(fn *ssa.Function, field *types.Var, seen map[*ssa.Function]bool) bool {
	if fn == nil || fn.Blocks == nil || seen[fn] {
		return false
	}
	seen[fn] = true
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(ssa.CallInstruction)
			if !ok {
				continue
			}
			c := call.Common()
			callee := c.StaticCallee()
			if callee != nil && callee.Name() == "Stop" && callee.Signature.Recv() != nil && len(c.Args) > 0 && loadedFrom(c.Args[0], field) {
				return true
			}
			if callee != nil && callee.Pkg == fn.Pkg && stopsField(callee, field, seen) {
				return true
			}
		}
	}
	for _, anon := range fn.AnonFuncs {
		if stopsField(anon, field, seen) {
			return true
		}
	}
	return false
}

// loadedFrom reports whether v is a load of field (through any base).
func loadedFrom(v ssa.Value, field *types.Var) bool {
	ld, ok := v.(*ssa.UnOp)
	if !ok || ld.Op != token.MUL {
		return false
	}
	fa, ok := ld.X.(*ssa.FieldAddr)
	if !ok {
		return false
	}
	st, ok := deref(fa.X.Type()).Underlying().(*types.Struct)
	return ok && fa.Field < st.NumFields() && st.Field(fa.Field) == field
}

// inertDepth bounds how deep inertTimer follows calls of the package.
const inertDepth = 4

// inertTimer reports whether the function a time.AfterFunc call is given
// is harmless to run after its owner was released (see checkTimers).
func inertTimer(m *ownership.Model, call *ssa.Call) bool {
	if len(call.Call.Args) != 2 {
		return false
	}
	var releases map[ssa.Value]bool
	fnv := call.Call.Args[1]
	var fn *ssa.Function
	switch f := fnv.(type) {
	case *ssa.Function:
		fn = f
	case *ssa.MakeClosure:
		fn, _ = f.Fn.(*ssa.Function)
		// free variables bound to a release function the enclosing
		// function acquired (a cancel func)
		releases = map[ssa.Value]bool{}
		if fn != nil {
			for i, b := range f.Bindings {
				if i < len(fn.FreeVars) && releaseFuncOf(m, call.Parent(), b) {
					releases[fn.FreeVars[i]] = true
				}
			}
		}
	}
	return fn != nil && inertFunc(call.Parent().Pkg, fn, releases, inertDepth, map[*ssa.Function]bool{})
}

// releaseFuncOf reports whether v, in fn, is the function result of an
// acquisition whose kind is a release function (context.WithCancel's
// cancel), possibly through the cell of a captured variable.
func releaseFuncOf(m *ownership.Model, fn *ssa.Function, v ssa.Value) bool {
	if alloc, ok := v.(*ssa.Alloc); ok {
		// a captured variable: every value stored into its cell
		found := false
		for _, r := range *alloc.Referrers() {
			if st, ok := r.(*ssa.Store); ok && st.Addr == alloc {
				if !releaseFuncOf(m, fn, st.Val) {
					return false
				}
				found = true
			}
		}
		return found
	}
	for _, a := range m.Acquisitions(fn) {
		if a.Value == v && a.Kind != nil && a.Kind.Func {
			return true
		}
	}
	return false
}

// inertFunc reports whether fn only updates state, takes locks, wakes
// waiters and calls the release functions in releases (free variables),
// never blocking, following calls of package pkg (and its synthetic
// wrappers: a method value) depth deep.
func inertFunc(pkg *ssa.Package, fn *ssa.Function, releases map[ssa.Value]bool, depth int, seen map[*ssa.Function]bool) bool {
	if fn.Blocks == nil || depth == 0 {
		return false
	}
	if seen[fn] {
		return true
	}
	seen[fn] = true
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			switch in := instr.(type) {
			case *ssa.Send, *ssa.Go:
				return false
			case *ssa.Select:
				if in.Blocking {
					return false
				}
			case *ssa.UnOp:
				if in.Op == token.ARROW {
					return false
				}
			case ssa.CallInstruction:
				if !inertCall(pkg, in.Common(), releases, depth, seen) {
					return false
				}
			}
		}
	}
	return true
}

// inertCall reports whether a call is one inertFunc allows.
func inertCall(pkg *ssa.Package, c *ssa.CallCommon, releases map[ssa.Value]bool, depth int, seen map[*ssa.Function]bool) bool {
	if c.IsInvoke() {
		return false
	}
	if b, ok := c.Value.(*ssa.Builtin); ok {
		switch b.Name() {
		case "close", "panic", "print", "println", "recover":
			return false
		}
		return true
	}
	if fv, ok := c.Value.(*ssa.FreeVar); ok {
		return releases[fv]
	}
	if ld, ok := c.Value.(*ssa.UnOp); ok && ld.Op == token.MUL {
		if fv, ok := ld.X.(*ssa.FreeVar); ok {
			return releases[fv] // a captured cancel variable
		}
	}
	callee := c.StaticCallee()
	if callee == nil {
		return false
	}
	if callee.Pkg != nil {
		switch callee.Pkg.Pkg.Path() {
		case "sync", "sync/atomic":
			return callee.Name() != "Do" && callee.Name() != "Wait"
		}
	}
	// the package's own functions and the wrappers of its methods
	if callee.Pkg == pkg || callee.Synthetic != "" && callee.Blocks != nil {
		return inertFunc(pkg, callee, nil, depth-1, seen)
	}
	return false
}
