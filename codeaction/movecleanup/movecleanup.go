// Package movecleanup builds the quick fixes of the crossgoroutine check,
// which move a resource's cleanup into the goroutine that owns the
// resource:
//
//   - MoveDefer takes the owner's `defer x.Close()` out of the owner and
//     makes it the first statement of the function literal that the owner
//     starts with `go`, so the release runs when the goroutine that uses
//     the value is done with it; AddDefer adds that statement when the
//     owner has none (the leak check's fix for a value only a goroutine
//     uses after the owner returns);
//   - WrapCall does the same for a goroutine that runs a named function
//     (`go handle(conn)`), wrapping the call in a function literal;
//   - ReleaseInOwner goes the other way for a goroutine that releases a
//     value its owner still uses: the release leaves the goroutine and
//     the owner defers it;
//   - DropGo turns fire-and-forget cleanup (`go x.Close()`) into a
//     synchronous call;
//   - ReturnRelease does the same when a `return …, nil` follows, and
//     returns the release's error in place of the nil.
//
// Builders are pure: they take syntax and the file's source text and return
// edits with the file's own indentation.
package movecleanup

import (
	"go/ast"
	"go/token"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// Source is the text of the file being edited.
type Source struct {
	Src  []byte
	Base token.Pos // position of Src[0]
}

// MoveDefer returns the fix moving stmt into lit's body. The caller has
// checked that the move is safe: lit is started by a go statement that runs
// on every path after stmt, and the owner no longer uses the value.
func MoveDefer(s Source, stmt *ast.DeferStmt, lit *ast.FuncLit) *analysis.SuggestedFix {
	deferText := s.text(stmt)
	if strings.Contains(deferText, "\n") {
		return nil
	}
	start, end := s.lineOf(stmt)
	insert := insertFirst(s, deferText, lit)
	if insert == nil {
		return nil
	}
	return &analysis.SuggestedFix{
		Message:   "Move " + deferText + " into the goroutine that uses the value",
		TextEdits: append([]analysis.TextEdit{{Pos: start, End: end}}, insert...),
	}
}

// AddDefer returns the fix that makes `defer release` the first statement
// of lit, the function literal a goroutine runs, for a value that goroutine
// is the last to use. The caller has checked that the owner no longer uses
// the value after the go statement and that no other goroutine shares it.
func AddDefer(s Source, release string, lit *ast.FuncLit) *analysis.SuggestedFix {
	deferText := "defer " + release
	insert := insertFirst(s, deferText, lit)
	if insert == nil {
		return nil
	}
	return &analysis.SuggestedFix{
		Message:   "Add " + deferText + " at the start of the goroutine that uses the value",
		TextEdits: insert,
	}
}

// insertFirst returns the edits that make stmtText the first statement of
// lit's body, with the body's indentation.
func insertFirst(s Source, stmtText string, lit *ast.FuncLit) []analysis.TextEdit {
	body := lit.Body
	outer := s.indentOf(lit.Pos())
	inner := outer + "\t"
	if len(body.List) > 0 && s.line(body.List[0].Pos()) != s.line(body.Lbrace) {
		// A multi-line body: insert before the first statement, on its own
		// line, with that statement's indentation.
		first := body.List[0]
		ind := s.indentOf(first.Pos())
		pos := first.Pos()
		if c := leadingComment(s, body, first); c.IsValid() {
			pos = c
		}
		return []analysis.TextEdit{{Pos: pos, End: pos, NewText: []byte(stmtText + "\n" + ind)}}
	}
	// An empty or one-line body: rewrite it over several lines.
	var b strings.Builder
	b.WriteString("{\n" + inner + stmtText + "\n")
	for _, st := range body.List {
		t := s.text(st)
		if strings.Contains(t, "\n") {
			return nil
		}
		b.WriteString(inner + t + "\n")
	}
	b.WriteString(outer + "}")
	return []analysis.TextEdit{{Pos: body.Lbrace, End: body.Rbrace + 1, NewText: []byte(b.String())}}
}

// WrapCall returns the fix moving stmt into the goroutine that g starts
// with a call of a named function (`go handle(conn)`): the call becomes
// the body of a function literal whose first statement is the defer.
// The caller has checked that evaluating the call's function and arguments
// inside the goroutine gives the values the go statement gave them.
func WrapCall(s Source, stmt *ast.DeferStmt, g *ast.GoStmt) *analysis.SuggestedFix {
	deferText, call := s.text(stmt), s.text(g.Call)
	if strings.Contains(deferText, "\n") || strings.Contains(call, "\n") {
		return nil
	}
	start, end := s.lineOf(stmt)
	outer := s.indentOf(g.Pos())
	inner := outer + "\t"
	wrapped := "go func() {\n" + inner + deferText + "\n" + inner + call + "\n" + outer + "}()"
	return &analysis.SuggestedFix{
		Message: "Move " + deferText + " into the goroutine that uses the value",
		TextEdits: []analysis.TextEdit{
			{Pos: start, End: end},
			{Pos: g.Pos(), End: g.End(), NewText: []byte(wrapped)},
		},
	}
}

// DropGo returns the fix that runs the go statement's call synchronously.
func DropGo(s Source, g *ast.GoStmt) *analysis.SuggestedFix {
	return &analysis.SuggestedFix{
		Message:   "Call " + s.text(g.Call) + " directly",
		TextEdits: []analysis.TextEdit{{Pos: g.Pos(), End: g.Call.Pos()}},
	}
}

// ReturnRelease returns the fix that removes the go statement g and makes
// its call the error result of the return statement that follows it:
// `go x.Close(); return v, nil` becomes `return v, x.Close()`. nilErr is
// that return's `nil` error result. The caller has checked that the other
// results have no side effects.
func ReturnRelease(s Source, g *ast.GoStmt, nilErr ast.Expr) *analysis.SuggestedFix {
	start, end := s.lineOf(g)
	call := s.text(g.Call)
	return &analysis.SuggestedFix{
		Message: "Call " + call + " directly and return its error",
		TextEdits: []analysis.TextEdit{
			{Pos: start, End: end},
			{Pos: nilErr.Pos(), End: nilErr.End(), NewText: []byte(call)},
		},
	}
}

// leadingComment returns the start of a comment group between the body's
// brace and its first statement, so the inserted line goes above it.
func leadingComment(s Source, body *ast.BlockStmt, first ast.Stmt) token.Pos {
	off := int(body.Lbrace-s.Base) + 1
	end := int(first.Pos() - s.Base)
	seg := string(s.Src[off:end])
	if i := strings.Index(seg, "//"); i >= 0 {
		return token.Pos(off+i) + s.Base
	}
	if i := strings.Index(seg, "/*"); i >= 0 {
		return token.Pos(off+i) + s.Base
	}
	return token.NoPos
}

func (s Source) text(n ast.Node) string {
	return string(s.Src[n.Pos()-s.Base : n.End()-s.Base])
}

func (s Source) line(pos token.Pos) int {
	return strings.Count(string(s.Src[:pos-s.Base]), "\n")
}

func (s Source) indentOf(pos token.Pos) string {
	off := int(pos - s.Base)
	start := off
	for start > 0 && s.Src[start-1] != '\n' {
		start--
	}
	end := start
	for end < off && (s.Src[end] == ' ' || s.Src[end] == '\t') {
		end++
	}
	return string(s.Src[start:end])
}

// lineOf returns the range of n, widened to whole lines (newline included)
// when n is alone on its line, so that deleting it leaves no blank line.
func (s Source) lineOf(n ast.Node) (token.Pos, token.Pos) {
	start, end := int(n.Pos()-s.Base), int(n.End()-s.Base)
	ls := start
	for ls > 0 && (s.Src[ls-1] == ' ' || s.Src[ls-1] == '\t') {
		ls--
	}
	le := end
	for le < len(s.Src) && (s.Src[le] == ' ' || s.Src[le] == '\t') {
		le++
	}
	if le+1 < len(s.Src) && s.Src[le] == '/' && s.Src[le+1] == '/' {
		// a trailing line comment goes with the statement
		for le < len(s.Src) && s.Src[le] != '\n' {
			le++
		}
	}
	if (ls == 0 || s.Src[ls-1] == '\n') && le < len(s.Src) && s.Src[le] == '\n' {
		return s.Base + token.Pos(ls), s.Base + token.Pos(le+1)
	}
	return n.Pos(), n.End()
}

// ReleaseInOwner returns the fix that takes a goroutine's release of a value
// its owner still uses (rel, a statement of lit's body calling call) out of
// the goroutine and defers it in the owner right after the go statement g:
// the owner, the value's last user, releases it when it returns. When the
// release is all the goroutine does, the go statement itself becomes the
// defer. The caller has checked that the owner owns the value, does not
// release or hand it over, and that the go statement runs once.
func ReleaseInOwner(s Source, rel ast.Stmt, call *ast.CallExpr, g *ast.GoStmt, lit *ast.FuncLit) *analysis.SuggestedFix {
	callText := s.text(call)
	if strings.Contains(callText, "\n") {
		return nil
	}
	deferText := "defer " + callText
	msg := "Release it in the owner when it returns: " + deferText
	if len(lit.Body.List) == 1 {
		return &analysis.SuggestedFix{
			Message:   msg,
			TextEdits: []analysis.TextEdit{{Pos: g.Pos(), End: g.End(), NewText: []byte(deferText)}},
		}
	}
	start, end := s.lineOf(rel)
	return &analysis.SuggestedFix{
		Message: msg,
		TextEdits: []analysis.TextEdit{
			{Pos: start, End: end},
			{Pos: g.End(), End: g.End(), NewText: []byte("\n" + s.indentOf(g.Pos()) + deferText)},
		},
	}
}
