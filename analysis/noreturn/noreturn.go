// Package noreturn finds the functions of a package that never return to
// their caller (they end the process or the goroutine, panic on every path,
// or loop forever) and exports that as a fact, so that the SSA form the
// ownership engine builds cuts the paths after calls to them, in this
// package and in its importers.
//
// A function never returns when the control-flow graph of its body
// (go/cfg) has no reachable return, where a call statement to panic or to
// a function already known never to return ends its block. Functions of
// one package that call each other are decided in declaration order, a
// cycle broken at the function whose decision is in progress (it counts as
// returning). A handful of functions whose bodies do not show it are known
// by name (intrinsics).
//
// The graph is built only for functions that could come out as never
// returning: those whose body has a loop without a condition, a select
// without cases, a goto, or a call statement to panic, to an imported
// function with the fact, to an intrinsic, or to such a function of the
// package. Without any of these, control reaches the end of the body or a
// return on some path whatever the other calls do, so the answer is known
// without the graph; building it for every function was most of the cost.
package noreturn

import (
	"go/ast"
	"go/token"
	"go/types"
	"reflect"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/cfg"
	"golang.org/x/tools/go/types/typeutil"
)

// NeverReturns is the fact exported on a function or method that never
// returns to its caller.
type NeverReturns struct{}

// AFact marks NeverReturns as an analysis fact.
func (*NeverReturns) AFact() {}

func (*NeverReturns) String() string { return "neverReturns" }

// Funcs is the analyzer's result.
type Funcs struct {
	never map[*types.Func]bool
}

// NeverReturns reports whether fn never returns: a function of the package
// found so, or an imported one with the fact that the package calls in a
// statement of its own.
func (f *Funcs) NeverReturns(fn *types.Func) bool { return f.never[fn] }

// Analyzer computes which functions never return.
var Analyzer = &analysis.Analyzer{
	Name:       "noreturn",
	Doc:        "find the functions that never return to their caller (used by the lifecycle checks)",
	Run:        run,
	Requires:   []*analysis.Analyzer{inspect.Analyzer},
	ResultType: reflect.TypeOf((*Funcs)(nil)),
	FactTypes:  []analysis.Fact{new(NeverReturns)},
}

// decl is one function declared in the package.
type decl struct {
	fn   *types.Func
	body *ast.BlockStmt
	// intrinsic: the answer is known by name (never is the answer).
	intrinsic, never bool
	// stops: the body has a construct that can end its paths by itself
	// (a loop without a condition, a select without cases, a goto, a call
	// statement to panic or to an imported function with the fact).
	stops bool
	// calls are the package's functions its body calls in statements.
	calls []*types.Func
	// candidate: the graph may show it never returns (see the package doc).
	candidate bool
	started   bool
}

// frame is a function enclosing a statement during the walk.
type frame struct {
	own *decl // the declaration whose body this is; nil in a literal
	// built: its graph is built (a literal's, for its calls' sake, as
	// well as a declaration's that is no intrinsic), so its call
	// statements are asked about.
	built bool
}

// stop records that the declaration's body can end its paths by itself.
func (f frame) stop() {
	if f.own != nil {
		f.own.stops = true
	}
}

type state struct {
	pass  *analysis.Pass
	decls map[*types.Func]*decl
	never map[*types.Func]bool
}

var panicBuiltin = types.Universe.Lookup("panic")

