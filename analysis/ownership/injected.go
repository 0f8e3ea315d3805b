package ownership

import (
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/resource"
)

// A function that returns what a function parameter returned hands back
// the caller's own value:
//
//	func listenForPingback(listen func(network, addr string) (net.Listener, error)) (net.Listener, error) {
//		return listen("tcp4", "127.0.0.1:0")
//	}
//
// Whether the caller acquires something depends on what it passed: a stub
// that returns a listener it already holds acquires nothing; net.Listen, or
// a function literal that calls it, acquires a listener. The summary
// records such results apart from its fresh ones, and the call site decides
// from the function it passes.

// ParamCallResult is a result that a function returns from calling one of
// its function parameters.
type ParamCallResult struct {
	Index int    // the function's result
	Param int    // the parameter called (receiver first, for methods)
	Kind  string // the kind the call acquires when nothing more is known
}

// calledParam returns the index of the parameter of f that acquisition a
// calls, or -1.
func calledParam(f *ssa.Function, a *Acquisition) int {
	call, ok := a.Call.(*ssa.Call)
	if !ok || call.Call.IsInvoke() {
		return -1
	}
	p, ok := call.Call.Value.(*ssa.Parameter)
	if !ok {
		return -1
	}
	for i, q := range f.Params {
		if q == p {
			return i
		}
	}
	return -1
}

// injectedAcquisitions returns what a call acquires through the results
// its callee returns from calling a function argument: the kind recorded,
// unless the argument is a function whose own result at that index is
// known to acquire nothing.
func (m *Model) injectedAcquisitions(c *ssa.CallCommon, s *Summary, errIdx int, seen map[int]bool) []resource.Acquisition {
	var out []resource.Acquisition
	for _, pr := range s.ParamCalls {
		if seen[pr.Index] || pr.Param >= len(c.Args) {
			continue
		}
		seen[pr.Index] = true // decided here, whichever way
		kind, acquires := kindByName(pr.Kind), true
		if fn := funcValue(c.Args[pr.Param]); fn != nil {
			if obj, ok := fn.Object().(*types.Func); ok && obj.Pkg() != nil && resource.IsStd(obj.Pkg().Path()) {
				// net.Listen itself: the table knows it.
				acquires = false
				for _, a := range m.stdAcquisitions(obj, fn.Signature) {
					if a.Result == pr.Index && a.Arg < 0 {
						kind, acquires = a.Kind, true
					}
				}
			} else if fs, known := m.calleeSummary(fn); known {
				acquires = false
				if fs != nil {
					for _, f := range fs.Fresh {
						if f.Index == pr.Index {
							kind, acquires = kindByName(f.Kind), true
						}
					}
				}
			}
		}
		if acquires {
			out = append(out, resource.Acquisition{Kind: kind, Result: pr.Index, Arg: -1, ErrResult: errIdx})
		}
	}
	return out
}

// funcValue returns the function a value is: a function literal, or a
// declared function with a body or a summary fact.
func funcValue(v ssa.Value) *ssa.Function {
	switch x := v.(type) {
	case *ssa.MakeClosure:
		fn, _ := x.Fn.(*ssa.Function)
		return fn
	case *ssa.Function:
		if _, ok := x.Object().(*types.Func); ok || x.Blocks != nil {
			return x
		}
	case *ssa.ChangeType:
		return funcValue(x.X)
	}
	return nil
}

// localFunc returns the function literal a called value is when it is a
// variable assigned once (captured or not): create := func(…) {…}.
func localFunc(v ssa.Value) *ssa.Function {
	switch x := v.(type) {
	case *ssa.FreeVar:
		if b := capturedValue(x); b != nil {
			return funcValue(b)
		}
	case *ssa.UnOp:
		if x.Op != token.MUL {
			return nil
		}
		switch cell := x.X.(type) {
		case *ssa.Alloc:
			if st := singleStoreCell(cell); st != nil {
				return funcValue(st)
			}
		case *ssa.FreeVar:
			if st := capturedCell(cell); st != nil {
				return funcValue(st)
			}
		}
	}
	return nil
}

// A function value a known function returns is known too: a call through
// it is classified from the summary of the function literal it is.
//
//	dial := pl.Dialer() // returns func(…) (net.Conn, error) { … }
//	conn, err := dial("", 0)

// FuncResult is a result of function type that is, on every return, the
// same function literal: its fresh results are what a call through it
// acquires.
type FuncResult struct {
	Index int
	Fresh []FreshResult
}

// funcResults returns the results of f that are, on every return, one and
// the same function literal, with that literal's fresh results.
func (m *Model) funcResults(f *ssa.Function) []FuncResult {
	var out []FuncResult
	results := f.Signature.Results()
	for r := 0; r < results.Len(); r++ {
		if _, ok := results.At(r).Type().Underlying().(*types.Signature); !ok {
			continue
		}
		var lit *ssa.Function
		same := everyReturn(f, r, func(v ssa.Value) bool {
			fn := funcValue(v)
			if fn == nil || fn.Blocks == nil || (lit != nil && fn != lit) {
				return false
			}
			lit = fn
			return true
		})
		if !same || lit == nil {
			continue
		}
		s := m.summary(lit)
		if s == nil {
			continue
		}
		out = append(out, FuncResult{Index: r, Fresh: s.Fresh})
	}
	return out
}

// returnedFunc returns what a call through the function value v acquires
// when v is a function literal that a known function returned, and whether
// that is known.
func (m *Model) returnedFunc(v ssa.Value, sig *types.Signature) ([]resource.Acquisition, bool) {
	index := 0
	if e, ok := v.(*ssa.Extract); ok {
		index, v = e.Index, e.Tuple
	}
	call, ok := v.(*ssa.Call)
	if !ok || call.Call.IsInvoke() {
		return nil, false
	}
	callee := call.Call.StaticCallee()
	if callee == nil {
		return nil, false
	}
	s, known := m.calleeSummary(callee)
	if !known || s == nil {
		return nil, false
	}
	for _, fr := range s.FuncResults {
		if fr.Index != index {
			continue
		}
		errIdx := resource.ErrorResult(sig)
		var out []resource.Acquisition
		for _, f := range fr.Fresh {
			out = append(out, resource.Acquisition{Kind: kindByName(f.Kind), Result: f.Index, Arg: -1, ErrResult: errIdx})
		}
		return out, true
	}
	return nil, false
}
