package leak

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/astutil"
	"golang.org/x/tools/go/ssa"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/checkdoc"
	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/directive"
	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/ownership"
	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/resource"
	"github.com/lifecycle-lsp/lifecycle-lsp/codeaction/insertdefer"
	"github.com/lifecycle-lsp/lifecycle-lsp/codeaction/release"
	"github.com/lifecycle-lsp/lifecycle-lsp/codeaction/releaseexit"
)

//go:embed doc.go
var doc string

// Name is the check's name.
const Name = "leak"

// New returns the leak analyzer on top of an ownership analyzer built for
// the same resource table.
func New(own *analysis.Analyzer) *analysis.Analyzer {
	return checkdoc.NewAnalyzer(Name, doc, func(pass *analysis.Pass) (any, error) {
		return run(pass, pass.ResultOf[own].(*ownership.Model))
	}, own)
}

// Analyzer is the leak analyzer for the default resource table.
var Analyzer = New(ownership.Analyzer)

func run(pass *analysis.Pass, m *ownership.Model) (any, error) {
	pass = readingOnce(pass)
	filter := directive.NewFilter(pass, Name)
	filter.ReportMissingReasons(true)
	if !m.MayAcquire() {
		return nil, nil
	}
	for _, fn := range m.Functions() {
		for _, a := range m.Acquisitions(fn) {
			if !a.Leaks() {
				continue
			}
			if d, ok := diagnose(pass, m, a); ok {
				filter.Report(d)
			}
		}
	}
	return nil, nil
}

// readingOnce returns a copy of pass whose ReadFile reads each file once:
// fixes for many findings in one file share its content.
func readingOnce(pass *analysis.Pass) *analysis.Pass {
	read := pass.ReadFile
	if read == nil {
		return pass
	}
	type content struct {
		src []byte
		err error
	}
	seen := map[string]content{}
	p := *pass
	p.ReadFile = func(name string) ([]byte, error) {
		c, ok := seen[name]
		if !ok {
			c.src, c.err = read(name)
			seen[name] = c
		}
		return c.src, c.err
	}
	return &p
}

// site is the syntax of an acquisition.
type site struct {
	file *ast.File
	call *ast.CallExpr
	path []ast.Node // from the statement outwards
	name string     // the resource's variable, "" when none
}

func findSite(pass *analysis.Pass, a *ownership.Acquisition) (site, bool) {
	for _, f := range pass.Files {
		if f.FileStart > a.Pos || a.Pos > f.FileEnd {
			continue
		}
		path := enclosingPath(f, a.Pos)
		for i, n := range path {
			call, ok := n.(*ast.CallExpr)
			if !ok || call.Lparen != a.Pos {
				continue
			}
			s := site{file: f, call: call}
			rest := path[i+1:]
			for len(rest) > 0 {
				if _, ok := rest[0].(*ast.ParenExpr); !ok {
					break
				}
				rest = rest[1:]
			}
			if len(rest) > 0 {
				if _, ok := rest[0].(ast.Stmt); ok {
					s.path = rest
					s.name = exprString(resourceExpr(a, s))
				}
			}
			return s, true
		}
	}
	return site{}, false
}

// enclosingPath is the path from the innermost node holding pos out to
// f, as astutil.PathEnclosingInterval gives it, but found in the one
// declaration holding pos: a file with many findings costs linear time.
func enclosingPath(f *ast.File, pos token.Pos) []ast.Node {
	i := sort.Search(len(f.Decls), func(i int) bool { return f.Decls[i].End() > pos })
	if i == len(f.Decls) || f.Decls[i].Pos() > pos {
		path, _ := astutil.PathEnclosingInterval(f, pos, pos)
		return path
	}
	var stack []ast.Node
	ast.Inspect(f.Decls[i], func(n ast.Node) bool {
		if n == nil || n.Pos() > pos || pos >= n.End() {
			return false
		}
		stack = append(stack, n)
		return true
	})
	path := make([]ast.Node, 0, len(stack)+1)
	for j := len(stack) - 1; j >= 0; j-- {
		path = append(path, stack[j])
	}
	return append(path, f)
}

func exprString(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.SelectorExpr:
		if x := exprString(e.X); x != "" {
			return x + "." + e.Sel.Name
		}
	}
	return ""
}