func run(pass *analysis.Pass) (any, error) {
	s := &state{pass: pass, decls: map[*types.Func]*decl{}, never: map[*types.Func]bool{}}
	var order []*decl
	for _, file := range pass.Files {
		for _, d := range file.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok {
				continue
			}
			if fn, ok := pass.TypesInfo.Defs[fd.Name].(*types.Func); ok {
				di := &decl{fn: fn, body: fd.Body}
				di.intrinsic, di.never = intrinsic(fn)
				s.decls[fn] = di
				order = append(order, di)
			}
		}
	}

	// One pass over the statements that matter: what each declaration's
	// own body (not its function literals) does, and which imported
	// functions the package calls in statements anywhere.
	var imported []*types.Func
	var stack []frame
	filter := []ast.Node{
		(*ast.FuncDecl)(nil), (*ast.FuncLit)(nil), (*ast.ExprStmt)(nil),
		(*ast.ForStmt)(nil), (*ast.SelectStmt)(nil), (*ast.BranchStmt)(nil),
	}
	insp := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	insp.Nodes(filter, func(n ast.Node, push bool) bool {
		switch n := n.(type) {
		case *ast.FuncDecl:
			if push {
				var f frame
				if fn, ok := pass.TypesInfo.Defs[n.Name].(*types.Func); ok && !s.decls[fn].intrinsic {
					f = frame{own: s.decls[fn], built: true}
				}
				stack = append(stack, f)
			} else {
				stack = stack[:len(stack)-1]
			}
			return true
		case *ast.FuncLit:
			if push {
				stack = append(stack, frame{built: true})
			} else {
				stack = stack[:len(stack)-1]
			}
			return true
		}
		if !push || len(stack) == 0 {
			return true
		}
		f := stack[len(stack)-1]
		switch n := n.(type) {
		case *ast.ExprStmt:
			call, ok := n.X.(*ast.CallExpr)
			if !ok || !f.built {
				break
			}
			if id, ok := call.Fun.(*ast.Ident); ok && pass.TypesInfo.Uses[id] == panicBuiltin {
				f.stop()
				break
			}
			fn := typeutil.StaticCallee(pass.TypesInfo, call)
			if fn == nil {
				break
			}
			if _, local := s.decls[fn]; local {
				if f.own != nil {
					f.own.calls = append(f.own.calls, fn)
				}
			} else if pass.ImportObjectFact(fn, new(NeverReturns)) {
				imported = append(imported, fn)
				f.stop()
			}
		case *ast.ForStmt:
			if n.Cond == nil {
				f.stop()
			}
		case *ast.SelectStmt:
			if len(n.Body.List) == 0 {
				f.stop()
			}
		case *ast.BranchStmt:
			if n.Tok == token.GOTO {
				f.stop()
			}
		}
		return true
	})
	s.markCandidates(order)

	for _, di := range order {
		s.decide(di)
	}
	for _, fn := range imported {
		s.never[fn] = true
	}
	return &Funcs{never: s.never}, nil
}

// markCandidates sets candidate on the declarations whose graph may show
// they never return: intrinsics known never to return, bodies that stop
// by themselves, and bodies calling a candidate in a statement.
func (s *state) markCandidates(order []*decl) {
	callers := map[*types.Func][]*decl{}
	var queue []*decl
	for _, di := range order {
		if di.intrinsic {
			di.candidate = di.never
		} else {
			di.candidate = di.body != nil && di.stops
		}
		if di.candidate {
			queue = append(queue, di)
		}
		for _, callee := range di.calls {
			callers[callee] = append(callers[callee], di)
		}
	}
	for len(queue) > 0 {
		di := queue[0]
		queue = queue[1:]
		for _, caller := range callers[di.fn] {
			if !caller.candidate && !caller.intrinsic && caller.body != nil {
				caller.candidate = true
				queue = append(queue, caller)
			}
		}
	}
}

// decide computes whether di never returns, deciding first the package's
// functions its body calls in statements (a cycle is broken at the
// function in progress).
func (s *state) decide(di *decl) {
	if di.started {
		return
	}
	di.started = true
	never := di.never
	if !di.intrinsic && di.body != nil && di.candidate {
		never = cfg.New(di.body, s.mayReturn).NoReturn()
	}
	if never {
		s.pass.ExportObjectFact(di.fn, new(NeverReturns))
		s.never[di.fn] = true
	}
}

// mayReturn is the graph builder's question about a call statement.
func (s *state) mayReturn(call *ast.CallExpr) bool {
	if id, ok := call.Fun.(*ast.Ident); ok && s.pass.TypesInfo.Uses[id] == panicBuiltin {
		return false
	}
	fn := typeutil.StaticCallee(s.pass.TypesInfo, call)
	if fn == nil {
		return true
	}
	if di, ok := s.decls[fn]; ok {
		s.decide(di)
		return !s.never[fn]
	}
	if s.pass.ImportObjectFact(fn, new(NeverReturns)) {
		s.never[fn] = true
		return false
	}
	return true
}
