// Package insertdefer builds the quick fix of the leak check: a
// `defer <release>` placed right after the acquisition's error check (an
// `if err != nil` that leaves — or an || with such an operand —,
// testify's require.NoError, or the if whose init statement acquires a
// value declared outside it), or right after the acquisition when it returns
// no error, naming a discarded `_` result when needed and moving a later
// release up instead of adding a second one. A result nothing uses (a
// discarded `_` whose error is not checked at once, or a call statement
// that drops every result) is released at once where the call succeeded.
//
// Build is a pure function of the syntax, the type information and the
// source text; it returns no fix when the result would change behaviour
// (a defer inside a loop, an error check that does not leave the function).
package insertdefer

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"
)

// Request describes one leaked acquisition.
type Request struct {
	Fset *token.FileSet
	Info *types.Info
	Src  []byte // the file's source text
	// Path is the chain of nodes enclosing the acquisition statement,
	// innermost first, starting with the statement itself (as returned by
	// astutil.PathEnclosingInterval, trimmed to the statement).
	Path []ast.Node
	// Result is the index of the resource among the statement's
	// left-hand sides, or -1 when the resource is the expression Name.
	Result int
	// ErrResult is the index of the error among the left-hand sides, or -1.
	ErrResult int
	// OKFlag is set when ErrResult is a comma-ok flag (c, ok := get()):
	// the defer goes after an `if !ok { … }` that leaves.
	OKFlag bool
	// Name is the resource expression when Result is -1 (an argument of a
	// registration such as signal.Notify(ch)).
	Name string
	// FreshName is the name to give a discarded `_` result.
	FreshName string
	// Release renders the release of a variable: "resp.Body.Close()".
	Release func(name string) string
	// Unused is set when the resource is a discarded result that nothing
	// uses: when its error is not checked right after the acquisition, the
	// fix names it and releases it at once where the error is nil.
	Unused bool
	// Existing are later release statements (defer x.Close() or a final
	// x.Close()) that the fix moves up instead of adding a second release.
	Existing []ast.Stmt
}

