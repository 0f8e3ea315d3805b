package ownership

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"go/version"
	"reflect"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/noreturn"
	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/resource"
)

// New returns the ownership analyzer for a resource table. Its result is a
// *Model; it exports a *Summary fact for every function whose signature
// involves resources.
func New(table *resource.Table) *analysis.Analyzer {
	return &analysis.Analyzer{
		Name:       "ownership",
		Doc:        "computes resource ownership summaries of functions (used by the lifecycle checks)",
		Requires:   []*analysis.Analyzer{noreturn.Analyzer},
		FactTypes:  []analysis.Fact{new(Summary), new(NonNilVar)},
		ResultType: reflect.TypeOf((*Model)(nil)),
		Run: func(pass *analysis.Pass) (any, error) {
			m := &Model{pass: pass, table: table, noReturn: pass.ResultOf[noreturn.Analyzer].(*noreturn.Funcs)}
			if !resource.IsStd(pass.Pkg.Path()) {
				m.exportSentinels()
				m.exportFacts()
			}
			return m, nil
		},
	}
}

// Analyzer is the ownership analyzer for the default resource table.
var Analyzer = New(resource.Default())

// Model is the ownership analysis of one package. Its SSA form and
// per-function results are computed on first use, so packages that only
// serve as dependencies of the standard library cost nothing.
type Model struct {
	pass  *analysis.Pass
	table *resource.Table
	// noReturn knows the functions that never return (SSA cuts the
	// paths after their calls).
	noReturn *noreturn.Funcs

	once      sync.Once
	readyOnce sync.Once
	pkg       *ssa.Package
	funcs     []*ssa.Function
	decls     map[*ssa.Function]ast.Node
	mu        sync.Mutex
	sums      map[*ssa.Function]*Summary
	busy      map[*ssa.Function]bool
	freeVars  map[*ssa.Function]map[int]bool
	acqs      map[*ssa.Function][]*Acquisition
	corr      map[*ssa.Function]map[ssa.Value]int // correlated conditions

	mayAcquireOnce sync.Once
	mayAcquire     bool
	kindMu         sync.Mutex
	kinds          map[types.Type]*resource.Kind // KindOfType, memoized

	fieldsOnce  sync.Once
	fieldsRead  map[*types.Var]bool        // fields some function reads
	fieldStores map[*types.Var][]ssa.Value // what the functions store in each field

	sharedOnce    sync.Once
	sharedGlobals map[*ssa.Global]bool
	funcGlobals   map[*ssa.Global]*ssa.Function // variables holding one function
}

// Table returns the resource table the model was built with.
func (m *Model) Table() *resource.Table { return m.table }

// Functions returns the package's source functions, including function
// literals, in source order.
func (m *Model) Functions() []*ssa.Function {
	m.build()
	return m.funcs
}

// SSA returns the package's SSA form.
func (m *Model) SSA() *ssa.Package {
	m.build()
	return m.pkg
}

func (m *Model) build() {
	m.once.Do(func() {
		pass := m.pass
		prog := ssa.NewProgram(pass.Fset, 0)
		prog.SetNoReturn(m.noReturn.NeverReturns)
		for _, p := range pass.Pkg.Imports() {
			prog.CreatePackage(p, nil, nil, true)
		}
		m.pkg = prog.CreatePackage(pass.Pkg, pass.Files, pass.TypesInfo, false)
		m.pkg.Build()
		m.sums = map[*ssa.Function]*Summary{}
		m.busy = map[*ssa.Function]bool{}
		m.freeVars = map[*ssa.Function]map[int]bool{}
		m.acqs = map[*ssa.Function][]*Acquisition{}
		m.decls = map[*ssa.Function]ast.Node{}
		var add func(f *ssa.Function)
		add = func(f *ssa.Function) {
			m.funcs = append(m.funcs, f)
			for _, anon := range f.AnonFuncs {
				add(anon)
			}
		}
		for _, file := range pass.Files {
			for _, decl := range file.Decls {
				fd, ok := decl.(*ast.FuncDecl)
				if !ok {
					continue
				}
				obj, _ := pass.TypesInfo.Defs[fd.Name].(*types.Func)
				if obj == nil {
					continue
				}
				if f := prog.FuncValue(obj); f != nil {
					m.decls[f] = fd
					add(f)
				}
			}
		}
	})
}

// exportFacts computes the summary of every function of the package, its
// function literals included (see ready), and exports those of the declared
// functions whose signature involves resources.
func (m *Model) exportFacts() {
	if !m.signaturesInvolveResources() && !m.declaresAssertionHelpers() && !m.declaresGenericKeepers() {
		// Nothing a caller could learn: skip building the SSA form.
		// (Functions that never return are known to callers through
		// noreturn's facts.)
		return
	}
	m.build()
	for _, f := range m.funcs {
		s := m.summary(f)
		obj, _ := f.Object().(*types.Func)
		if s == nil || obj == nil || f.Parent() != nil {
			continue
		}
		if !s.empty() || m.involvesResources(f) {
			m.pass.ExportObjectFact(obj, s)
		}
	}
}

