// Package wrapbody builds the quick fix of the loopdefer check: it wraps a
// loop's body in a closing scope, a function literal called once per
// iteration, so that the body's deferred calls run at the end of each
// iteration instead of when the enclosing function returns.
//
// The literal's results carry the body's control flow out of it, the way an
// extracted function does. A `continue` of the loop (labelled or not)
// becomes `return`. When every `return` of the body returns an error known
// to be non-nil (a variable just tested `!= nil`, fmt.Errorf, errors.New),
// the literal returns that error and the loop returns when it is non-nil:
//
//	for _, p := range paths {
//		err := func() error {
//			f, err := os.Open(p)
//			if err != nil {
//				return err
//			}
//			defer f.Close()
//			…
//			return nil
//		}()
//		if err != nil {
//			return nil, err
//		}
//	}
//
// (the other results are carried too when a return sets them to something
// other than their zero value). Otherwise each way out gets a boolean
// result — shouldReturn for a return (followed by the returned values),
// shouldBreak for a break of the loop, continueL or breakL for a labelled
// jump to an enclosing statement L — and the loop acts on them after the
// call. A bare return in a function with named results returns their
// current values.
//
// A body that would read badly as a literal (a loop already three tabs
// deep, or a body of 40 lines or more) moves instead into a function
// declared after the enclosing one, named after it (scanIteration), its
// free variables passed as arguments, the way gopls's "extract function"
// does; when passing them by value is not safe (the body assigns one,
// takes its address, calls a pointer method on it, or it is a struct or
// array value) the body stays a literal.
//
// Jumps belonging to loops, switches and selects nested in the body, and
// everything inside function literals, are left alone. Build offers no fix
// for a body that uses goto, or a return of a multi-value call where the
// values must be carried; a fix must never change behaviour.
//
// Build is pure: it takes the syntax, the type information and the file's
// source text, and returns edits that keep the file's indentation, so the
// result is gofmt-clean.
package wrapbody

