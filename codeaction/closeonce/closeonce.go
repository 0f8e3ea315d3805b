// Package closeonce builds the quick fix of a release that runs again on
// every iteration of a loop (close(ch) in a loop body, over the same
// channel): a flag declared before the loop lets the release run the first
// time it is reached, exactly where it ran before, and skips it on the
// iterations that follow, where it used to panic.
//
//	doneClosed := false
//	for _, w := range workers {
//		w.stop()
//		if !doneClosed {
//			close(done)
//			doneClosed = true
//		}
//	}
//
// The builder is pure: it takes syntax and the file's source text and
// returns edits with the file's own indentation.
package closeonce

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
)

// Request describes one release to guard.
type Request struct {
	Src  []byte
	File *token.File
	// Loop is the statement the flag is declared before: the outermost
	// loop over which the released value stays the same (its label
	// statement when it has one).
	Loop ast.Stmt
	// Release is the release statement, alone on its line(s).
	Release *ast.ExprStmt
	// Name is the name the flag is derived from (the channel's).
	Name string
	// Scope is the innermost scope at Loop; the flag's name must be free
	// there and inside the loop.
	Scope *types.Scope
	Info  *types.Info
}

// Build returns the fix, or nil when the statements do not start their
// lines (the edit could not keep the file gofmt-clean).
func Build(r Request) *analysis.SuggestedFix {
	// gofmt outdents a label: the statement it labels, on the next line,
	// has the block's indentation.
	at := r.Loop
	if ls, ok := at.(*ast.LabeledStmt); ok {
		at = ls.Stmt
	}
	loopIndent, ok := indentOf(r.Src, r.File, at.Pos())
	if !ok {
		return nil
	}
	labelIndent, ok := indentOf(r.Src, r.File, r.Loop.Pos())
	if !ok {
		return nil
	}
	lineStart := r.Loop.Pos() - token.Pos(len(labelIndent))
	relIndent, ok := indentOf(r.Src, r.File, r.Release.Pos())
	if !ok {
		return nil
	}
	flag := freeName(r.Name+"Closed", r.Scope, r.Loop, r.Info)
	release := r.Src[r.File.Offset(r.Release.Pos()):r.File.Offset(r.Release.End())]
	if bytes.Contains(release, []byte("\n")) {
		return nil
	}
	guarded := fmt.Sprintf("if !%s {\n%s\t%s\n%s\t%s = true\n%s}", flag, relIndent, release, relIndent, flag, relIndent)
	return &analysis.SuggestedFix{
		Message: fmt.Sprintf("Run %s only once (a flag declared before the loop)", release),
		TextEdits: []analysis.TextEdit{
			{Pos: lineStart, End: lineStart, NewText: []byte(loopIndent + flag + " := false\n")},
			{Pos: r.Release.Pos(), End: r.Release.End(), NewText: []byte(guarded)},
		},
	}
}

// indentOf returns the indentation of the line of pos, when only
// indentation precedes pos on it.
func indentOf(src []byte, f *token.File, pos token.Pos) (string, bool) {
	off := f.Offset(pos)
	start := bytes.LastIndexByte(src[:off], '\n') + 1
	ind := src[start:off]
	if len(bytes.TrimLeft(ind, " \t")) != 0 {
		return "", false
	}
	return string(ind), true
}

// freeName returns name, or name with a number, such that it is neither
// visible in scope nor declared inside loop (where it would shadow the
// flag).
func freeName(name string, scope *types.Scope, loop ast.Node, info *types.Info) string {
	inside := map[string]bool{}
	ast.Inspect(loop, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && info.Defs[id] != nil {
			inside[id.Name] = true
		}
		return true
	})
	taken := func(s string) bool {
		if inside[s] {
			return true
		}
		if scope != nil {
			if _, obj := scope.LookupParent(s, loop.Pos()); obj != nil {
				return true
			}
		}
		return false
	}
	if !taken(name) {
		return name
	}
	for i := 2; ; i++ {
		if s := fmt.Sprintf("%s%d", name, i); !taken(s) {
			return s
		}
	}
}