// signaturesInvolveResources reports, from types alone, whether some
// declared function or method of the package may have a summary worth
// exporting: the package acquires resources (a function may return them),
// or a receiver, parameter or result has a resource type, or a func()
// parameter is named like a cancel function it may call or keep.
func (m *Model) signaturesInvolveResources() bool {
	if m.MayAcquire() {
		return true
	}
	return m.anyDeclared(func(sig *types.Signature) bool {
		if recv := sig.Recv(); recv != nil && m.kindOf(recv.Type()) != nil {
			return true
		}
		return m.tupleInvolvesResources(sig.Params()) || m.tupleInvolvesResources(sig.Results())
	})
}

// anyDeclared reports whether the signature of a function or method
// declared in the package satisfies pred.
func (m *Model) anyDeclared(pred func(*types.Signature) bool) bool {
	for _, file := range m.pass.Files {
		for _, decl := range file.Decls {
			fd, ok := decl.(*ast.FuncDecl)
			if !ok {
				continue
			}
			if obj, _ := m.pass.TypesInfo.Defs[fd.Name].(*types.Func); obj != nil && pred(obj.Type().(*types.Signature)) {
				return true
			}
		}
	}
	return false
}

func (m *Model) tupleInvolvesResources(t *types.Tuple) bool {
	for i := 0; i < t.Len(); i++ {
		v := t.At(i)
		if m.kindOf(v.Type()) != nil {
			return true
		}
		if m.paramKind(v.Type()) == resource.Cancel && cancelName(v.Name()) {
			return true
		}
	}
	return false
}

// cancelName reports whether a func() parameter's name says it releases
// something (cancel, stop, cleanup, ...) rather than being a callback.
func cancelName(name string) bool {
	name = strings.ToLower(name)
	for _, w := range []string{"cancel", "stop", "release", "cleanup", "close", "shutdown", "done", "free", "dispose", "unlock"} {
		if strings.Contains(name, w) {
			return true
		}
	}
	return false
}

// MayAcquire reports, from types alone and without building the SSA form,
// whether some call in the package may acquire a resource: a call with a
// result that can carry one, or a call the resource table knows as an
// acquisition (registrations such as signal.Notify). When it returns
// false no function of the package has acquisitions.
func (m *Model) MayAcquire() bool {
	m.mayAcquireOnce.Do(func() {
		info := m.pass.TypesInfo
		callees := map[*types.Func]bool{} // acquiringCallee, memoized
		for _, file := range m.pass.Files {
			ast.Inspect(file, func(n ast.Node) bool {
				if m.mayAcquire {
					return false
				}
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				if tv, ok := info.Types[call.Fun]; ok && tv.IsType() {
					return true // a conversion
				}
				if tv, ok := info.Types[call]; ok && tv.Type != nil {
					m.mayAcquire = m.typeCarriesResource(tv.Type)
				}
				if fn, ok := typeutil.Callee(info, call).(*types.Func); ok && !m.mayAcquire {
					acquires, seen := callees[fn]
					if !seen {
						acquires = m.acquiringCallee(fn)
						callees[fn] = acquires
					}
					m.mayAcquire = acquires
				}
				return !m.mayAcquire
			})
			if m.mayAcquire {
				break
			}
		}
	})
	return m.mayAcquire
}

// kindOf is the table's KindOfType, memoized for the pass: the fast paths
// ask it about the same few types (error, string, …) over and over.
func (m *Model) kindOf(t types.Type) *resource.Kind {
	m.kindMu.Lock()
	defer m.kindMu.Unlock()
	if k, ok := m.kinds[t]; ok {
		return k
	}
	if m.kinds == nil {
		m.kinds = map[types.Type]*resource.Kind{}
	}
	k := m.table.KindOfType(t)
	m.kinds[t] = k
	return k
}

// typeCarriesResource reports whether a call result of type t (a tuple for
// several results) has a resource type of its own.
func (m *Model) typeCarriesResource(t types.Type) bool {
	if tuple, ok := t.(*types.Tuple); ok {
		for i := 0; i < tuple.Len(); i++ {
			if m.kindOf(tuple.At(i).Type()) != nil {
				return true
			}
		}
		return false
	}
	return m.kindOf(t) != nil
}

// acquiringCallee reports whether calling fn acquires something: the table
// says so (cancel funcs, registrations), or fn's summary has fresh results.
func (m *Model) acquiringCallee(fn *types.Func) bool {
	if len(m.table.Acquisitions(fn, fn.Type().(*types.Signature))) > 0 {
		return true
	}
	if fn.Pkg() == m.pass.Pkg {
		return false // its own calls are inspected too
	}
	var s Summary
	return m.pass.ImportObjectFact(fn, &s) && len(s.Fresh) > 0
}

func (m *Model) involvesResources(f *ssa.Function) bool {
	sig := f.Signature
	for i := 0; i < sig.Results().Len(); i++ {
		if m.table.KindOfType(sig.Results().At(i).Type()) != nil {
			return true
		}
	}
	for _, p := range f.Params {
		if m.paramKind(p.Type()) != nil {
			return true
		}
	}
	return false
}

