package perrequest

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"os"
	"strings"
	"unicode"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/checkdoc"
	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/directive"
	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/resource"
	"github.com/lifecycle-lsp/lifecycle-lsp/codeaction/addimport"
	"github.com/lifecycle-lsp/lifecycle-lsp/codeaction/hoistonce"
)

//go:embed doc.go
var doc string

const name = "perrequest"

// Analyzer is the perrequest check with the built-in list of heavyweight
// constructors; its -perrequest.constructors flag adds more for the command
// line.
var Analyzer = New(nil)

// New returns the perrequest check that also reports the given constructors,
// each "pkg/path.Func" or "pkg/path.Type.Method" (the receiver named without
// pointer).
func New(constructors []string) *analysis.Analyzer {
	c := &config{extra: map[string]bool{}}
	for _, k := range constructors {
		c.extra[k] = true
	}
	a := checkdoc.NewAnalyzer(name, doc, c.run, inspect.Analyzer)
	a.Flags.Var(c, "constructors", "comma-separated extra heavyweight constructors (pkg/path.Func or pkg/path.Type.Method)")
	return a
}

type config struct {
	extra map[string]bool
}

func (c *config) String() string {
	var keys []string
	for k := range c.extra {
		keys = append(keys, k)
	}
	return strings.Join(keys, ",")
}

func (c *config) Set(s string) error {
	for _, k := range strings.Split(s, ",") {
		if k = strings.TrimSpace(k); k != "" {
			c.extra[k] = true
		}
	}
	return nil
}

const grpcPath = "google.golang.org/grpc"

// candidate is one heavyweight construction.
type candidate struct {
	expr ast.Expr // the call, or the literal (with its & when present)
	what string   // "database handle (sql.Open)"
	base string   // name stem for the hoisted variable
	// results are the value's types: one, or a value and an error
	results []types.Type
}

func (c *config) run(pass *analysis.Pass) (any, error) {
	filter := directive.NewFilter(pass, name)
	filter.ReportMissingReasons(false)
	if !c.relevant(pass.Pkg) {
		return nil, nil
	}
	ins := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	covered := map[ast.Node]bool{}
	used := map[string]bool{}
	for cur := range ins.Root().Preorder((*ast.CallExpr)(nil), (*ast.CompositeLit)(nil)) {
		if covered[cur.Node()] {
			continue
		}
		cand, inner := c.classify(pass.TypesInfo, cur)
		if cand == nil {
			continue
		}
		if inner != nil {
			covered[inner] = true
		}
		exprCur := cur
		if p := cur.Parent(); p.Node() != nil {
			if u, ok := p.Node().(*ast.UnaryExpr); ok && u.Op == token.AND {
				cand.expr = u
				exprCur = p
				if len(cand.results) == 1 {
					cand.results = []types.Type{pass.TypesInfo.TypeOf(u)}
				}
			}
		}
		where, loop, handler := context(pass, exprCur)
		if where == "" {
			continue
		}
		target, escapes := escape(pass.TypesInfo, pass.Pkg, exprCur, loop)
		if escapes {
			continue
		}
		d := analysis.Diagnostic{
			Pos:     cand.expr.Pos(),
			End:     cand.expr.End(),
			Message: fmt.Sprintf("%s built %s: a new pool of connections each time; build it once and share it", cand.what, where),
		}
		if handler != nil {
			d.Related = append(d.Related, analysis.RelatedInformation{Pos: handler.Pos(), End: handler.Pos(), Message: "the handler that runs per request"})
		} else if loop != nil {
			d.Related = append(d.Related, analysis.RelatedInformation{Pos: loop.Pos(), End: loop.Pos(), Message: "the loop that runs per iteration"})
		}
		if fix := hoistFix(pass, exprCur, cand, target, used); fix != nil {
			d.SuggestedFixes = []analysis.SuggestedFix{*fix}
		}
		filter.Report(d)
	}
	return nil, nil
}

// relevant is the fast path: the package must import (or be) a package that
// can build one of the clients.
func (c *config) relevant(pkg *types.Package) bool {
	paths := []string{pkg.Path()}
	for _, p := range pkg.Imports() {
		paths = append(paths, p.Path())
	}
	for _, p := range paths {
		if p == "database/sql" || p == "net/http" || p == grpcPath {
			return true
		}
		for k := range c.extra {
			if strings.HasPrefix(k, p+".") {
				return true
			}
		}
	}
	return false
}

