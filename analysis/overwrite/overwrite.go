package overwrite

import (
	_ "embed"
	"go/token"
	"go/types"
	"sort"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/checkdoc"
	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/directive"
	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/ownership"
	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/resource"
)

//go:embed doc.go
var doc string

// Name is the check's name.
const Name = "overwrite"

// New returns the overwrite analyzer on top of an ownership analyzer.
func New(own *analysis.Analyzer) *analysis.Analyzer {
	return checkdoc.NewAnalyzer(Name, doc, func(pass *analysis.Pass) (any, error) {
		return run(pass, pass.ResultOf[own].(*ownership.Model))
	}, own)
}

// Analyzer is the overwrite analyzer for the default resource table.
var Analyzer = New(ownership.Analyzer)

// rounds bounds how often entry states are passed from callers to callees
// (a call chain deeper than this loses what the outer caller knew).
const rounds = 4

type checker struct {
	pass     *analysis.Pass
	pkg      *types.Package
	model    *ownership.Model
	table    *resource.Table
	slots    map[*types.Var]*slot
	slotList []*slot

	summaries map[*ssa.Function]map[relKey]effect
	computing map[*ssa.Function]bool
	escapes   map[*ssa.Alloc]bool
	captured  map[*ssa.Function][]capturedRelease
	// companions maps a field to the slots filled only together with it.
	companions map[*types.Var][]*types.Var
}

func run(pass *analysis.Pass, m *ownership.Model) (any, error) {
	filter := directive.NewFilter(pass, Name)
	filter.ReportMissingReasons(false)
	checkTimers(pass, m, filter)
	if !m.MayAcquire() {
		return nil, nil
	}
	c := &checker{pass: pass, pkg: pass.Pkg, model: m, table: m.Table(),
		summaries: map[*ssa.Function]map[relKey]effect{}, computing: map[*ssa.Function]bool{}, escapes: map[*ssa.Alloc]bool{},
		captured: map[*ssa.Function][]capturedRelease{}}
	c.slots = c.findSlots()
	if len(c.slots) == 0 {
		return nil, nil
	}
	for _, sl := range c.slots {
		c.slotList = append(c.slotList, sl)
	}
	sort.Slice(c.slotList, func(i, j int) bool { return c.slotList[i].acquired < c.slotList[j].acquired })

	fns := m.Functions()
	c.companions = findCompanions(fns, pass.Pkg, c.slots)
	evidence := map[*ssa.Function]map[relKey]effect{}
	found := map[*ssa.Function][]finding{}
	dirty := map[*ssa.Function]bool{}
	for _, fn := range fns {
		dirty[fn] = true
	}
	for round := 0; round < rounds && len(dirty) > 0; round++ {
		next := map[*ssa.Function]bool{}
		for _, fn := range fns {
			if !dirty[fn] {
				continue
			}
			f := c.newFlow(fn, false, evidence[fn])
			f.run()
			found[fn] = sortedFindings(f.findings)
			for callee, ev := range f.evidence {
				cur := evidence[callee]
				if cur == nil {
					cur = map[relKey]effect{}
					evidence[callee] = cur
				}
				for rk, e := range ev {
					old, ok := cur[rk]
					merged := effect{slot: e.slot, st: old.st.union(e.st)}
					if !ok || !merged.st.equal(old.st) {
						cur[rk] = merged
						next[callee] = true
					}
				}
			}
		}
		dirty = next
	}
	for _, fn := range fns {
		for _, fd := range found[fn] {
			c.report(filter, fn, fd)
		}
	}
	return nil, nil
}

func sortedFindings(m map[ssa.Instruction]finding) []finding {
	out := make([]finding, 0, len(m))
	for _, fd := range m {
		out = append(out, fd)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].pos < out[j].pos })
	return out
}

// summaryOf returns a function's effect on the places reachable from its
// parameters and on package variables; false while it is being computed.
func (c *checker) summaryOf(fn *ssa.Function) (map[relKey]effect, bool) {
	if s, ok := c.summaries[fn]; ok {
		return s, true
	}
	if c.computing[fn] {
		return nil, false
	}
	c.computing[fn] = true
	f := c.newFlow(fn, true, nil)
	f.run()
	delete(c.computing, fn)
	eff := map[relKey]effect{}
	for rk, e := range f.exit {
		if e.st.b == bEntry && len(e.st.held) == 0 {
			continue // left as it was
		}
		eff[rk] = e
	}
	c.summaries[fn] = eff
	return eff, true
}