// paramKind is the kind of a parameter or free variable of type t, for
// summaries: the resource kind of its type, or Cancel for a func().
func (m *Model) paramKind(t types.Type) *resource.Kind {
	if k := m.table.KindOfType(t); k != nil {
		return k
	}
	if sig, ok := types.Unalias(t).Underlying().(*types.Signature); ok && sig.Params().Len() == 0 && sig.Results().Len() == 0 {
		return resource.Cancel
	}
	return nil
}

// Exit is a place where a function exits (or loops) still owning a
// resource.
type Exit struct {
	Pos token.Pos
	// Iteration is set when the path reaches the acquisition again: the
	// resource of the previous iteration is overwritten.
	Iteration bool
	// Implicit is set for the implicit return at the end of a function.
	Implicit bool
}

// Acquisition is one call that produces an owned resource, with the
// outcome of following it along every path.
type Acquisition struct {
	Fn   *ssa.Function
	Call ssa.CallInstruction
	// fills are the calls that fill a lazily filled value (see
	// lazy.go): it leaks only on the paths past one of them.
	fills  []ssa.Instruction
	Pos    token.Pos // position of the call's '('
	Callee string    // "http.Get", "(*sql.DB).Query", for messages
	Kind   *resource.Kind
	Result int // result index, or -1 for an argument registration
	Arg    int
	// Value is the tracked value; nil when the result is discarded.
	Value ssa.Value
	Err   ssa.Value
	// OK is the flag of a comma-ok acquisition (c, ok := get()): the
	// resource exists only where it is true.
	OK ssa.Value
	// Discarded is set when the resource is never bound to anything.
	Discarded bool
	// Exits are the leaking exits, in CFG discovery order.
	Exits []Exit
	// Releases are the positions of instructions that release the
	// resource on some path (explicit calls, defers).
	Releases []token.Pos
	// Deferred is set when one of Releases is a defer.
	Deferred bool
	// Returned lists the result indexes through which the function hands
	// the resource to its caller.
	Returned []int
	// Transfers are the positions of the instructions that hand the
	// resource over on some path: a return, a store into a field, global or
	// container, a send, a goroutine, a call that keeps or releases it.
	Transfers []token.Pos
	// HeldBy are the goroutines started on some path that use the
	// resource without releasing it: it must outlive the function, so
	// its release belongs in the goroutine, not in the function.
	HeldBy []GoroutineUse
}

// GoroutineUse is a goroutine that uses a resource it does not release.
type GoroutineUse struct {
	Go *ssa.Go
	Fn *ssa.Function // the function literal the goroutine runs
	// UsedAfter is set when the function itself still uses the resource
	// after the go statement.
	UsedAfter bool
}

// Leaks reports whether some path exits still owning the resource.
func (a *Acquisition) Leaks() bool { return a.Discarded || len(a.Exits) > 0 }

// Acquisitions returns the acquisitions of f with their outcomes.
func (m *Model) Acquisitions(f *ssa.Function) []*Acquisition {
	m.ready()
	return m.acquisitions(f)
}

// ready computes, once, the summary of every function of the package,
// function literals included, before any of the model's results is handed
// out. The analyzers that share the model run side by side; a summary one
// of them asked for while another was computing it would look recursive
// (nil) and make the results depend on their timing. (For packages outside
// the standard library the ownership pass has computed them already, in
// exportFacts.) The package's own computations use summary and
// acquisitions, which do not wait for ready.
func (m *Model) ready() {
	m.readyOnce.Do(func() {
		m.build()
		for _, f := range m.funcs {
			m.summary(f)
		}
	})
}

func (m *Model) acquisitions(f *ssa.Function) []*Acquisition {
	m.build()
	m.mu.Lock()
	if acqs, ok := m.acqs[f]; ok {
		m.mu.Unlock()
		return acqs
	}
	m.mu.Unlock()
	acqs := m.findAcquisitions(f)
	m.mu.Lock()
	m.acqs[f] = acqs
	m.mu.Unlock()
	return acqs
}

func (m *Model) findAcquisitions(f *ssa.Function) []*Acquisition {
	var out []*Acquisition
	for _, b := range f.Blocks {
		for i, instr := range b.Instrs {
			call, ok := instr.(*ssa.Call)
			if !ok {
				continue
			}
			for _, spec := range m.classify(&call.Call) {
				if spec.Kind.CollectedSince != "" && m.collected(spec.Kind) {
					continue
				}
				a := &Acquisition{Fn: f, Call: call, Pos: call.Pos(), Callee: calleeName(&call.Call),
					Kind: spec.Kind, Result: spec.Result, Arg: spec.Arg}
				m.bind(a, call, spec)
				if spec.Lazy {
					// Held where this function has filled it; a
					// pool it never fills holds nothing here.
					if a.fills = m.fillCalls(a.Value); len(a.fills) == 0 {
						continue
					}
				}
				if spec.Arg >= 0 && borrowed(a.Value) {
					// signal.Notify(s.ch, …): the struct owns the
					// registration (and its Stop), not this function.
					continue
				}
				if a.Value != nil {
					m.follow(a, b, i+1)
				}
				out = append(out, a)
			}
		}
	}
	return out
}