func diagnose(pass *analysis.Pass, m *ownership.Model, a *ownership.Acquisition) (analysis.Diagnostic, bool) {
	s, ok := findSite(pass, a)
	if !ok {
		return analysis.Diagnostic{}, false
	}
	k := a.Kind
	d := analysis.Diagnostic{Pos: s.call.Pos(), End: s.call.End(), Category: Name}
	name := s.name
	relText := k.ReleaseText(name)
	if t := resourceType(pass, a, s); t != nil {
		if r, err := release.Call(t, k, name); err == nil {
			relText = r
		}
	}
	if k.Unstoppable {
		d.Message = tickMessage(pass, a, s)
		if fix := tickFix(pass, a, s); fix != nil {
			d.SuggestedFixes = []analysis.SuggestedFix{*fix}
		}
		return d, true
	}
	switch {
	case a.Discarded || name == "_" || name == "":
		d.Message = fmt.Sprintf("the %s returned by %s is discarded, so it is never %s", k.Name, a.Callee, verb(k))
		if k.Func {
			d.Message = fmt.Sprintf("the %s returned by %s is discarded; call it (defer %s) to release the context's resources", k.Name, a.Callee, "cancel()")
			if k == resource.StopFunc {
				d.Message = fmt.Sprintf("the %s returned by %s is discarded; call it when done to release its resources", k.Name, a.Callee)
			}
		}
	default:
		subject := name
		if k.Body && strings.HasPrefix(relText, name+".Body.") {
			subject = name + ".Body"
		}
		exits := append([]ownership.Exit(nil), a.Exits...)
		sort.Slice(exits, func(i, j int) bool { return exits[i].Pos < exits[j].Pos })
		first := exits[0]
		never := len(a.Releases) == 0 && !handedOver(a)
		switch {
		case goroutineIsLastUser(a):
			// Released by the function, it would be cut from under the
			// goroutine: its release belongs in the goroutine.
			line := pass.Fset.Position(a.HeldBy[0].Go.Pos()).Line
			d.Message = fmt.Sprintf("%s %s from %s is never %s: the goroutine started at line %d uses it after %s returns; %s it when that goroutine is done",
				k.Name, subject, a.Callee, verb(k), line, a.Fn.Name(), releaseVerb(k))
		case len(a.HeldBy) > 0 && never && !first.Iteration:
			// Shared with a goroutine: neither side is surely the last
			// user.
			line := pass.Fset.Position(a.HeldBy[0].Go.Pos()).Line
			d.Message = fmt.Sprintf("%s %s from %s is never %s; the goroutine started at line %d uses it too, so %s it once both are done with it",
				k.Name, subject, a.Callee, verb(k), line, releaseVerb(k))
		case never && !first.Iteration && declaredByIf(s):
			// if r, err := c.Do(req); err != nil { … }: r ends with
			// the if statement, where no defer after it can reach it.
			d.Message = fmt.Sprintf("%s %s from %s is never %s; it is declared by the if statement, so declare it before the if and add %s", k.Name, subject, a.Callee, verb(k), releaseHint(k, relText))
		case never && !first.Iteration:
			d.Message = fmt.Sprintf("%s %s from %s is never %s; add %s", k.Name, subject, a.Callee, verb(k), releaseHint(k, relText))
		default:
			d.Message = fmt.Sprintf("%s %s from %s is not %s %s", k.Name, subject, a.Callee, verb(k), exitPhrase(pass, first))
			if h := handoverPhrase(pass, a); h != "" {
				d.Message += "; " + h
			}
		}
		for _, e := range exits {
			d.Related = append(d.Related, analysis.RelatedInformation{
				Pos:     e.Pos,
				End:     e.Pos,
				Message: fmt.Sprintf("%s leaks %s", subject, strings.TrimPrefix(exitPhrase(pass, e), "on the path ")),
			})
		}
	}
	if fix := buildFix(pass, m, a, s); fix != nil {
		d.SuggestedFixes = []analysis.SuggestedFix{*fix}
	}
	return d, true
}

// declaredByIf reports whether the acquisition's statement is the init of
// an if statement that declares the resource (if r, err := …; …).
func declaredByIf(s site) bool {
	if len(s.path) < 2 {
		return false
	}
	as, ok := s.path[0].(*ast.AssignStmt)
	ifs, isIf := s.path[1].(*ast.IfStmt)
	return ok && isIf && ifs.Init == as && as.Tok == token.DEFINE
}

func releaseHint(k *resource.Kind, relText string) string {
	if k.Fix == "" && k.FixCall == "" {
		return "a call to " + relText
	}
	return "defer " + relText
}

// handedOver reports whether some path hands the resource over: returns
// it (or a struct holding it), stores it, sends it, gives it to an owner.
func handedOver(a *ownership.Acquisition) bool {
	return len(a.Returned) > 0 || len(a.Transfers) > 0
}

