package ownership

import (
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/resource"
)

// A context made by context.WithCancel (or WithCancelCause) from
// context.Background or context.TODO registers nothing with its parent
// (their Done channel is nil) and starts no timer. Only what waits on it
// is stopped by its cancel func. When nothing reads the context, calling
// cancel releases nothing: a constructor that only keeps such a pair in
// its value (and whose Close only cancels it) holds nothing its caller
// must release. The cancel func itself is still an acquisition of the
// function that calls WithCancel, as go vet's lostcancel has it.

// inertCancel reports whether a is the cancel func of such a context that
// no code of the package reads: its context is dropped, or kept only in
// unexported fields the package never reads.
func (m *Model) inertCancel(a *Acquisition) bool {
	call, ok := a.Call.(*ssa.Call)
	return ok && a.Kind == resource.Cancel && a.Result == 1 && m.inertCancelCall(call)
}

// inertCancelCall reports whether call is context.WithCancel (or
// WithCancelCause) of context.Background or TODO whose context no code of
// the package reads.
func (m *Model) inertCancelCall(call *ssa.Call) bool {
	if !rootCancelCall(call) {
		return false
	}
	ctx := m.extract(call, 0)
	if ctx == nil {
		return true
	}
	for _, r := range *ctx.Referrers() {
		st, ok := r.(*ssa.Store)
		if !ok || st.Val != ctx {
			return false
		}
		fa, ok := st.Addr.(*ssa.FieldAddr)
		if !ok {
			return false
		}
		field := addressedField(fa)
		if field == nil || field.Exported() || m.fieldRead(field) {
			return false
		}
	}
	return true
}

// inertCancelField reports whether every value the package stores in the
// unexported field is the cancel func of a context nothing reads (see
// inertCancelCall): a release method calling it releases nothing.
func (m *Model) inertCancelField(field *types.Var) bool {
	if field == nil || field.Exported() {
		return false
	}
	m.scanFields()
	stores := m.fieldStores[field]
	if len(stores) == 0 {
		return false
	}
	for _, v := range stores {
		e, ok := v.(*ssa.Extract)
		if !ok || e.Index != 1 {
			return false
		}
		call, ok := e.Tuple.(*ssa.Call)
		if !ok || !m.inertCancelCall(call) {
			return false
		}
	}
	return true
}

// rootCancel reports whether a is the cancel func of a context.WithCancel
// (or WithCancelCause) of context.Background or TODO, read or not: by
// itself it holds nothing; what it may stop are goroutines that wait on
// its context, and those are held by whoever starts them.
func rootCancel(a *Acquisition) bool {
	call, ok := a.Call.(*ssa.Call)
	return ok && a.Kind == resource.Cancel && a.Result == 1 && rootCancelCall(call)
}

// rootCancelCall reports whether call is context.WithCancel (or
// WithCancelCause) of context.Background or context.TODO.
func rootCancelCall(call *ssa.Call) bool {
	return len(call.Call.Args) == 1 && isFunc(call.Call.StaticCallee(), "context", "WithCancel", "WithCancelCause") && rootContext(call.Call.Args[0])
}

// rootContext reports whether v is context.Background() or context.TODO().
func rootContext(v ssa.Value) bool {
	call, ok := v.(*ssa.Call)
	return ok && isFunc(call.Call.StaticCallee(), "context", "Background", "TODO")
}

// isFunc reports whether fn is one of the named functions of package pkg.
func isFunc(fn *ssa.Function, pkg string, names ...string) bool {
	if fn == nil || fn.Pkg == nil || fn.Pkg.Pkg.Path() != pkg || fn.Signature.Recv() != nil {
		return false
	}
	for _, n := range names {
		if fn.Name() == n {
			return true
		}
	}
	return false
}

// addressedField returns the struct field fa addresses.
func addressedField(fa *ssa.FieldAddr) *types.Var {
	ptr, ok := fa.X.Type().Underlying().(*types.Pointer)
	if !ok {
		return nil
	}
	st, ok := ptr.Elem().Underlying().(*types.Struct)
	if !ok || fa.Field >= st.NumFields() {
		return nil
	}
	// The field of a generic struct, whichever instance names it.
	return st.Field(fa.Field).Origin()
}

// fieldRead reports whether some function of the package reads field:
// addresses it for anything but a store, or selects it from a struct
// value.
func (m *Model) fieldRead(field *types.Var) bool {
	m.scanFields()
	return m.fieldsRead[field]
}

// scanFields records, once, which fields the package's functions read and
// what they store in each.
func (m *Model) scanFields() {
	m.fieldsOnce.Do(func() {
		m.fieldsRead = map[*types.Var]bool{}
		m.fieldStores = map[*types.Var][]ssa.Value{}
		for _, f := range m.funcs {
			for _, b := range f.Blocks {
				for _, instr := range b.Instrs {
					switch x := instr.(type) {
					case *ssa.FieldAddr:
						v := addressedField(x)
						if v == nil {
							continue
						}
						if !onlyStoredTo(x) {
							m.fieldsRead[v] = true
						}
						for _, r := range *x.Referrers() {
							if st, ok := r.(*ssa.Store); ok && st.Addr == x {
								m.fieldStores[v] = append(m.fieldStores[v], st.Val)
							}
						}
					case *ssa.Field:
						if st, ok := x.X.Type().Underlying().(*types.Struct); ok && x.Field < st.NumFields() {
							m.fieldsRead[st.Field(x.Field).Origin()] = true
						}
					}
				}
			}
		}
	})
}

// onlyStoredTo reports whether every use of the address addr is a store
// to it.
func onlyStoredTo(addr ssa.Value) bool {
	for _, r := range *addr.Referrers() {
		if st, ok := r.(*ssa.Store); !ok || st.Addr != addr {
			return false
		}
	}
	return true
}
