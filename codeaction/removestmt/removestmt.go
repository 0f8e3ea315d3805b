// Package removestmt builds the edit that deletes one statement, such as a
// redundant release found by the doubleclose check, together with its line
// when the statement is alone on it, so the result stays gofmt-clean.
package removestmt

import (
	"bytes"
	"go/ast"
	"go/token"

	"golang.org/x/tools/go/analysis"
)

// Edit returns the edit deleting stmt from src (the source of the file
// holding it, whose token.File is tf). When the statement is the only thing
// on its line(s), apart from a trailing line comment, the whole lines go;
// otherwise only the statement's text does.
func Edit(tf *token.File, src []byte, stmt ast.Stmt) analysis.TextEdit {
	start, end := tf.Offset(stmt.Pos()), tf.Offset(stmt.End())
	lineStart := bytes.LastIndexByte(src[:start], '\n') + 1
	lineEnd := bytes.IndexByte(src[end:], '\n')
	if lineEnd < 0 {
		lineEnd = len(src)
	} else {
		lineEnd += end
	}
	before := bytes.TrimSpace(src[lineStart:start])
	after := bytes.TrimSpace(src[end:lineEnd])
	if len(before) == 0 && (len(after) == 0 || bytes.HasPrefix(after, []byte("//"))) {
		if lineEnd < len(src) {
			lineEnd++ // the newline
		}
		return analysis.TextEdit{Pos: tf.Pos(lineStart), End: tf.Pos(lineEnd)}
	}
	return analysis.TextEdit{Pos: stmt.Pos(), End: stmt.End()}
}
