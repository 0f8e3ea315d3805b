package finalizer

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/checkdoc"
	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/directive"
	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/resource"
	"github.com/lifecycle-lsp/lifecycle-lsp/codeaction/addclose"
)

//go:embed doc.go
var doc string

const name = "finalizer"

// Analyzer is the check built on the default resource table.
var Analyzer = newAnalyzer(resource.Default())

// New returns the check using table t to recognise releases.
func New(t *resource.Table) *analysis.Analyzer {
	if t == resource.Default() {
		return Analyzer
	}
	return newAnalyzer(t)
}

func newAnalyzer(t *resource.Table) *analysis.Analyzer {
	c := &checker{table: t}
	return checkdoc.NewAnalyzer(name, doc, c.run, inspect.Analyzer)
}

type checker struct{ table *resource.Table }

// releaseNames are the method names that count as an explicit release.
var releaseNames = []string{"Close", "Stop", "Shutdown", "Release", "Free", "Destroy", "Dispose"}

// releaseFuncs are package-level functions releasing their first argument.
var releaseFuncs = map[string]bool{
	"syscall.Close": true, "syscall.CloseHandle": true,
	"golang.org/x/sys/unix.Close": true, "golang.org/x/sys/windows.CloseHandle": true,
}

type pass struct {
	*analysis.Pass
	c      *checker
	filter *directive.Filter
	decls  map[*types.Func]*ast.FuncDecl
}

func (c *checker) run(p *analysis.Pass) (any, error) {
	filter := directive.NewFilter(p, name)
	filter.ReportMissingReasons(false)
	if !importsRuntime(p.Pkg) {
		return nil, nil
	}
	ps := &pass{Pass: p, c: c, filter: filter, decls: map[*types.Func]*ast.FuncDecl{}}
	for _, f := range p.Files {
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok {
				if fn, ok := p.TypesInfo.Defs[fd.Name].(*types.Func); ok {
					ps.decls[fn] = fd
				}
			}
		}
	}
	ins := p.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	for cur := range ins.Root().Preorder((*ast.CallExpr)(nil)) {
		ps.checkCall(cur.Node().(*ast.CallExpr))
	}
	return nil, nil
}

func importsRuntime(pkg *types.Package) bool {
	if pkg.Path() == "runtime" {
		return false
	}
	for _, p := range pkg.Imports() {
		if p.Path() == "runtime" {
			return true
		}
	}
	return false
}

// target is the function run by the finalizer or cleanup.
type target struct {
	body   *ast.BlockStmt
	roots  map[types.Object]bool // values standing for obj (or arg)
	param  *ast.Ident            // the function's first parameter, if named
	lit    *ast.FuncLit
	callee *types.Func // a named function or method expression
}

func (p *pass) checkCall(call *ast.CallExpr) {
	fn := typeutilCallee(p.TypesInfo, call)
	if fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != "runtime" {
		return
	}
	cleanup := fn.Name() == "AddCleanup"
	if !(fn.Name() == "SetFinalizer" && len(call.Args) == 2) && !(cleanup && len(call.Args) == 3) {
		return
	}
	if tv, ok := p.TypesInfo.Types[call.Args[1]]; ok && tv.IsNil() {
		return
	}
	named := pointee(p.TypesInfo.TypeOf(call.Args[0]))
	if named == nil || named.Obj().Pkg() != p.Pkg || hasRelease(named) {
		return
	}
	tg := p.target(call.Args[1])
	if tg == nil {
		return
	}
	// A finalizer literal may refer to the object through the captured
	// variable (the SA5005 shape) instead of its parameter.
	var objVar types.Object
	if id, ok := ast.Unparen(call.Args[0]).(*ast.Ident); ok && !cleanup {
		objVar = p.TypesInfo.Uses[id]
		if objVar != nil && tg.lit != nil {
			tg.roots[objVar] = true
		}
	}
	rels := p.releases(tg.body, tg.roots, cleanup, 0)
	if len(rels) == 0 {
		return
	}
	kind := "runtime.SetFinalizer"
	if cleanup {
		kind = "runtime.AddCleanup"
	}
	typeName := named.Obj().Name()
	d := analysis.Diagnostic{
		Pos: call.Pos(), End: call.End(), Category: name,
		Message: fmt.Sprintf("%s is the only release of %s's %s: it runs when the garbage collector gets to it, late or never; add an explicit Close method to %s (the finalizer can stay as a safety net)",
			kind, typeName, rels[0].what, typeName),
	}
	for _, r := range rels {
		d.Related = append(d.Related, analysis.RelatedInformation{Pos: r.node.Pos(), End: r.node.End(), Message: "released only here"})
	}
	if fix := p.fix(call, named, tg, objVar, cleanup); fix != nil {
		d.SuggestedFixes = []analysis.SuggestedFix{*fix}
	}
	p.filter.Report(d)
}