// collected reports whether the package's Go version lets the runtime
// reclaim resources of kind k on its own.
func (m *Model) collected(k *resource.Kind) bool {
	v := m.pass.Pkg.GoVersion()
	if v == "" {
		return true
	}
	return version.Compare(v, k.CollectedSince) >= 0
}

// bind finds the SSA values of the acquired resource and its error.
func (m *Model) bind(a *Acquisition, call *ssa.Call, spec resource.Acquisition) {
	if spec.Arg >= 0 {
		if spec.Arg < len(call.Call.Args) {
			a.Value = unconvert(call.Call.Args[spec.Arg])
		}
		a.Err = m.extract(call, spec.ErrResult)
		if a.Err == nil && spec.ErrResult < 0 && call.Type() != nil && isError(call.Type()) {
			a.Err = call
		}
		return
	}
	if _, ok := call.Type().(*types.Tuple); ok {
		a.Value = m.extract(call, spec.Result)
		a.Err = m.extract(call, spec.ErrResult)
		if a.Err == nil && spec.Result == 0 && m.okFlag(&call.Call) {
			a.OK = m.extract(call, 1)
		}
	} else if spec.Result == 0 {
		if len(*call.Referrers()) > 0 {
			a.Value = call
		}
	}
	a.Discarded = a.Value == nil
}

// unconvert strips the conversions SSA inserts around an argument
// (chan T to chan<- T), so that the tracked value is the variable itself.
func unconvert(v ssa.Value) ssa.Value {
	for {
		switch c := v.(type) {
		case *ssa.ChangeType:
			v = c.X
			continue
		}
		return v
	}
}

// borrowed reports whether v is read from a field or a global.
func borrowed(v ssa.Value) bool {
	for {
		switch c := v.(type) {
		case *ssa.ChangeType:
			v = c.X
			continue
		case *ssa.MakeInterface:
			v = c.X
			continue
		}
		break
	}
	load, ok := v.(*ssa.UnOp)
	if !ok || load.Op != token.MUL {
		return false
	}
	switch load.X.(type) {
	case *ssa.FieldAddr, *ssa.Global:
		return true
	}
	return false
}

func isError(t types.Type) bool {
	return resource.IsErrorType(t)
}

func (m *Model) extract(call *ssa.Call, index int) ssa.Value {
	if index < 0 {
		return nil
	}
	for _, r := range *call.Referrers() {
		if e, ok := r.(*ssa.Extract); ok && e.Index == index {
			return e
		}
	}
	return nil
}

// classify returns the acquisitions a call makes.
func (m *Model) classify(c *ssa.CallCommon) []resource.Acquisition {
	sig := c.Signature()
	if c.IsInvoke() {
		return m.dropAliases(c, m.table.Acquisitions(c.Method, sig))
	}
	callee := c.StaticCallee()
	if callee == nil {
		callee = m.globalFunc(c.Value)
	}
	if callee == nil {
		// create(…) where create is a local variable (or a closure's
		// captured one) assigned a function literal once.
		callee = localFunc(c.Value)
	}
	if callee == nil {
		if _, ok := c.Value.(*ssa.Builtin); ok {
			return nil
		}
		if m.sharedValueFunc(c.Value) {
			return nil
		}
		if acqs, known := m.returnedFunc(c.Value, sig); known {
			return acqs
		}
		return m.dropAliases(c, m.table.Acquisitions(nil, sig))
	}
	obj, _ := origin(callee).Object().(*types.Func)
	if obj == nil {
		obj, _ = callee.Object().(*types.Func)
	}
	if obj != nil && obj.Pkg() != nil && resource.IsStd(obj.Pkg().Path()) {
		if acqs := m.stdAcquisitions(obj, sig); len(acqs) > 0 || !m.local(callee) {
			return acqs
		}
		// A function of the standard-library package being checked:
		// its body tells more than the table's generic rule.
	}
	if s, known := m.calleeSummary(callee); known {
		if s == nil {
			return nil
		}
		var out []resource.Acquisition
		errIdx := resource.ErrorResult(sig)
		seen := map[int]bool{}
		for _, f := range s.Fresh {
			seen[f.Index] = true
			out = append(out, resource.Acquisition{Kind: kindByName(f.Kind), Result: f.Index, Arg: -1, ErrResult: errIdx})
		}
		out = append(out, m.injectedAcquisitions(c, s, errIdx, seen)...)
		// A constructor that builds the resource from parts (return
		// &Conn{f: f}) has no fresh result in its summary: the generic
		// rule still applies to it.
		// A constructor-like function (New…, Open…, newBackend) whose
		// summary says it holds something returns a resource in a value
		// with a release method, even one it builds from parts.
		holds := s.Holds && !(s.HoldsWithOptions && noOptions(c)) && !(s.HoldsOnlyArgs && !m.argsHold(c, s.Consumes)) &&
			!(s.GatedBy != nil && gateClosed(c, s.GatedBy))
		for _, a := range m.table.Acquisitions(obj, sig) {
			generic := a.Kind == resource.GenericCloser || a.Kind == resource.GenericStopper
			if generic && holds && s.HoldsOnlyArgs && a.Result >= 0 && m.keepsOnlyReference(sig.Results().At(a.Result).Type(), a.Kind) {
				// It keeps what it takes over only as a reference
				// (a publisher pointing back at its bus): its release
				// method releases none of it.
				continue
			}
			if generic && !holds && !s.Holds && a.Result >= 0 && !seen[a.Result] && a.Arg < 0 && obj != nil && obj.Pkg() != nil && !resource.IsStd(obj.Pkg().Path()) &&
				m.lazyHolder(callee.Prog, sig.Results().At(a.Result).Type(), a.Kind) {
				// Built empty, filled later by its own methods: a
				// resource where the caller fills it (see
				// findAcquisitions).
				a.Lazy = true
				out = append(out, a)
				seen[a.Result] = true
				continue
			}
			if generic && holds && !seen[a.Result] && !contains(s.Wraps, a.Result) && !contains(s.Borrowed, a.Result) && !returnsItsArgument(s, c, a.Result) && a.Arg < 0 && obj != nil && obj.Pkg() != nil && !resource.IsStd(obj.Pkg().Path()) &&
				(obj.Exported() || s.Acquires) {
				out = append(out, a)
				seen[a.Result] = true
			}
		}
		out = append(out, m.childAcquisitions(callee, s, sig, seen)...)
		return dropResults(m.dropInert(sig, out), s.InertResults)
	}
	return m.dropInert(sig, m.dropAliases(c, m.table.Acquisitions(obj, sig)))
}