// classify tells whether the node at cur builds a heavyweight client. For a
// client literal it also returns the nested transport it covers.
func (c *config) classify(info *types.Info, cur inspector.Cursor) (*candidate, ast.Node) {
	switch n := cur.Node().(type) {
	case *ast.CallExpr:
		fn, ok := typeutil.Callee(info, n).(*types.Func)
		if !ok || fn.Pkg() == nil {
			return nil, nil
		}
		sig := fn.Signature()
		var res []types.Type
		for i := 0; i < sig.Results().Len(); i++ {
			res = append(res, sig.Results().At(i).Type())
		}
		key := resource.KeyOf(fn)
		switch {
		case key == "database/sql.Open" || key == "database/sql.OpenDB":
			return &candidate{expr: n, what: "database handle (sql." + fn.Name() + ")", base: "getDB", results: res}, nil
		case key == "net/http.Transport.Clone":
			return &candidate{expr: n, what: "HTTP transport (Transport.Clone)", base: "sharedTransport", results: res}, nil
		case fn.Pkg().Path() == grpcPath && sig.Recv() == nil && (fn.Name() == "NewClient" || fn.Name() == "Dial" || fn.Name() == "DialContext"):
			return &candidate{expr: n, what: "gRPC client connection (grpc." + fn.Name() + ")", base: "getConn", results: res}, nil
		case c.extra[key]:
			stem := strings.TrimPrefix(fn.Name(), "New")
			if stem == "" || !unicode.IsUpper(rune(stem[0])) {
				stem = "Client"
			}
			return &candidate{expr: n, what: "client (" + key + ")", base: "get" + stem, results: res}, nil
		}
	case *ast.CompositeLit:
		t := info.TypeOf(n)
		switch {
		case isHTTP(t, "Transport"):
			return &candidate{expr: n, what: "HTTP transport (http.Transport literal)", base: "sharedTransport", results: []types.Type{t}}, nil
		case isHTTP(t, "Client"):
			for _, e := range n.Elts {
				kv, ok := e.(*ast.KeyValueExpr)
				if !ok {
					continue
				}
				if id, ok := kv.Key.(*ast.Ident); !ok || id.Name != "Transport" {
					continue
				}
				if inner := freshTransport(info, kv.Value); inner != nil {
					return &candidate{expr: n, what: "HTTP client with its own Transport", base: "sharedClient", results: []types.Type{t}}, inner
				}
			}
		}
	}
	return nil, nil
}

// freshTransport returns the transport literal or Clone call that e builds,
// or nil when e refers to an existing transport.
func freshTransport(info *types.Info, e ast.Expr) ast.Node {
	e = ast.Unparen(e)
	if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND {
		e = ast.Unparen(u.X)
	}
	switch e := e.(type) {
	case *ast.CompositeLit:
		if isHTTP(info.TypeOf(e), "Transport") {
			return e
		}
	case *ast.CallExpr:
		if fn, ok := typeutil.Callee(info, e).(*types.Func); ok && resource.KeyOf(fn) == "net/http.Transport.Clone" {
			return e
		}
	}
	return nil
}

func isHTTP(t types.Type, name string) bool {
	if t == nil {
		return false
	}
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "net/http" && n.Obj().Name() == name
}

// context says where the expression at cur runs repeatedly: "in an HTTP
// handler" or "in a loop" (with the loop), or "" when it does not.
func context(pass *analysis.Pass, cur inspector.Cursor) (where string, loop ast.Stmt, handler ast.Node) {
	pos := cur.Node().Pos()
	crossed := false // a function literal lies between the expression and the loop
	for a := cur.Parent(); a.Node() != nil; a = a.Parent() {
		switch n := a.Node().(type) {
		case *ast.ForStmt:
			if !crossed && loop == nil && n.Body.Pos() <= pos && pos < n.Body.End() {
				loop = n
			}
		case *ast.RangeStmt:
			if !crossed && loop == nil && n.Body.Pos() <= pos && pos < n.Body.End() {
				loop = n
			}
		case *ast.FuncLit:
			if isHandler(pass.TypesInfo, n.Type) {
				return "in an HTTP handler (per request)", loop, n
			}
			if runsOnce(pass.TypesInfo, a) {
				return "", nil, nil
			}
			crossed = true
		case *ast.FuncDecl:
			if isHandler(pass.TypesInfo, n.Type) {
				return "in an HTTP handler (per request)", loop, n.Name
			}
			if loop != nil && !strings.HasSuffix(pass.Fset.File(n.Pos()).Name(), "_test.go") {
				return "in a loop (per iteration)", loop, nil
			}
			return "", nil, nil
		}
	}
	return "", nil, nil
}

