// Package addclose builds the quick fix of the finalizer check: an explicit
// Close method, generated from the release a finalizer or cleanup performs,
// inserted after the type's declaration.
//
//	type Session struct{ conn net.Conn }
//
//	// Close releases the Session's resources. …
//	func (s *Session) Close() error {
//		runtime.SetFinalizer(s, nil)
//		return s.conn.Close()
//	}
//
// For a finalizer the generated method first clears it, so an explicitly
// closed value is not released a second time by the garbage collector. A
// cleanup registered with runtime.AddCleanup cannot be cancelled without its
// handle, so it stays registered.
package addclose

import (
	"bytes"
	"strings"

	"go/ast"
	"go/token"

	"golang.org/x/tools/go/analysis"
)

// Method describes the Close method to generate.
type Method struct {
	// TypeDecl is the declaration of the type (the method goes after it),
	// in a file whose source is Src and whose token.File is TF.
	TypeDecl *ast.GenDecl
	TF       *token.File
	Src      []byte
	// TypeName is the type's name, Recv the receiver's name.
	TypeName, Recv string
	// ClearFinalizer, when not empty, is the qualified name of
	// SetFinalizer ("runtime.SetFinalizer") to call with nil first.
	ClearFinalizer string
	// Stmts are the release statements, already adapted to the receiver
	// and indented by one tab. When ReturnsErr is set, the last statement is
	// an error-valued call that becomes "return <call>".
	Stmts      []string
	ReturnsErr bool
}

// Build returns the fix inserting the method.
func Build(m Method) *analysis.SuggestedFix {
	var b strings.Builder
	b.WriteString("\n\n// Close releases the resources of a " + m.TypeName + ". The garbage collector\n")
	b.WriteString("// runs finalizers late or never, so callers should not rely on them.\n")
	b.WriteString("func (" + m.Recv + " *" + m.TypeName + ") Close() error {\n")
	if m.ClearFinalizer != "" {
		b.WriteString("\t" + m.ClearFinalizer + "(" + m.Recv + ", nil)\n")
	}
	for i, s := range m.Stmts {
		if i == len(m.Stmts)-1 && m.ReturnsErr {
			b.WriteString("\treturn " + strings.TrimSpace(s) + "\n")
			continue
		}
		b.WriteString(s + "\n")
	}
	if !m.ReturnsErr {
		b.WriteString("\treturn nil\n")
	}
	b.WriteString("}")
	end := m.TypeDecl.End()
	return &analysis.SuggestedFix{
		Message:   "Add an explicit Close method to " + m.TypeName,
		TextEdits: []analysis.TextEdit{{Pos: end, End: end, NewText: []byte(b.String())}},
	}
}

// Reindent returns the source lines of the statements from..to (a range of
// src covering whole statements) moved to one tab of indentation: the
// indentation of the first statement's line is removed from every line.
func Reindent(src []byte, from, to int) []string {
	lineStart := bytes.LastIndexByte(src[:from], '\n') + 1
	lead := string(src[lineStart:from])
	indent := lead
	if strings.TrimSpace(lead) != "" {
		// The statements start on the line of the opening brace: later
		// lines are indented one level deeper than that line.
		indent = lead[:len(lead)-len(strings.TrimLeft(lead, " \t"))] + "\t"
	}
	var out []string
	for i, l := range strings.Split(string(src[from:to]), "\n") {
		switch {
		case strings.TrimSpace(l) == "":
			out = append(out, "")
		case i == 0:
			out = append(out, "\t"+l)
		default:
			out = append(out, "\t"+strings.TrimPrefix(l, indent))
		}
	}
	return out
}