func typeutilCallee(info *types.Info, call *ast.CallExpr) *types.Func {
	var id *ast.Ident
	switch f := ast.Unparen(call.Fun).(type) {
	case *ast.Ident:
		id = f
	case *ast.SelectorExpr:
		id = f.Sel
	case *ast.IndexExpr: // runtime.AddCleanup[T, S]
		if s, ok := f.X.(*ast.SelectorExpr); ok {
			id = s.Sel
		}
	case *ast.IndexListExpr:
		if s, ok := f.X.(*ast.SelectorExpr); ok {
			id = s.Sel
		}
	}
	if id == nil {
		return nil
	}
	fn, _ := info.Uses[id].(*types.Func)
	return fn
}

func pointee(t types.Type) *types.Named {
	p, ok := types.Unalias(t).(*types.Pointer)
	if !ok {
		return nil
	}
	n, _ := types.Unalias(p.Elem()).(*types.Named)
	if n == nil {
		return nil
	}
	return n.Origin()
}

// hasRelease reports whether *T has an explicit release method.
func hasRelease(named *types.Named) bool {
	ms := types.NewMethodSet(types.NewPointer(named))
	exported := named.Obj().Exported()
	for i := 0; i < ms.Len(); i++ {
		m := ms.At(i).Obj().Name()
		for _, r := range releaseNames {
			if m == r || (!exported && strings.EqualFold(m, r)) {
				return true
			}
		}
	}
	return false
}

func (p *pass) target(fnExpr ast.Expr) *target {
	switch f := ast.Unparen(fnExpr).(type) {
	case *ast.FuncLit:
		tg := &target{body: f.Body, lit: f, roots: map[types.Object]bool{}}
		if ps := f.Type.Params.List; len(ps) > 0 && len(ps[0].Names) > 0 {
			if ps[0].Names[0].Name != "_" {
				tg.param = ps[0].Names[0]
				tg.roots[p.TypesInfo.Defs[ps[0].Names[0]]] = true
			}
		}
		return tg
	case *ast.Ident, *ast.SelectorExpr:
		var fn *types.Func
		if id, ok := f.(*ast.Ident); ok {
			fn, _ = p.TypesInfo.Uses[id].(*types.Func)
		} else {
			sel := f.(*ast.SelectorExpr)
			if s := p.TypesInfo.Selections[sel]; s != nil && s.Kind() == types.MethodExpr {
				fn, _ = s.Obj().(*types.Func)
			} else {
				fn, _ = p.TypesInfo.Uses[sel.Sel].(*types.Func)
			}
		}
		decl := p.decls[fn]
		if decl == nil || decl.Body == nil {
			return nil
		}
		tg := &target{body: decl.Body, callee: fn, roots: map[types.Object]bool{}}
		var first *ast.Ident
		if decl.Recv != nil && len(decl.Recv.List[0].Names) > 0 {
			first = decl.Recv.List[0].Names[0]
		} else if ps := decl.Type.Params.List; len(ps) > 0 && len(ps[0].Names) > 0 {
			first = ps[0].Names[0]
		}
		if first == nil {
			return nil
		}
		tg.roots[p.TypesInfo.Defs[first]] = true
		return tg
	}
	return nil
}

type release struct {
	node ast.Node
	what string
}