// isHandler reports the (http.ResponseWriter, *http.Request) parameter shape.
func isHandler(info *types.Info, ft *ast.FuncType) bool {
	var params []types.Type
	for _, f := range ft.Params.List {
		t := info.TypeOf(f.Type)
		n := len(f.Names)
		if n == 0 {
			n = 1
		}
		for range n {
			params = append(params, t)
		}
	}
	if len(params) != 2 || params[0] == nil || params[1] == nil {
		return false
	}
	p, ok := types.Unalias(params[1]).(*types.Pointer)
	return isHTTP(params[0], "ResponseWriter") && ok && isHTTP(p.Elem(), "Request")
}

// runsOnce reports whether the function literal at lit is handed to
// sync.Once.Do or sync.OnceFunc/OnceValue/OnceValues.
func runsOnce(info *types.Info, lit inspector.Cursor) bool {
	call, ok := lit.Parent().Node().(*ast.CallExpr)
	if !ok {
		return false
	}
	fn, ok := typeutil.Callee(info, call).(*types.Func)
	if !ok || fn.Pkg() == nil || fn.Pkg().Path() != "sync" {
		return false
	}
	switch resource.KeyOf(fn) {
	case "sync.Once.Do", "sync.OnceFunc", "sync.OnceValue", "sync.OnceValues":
		return true
	}
	return false
}

// escape reports whether the value built at cur outlives the request or the
// iteration. It also returns the local variable the value is assigned to,
// if any.
func escape(info *types.Info, pkg *types.Package, cur inspector.Cursor, loop ast.Stmt) (*types.Var, bool) {
	e := cur.Node()
	p := cur.Parent()
	for {
		if _, ok := p.Node().(*ast.ParenExpr); ok {
			e, p = p.Node(), p.Parent()
			continue
		}
		break
	}
	switch n := p.Node().(type) {
	case *ast.ReturnStmt, *ast.SendStmt:
		return nil, true
	case *ast.CallExpr:
		if id, ok := n.Fun.(*ast.Ident); ok && id.Name == "append" && ast.Node(n.Fun) != e {
			return nil, true
		}
	case *ast.KeyValueExpr, *ast.CompositeLit:
		return nil, loop != nil
	case *ast.AssignStmt, *ast.ValueSpec:
		var lhs []ast.Expr
		var rhs []ast.Expr
		if as, ok := n.(*ast.AssignStmt); ok {
			lhs, rhs = as.Lhs, as.Rhs
		} else {
			vs := n.(*ast.ValueSpec)
			for _, id := range vs.Names {
				lhs = append(lhs, id)
			}
			rhs = vs.Values
		}
		i := 0
		for j, r := range rhs {
			if r == e {
				i = j
			}
		}
		if i >= len(lhs) {
			return nil, false
		}
		v, stored := storedBeyond(info, pkg, lhs[i], loop)
		if stored {
			return nil, true
		}
		if v == nil {
			return nil, false
		}
		return v, localEscapes(info, pkg, enclosingBody(p), v, loop)
	}
	return nil, false
}

// storedBeyond reports whether assigning to lhs keeps the value beyond the
// request or the iteration; otherwise it returns the local variable.
func storedBeyond(info *types.Info, pkg *types.Package, lhs ast.Expr, loop ast.Stmt) (*types.Var, bool) {
	switch l := ast.Unparen(lhs).(type) {
	case *ast.SelectorExpr, *ast.IndexExpr, *ast.StarExpr:
		return nil, true
	case *ast.Ident:
		if l.Name == "_" {
			return nil, false
		}
		v, ok := info.ObjectOf(l).(*types.Var)
		if !ok {
			return nil, false
		}
		if v.Parent() == pkg.Scope() {
			return nil, true
		}
		if loop != nil && !(loop.Pos() <= v.Pos() && v.Pos() < loop.End()) {
			return nil, true
		}
		return v, false
	}
	return nil, false
}