// Build returns the fix, or an explanation of why there is none.
func Build(r Request) (*analysis.SuggestedFix, error) {
	stmt, ok := r.Path[0].(ast.Stmt)
	if !ok {
		return nil, fmt.Errorf("acquisition is not a statement")
	}
	if es, ok := stmt.(*ast.ExprStmt); ok && r.Unused && r.Result >= 0 {
		// tester.AssertRedirect(…) with its response dropped: release
		// it at once (this needs no defer, so a loop does not matter).
		return releaseDropped(r, es)
	}
	if InsideLoop(r.Path) {
		return nil, fmt.Errorf("a defer here would run only when the function returns, not per loop iteration")
	}
	// if err := cmd.Start(); err != nil { return err }: the if statement
	// is both the acquisition's statement and its error check.
	var initCheck *ast.IfStmt
	if ifs, ok := r.Path[1].(*ast.IfStmt); ok && ifs.Init == stmt {
		initCheck = ifs
	}
	listPath := r.Path
	if initCheck != nil {
		listPath = r.Path[1:]
	}
	block, idx := enclosingList(listPath)
	if block == nil {
		return nil, fmt.Errorf("acquisition is not in a statement list")
	}
	var edits []analysis.TextEdit
	name := r.Name
	renamed := false // a discarded `_` result got a name
	if r.Result >= 0 {
		as, ok := stmt.(*ast.AssignStmt)
		if !ok || r.Result >= len(as.Lhs) {
			return nil, fmt.Errorf("acquisition result is not assigned")
		}
		id, ok := as.Lhs[r.Result].(*ast.Ident)
		if !ok {
			return nil, fmt.Errorf("acquisition result is not a variable")
		}
		name = id.Name
		if name == "_" {
			if as.Tok != token.DEFINE {
				return nil, fmt.Errorf("cannot name a discarded result of a plain assignment")
			}
			name = freshName(r.Info, id.Pos(), r.FreshName)
			renamed = true
			edits = append(edits, analysis.TextEdit{Pos: id.Pos(), End: id.End(), NewText: []byte(name)})
		}
	}
	if name == "" {
		return nil, fmt.Errorf("resource has no name")
	}

	anchor := ast.Stmt(stmt)
	switch {
	case initCheck != nil:
		if initCheck.Else != nil || !leaves(initCheck.Body) || !mentionsDefined(r.Info, initCheck.Cond, stmt) {
			return nil, fmt.Errorf("the if statement around the acquisition is not an error check that leaves")
		}
		if r.Result >= 0 {
			// if c, err := open(); err != nil { … }: c exists only
			// inside the if statement, a defer after it cannot name it.
			return nil, fmt.Errorf("the resource is declared by the if statement and does not outlive it")
		}
		anchor = initCheck
	case r.ErrResult >= 0:
		errName := ""
		if as, ok := stmt.(*ast.AssignStmt); ok && r.ErrResult < len(as.Lhs) {
			if id, ok := as.Lhs[r.ErrResult].(*ast.Ident); ok {
				errName = id.Name
			}
		}
		if r.OKFlag {
			check := nextErrCheck(block, idx, errName)
			if errName == "" || errName == "_" || check == nil || !negates(check.Cond, errName) || !leaves(check.Body) {
				return nil, fmt.Errorf("the flag %s is not checked with an if !%s that leaves right after the acquisition", errName, errName)
			}
			anchor = check
		} else if errName != "" && errName != "_" && idx+1 < len(block) && failsOnError(r.Info, block[idx+1], errName) {
			anchor = block[idx+1] // require.NoError(t, err)
		} else if errName != "" && errName != "_" {
			check := nextErrCheck(block, idx, errName)
			failure := check != nil && leaves(check.Body) && catchesFailure(check.Cond, errName)
			if !failure && r.Unused && renamed {
				return releaseNow(r, stmt, edits, errName, name)
			}
			if check == nil {
				return nil, fmt.Errorf("the error %s is not checked right after the acquisition", errName)
			}
			if !leaves(check.Body) {
				return nil, fmt.Errorf("the error check does not leave the function")
			}
			if !failure {
				// if !errors.Is(err, want) { return }: past it err may be
				// non-nil and the resource nil, and the defer would
				// evaluate its release on a nil value.
				return nil, fmt.Errorf("the check of %s does not leave on every error", errName)
			}
			anchor = check
		}
	}
	indent := lineIndent(r.Fset, r.Src, anchor.Pos())
	release := "defer " + r.Release(name)
	at := afterLineComment(r.Fset, r.Src, anchor.End())
	edits = append(edits, analysis.TextEdit{Pos: at, End: at, NewText: []byte("\n" + indent + release)})
	for _, s := range r.Existing {
		edits = append(edits, deleteLine(r.Fset, r.Src, s))
	}
	msg := "Add " + release + " after the error check"
	if anchor == ast.Stmt(stmt) {
		msg = "Add " + release
	}
	if len(r.Existing) > 0 {
		msg = "Move the release up: " + release + " after the error check"
	}
	return &analysis.SuggestedFix{Message: msg, TextEdits: edits}, nil
}

// catchesFailure reports whether cond holds whenever the error errName is
// not nil: it is errName != nil, or an || of which one operand is.
func catchesFailure(cond ast.Expr, errName string) bool {
	b, ok := ast.Unparen(cond).(*ast.BinaryExpr)
	if !ok {
		return false
	}
	switch b.Op {
	case token.LOR:
		return catchesFailure(b.X, errName) || catchesFailure(b.Y, errName)
	case token.NEQ:
		return isIdent(b.X, errName) && isIdent(b.Y, "nil") || isIdent(b.X, "nil") && isIdent(b.Y, errName)
	}
	return false
}

func isIdent(e ast.Expr, name string) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	return ok && id.Name == name
}

// negates reports whether cond is !name.
func negates(cond ast.Expr, name string) bool {
	u, ok := ast.Unparen(cond).(*ast.UnaryExpr)
	if !ok || u.Op != token.NOT {
		return false
	}
	id, ok := ast.Unparen(u.X).(*ast.Ident)
	return ok && id.Name == name
}

