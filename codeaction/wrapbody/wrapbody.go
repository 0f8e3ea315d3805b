// Package wrapbody builds the quick fix of the loopdefer check: it wraps a
// loop's body in a closing scope, a function literal called once per
// iteration,
//
//	for _, p := range paths {
//		func() {
//			f, err := os.Open(p)
//			…
//			defer f.Close()
//			…
//		}()
//	}
//
// so that the body's deferred calls run at the end of each iteration
// instead of when the enclosing function returns.
//
// A `continue` that targets the loop becomes `return` (a labelled
// `continue L` too, and the label is dropped when nothing else uses it).
// Jumps belonging to loops, switches and selects nested in the body are
// left alone. Build offers no fix when the body contains a jump that would
// mean something else inside a function literal: `return`, `goto`, a
// `break` that leaves the loop, or a labelled `break`/`continue` that targets
// a statement outside the body. Rewriting those would need the body
// extracted into a function whose results carry the control flow; that is
// deliberately not attempted, because a fix must never change behaviour.
//
// Build is pure: it takes the syntax, the type information (to resolve
// labels) and the file's source text, and returns edits that keep the
// file's indentation, so the result is gofmt-clean.
package wrapbody

import (
	"bytes"
	"errors"
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
	var labelObj types.Object
	if r.Label != nil {
		labelObj = r.Info.Defs[r.Label.Label]
	}

	rewrites, err := jumps(r.Info, body, labelObj)
	if err != nil {
		return nil, err
	}

	off := func(p token.Pos) int { return tf.Offset(p) }
	open, close := off(body.Lbrace)+1, off(body.Rbrace)
	text := r.Src[open:close]
	nl := bytes.IndexByte(text, '\n')
	last := bytes.LastIndexByte(text, '\n')
	if nl < 0 || nl == last {
		return nil, errors.New("the loop body is not laid out one statement per line")
	}
	if s := strings.TrimSpace(string(text[:nl])); s != "" && !strings.HasPrefix(s, "//") {
		return nil, errors.New("a statement shares the line of the loop's opening brace")
	}
	if strings.TrimSpace(string(text[last:])) != "" {
		return nil, errors.New("a statement shares the line of the loop's closing brace")
	}
	indent := lineIndent(r.Src, off(r.Loop.Pos()))

	// Rewrite the jumps in the body text (offsets relative to open).
	inner := append([]byte(nil), text[nl+1:last]...)
	base := open + nl + 1
	sort.Slice(rewrites, func(i, j int) bool { return rewrites[i].Pos() > rewrites[j].Pos() })
	for _, b := range rewrites {
		s, e := off(b.Pos())-base, off(b.End())-base
		inner = append(inner[:s], append([]byte("return"), inner[e:]...)...)
	}

	// Indent every line by one tab, except lines that start inside a
	// multi-line raw string literal.
	raw := rawStringLines(tf, body)
	firstLine := tf.Line(body.Lbrace) + 1
	lines := strings.Split(string(inner), "\n")
	for i, l := range lines {
		if l == "" || raw[firstLine+i] {
			continue
		}
		lines[i] = "\t" + l
	}
	var out strings.Builder
	out.Write(text[:nl])
	out.WriteString("\n" + indent + "\tfunc() {\n")
	out.WriteString(strings.Join(lines, "\n"))
	out.WriteString("\n" + indent + "\t}()")
	out.Write(text[last:])

	edits := []analysis.TextEdit{{Pos: body.Lbrace + 1, End: body.Rbrace, NewText: []byte(out.String())}}

	// A label used only by the rewritten continues must go: Go rejects
	// unused labels.
	if labelObj != nil && len(rewrites) > 0 && !labelUsedElsewhere(r.Info, r.Func, labelObj, rewrites) {
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
	return &analysis.SuggestedFix{
		Message:   "Wrap the loop body in func() { … }() so its deferred calls run every iteration",
		TextEdits: edits,
	}, nil
}

// jumps returns the branch statements of body that target the loop and
// must become `return`, or an error when a jump cannot be kept.
func jumps(info *types.Info, body *ast.BlockStmt, loopLabel types.Object) ([]*ast.BranchStmt, error) {
	var rewrites []*ast.BranchStmt
	var err error
	// depth of enclosing loops / breakable statements within body
	var walk func(n ast.Node, loops, breakables int)
	walk = func(n ast.Node, loops, breakables int) {
		ast.Inspect(n, func(c ast.Node) bool {
			if err != nil {
				return false
			}
			switch c := c.(type) {
			case *ast.FuncLit:
				return false
			case *ast.ReturnStmt:
				err = errors.New("the loop body returns; extracting it into a function is not attempted")
				return false
			case *ast.ForStmt:
				if c != n {
					walk(c.Body, loops+1, breakables+1)
					return false
				}
			case *ast.RangeStmt:
				if c != n {
					walk(c.Body, loops+1, breakables+1)
					return false
				}
			case *ast.SwitchStmt:
				if c != n {
					walk(c.Body, loops, breakables+1)
					return false
				}
			case *ast.TypeSwitchStmt:
				if c != n {
					walk(c.Body, loops, breakables+1)
					return false
				}
			case *ast.SelectStmt:
				if c != n {
					walk(c.Body, loops, breakables+1)
					return false
				}
			case *ast.BranchStmt:
				switch c.Tok {
				case token.GOTO:
					err = errors.New("the loop body uses goto")
				case token.FALLTHROUGH:
				case token.BREAK, token.CONTINUE:
					if c.Label != nil {
						target := info.Uses[c.Label]
						if target != nil && target.Pos() >= body.Pos() && target.Pos() < body.End() {
							return false // a label inside the body
						}
						if target != nil && target == loopLabel && c.Tok == token.CONTINUE {
							rewrites = append(rewrites, c)
							return false
						}
						err = errors.New("the loop body has a labelled jump out of it")
						return false
					}
					if c.Tok == token.BREAK && breakables == 0 {
						err = errors.New("the loop body breaks out of the loop")
					}
					if c.Tok == token.CONTINUE && loops == 0 {
						rewrites = append(rewrites, c)
					}
				}
				return false
			}
			return true
		})
	}
	walk(body, 0, 0)
	return rewrites, err
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
