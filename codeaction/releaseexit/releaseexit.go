// Package releaseexit builds the quick fix of the leak check for a resource
// that is handed over on some paths and leaks on others: the release goes
// right before each leaking exit,
//
//	if err := prepare(ctx); err != nil {
//		cancel()
//		return nil, err
//	}
//	return &worker{cancel: cancel}, nil
//
// and never into a defer, which would also release the value on the paths
// that hand it over (cancelling the context of the worker just returned).
// The same edit fixes a leak inside a loop body, where a defer would run
// only when the function returns.
//
// Build is a pure function of the syntax, the type information and the
// source text. The caller decides which exits leak (the ownership model
// knows); Build refuses when an exit's results use the resource (releasing
// it first would change what the function returns) or when an exit does not
// stand on a line of its own.
package releaseexit

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"sort"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/astutil"
)

// Request describes the leaking exits of one resource.
type Request struct {
	Fset *token.FileSet
	Info *types.Info
	File *ast.File
	Src  []byte // the source text of File
	// Exits are the positions of the `return` keywords of the leaking
	// return statements, or of the closing brace of the function body for
	// the path that falls off its end.
	Exits []token.Pos
	// Release is the release statement: "cancel()", "f.Close()".
	Release string
	// Resource is the variable holding the resource, or nil. An exit whose
	// results mention it gets no release.
	Resource types.Object
}

// Build returns the fix, or an error saying why there is none.
func Build(r Request) (*analysis.SuggestedFix, error) {
	if len(r.Exits) == 0 {
		return nil, fmt.Errorf("no leaking exit")
	}
	tf := r.Fset.File(r.File.FileStart)
	if tf == nil || tf.Size() != len(r.Src) {
		return nil, fmt.Errorf("source text does not match the file")
	}
	exits := append([]token.Pos(nil), r.Exits...)
	sort.Slice(exits, func(i, j int) bool { return exits[i] < exits[j] })
	var edits []analysis.TextEdit
	seen := map[token.Pos]bool{}
	for _, pos := range exits {
		if seen[pos] {
			continue
		}
		seen[pos] = true
		e, err := r.before(tf, pos)
		if err != nil {
			return nil, fmt.Errorf("exit at line %d: %w", tf.Line(pos), err)
		}
		edits = append(edits, e)
	}
	msg := fmt.Sprintf("Call %s before each of the %d exits that leak it", r.Release, len(edits))
	if len(edits) == 1 {
		msg = fmt.Sprintf("Call %s before the return at line %d", r.Release, tf.Line(exits[0]))
		if r.closingBrace(exits[0]) != nil {
			msg = fmt.Sprintf("Call %s at the end of the function", r.Release)
		}
	}
	return &analysis.SuggestedFix{Message: msg, TextEdits: edits}, nil
}

// before returns the edit that inserts the release ahead of the exit at pos.
func (r Request) before(tf *token.File, pos token.Pos) (analysis.TextEdit, error) {
	off := tf.Offset(pos)
	start := bytes.LastIndexByte(r.Src[:off], '\n') + 1
	indent := r.Src[start:off]
	if len(bytes.TrimLeft(indent, " \t")) != 0 {
		return analysis.TextEdit{}, fmt.Errorf("another statement shares its line")
	}
	if body := r.closingBrace(pos); body != nil {
		// Falling off the end: the release becomes the last statement.
		text := string(indent) + "\t" + r.Release + "\n"
		return analysis.TextEdit{Pos: tf.Pos(start), End: tf.Pos(start), NewText: []byte(text)}, nil
	}
	ret := r.returnAt(pos)
	if ret == nil {
		return analysis.TextEdit{}, fmt.Errorf("no return statement there")
	}
	if r.Resource != nil && r.mentions(ret) {
		return analysis.TextEdit{}, fmt.Errorf("the returned values use the resource")
	}
	text := r.Release + "\n" + string(indent)
	return analysis.TextEdit{Pos: pos, End: pos, NewText: []byte(text)}, nil
}

// returnAt returns the return statement starting at pos when it is an
// element of a statement list.
func (r Request) returnAt(pos token.Pos) *ast.ReturnStmt {
	path, _ := astutil.PathEnclosingInterval(r.File, pos, pos)
	for i, n := range path {
		ret, ok := n.(*ast.ReturnStmt)
		if !ok || ret.Return != pos || i+1 >= len(path) {
			continue
		}
		switch path[i+1].(type) {
		case *ast.BlockStmt, *ast.CaseClause, *ast.CommClause:
			return ret
		}
		return nil
	}
	return nil
}

// closingBrace returns the function body whose closing brace is at pos.
func (r Request) closingBrace(pos token.Pos) *ast.BlockStmt {
	path, _ := astutil.PathEnclosingInterval(r.File, pos, pos+1)
	for i, n := range path {
		b, ok := n.(*ast.BlockStmt)
		if !ok || b.Rbrace != pos || i+1 >= len(path) {
			continue
		}
		switch path[i+1].(type) {
		case *ast.FuncDecl, *ast.FuncLit:
			return b
		}
	}
	return nil
}

// mentions reports whether ret's results refer to the resource variable.
func (r Request) mentions(ret *ast.ReturnStmt) bool {
	found := false
	for _, e := range ret.Results {
		ast.Inspect(e, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok && r.Info.Uses[id] == r.Resource {
				found = true
			}
			return !found
		})
	}
	return found
}