// failsOnError reports whether s is a call that ends the test when the
// error errName is non-nil: testify's require.NoError(t, err) (and Nil, and
// their f forms, also as methods of require.New(t)), which call t.FailNow.
func failsOnError(info *types.Info, s ast.Stmt, errName string) bool {
	es, ok := s.(*ast.ExprStmt)
	if !ok || info == nil {
		return false
	}
	call, ok := es.X.(*ast.CallExpr)
	if !ok {
		return false
	}
	fn, ok := typeutil.Callee(info, call).(*types.Func)
	if !ok || fn.Pkg() == nil || fn.Pkg().Path() != "github.com/stretchr/testify/require" {
		return false
	}
	switch fn.Name() {
	case "NoError", "NoErrorf", "Nil", "Nilf":
	default:
		return false
	}
	for _, arg := range call.Args {
		if id, ok := arg.(*ast.Ident); ok && id.Name == errName {
			return true
		}
	}
	return false
}

// releaseNow releases a discarded result right after its acquisition, on
// the path where the acquisition succeeded: nothing else can use it.
func releaseNow(r Request, stmt ast.Stmt, edits []analysis.TextEdit, errName, name string) (*analysis.SuggestedFix, error) {
	indent := lineIndent(r.Fset, r.Src, stmt.Pos())
	release := r.Release(name)
	text := fmt.Sprintf("\n%sif %s == nil {\n%s\t%s\n%s}", indent, errName, indent, release, indent)
	at := afterLineComment(r.Fset, r.Src, stmt.End())
	edits = append(edits, analysis.TextEdit{Pos: at, End: at, NewText: []byte(text)})
	return &analysis.SuggestedFix{Message: "Name the discarded result and call " + release + " when " + errName + " is nil", TextEdits: edits}, nil
}

// releaseDropped turns a call statement whose results are all dropped into
// an if statement that binds them and releases the resource where the call
// succeeded (its error is nil, or, without an error, the value is not nil):
//
//	if resp := tester.Get(u); resp != nil {
//		resp.Body.Close()
//	}
func releaseDropped(r Request, es *ast.ExprStmt) (*analysis.SuggestedFix, error) {
	call, ok := ast.Unparen(es.X).(*ast.CallExpr)
	if !ok || r.Info == nil {
		return nil, fmt.Errorf("the statement is not a call")
	}
	var results []types.Type
	switch t := r.Info.TypeOf(call).(type) {
	case nil:
		return nil, fmt.Errorf("the call is not type-checked")
	case *types.Tuple:
		for i := 0; i < t.Len(); i++ {
			results = append(results, t.At(i).Type())
		}
	default:
		results = []types.Type{t}
	}
	if r.Result >= len(results) || r.ErrResult >= len(results) {
		return nil, fmt.Errorf("the call has no result %d", r.Result)
	}
	name := freshName(r.Info, es.Pos(), r.FreshName)
	lhs := make([]string, len(results))
	for i := range lhs {
		lhs[i] = "_"
	}
	lhs[r.Result] = name
	cond := name + " != nil"
	if r.ErrResult >= 0 {
		errName := freshName(r.Info, es.Pos(), "err")
		lhs[r.ErrResult] = errName
		cond = errName + " == nil"
	} else if !nillable(results[r.Result]) {
		return nil, fmt.Errorf("the result cannot be compared with nil")
	}
	tf := r.Fset.File(es.Pos())
	src := r.Src[tf.Offset(call.Pos()):tf.Offset(call.End())]
	release := r.Release(name)
	ifStmt := func(indent string) string {
		return fmt.Sprintf("if %s := %s; %s {\n%s\t%s\n%s}", strings.Join(lhs, ", "), src, cond, indent, release, indent)
	}
	fix := &analysis.SuggestedFix{Message: "Release the dropped result: " + release + " when the call succeeds"}
	if ownLine(r.Src, tf.Offset(es.Pos()), tf.Offset(es.End())) {
		indent := lineIndent(r.Fset, r.Src, es.Pos())
		fix.TextEdits = []analysis.TextEdit{{Pos: es.Pos(), End: es.End(), NewText: []byte(ifStmt(indent))}}
		return fix, nil
	}
	// func() { tester.Get(u) }: the if statement needs lines of its own,
	// so the block is opened up; a block with anything else on the line
	// gets no fix.
	block, ok := r.Path[1].(*ast.BlockStmt)
	if !ok || len(block.List) != 1 {
		return nil, fmt.Errorf("the call shares its line with other statements")
	}
	lbrace, rbrace := tf.Offset(block.Lbrace)+1, tf.Offset(block.Rbrace)
	before, after := r.Src[lbrace:tf.Offset(es.Pos())], r.Src[tf.Offset(es.End()):rbrace]
	if len(bytes.TrimSpace(before)) > 0 || len(bytes.TrimSpace(after)) > 0 || bytes.ContainsRune(before, '\n') || bytes.ContainsRune(after, '\n') {
		return nil, fmt.Errorf("the call shares its line with comments or other code")
	}
	indent := lineIndent(r.Fset, r.Src, block.Lbrace)
	text := "\n" + indent + "\t" + ifStmt(indent+"\t") + "\n" + indent
	fix.TextEdits = []analysis.TextEdit{{Pos: block.Lbrace + 1, End: block.Rbrace, NewText: []byte(text)}}
	return fix, nil
}