// handoverPhrase says where the resource goes on the paths that hand it
// over, so that a finding on one exit does not read as "never closed".
func handoverPhrase(pass *analysis.Pass, a *ownership.Acquisition) string {
	var lines []string
	seen := map[int]bool{}
	for _, p := range a.Transfers {
		if isReturnAt(pass, p) {
			continue // said by "returned" below
		}
		if l := pass.Fset.Position(p).Line; !seen[l] {
			seen[l] = true
			lines = append(lines, strconv.Itoa(l))
		}
	}
	at := ""
	switch len(lines) {
	case 0:
	case 1:
		at = " at line " + lines[0]
	default:
		at = " at lines " + strings.Join(lines[:len(lines)-1], ", ") + " and " + lines[len(lines)-1]
	}
	switch {
	case len(a.Returned) > 0 && at == "":
		return "on other paths it is returned to the caller"
	case len(a.Returned) > 0:
		return "on other paths it is returned to the caller or handed over" + at
	case at != "":
		return "on other paths it is handed over" + at
	}
	return ""
}

// isReturnAt reports whether a return statement starts at p.
func isReturnAt(pass *analysis.Pass, p token.Pos) bool {
	for _, f := range pass.Files {
		if f.FileStart <= p && p < f.FileEnd {
			for _, n := range enclosingPath(f, p) {
				if r, ok := n.(*ast.ReturnStmt); ok && r.Pos() == p {
					return true
				}
			}
		}
	}
	return false
}

func verb(k *resource.Kind) string {
	switch {
	case k.Func:
		return "called"
	case k == resource.Tx:
		return "committed or rolled back"
	case k.ReleaseFunc != "":
		return "stopped"
	case len(k.Methods) > 0 && k.Methods[0] == "Stop":
		return "stopped"
	case len(k.Methods) > 0 && k.Methods[0] == "Wait":
		return "waited for"
	}
	return "closed"
}

// goroutineIsLastUser reports whether goroutines the function starts use
// the resource and the function itself no longer does after starting them.
func goroutineIsLastUser(a *ownership.Acquisition) bool {
	for _, h := range a.HeldBy {
		if h.UsedAfter {
			return false
		}
	}
	return len(a.HeldBy) > 0
}

// releaseVerb is verb(k) in the imperative: "close", "stop", "call".
func releaseVerb(k *resource.Kind) string {
	switch v := verb(k); v {
	case "called":
		return "call"
	case "committed or rolled back":
		return "commit or roll back"
	case "stopped":
		return "stop"
	case "waited for":
		return "wait for"
	default:
		return "close"
	}
}

func exitPhrase(pass *analysis.Pass, e ownership.Exit) string {
	line := pass.Fset.Position(e.Pos).Line
	switch {
	case e.Iteration:
		return fmt.Sprintf("before the loop acquires the next one (line %d)", line)
	case e.Implicit:
		return fmt.Sprintf("on the path reaching the end of the function at line %d", line)
	}
	return fmt.Sprintf("on the path returning at line %d", line)
}

// freshNames are the names a fix gives a discarded result, per kind.
var freshNames = map[*resource.Kind]string{
	resource.Cancel: "cancel", resource.StopFunc: "stop", resource.Body: "resp", resource.File: "f",
	resource.Rows: "rows", resource.Stmt: "stmt", resource.Tx: "tx", resource.NetConn: "conn",
	resource.Listener: "ln", resource.Ticker: "ticker", resource.TestServer: "srv", resource.DB: "db",
}

func buildFix(pass *analysis.Pass, m *ownership.Model, a *ownership.Acquisition, s site) *analysis.SuggestedFix {
	k := a.Kind
	if len(s.path) == 0 {
		return nil
	}
	if k.FixCall != "" && !importsAs(s.file, "os/signal", "signal") {
		return nil
	}
	t := resourceType(pass, a, s)
	if t == nil {
		return nil
	}
	if _, err := release.Call(t, k, "x"); err != nil {
		return nil
	}
	relFor := func(name string) string {
		r, _ := release.Call(t, k, name)
		return r
	}
	if a.Discarded && a.Result >= 0 {
		// A `_` on the left of := is named; a call statement whose
		// results are all dropped binds them in an if statement.
		switch s.path[0].(type) {
		case *ast.AssignStmt, *ast.ExprStmt:
		default:
			return nil
		}
	}
	tf := pass.Fset.File(s.call.Pos())
	src, err := pass.ReadFile(tf.Name())
	if err != nil {
		return nil
	}
	if len(a.HeldBy) > 0 {
		return goroutineFix(pass, a, s, relFor(s.name))
	}
	existing := movableReleases(a, s)
	generic := k == resource.GenericCloser || k == resource.GenericStopper || k == resource.Process
	discarded := a.Discarded || s.name == "_"
	if !discarded && (handedOver(a) || insertdefer.InsideLoop(s.path) || (generic && len(a.Releases) > len(existing))) {
		// A defer would release the value on the paths that hand it
		// over, run only when the function returns, or release it a
		// second time: release it on the leaking exits only.
		return exitFix(pass, a, s, src, relFor(s.name))
	}
	if fix := returnWaitFix(pass, a, s, relFor(s.name)); fix != nil && !discarded && len(existing) == 0 {
		return fix
	}
	errIdx := -1
	if a.Err != nil {
		if e, ok := a.Err.(*ssa.Extract); ok {
			errIdx = e.Index
		}
	} else if e, ok := a.OK.(*ssa.Extract); ok {
		errIdx = e.Index
	} else if sig, ok := pass.TypesInfo.TypeOf(s.call.Fun).Underlying().(*types.Signature); ok && a.Result >= 0 {
		errIdx = resource.ErrorResult(sig) // dropped with the resource
	}
	name := freshNames[k]
	if name == "" {
		name = "closer"
	}
	req := insertdefer.Request{
		Fset: pass.Fset, Info: pass.TypesInfo, Src: src, Path: s.path,
		Result: a.Result, ErrResult: errIdx, OKFlag: a.OK != nil, Name: s.name, FreshName: name,
		Release:  relFor,
		Existing: existing,
		Unused:   discarded && !k.Func,
	}
	if a.Result < 0 {
		req.ErrResult = -1
	}
	fix, err := insertdefer.Build(req)
	if err != nil {
		return nil
	}
	return fix
}