// sharedValueFunc reports whether v is a function built by sync.OnceValue or
// sync.OnceValues, directly or through a variable of this package that is
// only ever assigned such a function: every call returns the same shared
// value, which the caller does not own.
func (m *Model) sharedValueFunc(v ssa.Value) bool {
	if isOnceValueCall(v) {
		return true
	}
	load, ok := v.(*ssa.UnOp)
	if !ok || load.Op != token.MUL {
		return false
	}
	g, ok := load.X.(*ssa.Global)
	if !ok || g.Pkg != m.pkg {
		return false
	}
	m.sharedOnce.Do(m.findSharedGlobals)
	return m.sharedGlobals[g]
}

// findSharedGlobals records the package variables that are only ever
// assigned the result of sync.OnceValue or sync.OnceValues. Globals have no
// referrers in SSA, so the stores are found by scanning the package's
// functions, its initializer among them.
func (m *Model) findSharedGlobals() {
	verdict := map[*ssa.Global]bool{}
	m.funcGlobals = map[*ssa.Global]*ssa.Function{}
	funcs := append([]*ssa.Function{m.pkg.Func("init")}, m.funcs...)
	for _, f := range funcs {
		if f == nil {
			continue
		}
		for _, b := range f.Blocks {
			for _, instr := range b.Instrs {
				st, ok := instr.(*ssa.Store)
				if !ok {
					continue
				}
				g, ok := st.Addr.(*ssa.Global)
				if !ok {
					continue
				}
				shared, seen := verdict[g]
				verdict[g] = isOnceValueCall(st.Val) && (shared || !seen)
				fn, _ := st.Val.(*ssa.Function)
				if prev, ok := m.funcGlobals[g]; fn == nil || (ok && prev != fn) {
					m.funcGlobals[g] = nil
				} else {
					m.funcGlobals[g] = fn
				}
			}
		}
	}
	m.sharedGlobals = verdict
}

// globalFunc returns the function that the package variable v is loaded
// from when that variable is only ever assigned that one function
// (var getConnection = transport.GetConnection): calls through it are
// calls of that function.
func (m *Model) globalFunc(v ssa.Value) *ssa.Function {
	load, ok := v.(*ssa.UnOp)
	if !ok || load.Op != token.MUL {
		return nil
	}
	g, ok := load.X.(*ssa.Global)
	if !ok || g.Pkg != m.pkg {
		return nil
	}
	m.sharedOnce.Do(m.findSharedGlobals)
	return m.funcGlobals[g]
}

// isOnceValueCall reports whether v is the result of sync.OnceValue or
// sync.OnceValues.
func isOnceValueCall(v ssa.Value) bool {
	call, ok := v.(*ssa.Call)
	if !ok {
		return false
	}
	callee := call.Call.StaticCallee()
	if callee == nil {
		return false
	}
	obj, _ := origin(callee).Object().(*types.Func)
	if obj == nil || obj.Pkg() == nil || obj.Pkg().Path() != "sync" {
		return false
	}
	return obj.Name() == "OnceValue" || obj.Name() == "OnceValues"
}