// ownLine reports whether the text src[start:end] has its lines to itself:
// nothing but blanks before it on its first line and nothing but blanks or
// a line comment after it on its last.
func ownLine(src []byte, start, end int) bool {
	lineStart := bytes.LastIndexByte(src[:start], '\n') + 1
	if len(bytes.TrimSpace(src[lineStart:start])) > 0 {
		return false
	}
	rest := src[end:]
	if i := bytes.IndexByte(rest, '\n'); i >= 0 {
		rest = rest[:i]
	}
	rest = bytes.TrimSpace(rest)
	return len(rest) == 0 || bytes.HasPrefix(rest, []byte("//"))
}

// nillable reports whether a value of type t can be nil.
func nillable(t types.Type) bool {
	switch t.Underlying().(type) {
	case *types.Pointer, *types.Interface, *types.Signature, *types.Chan, *types.Map, *types.Slice:
		return true
	}
	return false
}

// InsideLoop reports whether the statement path[0] is in a loop body of its
// own function, where a defer would run only when the function returns.
func InsideLoop(path []ast.Node) bool {
	for _, n := range path[1:] {
		switch n.(type) {
		case *ast.ForStmt, *ast.RangeStmt:
			return true
		case *ast.FuncLit, *ast.FuncDecl:
			return false
		}
	}
	return false
}

// enclosingList returns the statement list holding path[0] and its index.
func enclosingList(path []ast.Node) ([]ast.Stmt, int) {
	if len(path) < 2 {
		return nil, -1
	}
	var list []ast.Stmt
	switch p := path[1].(type) {
	case *ast.BlockStmt:
		list = p.List
	case *ast.CaseClause:
		list = p.Body
	case *ast.CommClause:
		list = p.Body
	default:
		return nil, -1
	}
	for i, s := range list {
		if s == path[0] {
			return list, i
		}
	}
	return nil, -1
}

// nextErrCheck finds the if statement checking errName among the statements
// following index i (before any other use of the resource would matter, the
// first if that mentions the error).
func nextErrCheck(list []ast.Stmt, i int, errName string) *ast.IfStmt {
	for _, s := range list[i+1:] {
		ifs, ok := s.(*ast.IfStmt)
		if !ok {
			if mentions(s, errName) {
				return nil
			}
			continue
		}
		if ifs.Init == nil && mentions(ifs.Cond, errName) {
			return ifs
		}
		return nil
	}
	return nil
}

// mentionsDefined reports whether cond uses a variable that the init
// statement defines.
func mentionsDefined(info *types.Info, cond ast.Expr, init ast.Stmt) bool {
	as, ok := init.(*ast.AssignStmt)
	if !ok || as.Tok != token.DEFINE || info == nil {
		return false
	}
	defined := map[types.Object]bool{}
	for _, l := range as.Lhs {
		if id, ok := l.(*ast.Ident); ok {
			if o := info.Defs[id]; o != nil {
				defined[o] = true
			}
		}
	}
	found := false
	ast.Inspect(cond, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && defined[info.Uses[id]] {
			found = true
		}
		return !found
	})
	return found
}

func mentions(n ast.Node, name string) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && id.Name == name {
			found = true
		}
		return !found
	})
	return found
}