// exitFix releases the resource right before each exit that leaks it,
// when every such exit is safe: a return statement (or the end of the
// function) that the acquisition dominates and that no path where the
// resource does not exist (its error is non-nil) reaches.
func exitFix(pass *analysis.Pass, a *ownership.Acquisition, s site, src []byte, rel string) *analysis.SuggestedFix {
	if s.name == "" || rel == "" {
		return nil
	}
	var exits []token.Pos
	for _, e := range a.Exits {
		if e.Iteration || !safeExit(a, e) {
			return nil
		}
		exits = append(exits, e.Pos)
	}
	var obj types.Object
	if id, ok := resourceExpr(a, s).(*ast.Ident); ok {
		obj = pass.TypesInfo.ObjectOf(id)
	}
	fix, err := releaseexit.Build(releaseexit.Request{
		Fset: pass.Fset, Info: pass.TypesInfo, File: s.file, Src: src,
		Exits: exits, Release: rel, Resource: obj,
	})
	if err != nil {
		return nil
	}
	return fix
}

// resourceExpr returns the expression that holds the resource after the
// acquisition: the assigned variable, or the registered argument.
func resourceExpr(a *ownership.Acquisition, s site) ast.Expr {
	if a.Result < 0 {
		idx := a.Arg
		if sel, ok := s.call.Fun.(*ast.SelectorExpr); ok && a.Kind.ReleaseFunc == "" {
			if idx == 0 {
				return sel.X
			}
			idx--
		}
		if idx >= 0 && idx < len(s.call.Args) {
			return s.call.Args[idx]
		}
		return nil
	}
	if len(s.path) == 0 {
		return nil
	}
	as, ok := s.path[0].(*ast.AssignStmt)
	if !ok || len(as.Rhs) != 1 || a.Result >= len(as.Lhs) {
		return nil
	}
	return as.Lhs[a.Result]
}

// resourceType returns the static type of the resource where the fix
// releases it: the variable's type (which may be an interface the value
// was assigned to), else the call's result type.
func resourceType(pass *analysis.Pass, a *ownership.Acquisition, s site) types.Type {
	if e := resourceExpr(a, s); e != nil {
		if id, ok := e.(*ast.Ident); !ok || id.Name != "_" {
			if t := pass.TypesInfo.TypeOf(e); t != nil {
				return t
			}
		}
	}
	if a.Result < 0 {
		return nil
	}
	t := pass.TypesInfo.TypeOf(s.call)
	if tuple, ok := t.(*types.Tuple); ok {
		if a.Result >= tuple.Len() {
			return nil
		}
		return tuple.At(a.Result).Type()
	}
	if a.Result == 0 {
		return t
	}
	return nil
}

func importsAs(f *ast.File, path, name string) bool {
	for _, imp := range f.Imports {
		if strings.Trim(imp.Path.Value, `"`) == path {
			return imp.Name == nil || imp.Name.Name == name
		}
	}
	return false
}

// movableReleases returns the existing release statements the fix moves up:
// a later `defer x.Close()` in the same block as the acquisition, which an
// early exit skips. Explicit non-deferred releases stay where they are
// (closing earlier can matter, say before a rename); for the standard
// library's resources a second release is harmless.
func movableReleases(a *ownership.Acquisition, s site) []ast.Stmt {
	if len(s.path) < 2 || s.name == "" {
		return nil
	}
	block, ok := s.path[1].(*ast.BlockStmt)
	if !ok {
		return nil
	}
	var out []ast.Stmt
	for _, st := range block.List {
		ds, ok := st.(*ast.DeferStmt)
		if !ok || st.Pos() <= s.call.Pos() {
			continue
		}
		for _, r := range a.Releases {
			if ds.Pos() <= r && r < ds.End() {
				out = append(out, ds)
				break
			}
		}
	}
	return out
}