// stdAcquisitions classifies a call to a standard-library function: the
// curated table, with the generic Close/Stop rule only for the few std
// constructors that hold an operating-system resource.
func (m *Model) stdAcquisitions(obj *types.Func, sig *types.Signature) []resource.Acquisition {
	acqs := m.table.Acquisitions(obj, sig)
	if resource.StdGenericOwned(resource.KeyOf(obj)) {
		return acqs
	}
	out := acqs[:0:0]
	for _, a := range acqs {
		if a.Kind == resource.GenericCloser || a.Kind == resource.GenericStopper {
			continue
		}
		out = append(out, a)
	}
	return out
}

// local reports whether callee is a function of the package being analyzed
// (with a body), whose summary can be computed directly.
func (m *Model) local(callee *ssa.Function) bool {
	o := origin(callee)
	return o.Blocks != nil && o.Pkg == m.pkg
}

// calleeSummary returns the summary of a statically called function: from
// its body when it is in this package, else from its fact. known is false
// when nothing is known (no body, no fact).
func (m *Model) calleeSummary(callee *ssa.Function) (s *Summary, known bool) {
	if callee.Blocks == nil {
		callee = origin(callee)
	}
	if callee.Blocks != nil {
		return m.summary(callee), true
	}
	obj, _ := callee.Object().(*types.Func)
	if obj == nil {
		return nil, false
	}
	fact := new(Summary)
	if m.pass.ImportObjectFact(obj, fact) {
		return fact, true
	}
	return nil, false
}

// Summary computes (once) the summary of a function with a body (see
// ready).
func (m *Model) Summary(f *ssa.Function) *Summary {
	m.ready()
	return m.summary(f)
}

// summary computes (once) the summary of a function with a body. It returns
// nil while the function's own summary is being computed (recursion).
func (m *Model) summary(f *ssa.Function) *Summary {
	m.build()
	m.mu.Lock()
	if s, ok := m.sums[f]; ok {
		m.mu.Unlock()
		return s
	}
	if m.busy[f] {
		m.mu.Unlock()
		return nil
	}
	m.busy[f] = true
	m.mu.Unlock()

	s := &Summary{NoReturn: !hasReturn(f)}
	results := f.Signature.Results()
	isCleanup := func(r int) bool {
		rt := results.At(r).Type()
		return m.table.KindOfType(rt) == nil && m.paramKind(rt) == resource.Cancel
	}
	for _, a := range m.acquisitions(f) {
		if a.Value != nil && m.registeredWithParam(a.Value) {
			// Registered with an owner a parameter reaches (a
			// client that closes its subscriptions): the caller
			// borrows it.
			continue
		}
		if a.Value != nil && len(a.Returned) > 0 && m.releaseRegistered(a.Value) {
			// Its release is registered (t.Cleanup(func() {
			// b.Close() }); return &handle{b}): whoever runs the
			// registration releases it, and the caller borrows it.
			continue
		}
		if j, ok := m.releasedByReturnedCleanup(f, a, isCleanup); ok {
			// return f, func() { f.Close() }: calling the cleanup is
			// the release the caller owes, whichever it also uses f.
			s.Fresh = append(s.Fresh, FreshResult{Index: j, Kind: resource.Cancel.Name})
			continue
		}
		viaCleanup := false
		for _, r := range a.Returned {
			viaCleanup = viaCleanup || isCleanup(r)
		}
		for _, r := range a.Returned {
			if viaCleanup && len(a.Returned) > 1 && !isCleanup(r) {
				// Returned as (f, cleanup) with cleanup releasing f:
				// calling cleanup is the release the caller owes.
				continue
			}
			if !m.canRelease(results.At(r).Type(), a.Kind) {
				// Returned as a type that cannot release it (an
				// io.ReadSeeker beside its io.Closer, or alone): the
				// caller releases it through a result that can, or
				// cannot at all, and a fix there would not compile.
				continue
			}
			kind := a.Kind
			if p := calledParam(f, a); p >= 0 && !isCleanup(r) {
				// return listen(…): the caller's own value.
				s.ParamCalls = append(s.ParamCalls, ParamCallResult{Index: r, Param: p, Kind: kind.Name})
				continue
			}
			if isCleanup(r) {
				// Returned inside a cleanup func (return f, func() {
				// f.Close() }): the caller releases it by calling it.
				kind = resource.Cancel
			}
			s.Fresh = append(s.Fresh, FreshResult{Index: r, Kind: kind.Name})
		}
	}
	s.Fresh = dedupFresh(s.Fresh)
	s.FuncResults = m.funcResults(f)
	for i, p := range f.Params {
		consumes, releases, onError := m.paramConsumption(f, p)
		if consumes {
			s.Consumes = append(s.Consumes, i)
		}
		if releases {
			s.Releases = append(s.Releases, i)
		}
		if onError && !releases {
			s.ReleasesOnError = append(s.ReleasesOnError, i)
		}
	}
	fv := map[int]bool{}
	for i, v := range f.FreeVars {
		if consumes, _ := m.consumption(f, v); consumes {
			fv[i] = true
		}
	}
	// What f holds: not a cancel func of a context nothing reads
	// (inertCancel). What it acquires itself: not a cancel func of a
	// Background context at all (rootCancel).
	own := len(s.Fresh) > 0 || m.anyAcquisition(f, func(a *Acquisition) bool { return !m.inertCancel(a) })
	acquires := own || len(s.Consumes) > 0
	spawns := startsGoroutine(f)
	s.Holds = acquires || spawns
	s.Acquires = len(s.Fresh) > 0 || m.anyAcquisition(f, func(a *Acquisition) bool { return !rootCancel(a) }) || (spawns && len(s.Consumes) == 0)
	if s.Holds {
		s.GatedBy = m.fieldGate(f, s)
	}
	s.HoldsOnlyArgs = !own && !spawns && len(s.Consumes) > 0
	s.HoldsWithOptions = !acquires && s.Holds && goroutinesNeedOptions(f)
	if s.Holds {
		s.Borrowed = m.borrowedResults(f)
	}
	// A wrapper whose release f arranged itself (t.Cleanup(stub.Stop);
	// return stub) is not the caller's to release: what it wraps was
	// handed to that arrangement.
	for _, r := range m.wrapResults(f, s) {
		if !m.releaseArranged(f, r) {
			s.Wraps = append(s.Wraps, r)
		}
	}
	s.ReleasesReceiver = m.releasesHeld(f)
	s.FillsReceiver = m.fillsReceiver(f)
	s.KeepsParams = m.keptParams(f)
	s.Inert = f.Signature.Recv() != nil && inertBody(f)
	s.ReturnsArgs = returnsArgs(f)
	m.assertions(f, s)
	s.NilUnlessOK = nilUnlessOK(f)
	s.NeverFails = m.alwaysNilError(f)
	s.InertResults = m.inertResults(f)
	s.normalize()

	m.mu.Lock()
	m.sums[f] = s
	m.freeVars[f] = fv
	delete(m.busy, f)
	m.mu.Unlock()
	return s
}