// saved reports whether the value v read from a slot of sl is released or
// handed over somewhere in its function: the old value was taken out of the
// slot to be dealt with.
func (c *checker) saved(v ssa.Value, sl *slot, seen map[ssa.Value]bool) bool {
	if seen[v] {
		return false
	}
	seen[v] = true
	return c.savedExcept(v, sl, false, seen)
}

// savedExcept is saved; with ownSlot, stores into sl's own slot do not
// count.
func (c *checker) savedExcept(v ssa.Value, sl *slot, ownSlot bool, seen map[ssa.Value]bool) bool {
	refs := v.Referrers()
	if refs == nil {
		return false
	}
	for _, r := range *refs {
		switch u := r.(type) {
		case *ssa.Store:
			if u.Val == v && !(ownSlot && c.intoSlot(u.Addr, sl)) {
				return true
			}
		case *ssa.MapUpdate:
			if u.Value == v && !(ownSlot && containerVar(u.Map, c.pkg) == sl.obj) {
				return true
			}
		case *ssa.Send:
			if u.X == v {
				return true
			}
		case *ssa.Return, *ssa.MakeClosure:
			return true
		case *ssa.Phi, *ssa.MakeInterface, *ssa.ChangeInterface, *ssa.ChangeType:
			if c.savedExcept(u.(ssa.Value), sl, ownSlot, seen) {
				return true
			}
		case *ssa.TypeAssert:
			if c.saved(u, sl, seen) {
				return true
			}
		case *ssa.Extract:
			if c.saved(u, sl, seen) {
				return true
			}
		case *ssa.FieldAddr:
			if sl.kind.Body && fieldName(u.X.Type(), u.Field) == "Body" && c.bodyClosed(u) {
				return true
			}
			if u.X == v && embeddedField(u.X.Type(), u.Field) {
				// m.db.Close() promoted from an embedded field: the
				// call's receiver is the field loaded from the value.
				for _, rr := range *u.Referrers() {
					if load, ok := rr.(*ssa.UnOp); ok && load.Op == token.MUL && c.saved(load, sl, seen) {
						return true
					}
				}
			}
		case ssa.CallInstruction:
			if c.callSaves(u.Common(), v, sl) {
				return true
			}
		}
	}
	return false
}

// intoSlot reports whether addr is slot sl itself or an element of the
// slice sl holds.
func (c *checker) intoSlot(addr ssa.Value, sl *slot) bool {
	if slotVar(addr, c.pkg) == sl.obj {
		return true
	}
	ia, ok := addr.(*ssa.IndexAddr)
	return ok && sl.container && containerVar(ia.X, c.pkg) == sl.obj
}

// takenOver reports whether a call is given v as an argument and takes it
// over (a constructor that keeps it, a goroutine that closes it): a slot v
// is stored in then holds a borrowed copy. A release of v itself (closed
// on an error path before the store) does not count.
func (c *checker) takenOver(v ssa.Value, sl *slot, seen map[ssa.Value]bool) bool {
	if seen[v] {
		return false
	}
	seen[v] = true
	refs := v.Referrers()
	if refs == nil {
		return false
	}
	for _, r := range *refs {
		switch u := r.(type) {
		case *ssa.Phi, *ssa.MakeInterface, *ssa.ChangeInterface, *ssa.ChangeType:
			if c.takenOver(u.(ssa.Value), sl, seen) {
				return true
			}
		case ssa.CallInstruction:
			common := u.Common()
			if common.Value == v {
				continue // v called, or its method invoked
			}
			if callee := common.StaticCallee(); callee != nil && callee.Signature.Recv() != nil && len(common.Args) > 0 && common.Args[0] == v {
				continue // a method of v
			}
			if c.callSaves(common, v, sl) {
				return true
			}
		}
	}
	return false
}

// embeddedField reports whether field i of the struct ptr points to is
// embedded.
func embeddedField(ptr types.Type, i int) bool {
	if st, ok := deref(ptr).Underlying().(*types.Struct); ok && i < st.NumFields() {
		return st.Field(i).Embedded()
	}
	return false
}