import (
	"bytes"
	"errors"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// Request describes the loop to wrap.
type Request struct {
	Fset *token.FileSet
	Info *types.Info
	// Src is the source text of the file holding Loop.
	Src []byte
	// Loop is the *ast.ForStmt or *ast.RangeStmt whose body is wrapped.
	Loop ast.Stmt
	// Label is the statement labelling Loop, or nil.
	Label *ast.LabeledStmt
	// Func is the body of the function enclosing Loop, searched for other
	// uses of Label.
	Func *ast.BlockStmt
	// FuncType is the type of the function enclosing Loop, whose results a
	// return in the body produces. Nil means no results.
	FuncType *ast.FuncType
	// Decl is the declaration of the function enclosing Loop when it is
	// not a function literal, File the file holding it and Pkg its
	// package: with them, a body that would read badly as a function
	// literal is extracted into a function of its own (see extraction).
	Decl *ast.FuncDecl
	File *ast.File
	Pkg  *types.Package
}

// shape is the rewriting of one loop body.
type shape struct {
	lhs     string              // "err := " or "shouldBreak := ", "" for none
	results string              // the literal's results: "", " error", " (bool, error)"
	replace map[ast.Stmt]string // jumps and their replacements
	final   string              // a return appended to the literal, or ""
	bare    bool                // a bare return carries the named results out
	after   []string            // statements after the call, one line each, relative indentation in tabs
	message string
}

// Build returns the fix, or an error saying why none is safe.
func Build(r Request) (*analysis.SuggestedFix, error) {
	var body *ast.BlockStmt
	switch l := r.Loop.(type) {
	case *ast.ForStmt:
		body = l.Body
	case *ast.RangeStmt:
		body = l.Body
	default:
		return nil, errors.New("not a loop")
	}
	tf := r.Fset.File(body.Pos())
	if tf == nil || tf.Size() != len(r.Src) {
		return nil, errors.New("source text does not match the file")
	}
	off := func(p token.Pos) int { return tf.Offset(p) }
	text := func(n ast.Node) string { return string(r.Src[off(n.Pos()):off(n.End())]) }
	var labelObj types.Object
	if r.Label != nil {
		labelObj = r.Info.Defs[r.Label.Label]
	}
	jumps, err := collect(r.Info, body, labelObj)
	if err != nil {
		return nil, err
	}
	sh, err := plan(r.Info, text, r.FuncType, jumps)
	if err != nil {
		return nil, err
	}

	if sh.final != "" && len(body.List) > 0 {
		rewritten := map[ast.Stmt]bool{}
		for s := range sh.replace {
			rewritten[s] = true
		}
		if terminating(body.List[len(body.List)-1], rewritten) {
			sh.final = ""
		}
	}

	open, close := off(body.Lbrace)+1, off(body.Rbrace)
	src := r.Src[open:close]
	nl := bytes.IndexByte(src, '\n')
	last := bytes.LastIndexByte(src, '\n')
	if nl < 0 || nl == last {
		return nil, errors.New("the loop body is not laid out one statement per line")
	}
	if s := strings.TrimSpace(string(src[:nl])); s != "" && !strings.HasPrefix(s, "//") {
		return nil, errors.New("a statement shares the line of the loop's opening brace")
	}
	if strings.TrimSpace(string(src[last:])) != "" {
		return nil, errors.New("a statement shares the line of the loop's closing brace")
	}
	indent := lineIndent(r.Src, off(r.Loop.Pos()))

	// Rewrite the jumps in the body text (offsets relative to open).
	inner := append([]byte(nil), src[nl+1:last]...)
	base := open + nl + 1
	stmts := make([]ast.Stmt, 0, len(sh.replace))
	for s := range sh.replace {
		stmts = append(stmts, s)
	}
	sort.Slice(stmts, func(i, j int) bool { return stmts[i].Pos() > stmts[j].Pos() })
	for _, s := range stmts {
		a, b := off(s.Pos())-base, off(s.End())-base
		inner = append(inner[:a], append([]byte(sh.replace[s]), inner[b:]...)...)
	}

	raw := rawStringLines(tf, body)
	firstLine := tf.Line(body.Lbrace) + 1
	lines := strings.Split(string(inner), "\n")
	var out strings.Builder
	out.Write(src[:nl])
	var extracted *analysis.TextEdit
	if ex, err := r.extraction(body, sh, indent, len(lines)); err == nil {
		// The body moves into a function of its own, declared after the
		// enclosing one, one tab deep.
		var fn strings.Builder
		fmt.Fprintf(&fn, "\n\n// %s runs one iteration of the loop in %s,\n// so that its deferred calls run when the iteration ends.\n", ex.name, r.Decl.Name.Name)
		fmt.Fprintf(&fn, "func %s(%s)%s {\n", ex.name, strings.Join(ex.params, ", "), sh.results)
		for i, l := range lines {
			if l != "" && !raw[firstLine+i] {
				l = strings.TrimPrefix(l, indent)
			}
			fn.WriteString(l + "\n")
		}
		if sh.final != "" {
			fmt.Fprintf(&fn, "\t%s\n", sh.final)
		}
		fn.WriteString("}")
		extracted = &analysis.TextEdit{Pos: r.Decl.End(), End: r.Decl.End(), NewText: []byte(fn.String())}
		fmt.Fprintf(&out, "\n%s\t%s%s(%s)", indent, sh.lhs, ex.name, strings.Join(ex.args, ", "))
		sh.message = strings.Replace(sh.message, "Wrap the loop body in", "Extract the loop body into "+ex.name+", like", 1)
	} else {
		// Indent every line by one tab, except lines that start inside a
		// multi-line raw string literal.
		for i, l := range lines {
			if l == "" || raw[firstLine+i] {
				continue
			}
			lines[i] = "\t" + l
		}
		fmt.Fprintf(&out, "\n%s\t%sfunc()%s {\n", indent, sh.lhs, sh.results)
		out.WriteString(strings.Join(lines, "\n"))
		if sh.final != "" {
			fmt.Fprintf(&out, "\n%s\t\t%s", indent, sh.final)
		}
		fmt.Fprintf(&out, "\n%s\t}()", indent)
	}
	for _, l := range sh.after {
		fmt.Fprintf(&out, "\n%s\t%s", indent, l)
	}
	out.Write(src[last:])

	edits := []analysis.TextEdit{{Pos: body.Lbrace + 1, End: body.Rbrace, NewText: []byte(out.String())}}
	if extracted != nil {
		edits = append(edits, *extracted)
	}

	// A label used only by the rewritten jumps must go: Go rejects unused
	// labels.
	var rewritten []*ast.BranchStmt
	for s := range sh.replace {
		if b, ok := s.(*ast.BranchStmt); ok {
			rewritten = append(rewritten, b)
		}
	}
	if labelObj != nil && len(rewritten) > 0 && !labelUsedElsewhere(r.Info, r.Func, labelObj, rewritten) {
		if tf.Line(r.Label.Pos()) == tf.Line(r.Loop.Pos()) {
			return nil, errors.New("the loop's label shares its line")
		}
		start := lineStart(r.Src, off(r.Label.Pos()))
		edits = append(edits, analysis.TextEdit{
			Pos:     tf.Pos(start),
			End:     r.Loop.Pos(),
			NewText: []byte(indent),
		})
	}
	return &analysis.SuggestedFix{Message: sh.message, TextEdits: edits}, nil
}

// plan decides how the literal carries the body's jumps out.
func plan(info *types.Info, text func(ast.Node) string, ft *ast.FuncType, jumps []jump) (*shape, error) {
	sh := &shape{replace: map[ast.Stmt]string{}}
	var hasReturn, hasBreak bool
	var outers []string
	for _, j := range jumps {
		switch j.kind {
		case exitReturn:
			hasReturn = true
		case exitBreak:
			hasBreak = true
		case exitOuter:
			if !contains(outers, j.outer) {
				outers = append(outers, j.outer)
			}
		}
	}
	if !hasReturn && !hasBreak && len(outers) == 0 {
		for _, j := range jumps {
			sh.replace[j.stmt] = "return"
		}
		sh.message = "Wrap the loop body in func() { … }() so its deferred calls run every iteration"
		return sh, nil
	}
	res, err := results(info, text, ft)
	if err != nil {
		return nil, err
	}
	if hasReturn && !hasBreak && len(outers) == 0 && errorForm(info, text, res, jumps, sh) {
		return sh, nil
	}
	return flagForm(text, res, jumps, hasReturn, hasBreak, outers, sh)
}

// errorForm plans the literal as returning the error (and, when needed,
// the other results) of the body's returns, all of which return a non-nil
// error. It reports false when that does not apply.
func errorForm(info *types.Info, text func(ast.Node) string, res []result, jumps []jump, sh *shape) bool {
	n := len(res)
	if n == 0 || !types.Identical(res[n-1].typ, types.Universe.Lookup("error").Type()) {
		return false
	}
	carry := false
	for _, j := range jumps {
		ret, ok := j.stmt.(*ast.ReturnStmt)
		if !ok {
			continue
		}
		if len(ret.Results) != n || !nonNilError(info, ret.Results[n-1], j.guards) {
			return false
		}
		for _, e := range ret.Results[:n-1] {
			carry = carry || !isZeroLiteral(info, e)
		}
	}
	zeros := make([]string, n-1)
	for i := range zeros {
		zeros[i] = zero(res[i])
	}
	if !carry {
		for _, j := range jumps {
			if ret, ok := j.stmt.(*ast.ReturnStmt); ok {
				sh.replace[j.stmt] = "return " + text(ret.Results[n-1])
			} else {
				sh.replace[j.stmt] = "return nil"
			}
		}
		sh.lhs, sh.results, sh.final = "err := ", " error", "return nil"
		sh.after = []string{"if err != nil {", "\treturn " + strings.Join(append(zeros, "err"), ", "), "}"}
		sh.message = "Wrap the loop body in func() error { … }() so its deferred calls run every iteration"
		return true
	}
	names := valueNames(res)
	next := "return " + strings.Join(append(zeros, "nil"), ", ")
	for _, j := range jumps {
		if _, ok := j.stmt.(*ast.ReturnStmt); !ok {
			sh.replace[j.stmt] = next
		}
	}
	sh.lhs = strings.Join(names, ", ") + " := "
	sh.results = " (" + strings.Join(typeTexts(res), ", ") + ")"
	sh.final = next
	sh.after = []string{"if " + names[n-1] + " != nil {", "\treturn " + strings.Join(names, ", "), "}"}
	sh.message = "Wrap the loop body in a function literal returning its results, so its deferred calls run every iteration"
	return true
}

// flagForm plans the literal as returning one boolean per way out of the
// body, followed by the returned values when a return carries some.
func flagForm(text func(ast.Node) string, res []result, jumps []jump, hasReturn, hasBreak bool, outers []string, sh *shape) (*shape, error) {
	var flags, actions []string
	if hasReturn {
		flags = append(flags, "shouldReturn")
	}
	if hasBreak {
		flags = append(flags, "shouldBreak")
	}
	for _, o := range outers {
		flags = append(flags, flagName(o))
	}
	carry := false
	for _, j := range jumps {
		if ret, ok := j.stmt.(*ast.ReturnStmt); ok && len(ret.Results) > 0 {
			carry = true
			if len(ret.Results) != len(res) {
				return nil, errors.New("the loop body returns a multi-value call")
			}
		}
	}
	var names []string
	if carry {
		names = uniqueNames(valueNames(res), flags)
	}
	bare := make([]string, 0, len(res))
	for _, r := range res {
		bare = append(bare, r.name)
	}
	zeros := make([]string, 0, len(res))
	for _, r := range res {
		zeros = append(zeros, zero(r))
	}
	exit := func(flag int, values []string) string {
		parts := make([]string, 0, len(flags)+len(values))
		for i := range flags {
			parts = append(parts, fmt.Sprint(i == flag))
		}
		return "return " + strings.Join(append(parts, values...), ", ")
	}
	for _, j := range jumps {
		var values []string
		if carry {
			values = zeros
		}
		flag := -1
		switch j.kind {
		case exitReturn:
			flag = 0
			ret := j.stmt.(*ast.ReturnStmt)
			if carry && len(ret.Results) == 0 {
				if contains(bare, "") {
					return nil, errors.New("a bare return with unnamed results")
				}
				values = bare
				sh.bare = true
			} else if carry {
				values = nil
				for _, e := range ret.Results {
					values = append(values, text(e))
				}
			}
		case exitBreak:
			flag = indexOf(flags, "shouldBreak")
		case exitOuter:
			flag = indexOf(flags, flagName(j.outer))
		}
		sh.replace[j.stmt] = exit(flag, values)
	}
	var final []string
	if carry {
		final = zeros
	}
	sh.final = exit(-1, final)
	types := make([]string, len(flags), len(flags)+len(res))
	for i := range types {
		types[i] = "bool"
	}
	if carry {
		types = append(types, typeTexts(res)...)
	}
	sh.lhs = strings.Join(append(append([]string(nil), flags...), names...), ", ") + " := "
	sh.results = " " + types[0]
	if len(types) > 1 {
		sh.results = " (" + strings.Join(types, ", ") + ")"
	}
	if hasReturn {
		ret := "\treturn"
		if carry {
			ret += " " + strings.Join(names, ", ")
		}
		actions = append(actions, "if shouldReturn {", ret, "}")
	}
	if hasBreak {
		actions = append(actions, "if shouldBreak {", "\tbreak", "}")
	}
	for _, o := range outers {
		actions = append(actions, "if "+flagName(o)+" {", "\t"+o, "}")
	}
	sh.after = actions
	sh.message = "Wrap the loop body in a function literal whose results carry its " + strings.Join(ways(hasReturn, hasBreak, outers), " and ") + ", so its deferred calls run every iteration"
	return sh, nil
}

func ways(hasReturn, hasBreak bool, outers []string) []string {
	var out []string
	if hasReturn {
		out = append(out, "return")
	}
	if hasBreak {
		out = append(out, "break")
	}
	out = append(out, outers...)
	return out
}

// valueNames names the carried results: the function's own result names,
// else err for an error and res, res2, … for the others.
func valueNames(res []result) []string {
	names := make([]string, len(res))
	n := 0
	for i, r := range res {
		switch {
		case r.name != "":
			names[i] = r.name
		case types.Identical(r.typ, types.Universe.Lookup("error").Type()):
			names[i] = "err"
		default:
			n++
			names[i] = "res"
			if n > 1 {
				names[i] = fmt.Sprintf("res%d", n)
			}
		}
	}
	return uniqueNames(names, nil)
}

// uniqueNames renames duplicates (and names taken by others) with a numeric
// suffix.
func uniqueNames(names, taken []string) []string {
	used := map[string]bool{}
	for _, t := range taken {
		used[t] = true
	}
	out := make([]string, len(names))
	for i, n := range names {
		name := n
		for k := 2; used[name]; k++ {
			name = fmt.Sprintf("%s%d", n, k)
		}
		used[name] = true
		out[i] = name
	}
	return out
}

func typeTexts(res []result) []string {
	out := make([]string, len(res))
	for i, r := range res {
		out[i] = r.text
	}
	return out
}

func contains(list []string, s string) bool { return indexOf(list, s) >= 0 }

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

func labelUsedElsewhere(info *types.Info, fn *ast.BlockStmt, label types.Object, rewritten []*ast.BranchStmt) bool {
	if fn == nil {
		return true
	}
	skip := map[*ast.BranchStmt]bool{}
	for _, b := range rewritten {
		skip[b] = true
	}
	used := false
	ast.Inspect(fn, func(n ast.Node) bool {
		if b, ok := n.(*ast.BranchStmt); ok && b.Label != nil && !skip[b] && info.Uses[b.Label] == label {
			used = true
		}
		return !used
	})
	return used
}

// rawStringLines returns the lines that begin inside a multi-line raw
// string literal of body: their text is part of the string and must not be
// re-indented.
func rawStringLines(tf *token.File, body *ast.BlockStmt) map[int]bool {
	lines := map[int]bool{}
	ast.Inspect(body, func(n ast.Node) bool {
		if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING && strings.HasPrefix(lit.Value, "`") {
			first, last := tf.Line(lit.Pos()), tf.Line(lit.End())
			for l := first + 1; l <= last; l++ {
				lines[l] = true
			}
		}
		return true
	})
	return lines
}

func lineStart(src []byte, off int) int {
	return bytes.LastIndexByte(src[:off], '\n') + 1
}

// lineIndent returns the leading white space of the line holding off.
func lineIndent(src []byte, off int) string {
	start := lineStart(src, off)
	end := start
	for end < len(src) && (src[end] == ' ' || src[end] == '\t') {
		end++
	}
	return string(src[start:end])
}