// canRelease reports whether a caller can release a resource of kind k
// through a value of type t: t is a resource type itself, a cleanup func,
// or has one of k's release methods (a started *exec.Cmd has Wait).
func (m *Model) canRelease(t types.Type, k *resource.Kind) bool {
	if m.paramKind(t) != nil {
		return true
	}
	if k.Body || k.ReleaseFunc != "" {
		return false
	}
	for _, name := range k.Methods {
		if obj, _, _ := types.LookupFieldOrMethod(t, true, nil, name); obj != nil {
			if _, ok := obj.(*types.Func); ok {
				return true
			}
		}
	}
	return false
}

// returnedValues returns what a return's result r may be: r itself, or,
// in a function with defers (whose results live in local slots until the
// deferred calls ran), the values stored in r's slot.
func returnedValues(r ssa.Value) []ssa.Value {
	load, ok := r.(*ssa.UnOp)
	if !ok || load.Op != token.MUL {
		return []ssa.Value{r}
	}
	slot, ok := load.X.(*ssa.Alloc)
	if !ok || slot.Heap {
		return []ssa.Value{r}
	}
	var out []ssa.Value
	for _, ref := range *slot.Referrers() {
		if st, ok := ref.(*ssa.Store); ok && st.Addr == slot {
			out = append(out, st.Val)
		}
	}
	return out
}

// releasedByReturnedCleanup reports the result index of a cleanup func
// that f returns beside the resource of a and that releases it: a closure
// capturing the resource (by value, or through the variable it was stored
// in) and consuming it.
func (m *Model) releasedByReturnedCleanup(f *ssa.Function, a *Acquisition, isCleanup func(int) bool) (int, bool) {
	if a.Value == nil || len(a.Returned) == 0 {
		return 0, false
	}
	holds := func(b ssa.Value) bool {
		if unconvert(b) == a.Value {
			return true
		}
		if alloc, ok := b.(*ssa.Alloc); ok {
			for _, ref := range *alloc.Referrers() {
				if st, ok := ref.(*ssa.Store); ok && st.Addr == alloc && unconvert(st.Val) == a.Value {
					return true
				}
			}
		}
		return false
	}
	for _, b := range f.Blocks {
		ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
		if !ok {
			continue
		}
		for j, r := range ret.Results {
			if !isCleanup(j) {
				continue
			}
			for _, v := range returnedValues(r) {
				mc, ok := v.(*ssa.MakeClosure)
				if !ok {
					continue
				}
				fn, ok := mc.Fn.(*ssa.Function)
				if !ok {
					continue
				}
				for bi, bv := range mc.Bindings {
					if holds(bv) && m.consumesFreeVar(fn, bi) {
						return j, true
					}
				}
			}
		}
	}
	return 0, false
}

// anyAcquisition reports whether pred holds of one of f's acquisitions.
func (m *Model) anyAcquisition(f *ssa.Function, pred func(*Acquisition) bool) bool {
	for _, a := range m.acquisitions(f) {
		if pred(a) {
			return true
		}
	}
	return false
}