func fieldName(ptr types.Type, i int) string {
	if st, ok := deref(ptr).Underlying().(*types.Struct); ok && i < st.NumFields() {
		return st.Field(i).Name()
	}
	return ""
}

// bodyClosed reports whether the Body field at addr is loaded and closed.
func (c *checker) bodyClosed(addr *ssa.FieldAddr) bool {
	for _, r := range *addr.Referrers() {
		ld, ok := r.(*ssa.UnOp)
		if !ok {
			continue
		}
		for _, r2 := range *ld.Referrers() {
			if call, ok := r2.(ssa.CallInstruction); ok {
				cc := call.Common()
				if cc.IsInvoke() && cc.Value == ld && cc.Method.Name() == "Close" {
					return true
				}
			}
		}
	}
	return false
}

// callSaves reports whether a call releases v or takes it over.
func (c *checker) callSaves(common *ssa.CallCommon, v ssa.Value, sl *slot) bool {
	if common.IsInvoke() {
		if common.Value == v {
			return sl.kind.IsReleaseMethod(common.Method.Name())
		}
		return c.dynamicArgSaves(common, v)
	}
	if common.Value == v {
		return sl.kind.Func
	}
	if _, ok := common.Value.(*ssa.Builtin); ok {
		return false
	}
	callee := common.StaticCallee()
	if callee == nil {
		return c.dynamicArgSaves(common, v)
	}
	obj, _ := callee.Object().(*types.Func)
	if callee.Signature.Recv() != nil && len(common.Args) > 0 && common.Args[0] == v {
		if sl.kind.IsReleaseMethod(callee.Name()) {
			return true
		}
		if sum := c.model.CalleeSummary(callee); sum != nil && sum.ReleasesReceiver {
			return true
		}
		return false
	}
	if obj != nil && len(common.Args) > 0 && common.Args[0] == v && sl.kind.IsReleaseFunc(obj) {
		return true
	}
	for i, a := range common.Args {
		if a != v {
			continue
		}
		if sum := c.model.CalleeSummary(callee); sum != nil {
			if sum.ConsumesParam(i) {
				return true
			}
			continue
		}
		if obj != nil && obj.Pkg() != nil && resource.IsStd(obj.Pkg().Path()) {
			key := resource.KeyOf(obj)
			if resource.TakesOwnership(key, i) {
				return true
			}
			if w, ok := resource.WrappedArg(key); ok && w == i {
				return true
			}
			continue
		}
		// a callee the check cannot see into may keep it, when it gets it
		// as a type that can release it (not as an io.Reader)
		if c.paramCanRelease(callee.Signature, i) {
			return true
		}
	}
	return false
}

// paramCanRelease reports whether argument i of a call of a function of
// signature sig (the receiver first, for methods) is received as a type
// with a release method.
func (c *checker) paramCanRelease(sig *types.Signature, i int) bool {
	if sig.Recv() != nil {
		if i == 0 {
			return true
		}
		i--
	}
	if i >= sig.Params().Len() {
		return true
	}
	pt := sig.Params().At(i).Type()
	if sig.Variadic() && i == sig.Params().Len()-1 {
		if sl, ok := pt.(*types.Slice); ok {
			pt = sl.Elem()
		}
	}
	if c.table.KindOfType(pt) != nil {
		return true
	}
	s, ok := pt.Underlying().(*types.Signature)
	return ok && s.Params().Len() == 0
}

// dynamicArgSaves: passing v to a function value or interface method whose
// parameter can release it (its type has a release method) may hand it over.
func (c *checker) dynamicArgSaves(common *ssa.CallCommon, v ssa.Value) bool {
	sig := common.Signature()
	for i, a := range common.Args {
		if a != v {
			continue
		}
		idx := i
		if !common.IsInvoke() && sig.Recv() != nil {
			idx--
		}
		if idx < 0 || idx >= sig.Params().Len() {
			return true
		}
		pt := sig.Params().At(idx).Type()
		if c.table.KindOfType(pt) != nil {
			return true
		}
		if s, ok := pt.Underlying().(*types.Signature); ok && s.Params().Len() == 0 {
			return true
		}
	}
	return false
}