func enclosingBody(cur inspector.Cursor) ast.Node {
	for a := cur; a.Node() != nil; a = a.Parent() {
		switch n := a.Node().(type) {
		case *ast.FuncDecl:
			return n.Body
		case *ast.FuncLit:
			return n.Body
		}
	}
	return nil
}

// localEscapes reports whether the local variable v is later stored beyond
// the request or the iteration.
func localEscapes(info *types.Info, pkg *types.Package, body ast.Node, v *types.Var, loop ast.Stmt) bool {
	if body == nil {
		return true
	}
	found := false
	ast.PreorderStack(body, nil, func(n ast.Node, stack []ast.Node) bool {
		id, ok := n.(*ast.Ident)
		if found || !ok || info.Uses[id] != v || len(stack) == 0 {
			return !found
		}
		var child ast.Node = id
		i := len(stack) - 1
		for i > 0 {
			if u, ok := stack[i].(*ast.UnaryExpr); ok && u.Op == token.AND {
				child, i = u, i-1
				continue
			}
			if _, ok := stack[i].(*ast.ParenExpr); ok {
				child, i = stack[i], i-1
				continue
			}
			break
		}
		switch p := stack[i].(type) {
		case *ast.ReturnStmt, *ast.SendStmt:
			found = true
		case *ast.KeyValueExpr, *ast.CompositeLit:
			if loop != nil {
				found = literalEscapes(info, pkg, body, stack[:i+1], loop)
			}
		case *ast.CallExpr:
			if fid, ok := p.Fun.(*ast.Ident); ok && fid.Name == "append" {
				found = true
			}
			if fn, ok := typeutil.Callee(info, p).(*types.Func); ok && fn.Pkg() != nil && fn.Pkg().Path() == "sync" {
				found = true // stored in a sync.Map or pool
			}
		case *ast.AssignStmt:
			for j, r := range p.Rhs {
				if r == child && j < len(p.Lhs) {
					if _, stored := storedBeyond(info, pkg, p.Lhs[j], loop); stored {
						found = true
					}
				}
			}
		}
		return !found
	})
	return found
}

// hoistFix builds the hoisting fix when the expression mentions nothing
// local.
func hoistFix(pass *analysis.Pass, cur inspector.Cursor, cand *candidate, target *types.Var, used map[string]bool) *analysis.SuggestedFix {
	info := pass.TypesInfo
	if !hoistonce.Movable(info, cand.expr) {
		return nil
	}
	var file *ast.File
	var decl ast.Decl
	for a := cur; a.Node() != nil; a = a.Parent() {
		switch n := a.Node().(type) {
		case ast.Decl:
			decl = n
		case *ast.File:
			file = n
		}
	}
	if file == nil || decl == nil {
		return nil
	}
	qual, ok := qualifier(pass.Pkg, file)
	var results []string
	for _, t := range cand.results {
		s := types.TypeString(t, qual)
		if !ok() {
			return nil
		}
		results = append(results, s)
	}
	if len(results) == 2 && results[1] != "error" {
		return nil
	}
	// Per-request releases of the value go away with it; any other release
	// use (its error checked, say) means we leave the code to the author.
	var remove []ast.Stmt
	if target != nil {
		var ok bool
		remove, ok = releases(info, enclosingBody(cur), target)
		if !ok {
			return nil
		}
	}
	if _, ok := addimport.LocalName(file, "sync"); !ok && pass.Pkg.Scope().Lookup("sync") != nil {
		return nil // a package-level "sync" would hide the import we add
	}
	varName := freeName(pass, file, enclosingBody(cur), cand.base, used)
	tf := pass.Fset.File(file.Pos())
	read := pass.ReadFile
	if read == nil {
		read = os.ReadFile
	}
	src, err := read(tf.Name())
	if err != nil {
		return nil
	}
	what := strings.TrimSpace(strings.Split(cand.what, "(")[0])
	return hoistonce.Fix(hoistonce.Hoist{
		File: file, Src: src, Base: token.Pos(tf.Base()),
		Expr: cand.expr, Decl: decl, Name: varName, Results: results, Remove: remove, What: what,
	})
}

