// Package oncewrap builds the quick fix of the idempotentclose check: it
// makes a release method (Close, Stop, Shutdown) safe to call twice by adding
// a sync.Once field to the receiver's struct and running the method's body
// inside that field's Do.
//
//	func (c *Client) Close() error {        func (c *Client) Close() error {
//		close(c.done)                           var err error
//		return c.conn.Close()         ⇒         c.closeOnce.Do(func() {
//	}                                               close(c.done)
//	                                                err = c.conn.Close()
//	                                            })
//	                                            return err
//	                                        }
//
// A method with no result keeps its body as it is (a bare return leaves the
// closure just as it left the method). A method with a single error result
// records the body's returned error; a second call then returns nil. The
// builder declines (returns nil) where the rewrite would change meaning or
// would not compile: other result lists, a value or unnamed receiver, a body
// that calls the method itself again (Do would deadlock), goto or labels
// reaching out of the body, or a multi-line raw string whose text would be
// re-indented.
package oncewrap

import (
	"bytes"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/lifecycle-lsp/lifecycle-lsp/codeaction/addimport"
)

// Input is what the builder needs to know about one method.
type Input struct {
	Fset *token.FileSet
	Info *types.Info
	// Decl is the method, declared in MethodFile whose source is MethodSrc.
	Decl       *ast.FuncDecl
	MethodFile *ast.File
	MethodSrc  []byte
	// Struct is the receiver's struct type, declared in StructFile whose
	// source is StructSrc (the same file as the method, or another one).
	Struct     *ast.StructType
	StructFile *ast.File
	StructSrc  []byte
	// Named is the receiver's named type, used to pick a free field name.
	Named *types.Named
}

// FieldName returns a name for the once field of method name ("closeOnce"
// for Close) that no field or method of named uses.
func FieldName(named *types.Named, method string) string {
	base := strings.ToLower(method[:1]) + method[1:] + "Once"
	name := base
	for i := 2; ; i++ {
		obj, _, _ := types.LookupFieldOrMethod(types.NewPointer(named), true, named.Obj().Pkg(), name)
		if obj == nil {
			return name
		}
		name = base + string(rune('0'+i%10))
	}
}

// Build returns the fix, or nil when the method cannot be rewritten safely.
func Build(in Input) *analysis.SuggestedFix {
	d := in.Decl
	if d.Body == nil || d.Recv == nil || len(d.Recv.List) != 1 || len(d.Recv.List[0].Names) != 1 {
		return nil
	}
	recv := d.Recv.List[0].Names[0]
	if recv.Name == "_" {
		return nil
	}
	if _, ptr := ast.Unparen(d.Recv.List[0].Type).(*ast.StarExpr); !ptr {
		return nil
	}
	recvObj := in.Info.Defs[recv]
	if recvObj == nil || in.Named == nil {
		return nil
	}
	// Result list: none, or exactly one error.
	var named string // named error result, if any
	hasErr := false
	if res := d.Type.Results; res != nil && len(res.List) > 0 {
		if len(res.List) != 1 || len(res.List[0].Names) > 1 {
			return nil
		}
		t := in.Info.TypeOf(res.List[0].Type)
		if t == nil || !types.Identical(t, types.Universe.Lookup("error").Type()) {
			return nil
		}
		hasErr = true
		if len(res.List[0].Names) == 1 {
			named = res.List[0].Names[0].Name
			if named == "_" {
				return nil
			}
		}
	}
	if in.Struct == nil || in.Struct.Fields == nil {
		return nil
	}
	fset := in.Fset
	if fset.Position(in.Struct.Fields.Opening).Line == fset.Position(in.Struct.Fields.Closing).Line {
		return nil // one-line struct: leave the layout to the user
	}
	if !safeBody(in, recvObj, d.Name.Name) {
		return nil
	}
	field := FieldName(in.Named, d.Name.Name)

	// The error variable the closure assigns.
	errVar := named
	if hasErr && errVar == "" {
		errVar = freeName(d.Body, "err", "closeErr", "onceErr")
		if errVar == "" {
			return nil
		}
	}

	mtf := fset.File(d.Body.Lbrace)
	off := func(p token.Pos) int { return mtf.Offset(p) }
	// Rewrite the body's own returns (not those of nested func literals).
	type repl struct {
		start, end int
		text       string
	}
	var repls []repl
	if hasErr {
		ok := true
		ast.Inspect(d.Body, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				return false
			case *ast.ReturnStmt:
				switch len(n.Results) {
				case 0:
					// A bare return (named result) stays, unless it is the
					// body's last statement, where it would be redundant.
					if off(n.End()) == lastStmtEnd(d.Body, off) {
						repls = append(repls, repl{off(n.Pos()), off(n.End()), ""})
					}
				case 1:
					indent := lineIndent(in.MethodSrc, off(n.Pos()))
					val := string(in.MethodSrc[off(n.Results[0].Pos()):off(n.Results[0].End())])
					repls = append(repls, repl{off(n.Pos()), off(n.End()),
						errVar + " = " + val + "\n" + indent + "return"})
				default:
					ok = false
				}
			}
			return true
		})
		if !ok {
			return nil
		}
	}
	// Apply them; a return that is the body's last statement needs no
	// "return" after the assignment.
	inner := []byte(string(in.MethodSrc[off(d.Body.Lbrace)+1 : off(d.Body.Rbrace)]))
	base := off(d.Body.Lbrace) + 1
	for i := len(repls) - 1; i >= 0; i-- {
		r := repls[i]
		text := r.text
		if r.end == lastStmtEnd(d.Body, off) && text != "" {
			text = text[:strings.LastIndex(text, "\n")] // the closure ends here anyway
		}
		inner = append(inner[:r.start-base], append([]byte(text), inner[r.end-base:]...)...)
	}
	// A comment on the line of the opening brace stays there.
	head, rest, multi := strings.Cut(string(inner), "\n")
	var body string
	if !multi {
		head, body = "", "\t\t"+strings.TrimSpace(head)
	} else {
		// Re-indent every line by one tab.
		lines := strings.Split(strings.TrimRight(rest, "\n\t "), "\n")
		for i, l := range lines {
			if strings.TrimSpace(l) != "" {
				lines[i] = "\t" + l
			} else {
				lines[i] = ""
			}
		}
		body = strings.Join(lines, "\n")
	}
	var b strings.Builder
	b.WriteString("{" + head + "\n")
	if hasErr && named == "" {
		b.WriteString("\tvar " + errVar + " error\n")
	}
	b.WriteString("\t" + recv.Name + "." + field + ".Do(func() {\n")
	b.WriteString(body + "\n")
	b.WriteString("\t})\n")
	if hasErr {
		b.WriteString("\treturn " + errVar + "\n")
	}
	b.WriteString("}")

	edits := []analysis.TextEdit{{Pos: d.Body.Lbrace, End: d.Body.Rbrace + 1, NewText: []byte(b.String())}}

	// The field goes last, in its own alignment section.
	edits = append(edits, fieldEdit(in, field, d.Name.Name))
	edits = append(edits, addimport.Edits(in.StructFile, "sync")...)
	if name, ok := addimport.LocalName(in.StructFile, "sync"); ok && name != "sync" {
		return nil
	}
	if addimport.NameTaken(in.StructFile, "sync") {
		return nil // another package is imported as sync
	}
	return &analysis.SuggestedFix{
		Message:   "Guard " + d.Name.Name + " with a sync.Once field (" + field + ")",
		TextEdits: edits,
	}
}