// startsGoroutine reports whether f (or a closure it creates) has a go
// statement.
func startsGoroutine(f *ssa.Function) bool {
	for _, b := range f.Blocks {
		for _, instr := range b.Instrs {
			if _, ok := instr.(*ssa.Go); ok {
				return true
			}
		}
	}
	for _, anon := range f.AnonFuncs {
		if startsGoroutine(anon) {
			return true
		}
	}
	return false
}

func dedupFresh(in []FreshResult) []FreshResult {
	seen := map[int]bool{}
	var out []FreshResult
	for _, f := range in {
		if !seen[f.Index] {
			seen[f.Index] = true
			out = append(out, f)
		}
	}
	return out
}

// consumesFreeVar reports whether closure f releases or keeps its free
// variable i on some path.
func (m *Model) consumesFreeVar(f *ssa.Function, i int) bool {
	if f.Blocks == nil {
		return false
	}
	if m.summary(f) == nil {
		return true // recursive closure: assume it keeps the value
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.freeVars[f][i]
}

// consumption follows a parameter or free variable v through f.
func (m *Model) consumption(f *ssa.Function, v ssa.Value) (consumes, releases bool) {
	consumes, releases, _ = m.paramConsumption(f, v)
	return consumes, releases
}

// paramConsumption follows a parameter or free variable v through f; it
// also tells whether f releases v on every path that returns an error.
func (m *Model) paramConsumption(f *ssa.Function, v ssa.Value) (consumes, releases, onError bool) {
	cell := false
	kind := m.paramKind(v.Type())
	if kind == nil {
		if ptr, ok := types.Unalias(v.Type()).(*types.Pointer); ok {
			if _, isFree := v.(*ssa.FreeVar); isFree {
				kind = m.paramKind(ptr.Elem())
				cell = kind != nil
			}
		}
	}
	if kind == nil || len(f.Blocks) == 0 {
		return false, false, false
	}
	a := &Acquisition{Fn: f, Kind: kind, Value: v, Result: -1, Arg: -1}
	w := m.newWalker(a, cell)
	w.run(f.Blocks[0], 0)
	consumes = len(a.Releases) > 0 || w.transferred
	releases = len(a.Releases) > 0 && len(a.Exits) == 0 && !w.transferred
	if sites := w.releaseSites(); len(sites) > 0 {
		onError = releasedOnErrorReturns(f, sites)
	}
	return consumes, releases, onError
}

func hasReturn(f *ssa.Function) bool {
	if f.Blocks == nil {
		return true
	}
	for _, b := range f.Blocks {
		if len(b.Instrs) == 0 {
			continue
		}
		if _, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); ok {
			return true
		}
	}
	return false
}

// follow runs the path search for an acquisition starting after the call.
func (m *Model) follow(a *Acquisition, b *ssa.BasicBlock, start int) {
	w := m.newWalker(a, false)
	w.run(b, start)
}

// Decl returns the declaration syntax of a top-level function.
func (m *Model) Decl(f *ssa.Function) ast.Node {
	m.build()
	return m.decls[f]
}

func calleeName(c *ssa.CallCommon) string {
	if c.IsInvoke() {
		return c.Method.Name()
	}
	if callee := c.StaticCallee(); callee != nil {
		if obj, ok := origin(callee).Object().(*types.Func); ok && obj != nil {
			return shortFuncName(obj)
		}
		return callee.Name()
	}
	switch v := c.Value.(type) {
	case *ssa.UnOp:
		if g, ok := v.X.(*ssa.Global); ok {
			return g.Name()
		}
	case *ssa.Parameter:
		return v.Name()
	case *ssa.FreeVar:
		return v.Name()
	}
	return "the call"
}

func shortFuncName(fn *types.Func) string {
	sig := fn.Type().(*types.Signature)
	if recv := sig.Recv(); recv != nil {
		t := recv.Type()
		ptr := ""
		if p, ok := types.Unalias(t).(*types.Pointer); ok {
			t, ptr = p.Elem(), "*"
		}
		if n, ok := types.Unalias(t).(*types.Named); ok {
			return fmt.Sprintf("(%s%s.%s).%s", ptr, n.Obj().Pkg().Name(), n.Obj().Name(), fn.Name())
		}
		return fn.Name()
	}
	if fn.Pkg() == nil {
		return fn.Name()
	}
	return fn.Pkg().Name() + "." + fn.Name()
}

// origin returns the generic function an instance was created from, or f.
func origin(f *ssa.Function) *ssa.Function {
	if o := f.Origin(); o != nil {
		return o
	}
	return f
}

// returnsItsArgument reports whether result r of the call is the argument
// it was given, a value built by the caller and so not nil.
func returnsItsArgument(s *Summary, c *ssa.CallCommon, r int) bool {
	for i := 0; i+1 < len(s.ReturnsArgs); i += 2 {
		if s.ReturnsArgs[i] != r {
			continue
		}
		p := s.ReturnsArgs[i+1]
		if p < len(c.Args) && nonNilByConstruction(c.Args[p]) {
			return true
		}
	}
	return false
}