// qualifier renders package-qualified types with the file's import names;
// ok reports false once a type from a package the file does not import was
// rendered.
func qualifier(pkg *types.Package, file *ast.File) (types.Qualifier, func() bool) {
	good := true
	q := func(p *types.Package) string {
		if p == pkg {
			return ""
		}
		name, ok := addimport.LocalName(file, p.Path())
		if !ok {
			good = false
			return p.Name()
		}
		return name
	}
	return q, func() bool { return good }
}

// releases returns the statements `v.Close()`, `defer v.Close()` and the
// like on v in body; ok is false when v is released in another form.
func releases(info *types.Info, body ast.Node, v *types.Var) ([]ast.Stmt, bool) {
	var out []ast.Stmt
	ok := true
	ast.PreorderStack(body, nil, func(n ast.Node, stack []ast.Node) bool {
		id, isID := n.(*ast.Ident)
		if !isID || info.Uses[id] != v || len(stack) < 3 {
			return true
		}
		sel, isSel := stack[len(stack)-1].(*ast.SelectorExpr)
		if !isSel || (sel.Sel.Name != "Close" && sel.Sel.Name != "CloseIdleConnections") {
			return true
		}
		call, isCall := stack[len(stack)-2].(*ast.CallExpr)
		if !isCall || call.Fun != sel {
			return true
		}
		switch s := stack[len(stack)-3].(type) {
		case *ast.DeferStmt:
			out = append(out, s)
		case *ast.ExprStmt:
			out = append(out, s)
		default:
			ok = false
		}
		return true
	})
	return out, ok
}

// freeName returns base, or base with a number, unused in the package, in
// the file's imports, in the function holding the expression and by other
// fixes of this pass.
func freeName(pass *analysis.Pass, file *ast.File, body ast.Node, base string, used map[string]bool) string {
	mentioned := map[string]bool{}
	if body != nil {
		ast.Inspect(body, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok {
				mentioned[id.Name] = true
			}
			return true
		})
	}
	for i := 1; ; i++ {
		name := base
		if i > 1 {
			name = fmt.Sprintf("%s%d", base, i)
		}
		if used[name] || mentioned[name] || pass.Pkg.Scope().Lookup(name) != nil || types.Universe.Lookup(name) != nil {
			continue
		}
		clash := false
		for _, imp := range file.Imports {
			if imp.Name != nil && imp.Name.Name == name {
				clash = true
			}
		}
		for _, p := range pass.Pkg.Imports() {
			if p.Name() == name {
				clash = true
			}
		}
		if clash {
			continue
		}
		used[name] = true
		return name
	}
}

// literalEscapes reports whether the composite literal that ends stack (the
// value was put into it) outlives the iteration: it does unless it is
// assigned to a variable declared in the loop that does not escape itself.
func literalEscapes(info *types.Info, pkg *types.Package, body ast.Node, stack []ast.Node, loop ast.Stmt) bool {
	i := len(stack) - 1
	for i >= 0 {
		if _, ok := stack[i].(*ast.CompositeLit); ok {
			break
		}
		i--
	}
	if i <= 0 {
		return true
	}
	child := stack[i]
	i--
	for i > 0 {
		if u, ok := stack[i].(*ast.UnaryExpr); ok && u.Op == token.AND {
			child, i = u, i-1
			continue
		}
		if _, ok := stack[i].(*ast.ParenExpr); ok {
			child, i = stack[i], i-1
			continue
		}
		break
	}
	as, ok := stack[i].(*ast.AssignStmt)
	if !ok {
		return true
	}
	for j, r := range as.Rhs {
		if r == child && j < len(as.Lhs) {
			v, stored := storedBeyond(info, pkg, as.Lhs[j], loop)
			if stored || v == nil {
				return stored
			}
			return localEscapes(info, pkg, body, v, loop)
		}
	}
	return true
}