// leaves reports whether a block ends by leaving the enclosing flow: a
// return, a branch, a panic or a call that ends the process or test.
func leaves(b *ast.BlockStmt) bool {
	if b == nil || len(b.List) == 0 {
		return false
	}
	switch last := b.List[len(b.List)-1].(type) {
	case *ast.ReturnStmt, *ast.BranchStmt:
		return true
	case *ast.ExprStmt:
		call, ok := last.X.(*ast.CallExpr)
		if !ok {
			return false
		}
		var name string
		switch fn := call.Fun.(type) {
		case *ast.Ident:
			name = fn.Name
		case *ast.SelectorExpr:
			name = fn.Sel.Name
		}
		switch name {
		case "panic", "Exit", "Fatal", "Fatalf", "Fatalln", "FailNow", "Skip", "Skipf", "SkipNow", "Panic", "Panicf", "Panicln", "Goexit":
			return true
		}
	}
	return false
}

// FreshName returns base, or base2, base3…, whichever is not already
// declared in a scope enclosing pos.
func FreshName(info *types.Info, pos token.Pos, base string) string {
	return freshName(info, pos, base)
}

// freshName returns base, or base2, base3…, whichever is not already
// declared in a scope enclosing pos.
func freshName(info *types.Info, pos token.Pos, base string) string {
	if base == "" {
		base = "res"
	}
	scope := innermostScope(info, pos)
	for i := 1; ; i++ {
		name := base
		if i > 1 {
			name = fmt.Sprintf("%s%d", base, i)
		}
		if scope == nil {
			return name
		}
		if _, obj := scope.LookupParent(name, token.NoPos); obj == nil {
			return name
		}
	}
}

func innermostScope(info *types.Info, pos token.Pos) *types.Scope {
	if info == nil {
		return nil
	}
	var best *types.Scope
	for _, s := range info.Scopes {
		if s.Pos().IsValid() && s.Pos() <= pos && pos <= s.End() {
			if best == nil || (s.Pos() >= best.Pos() && s.End() <= best.End()) {
				best = s
			}
		}
	}
	return best
}

// afterLineComment returns the end of pos's line when the rest of it is
// blank or a line comment, so that a trailing comment stays with the
// statement it annotates; else pos.
func afterLineComment(fset *token.FileSet, src []byte, pos token.Pos) token.Pos {
	off := fset.Position(pos).Offset
	if off > len(src) {
		return pos
	}
	nl := bytes.IndexByte(src[off:], '\n')
	if nl < 0 {
		nl = len(src) - off
	}
	rest := strings.TrimSpace(string(src[off : off+nl]))
	if rest == "" || (strings.HasPrefix(rest, "//") && !strings.Contains(rest, "*/")) {
		return pos + token.Pos(nl)
	}
	return pos
}

// lineIndent returns the leading whitespace of the line holding pos.
// LineIndent returns the blanks that start the line holding pos.
func LineIndent(fset *token.FileSet, src []byte, pos token.Pos) string {
	return lineIndent(fset, src, pos)
}

func lineIndent(fset *token.FileSet, src []byte, pos token.Pos) string {
	off := fset.Position(pos).Offset
	start := bytes.LastIndexByte(src[:off], '\n') + 1
	end := start
	for end < len(src) && (src[end] == ' ' || src[end] == '\t') {
		end++
	}
	return string(src[start:end])
}

// deleteLine deletes statement s together with its line.
func deleteLine(fset *token.FileSet, src []byte, s ast.Stmt) analysis.TextEdit {
	tf := fset.File(s.Pos())
	startOff := fset.Position(s.Pos()).Offset
	endOff := fset.Position(s.End()).Offset
	lineStart := bytes.LastIndexByte(src[:startOff], '\n') + 1
	if strings.TrimSpace(string(src[lineStart:startOff])) != "" {
		lineStart = startOff
	}
	lineEnd := endOff
	if nl := bytes.IndexByte(src[endOff:], '\n'); nl >= 0 && strings.TrimSpace(string(src[endOff:endOff+nl])) == "" {
		lineEnd = endOff + nl + 1
	}
	return analysis.TextEdit{Pos: tf.Pos(lineStart), End: tf.Pos(lineEnd)}
}
