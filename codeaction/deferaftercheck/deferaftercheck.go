// Package deferaftercheck builds the quick fix of the deferbeforecheck
// check: it moves a `defer x.Close()` that was placed before the
// acquisition's error check to just after that check,
//
//	f, err := os.Open(name)          f, err := os.Open(name)
//	defer f.Close()           →      if err != nil {
//	if err != nil {                          return err
//		return err                   }
//	}                                defer f.Close()
//
// or, when the check is `if err == nil { … }`, to the top of that block.
// Comment lines directly above the defer move with it.
//
// Build is pure: it takes the statement list holding the acquisition, the
// defer and the check, and the file's source text. It offers no fix when
// moving could change behaviour: the check is not a plain `if err != nil`
// whose block leaves (return, panic, a branch, a fatal call) or
// `if err == nil` without else; a statement between the defer and the check
// could leave the function (return, branch, goto), defers something else
// (the order of deferred calls would change) or reassigns the released
// variable.
package deferaftercheck

import (
	"bytes"
	"errors"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// Request describes the misplaced defer.
type Request struct {
	Fset *token.FileSet
	Info *types.Info
	// Src is the source text of the file; File is its syntax (for comments).
	Src  []byte
	File *ast.File
	// List is the statement list holding Defer and Check.
	List  []ast.Stmt
	Defer int // index of the defer statement in List
	Check int // index of the statement that checks Err
	// Err is the acquisition's error variable; Var the released variable.
	Err types.Object
	Var types.Object
}

// Build returns the fix, or an error saying why none is safe.
func Build(r Request) (*analysis.SuggestedFix, error) {
	if r.Defer < 0 || r.Check <= r.Defer || r.Check >= len(r.List) {
		return nil, errors.New("no error check after the defer")
	}
	d, ok := r.List[r.Defer].(*ast.DeferStmt)
	if !ok {
		return nil, errors.New("not a defer statement")
	}
	check, ok := r.List[r.Check].(*ast.IfStmt)
	if !ok || check.Init != nil || check.Else != nil {
		return nil, errors.New("the error is not checked by a plain if statement")
	}
	op, ok := errComparison(r.Info, check.Cond, r.Err)
	if !ok {
		return nil, errors.New("the check is not err != nil or err == nil")
	}
	if op == token.NEQ && !leaves(check.Body) {
		return nil, errors.New("the error branch does not leave")
	}
	for _, s := range r.List[r.Defer+1 : r.Check] {
		if why := unsafeBetween(r.Info, s, r.Var); why != "" {
			return nil, errors.New(why)
		}
	}

	tf := r.Fset.File(d.Pos())
	if tf == nil || tf.Size() != len(r.Src) {
		return nil, errors.New("source text does not match the file")
	}
	off := tf.Offset
	src := r.Src

	// The block to move: comment lines right above the defer, then the
	// defer with the rest of its last line (a trailing comment).
	start := lineStart(src, off(d.Pos()))
	if strings.TrimSpace(string(src[start:off(d.Pos())])) != "" {
		return nil, errors.New("the defer shares its line with another statement")
	}
	for _, cg := range r.File.Comments {
		if tf.Line(cg.End()) == tf.Line(tf.Pos(start))-1 {
			cs := lineStart(src, off(cg.Pos()))
			if strings.TrimSpace(string(src[cs:off(cg.Pos())])) == "" {
				start = cs
			}
		}
	}
	end := lineEnd(src, off(d.End()))
	rest := strings.TrimSpace(string(src[off(d.End()):end]))
	if rest != "" && !strings.HasPrefix(rest, "//") {
		return nil, errors.New("the defer shares its line with another statement")
	}
	block := strings.TrimRight(string(src[start:end]), " \t")
	if op == token.EQL && multiLineRawString(tf, d) {
		return nil, errors.New("the defer holds a multi-line raw string, which cannot be re-indented")
	}

	// Delete the block with its newline; avoid leaving two blank lines.
	delEnd := end + 1
	if delEnd > len(src) {
		delEnd = len(src)
	}
	if blankLineBefore(src, start) && blankLineAt(src, delEnd) {
		delEnd = lineEnd(src, delEnd) + 1
	}
	edits := []analysis.TextEdit{{Pos: tf.Pos(start), End: tf.Pos(delEnd)}}

	switch op {
	case token.NEQ:
		edits = append(edits, analysis.TextEdit{Pos: check.End(), End: check.End(), NewText: []byte("\n" + block)})
	case token.EQL:
		lines := strings.Split(block, "\n")
		for i, l := range lines {
			if l != "" {
				lines[i] = "\t" + l
			}
		}
		at := check.Body.Lbrace + 1
		edits = append(edits, analysis.TextEdit{Pos: at, End: at, NewText: []byte("\n" + strings.Join(lines, "\n"))})
	}
	return &analysis.SuggestedFix{
		Message:   "Move the defer after the error check",
		TextEdits: edits,
	}, nil
}

// errComparison reports the operator of cond when it compares err with nil.
func errComparison(info *types.Info, cond ast.Expr, err types.Object) (token.Token, bool) {
	b, ok := ast.Unparen(cond).(*ast.BinaryExpr)
	if !ok || (b.Op != token.NEQ && b.Op != token.EQL) {
		return 0, false
	}
	isErr := func(e ast.Expr) bool {
		id, ok := ast.Unparen(e).(*ast.Ident)
		return ok && info.Uses[id] == err
	}
	isNil := func(e ast.Expr) bool {
		id, ok := ast.Unparen(e).(*ast.Ident)
		return ok && id.Name == "nil" && info.Uses[id] == types.Universe.Lookup("nil")
	}
	if (isErr(b.X) && isNil(b.Y)) || (isNil(b.X) && isErr(b.Y)) {
		return b.Op, true
	}
	return 0, false
}

// leaves reports whether block ends in a statement that does not fall
// through: return, a branch, panic, or a fatal/exit call.
func leaves(block *ast.BlockStmt) bool {
	if len(block.List) == 0 {
		return false
	}
	switch s := block.List[len(block.List)-1].(type) {
	case *ast.ReturnStmt, *ast.BranchStmt:
		return true
	case *ast.ExprStmt:
		call, ok := ast.Unparen(s.X).(*ast.CallExpr)
		if !ok {
			return false
		}
		var name string
		switch f := ast.Unparen(call.Fun).(type) {
		case *ast.Ident:
			name = f.Name
		case *ast.SelectorExpr:
			name = f.Sel.Name
		}
		return name == "panic" || name == "Exit" || name == "FailNow" || name == "SkipNow" ||
			strings.HasPrefix(name, "Fatal") || strings.HasPrefix(name, "Panic") || strings.HasPrefix(name, "Skip")
	}
	return false
}

// unsafeBetween says why moving a defer past s could change behaviour.
func unsafeBetween(info *types.Info, s ast.Stmt, v types.Object) string {
	why := ""
	ast.Inspect(s, func(n ast.Node) bool {
		if why != "" {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt, *ast.BranchStmt:
			why = "a statement between the defer and the check can leave"
		case *ast.DeferStmt:
			why = "another defer lies between the defer and the check"
		case *ast.AssignStmt:
			for _, l := range n.Lhs {
				if id, ok := ast.Unparen(l).(*ast.Ident); ok && (info.Uses[id] == v || info.Defs[id] == v) {
					why = "the released variable is reassigned before the check"
				}
			}
		}
		return true
	})
	return why
}

func lineStart(src []byte, off int) int { return bytes.LastIndexByte(src[:off], '\n') + 1 }

func lineEnd(src []byte, off int) int {
	if i := bytes.IndexByte(src[off:], '\n'); i >= 0 {
		return off + i
	}
	return len(src)
}

// blankLineBefore reports whether the line before the one starting at off
// is blank.
func blankLineBefore(src []byte, off int) bool {
	if off == 0 {
		return false
	}
	prev := lineStart(src, off-1)
	return strings.TrimSpace(string(src[prev:off-1])) == ""
}

// blankLineAt reports whether the line starting at off is blank.
func blankLineAt(src []byte, off int) bool {
	if off >= len(src) {
		return false
	}
	return strings.TrimSpace(string(src[off:lineEnd(src, off)])) == ""
}

func multiLineRawString(tf *token.File, n ast.Node) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING && strings.HasPrefix(lit.Value, "`") && tf.Line(lit.Pos()) != tf.Line(lit.End()) {
			found = true
		}
		return !found
	})
	return found
}
