package overwrite

import (
	"fmt"
	"go/token"
	"go/types"

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
// a type of the package whose release method never stops that field.
func checkTimers(pass *analysis.Pass, m *ownership.Model, filter *directive.Filter) {
	type store struct {
		st    *ssa.Store
		field *types.Var
		named *types.Named
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