// fieldEdit inserts "field sync.Once" as the struct's last field, preceded
// by a blank line so gofmt keeps the existing fields' alignment.
func fieldEdit(in Input, field, method string) analysis.TextEdit {
	sf := in.Fset.File(in.Struct.Fields.Closing)
	closeOff := sf.Offset(in.Struct.Fields.Closing)
	lineStart := bytes.LastIndexByte(in.StructSrc[:closeOff], '\n') + 1
	indent := string(in.StructSrc[lineStart:closeOff])
	return analysis.TextEdit{
		Pos:     sf.Pos(lineStart),
		End:     sf.Pos(lineStart),
		NewText: []byte("\n" + indent + "\t" + field + " sync.Once // makes " + method + " safe to call twice\n"),
	}
}

func lastStmtEnd(body *ast.BlockStmt, off func(token.Pos) int) int {
	if len(body.List) == 0 {
		return -1
	}
	return off(body.List[len(body.List)-1].End())
}

// lineIndent returns the leading whitespace of the line holding offset.
func lineIndent(src []byte, offset int) string {
	start := bytes.LastIndexByte(src[:offset], '\n') + 1
	end := start
	for end < len(src) && (src[end] == ' ' || src[end] == '\t') {
		end++
	}
	return string(src[start:end])
}

// safeBody reports whether the body can move into a closure unchanged.
func safeBody(in Input, recv types.Object, method string) bool {
	ok := true
	ast.Inspect(in.Decl.Body, func(n ast.Node) bool {
		if !ok {
			return false
		}
		switch n := n.(type) {
		case *ast.BranchStmt:
			if n.Tok == token.GOTO || n.Tok == token.FALLTHROUGH && n.Label != nil {
				ok = false
			}
		case *ast.BasicLit:
			if n.Kind == token.STRING && strings.HasPrefix(n.Value, "`") && strings.Contains(n.Value, "\n") {
				ok = false
			}
		case *ast.SelectorExpr:
			// c.Close() inside Close: Do would deadlock.
			if id, isID := n.X.(*ast.Ident); isID && in.Info.Uses[id] == recv && n.Sel.Name == method {
				ok = false
			}
		}
		return true
	})
	return ok
}

// freeName returns the first candidate that no identifier in body uses.
func freeName(body *ast.BlockStmt, candidates ...string) string {
	used := map[string]bool{}
	ast.Inspect(body, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			used[id.Name] = true
		}
		return true
	})
	for _, c := range candidates {
		if !used[c] {
			return c
		}
	}
	return ""
}