// releases finds the resource releases in body performed on the roots
// (itself allowed when self is set; otherwise only on fields of it).
func (p *pass) releases(body *ast.BlockStmt, roots map[types.Object]bool, self bool, depth int) []release {
	var out []release
	info := p.TypesInfo
	ast.Inspect(body, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		switch fun := ast.Unparen(call.Fun).(type) {
		case *ast.SelectorExpr:
			if fn, ok := info.Uses[fun.Sel].(*types.Func); ok && fn.Pkg() != nil && releaseFuncs[fn.Pkg().Path()+"."+fn.Name()] {
				if len(call.Args) > 0 && p.rooted(call.Args[0], roots, false) {
					out = append(out, release{call, "descriptor " + types.ExprString(call.Args[0])})
				}
				return true
			}
			sel := info.Selections[fun]
			if sel == nil {
				return true
			}
			switch sel.Kind() {
			case types.MethodVal:
				fn := sel.Obj().(*types.Func)
				if !p.rooted(fun.X, roots, self) {
					// a method of the type itself that releases its fields
					if depth < 2 && p.rooted(fun.X, roots, true) {
						if decl := p.decls[fn.Origin()]; decl != nil && decl.Recv != nil && len(decl.Recv.List[0].Names) > 0 {
							inner := map[types.Object]bool{info.Defs[decl.Recv.List[0].Names[0]]: true}
							if rs := p.releases(decl.Body, inner, false, depth+1); len(rs) > 0 {
								out = append(out, release{call, rs[0].what})
							}
						}
					}
					return true
				}
				t := info.TypeOf(fun.X)
				if k := p.c.table.KindOfType(t); k != nil && k.IsReleaseMethod(fn.Name()) {
					out = append(out, release{call, k.Name + " " + types.ExprString(fun.X)})
				}
			case types.FieldVal:
				// c.cancel()
				if isCancelFunc(sel.Type()) && p.rooted(fun, roots, false) {
					out = append(out, release{call, "cancel function " + types.ExprString(fun)})
				}
			}
		}
		return true
	})
	return out
}

func isCancelFunc(t types.Type) bool {
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "context" && strings.HasSuffix(n.Obj().Name(), "CancelFunc")
}

// rooted reports whether e is a field path of a root (or a root itself,
// when self is set).
func (p *pass) rooted(e ast.Expr, roots map[types.Object]bool, self bool) bool {
	depth := 0
	for {
		switch x := ast.Unparen(e).(type) {
		case *ast.Ident:
			return roots[p.TypesInfo.Uses[x]] && (self || depth > 0)
		case *ast.SelectorExpr:
			s := p.TypesInfo.Selections[x]
			if s == nil || s.Kind() != types.FieldVal {
				return false
			}
			e = x.X
			depth++
		case *ast.StarExpr:
			e = x.X
		default:
			return false
		}
	}
}

