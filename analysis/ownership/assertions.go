package ownership

import (
	"go/constant"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// Assertions: what a function's returning tells its caller about an
// argument. A test helper such as
//
//	func requireError(t testing.TB, err error) {
//		if err == nil {
//			t.Fatal("want an error")
//		}
//	}
//
// does not return when err is nil, so after requireError(t, err) the
// acquisition that produced err failed and holds nothing. The summary
// records this for parameters that are nil (NilStops) or false
// (FalseStops) on every returning path, and, for functions with one bool
// result, parameters whose nil value makes the result false (FalseIfNil),
// which is how assertion libraries build the helpers that stop the test.

// assumption is what the walk of assertionReturns takes for granted
// about one parameter.
type assumption struct {
	p     *ssa.Parameter
	isNil bool // p is nil (else: p is false)
}

// mayAssert reports whether sig could be an assertion helper: it takes a
// nil-able or bool parameter and returns nothing or one bool.
func mayAssert(sig *types.Signature) bool {
	res := sig.Results()
	if res.Len() > 1 || (res.Len() == 1 && !isBool(res.At(0).Type())) {
		return false
	}
	for i := 0; i < sig.Params().Len(); i++ {
		if t := sig.Params().At(i).Type(); isBool(t) || types.IsInterface(t) {
			return true
		}
	}
	return false
}

func isBool(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Kind() == types.Bool
}

// assertions fills the assertion fields of f's summary.
func (m *Model) assertions(f *ssa.Function, s *Summary) {
	if f.Blocks == nil || !mayAssert(f.Signature) {
		return
	}
	boolResult := f.Signature.Results().Len() == 1
	if boolResult {
		s.AlwaysFalse = m.onlyFalse(f, m.assertionReturns(f, assumption{}), assumption{})
	}
	for i, p := range f.Params {
		switch {
		case isBool(p.Type()):
			a := assumption{p: p}
			if rets := m.assertionReturns(f, a); len(rets) == 0 {
				s.FalseStops = append(s.FalseStops, i)
			}
		case types.IsInterface(p.Type()):
			a := assumption{p: p, isNil: true}
			rets := m.assertionReturns(f, a)
			if len(rets) == 0 {
				s.NilStops = append(s.NilStops, i)
			} else if boolResult && !s.AlwaysFalse && m.onlyFalse(f, rets, a) {
				s.FalseIfNil = append(s.FalseIfNil, i)
			}
		}
	}
}

// onlyFalse reports whether every return of rets returns false under a.
func (m *Model) onlyFalse(f *ssa.Function, rets []*ssa.Return, a assumption) bool {
	if len(rets) == 0 {
		return false
	}
	for _, ret := range rets {
		if len(ret.Results) != 1 {
			return false
		}
		if v, known := m.boolUnder(ret.Results[0], a); !known || v {
			return false
		}
	}
	return true
}

// assertionReturns returns the return statements f reaches when a holds
// (with a.p nil, every path is explored).
func (m *Model) assertionReturns(f *ssa.Function, a assumption) []*ssa.Return {
	var rets []*ssa.Return
	explore(f, func(b *ssa.BasicBlock) []*ssa.BasicBlock {
		for _, instr := range b.Instrs {
			switch in := instr.(type) {
			case *ssa.Call:
				if m.stopsUnder(&in.Call, a) {
					return nil
				}
			case *ssa.Panic:
				return nil
			case *ssa.Return:
				rets = append(rets, in)
			case *ssa.If:
				if v, known := m.boolUnder(in.Cond, a); known {
					if v {
						return b.Succs[:1]
					}
					return b.Succs[1:]
				}
			}
		}
		return b.Succs
	})
	return rets
}

// explore visits the blocks of f reachable from its entry, each once;
// visit returns the successors of b to follow.
func explore(f *ssa.Function, visit func(b *ssa.BasicBlock) []*ssa.BasicBlock) {
	seen := map[*ssa.BasicBlock]bool{f.Blocks[0]: true}
	stack := []*ssa.BasicBlock{f.Blocks[0]}
	for len(stack) > 0 {
		b := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, s := range visit(b) {
			if !seen[s] {
				seen[s] = true
				stack = append(stack, s)
			}
		}
	}
}

// stopsUnder reports whether call does not return when a holds.
func (m *Model) stopsUnder(c *ssa.CallCommon, a assumption) bool {
	if c.IsInvoke() {
		return isNoReturnMethod(c.Method)
	}
	callee := c.StaticCallee()
	if callee == nil {
		return false
	}
	if noReturn(callee) {
		return true
	}
	s, known := m.calleeSummary(callee)
	if !known || s == nil {
		return false
	}
	if s.NoReturn {
		return true
	}
	if a.p == nil {
		return false
	}
	stops := s.FalseStops
	if a.isNil {
		stops = s.NilStops
	}
	for _, j := range stops {
		if j < len(c.Args) && seeThrough(c.Args[j]) == a.p {
			return true
		}
	}
	return false
}

// boolUnder evaluates a condition when a holds, when that decides it.
func (m *Model) boolUnder(v ssa.Value, a assumption) (value, known bool) {
	switch x := v.(type) {
	case *ssa.Const:
		if x.Value != nil && x.Value.Kind() == constant.Bool {
			return constant.BoolVal(x.Value), true
		}
	case *ssa.UnOp:
		if x.Op == token.NOT {
			if b, ok := m.boolUnder(x.X, a); ok {
				return !b, true
			}
		}
	case *ssa.Parameter:
		if a.p != nil && x == a.p && !a.isNil {
			return false, true
		}
	case *ssa.BinOp:
		if a.p == nil || !a.isNil || (x.Op != token.EQL && x.Op != token.NEQ) {
			break
		}
		if (isNil(x.Y) && seeThrough(x.X) == a.p) || (isNil(x.X) && seeThrough(x.Y) == a.p) {
			return x.Op == token.EQL, true
		}
	case *ssa.Call:
		callee := x.Call.StaticCallee()
		if callee == nil || x.Call.IsInvoke() {
			break
		}
		s, known := m.calleeSummary(callee)
		if !known || s == nil {
			break
		}
		if s.AlwaysFalse {
			return false, true
		}
		if a.p != nil && a.isNil {
			for _, j := range s.FalseIfNil {
				if j < len(x.Call.Args) && seeThrough(x.Call.Args[j]) == a.p {
					return false, true
				}
			}
		}
	}
	return false, false
}

// assertsErr reports whether a call to a function summarized by s returns
// only if the acquisition's error is not nil: requireError(t, err),
// requireTrue(t, err != nil), requireTrue(t, errors.Is(err, ErrX)).
func (w *walker) assertsErr(c *ssa.CallCommon, s *Summary) bool {
	if w.a.Err == nil {
		return false
	}
	for _, j := range s.NilStops {
		if j < len(c.Args) && (w.isErr(c.Args[j]) || w.isErrIface(c.Args[j])) {
			return true
		}
	}
	for _, j := range s.FalseStops {
		if j < len(c.Args) && w.impliesErr(c.Args[j]) {
			return true
		}
	}
	return false
}

// impliesErr reports whether the bool v being true implies that the
// acquisition's error is not nil: err != nil, or a predicate of the error
// (errors.Is(err, ErrX), os.IsNotExist(err)).
func (w *walker) impliesErr(v ssa.Value) bool {
	switch x := v.(type) {
	case *ssa.BinOp:
		if x.Op != token.NEQ {
			return false
		}
		return (isNil(x.Y) && w.isErr(x.X)) || (isNil(x.X) && w.isErr(x.Y))
	case *ssa.Call:
		for _, arg := range x.Call.Args {
			if w.isErr(arg) || w.isErrIface(arg) {
				return true
			}
		}
		return w.matchesPrintedErr(x)
	}
	return false
}

// matchesPrintedErr reports whether call is strings.Contains, HasPrefix or
// HasSuffix of the acquisition's error as printed by fmt (fmt.Sprint(err),
// fmt.Sprintf("%v", err)) and a constant that a nil error's "<nil>" does not
// match: where it holds, the error is set.
func (w *walker) matchesPrintedErr(call *ssa.Call) bool {
	callee := call.Call.StaticCallee()
	if callee == nil || callee.Pkg == nil || callee.Pkg.Pkg.Path() != "strings" || len(call.Call.Args) != 2 {
		return false
	}
	k, ok := call.Call.Args[1].(*ssa.Const)
	if !ok || k.Value == nil || k.Value.Kind() != constant.String {
		return false
	}
	want := constant.StringVal(k.Value)
	const nilText = "<nil>"
	switch callee.Name() {
	case "Contains":
		if strings.Contains(nilText, want) {
			return false
		}
	case "HasPrefix":
		if strings.HasPrefix(nilText, want) {
			return false
		}
	case "HasSuffix":
		if strings.HasSuffix(nilText, want) {
			return false
		}
	default:
		return false
	}
	return w.printsErr(call.Call.Args[0])
}

// printsErr reports whether v is fmt.Sprint(err) or fmt.Sprintf("%v", err)
// (or "%s") of the acquisition's error.
func (w *walker) printsErr(v ssa.Value) bool {
	call, ok := v.(*ssa.Call)
	if !ok {
		return false
	}
	callee := call.Call.StaticCallee()
	if callee == nil || callee.Pkg == nil || callee.Pkg.Pkg.Path() != "fmt" {
		return false
	}
	args := call.Call.Args
	switch callee.Name() {
	case "Sprint":
	case "Sprintf":
		if len(args) != 2 {
			return false
		}
		f, ok := args[0].(*ssa.Const)
		if !ok || f.Value == nil || f.Value.Kind() != constant.String {
			return false
		}
		if s := constant.StringVal(f.Value); s != "%v" && s != "%s" {
			return false
		}
		args = args[1:]
	default:
		return false
	}
	// The variadic arguments: a slice of one element holding err.
	if len(args) != 1 {
		return false
	}
	slice, ok := args[0].(*ssa.Slice)
	if !ok {
		return false
	}
	arr, ok := slice.X.(*ssa.Alloc)
	if !ok {
		return false
	}
	elems := 0
	found := false
	for _, r := range *arr.Referrers() {
		ia, ok := r.(*ssa.IndexAddr)
		if !ok {
			continue
		}
		for _, rr := range *ia.Referrers() {
			if st, ok := rr.(*ssa.Store); ok && st.Addr == ia {
				elems++
				if w.isErrIface(st.Val) || w.isErr(st.Val) {
					found = true
				}
			}
		}
	}
	return elems == 1 && found
}

// declaresAssertionHelpers reports whether the package declares a function
// that may be an assertion helper.
func (m *Model) declaresAssertionHelpers() bool {
	return m.anyDeclared(func(sig *types.Signature) bool { return mayAssert(sig) && takesReporter(sig) })
}

// takesReporter reports whether a parameter can report a test failure (a
// *testing.T, a testing.TB, or any value with a FailNow, Fatalf or Errorf
// method): only then is building the package's SSA form for assertion
// summaries worth it.
func takesReporter(sig *types.Signature) bool {
	for i := 0; i < sig.Params().Len(); i++ {
		t := sig.Params().At(i).Type()
		for _, name := range []string{"FailNow", "Fatalf", "Errorf"} {
			if obj, _, _ := types.LookupFieldOrMethod(t, true, nil, name); obj != nil {
				if _, ok := obj.(*types.Func); ok {
					return true
				}
			}
		}
	}
	return false
}