// fix builds the Close method, when the release can be moved safely.
func (p *pass) fix(call *ast.CallExpr, named *types.Named, tg *target, objVar types.Object, cleanup bool) *analysis.SuggestedFix {
	if named.TypeParams().Len() > 0 {
		return nil
	}
	if obj, _, _ := types.LookupFieldOrMethod(types.NewPointer(named), true, p.Pkg, "Close"); obj != nil {
		return nil
	}
	decl, file := p.typeDecl(named)
	if decl == nil || p.Fset.File(file.Pos()) != p.Fset.File(call.Pos()) {
		return nil
	}
	tf := p.Fset.File(file.Pos())
	src, err := p.ReadFile(tf.Name())
	if err != nil {
		return nil
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	pkgName := types.ExprString(sel.X)
	m := addclose.Method{TypeDecl: decl, TF: tf, Src: src, TypeName: named.Obj().Name()}
	if !cleanup {
		m.ClearFinalizer = pkgName + ".SetFinalizer"
	}
	if tg.callee != nil {
		// A named function or method expression: call it.
		recv := strings.ToLower(m.TypeName[:1])
		if p.Pkg.Scope().Lookup(recv) != nil || recv == pkgName {
			recv = "x"
		}
		m.Recv = recv
		var callText string
		if sig := tg.callee.Type().(*types.Signature); sig.Recv() != nil {
			callText = recv + "." + tg.callee.Name() + "()"
		} else {
			callText = tg.callee.Name() + "(" + recv + ")"
		}
		if cleanup {
			return nil // the cleanup's argument is not the object
		}
		res := tg.callee.Type().(*types.Signature).Results()
		m.ReturnsErr = res.Len() == 1 && types.Identical(res.At(0).Type(), types.Universe.Lookup("error").Type())
		m.Stmts = []string{"\t" + callText}
		return addclose.Build(m)
	}
	// A function literal.
	body := tg.body
	if len(body.List) == 0 {
		return nil
	}
	var subst map[types.Object]string // identifiers to rewrite
	switch {
	case cleanup:
		objID, ok := ast.Unparen(call.Args[0]).(*ast.Ident)
		if !ok || tg.param == nil {
			return nil
		}
		m.Recv = objID.Name
		arg := call.Args[2]
		argText := string(src[tf.Offset(arg.Pos()):tf.Offset(arg.End())])
		switch ast.Unparen(arg).(type) {
		case *ast.Ident, *ast.SelectorExpr:
		default:
			argText = "(" + argText + ")"
		}
		// The argument may use only the object and package-level names.
		allowed := map[types.Object]bool{p.TypesInfo.Uses[objID]: true}
		if !p.closedOver(arg, allowed, nil) {
			return nil
		}
		subst = map[types.Object]string{p.TypesInfo.Defs[tg.param]: argText}
		if !p.closedOver(body, map[types.Object]bool{p.TypesInfo.Defs[tg.param]: true}, body) {
			return nil
		}
	case tg.param != nil:
		m.Recv = tg.param.Name
		allowed := map[types.Object]bool{p.TypesInfo.Defs[tg.param]: true}
		if !p.closedOver(body, allowed, body) {
			return nil
		}
	case objVar != nil:
		m.Recv = objVar.Name()
		if !p.closedOver(body, map[types.Object]bool{objVar: true}, body) {
			return nil
		}
	default:
		return nil
	}
	hasReturn := false
	ast.Inspect(body, func(n ast.Node) bool {
		switch n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			hasReturn = true
		}
		return true
	})
	if hasReturn {
		return nil
	}
	// Statement text with substitutions applied.
	from, to := tf.Offset(body.List[0].Pos()), tf.Offset(body.List[len(body.List)-1].End())
	text := []byte(string(src))
	type rep struct {
		at, end int
		s       string
	}
	var reps []rep
	ast.Inspect(body, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			if s, ok := subst[p.TypesInfo.Uses[id]]; ok {
				reps = append(reps, rep{tf.Offset(id.Pos()), tf.Offset(id.End()), s})
			}
		}
		return true
	})
	sort.Slice(reps, func(i, j int) bool { return reps[i].at > reps[j].at })
	for _, r := range reps {
		text = append(text[:r.at:r.at], append([]byte(r.s), text[r.end:]...)...)
		to += len(r.s) - (r.end - r.at)
	}
	m.Stmts = addclose.Reindent(text, from, to)
	last := body.List[len(body.List)-1]
	if es, ok := last.(*ast.ExprStmt); ok && p.Fset.Position(last.Pos()).Line == p.Fset.Position(last.End()).Line {
		if t := p.TypesInfo.TypeOf(es.X); t != nil && types.Identical(t, types.Universe.Lookup("error").Type()) {
			m.ReturnsErr = true
		}
	}
	return addclose.Build(m)
}

// closedOver reports whether every identifier used in n refers to an
// allowed object, a package-level or universe object, a package name, or
// an object declared inside scope (when not nil).
func (p *pass) closedOver(n ast.Node, allowed map[types.Object]bool, scope ast.Node) bool {
	ok := true
	ast.Inspect(n, func(x ast.Node) bool {
		if sel, isSel := x.(*ast.SelectorExpr); isSel {
			ast.Inspect(sel.X, func(y ast.Node) bool {
				if id, isID := y.(*ast.Ident); isID && !p.identOK(id, allowed, scope) {
					ok = false
				}
				return ok
			})
			return false
		}
		if id, isID := x.(*ast.Ident); isID && !p.identOK(id, allowed, scope) {
			ok = false
		}
		return ok
	})
	return ok
}

func (p *pass) identOK(id *ast.Ident, allowed map[types.Object]bool, scope ast.Node) bool {
	obj := p.TypesInfo.Uses[id]
	if obj == nil {
		return true // a definition or a field name in a composite literal
	}
	if allowed[obj] {
		return true
	}
	if _, ok := obj.(*types.PkgName); ok {
		return true
	}
	if obj.Parent() == types.Universe || obj.Parent() == p.Pkg.Scope() {
		return true
	}
	if scope != nil && scope.Pos() <= obj.Pos() && obj.Pos() < scope.End() {
		return true
	}
	if _, ok := obj.(*types.Var); !ok {
		return obj.Pkg() != p.Pkg || obj.Parent() == nil // fields, methods
	}
	return obj.(*types.Var).IsField()
}

func (p *pass) typeDecl(named *types.Named) (*ast.GenDecl, *ast.File) {
	for _, f := range p.Files {
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.TYPE {
				continue
			}
			for _, s := range g.Specs {
				if ts := s.(*ast.TypeSpec); p.TypesInfo.Defs[ts.Name] == named.Obj() {
					return g, f
				}
			}
		}
	}
	return nil, nil
}
