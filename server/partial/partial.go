// Package partial picks the part of an ill-formed package that can still be
// analysed while the user types: it repairs files that do not parse by
// emptying the body of the broken function (keeping every other position
// intact), and prunes from the syntax handed to the analyzers every
// declaration that does not type-check — a syntax error, a hard type error,
// an expression of invalid type such as a reference to cgo's C package or
// to a package that could not be imported. SSA construction on such code
// panics; on the rest of the package it is sound, so the diagnostics of the
// well-formed functions stay put while one function is being edited.
package partial

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"go/types"
	"sort"
	"strings"
)

// maxRepairs bounds the declarations Repair empties in one file.
const maxRepairs = 32

// Repair returns src with the declarations that do not parse neutralised:
// a function keeps its signature and gets an empty body, any other
// declaration is blanked. Every byte outside the neutralised regions, and
// every line break, stays where it was, so positions computed on the
// repaired text are valid in src. emptied lists the offsets of the "func"
// keywords of the functions whose bodies were emptied. ok is false when
// the file does not parse even so (a broken package clause or import
// block); fixed is then src.
func Repair(filename string, src []byte) (fixed []byte, emptied []int, ok bool) {
	starts := declStarts(src)
	fixed = bytes.Clone(src)
	state := map[int]int{} // segment start → 1 body emptied, 2 blanked
	for range maxRepairs {
		_, err := parser.ParseFile(token.NewFileSet(), filename, fixed, parser.SkipObjectResolution)
		if err == nil {
			sort.Ints(emptied)
			return fixed, emptied, true
		}
		list, isList := err.(scanner.ErrorList)
		if !isList || len(list) == 0 {
			return src, nil, false
		}
		list.Sort()
		i := segmentOf(starts, list[0].Pos.Offset)
		// An error reported at the start of a declaration usually
		// belongs to the unfinished one before it.
		for i >= 0 && state[starts[i]] == 2 {
			i--
		}
		if i < 0 {
			return src, nil, false
		}
		start, end := starts[i], len(src)
		if i+1 < len(starts) {
			end = starts[i+1]
		}
		if state[start] == 0 && bytes.HasPrefix(src[start:], []byte("func")) {
			if emptyBody(fixed, start, end) {
				state[start] = 1
				emptied = append(emptied, start)
				continue
			}
		}
		blank(fixed, start, end)
		if state[start] == 1 {
			emptied = remove(emptied, start)
		}
		state[start] = 2
	}
	return src, nil, false
}

// declStarts returns the offsets of the lines that begin a top-level
// declaration in gofmt's layout.
func declStarts(src []byte) []int {
	var out []int
	for off := 0; off < len(src); {
		line := src[off:]
		if nl := bytes.IndexByte(line, '\n'); nl >= 0 {
			line = line[:nl+1]
		}
		for _, kw := range []string{"func", "type", "var", "const", "import"} {
			if bytes.HasPrefix(line, []byte(kw)) && len(line) > len(kw) && (line[len(kw)] == ' ' || line[len(kw)] == '(' || line[len(kw)] == '\t') {
				out = append(out, off)
				break
			}
		}
		off += len(line)
	}
	return out
}

// segmentOf returns the index of the declaration holding offset off, or -1
// when off precedes every declaration.
func segmentOf(starts []int, off int) int {
	return sort.SearchInts(starts, off+1) - 1
}

// emptyBody replaces the body of the function declared in src[start:end]
// by "{}" padded with spaces. The body is taken to open with the first
// "{" that ends a line.
func emptyBody(src []byte, start, end int) bool {
	seg := src[start:end]
	open := bytes.Index(seg, []byte("{\n"))
	if open < 0 {
		return false
	}
	body := start + open + 1
	closeAt := -1
	for i := body; i < end; i++ {
		if src[i] != '\n' && src[i] != '\r' {
			closeAt = i
			break
		}
	}
	if closeAt < 0 {
		return false
	}
	blank(src, body, end)
	src[closeAt] = '}'
	return true
}

// blank overwrites src[start:end] with spaces, keeping line breaks.
func blank(src []byte, start, end int) {
	for i := start; i < end; i++ {
		if src[i] != '\n' && src[i] != '\r' {
			src[i] = ' '
		}
	}
}

func remove(list []int, v int) []int {
	out := list[:0]
	for _, x := range list {
		if x != v {
			out = append(out, x)
		}
	}
	return out
}

// Result is the analysable part of a package.
type Result struct {
	// Files are the files to analyse: the originals, or shallow copies
	// in which the pruned declarations lost their code.
	Files []*ast.File
	// Info is the type information to analyse them with: the original,
	// or a copy whose InitOrder lacks the pruned initializers.
	Info *types.Info
	// Skipped names the declarations whose code was left out, in source
	// order.
	Skipped []string
	// Spans are the places of the declarations whose code was left out,
	// in the same order.
	Spans []Span
	// FirstError explains the first function left out.
	FirstError string
	// Imports lists the import paths that could not be resolved and made
	// functions be left out.
	Imports []string
}

// Span is the byte range of a declaration in its file.
type Span struct {
	File       string
	Start, End int
}

// Prune returns files whose code can be analysed. The body of a function
// is left out when its syntax holds a bad node, when it was emptied by
// Repair (its offset, in its file, is in emptied), when a hard type error
// lies inside it, or when one of its expressions has an invalid type; the
// initializers of a variable declaration by the same rules. The
// declarations themselves stay, so that well-formed code calling an
// ill-formed function still builds. The files and info are not modified.
func Prune(fset *token.FileSet, files []*ast.File, info *types.Info, errs []types.Error, emptied map[string][]int) Result {
	hard := map[*token.File][]token.Pos{}
	var firstMsg = map[token.Pos]string{}
	for _, e := range errs {
		if Benign(e) || !e.Pos.IsValid() {
			continue
		}
		tf := fset.File(e.Pos)
		hard[tf] = append(hard[tf], e.Pos)
		if _, ok := firstMsg[e.Pos]; !ok {
			firstMsg[e.Pos] = e.Msg
		}
	}
	inv := invalidChecker{memo: map[types.Type]bool{}}
	failedImports := map[string]bool{}
	res := Result{Info: info}
	var prunedVars []*ast.GenDecl
	for _, f := range files {
		tf := fset.File(f.FileStart)
		repaired := map[int]bool{}
		if tf != nil {
			for _, off := range emptied[tf.Name()] {
				repaired[off] = true
			}
		}
		var keep []ast.Decl
		changed := false
		for i, d := range f.Decls {
			if gd, ok := d.(*ast.GenDecl); ok && gd.Tok != token.VAR {
				// Imports, constants and types hold no code to build;
				// the functions that use an ill-typed one are left out.
				keep = append(keep, d)
				continue
			}
			why, end := "", d.End()
			if tf != nil && d.Pos().IsValid() && repaired[tf.Offset(d.Pos())] {
				why = "it does not parse"
				// Its emptied body ends early; the text typed
				// into it runs up to the next declaration.
				end = f.FileEnd
				if i+1 < len(f.Decls) {
					end = f.Decls[i+1].Pos()
				}
			} else if p, ok := errorWithin(hard[tf], d); ok {
				why = firstMsg[p]
			} else if reason, path := inv.badNode(d, info); reason != "" {
				why = reason
				if path != "" {
					failedImports[path] = true
				}
			}
			if why == "" {
				keep = append(keep, d)
				continue
			}
			changed = true
			keep = append(keep, withoutCode(d))
			if gd, ok := d.(*ast.GenDecl); ok {
				prunedVars = append(prunedVars, gd)
			}
			name := declName(d)
			res.Skipped = append(res.Skipped, name)
			if tf != nil {
				res.Spans = append(res.Spans, Span{File: tf.Name(), Start: tf.Offset(d.Pos()), End: tf.Offset(end)})
			}
			if res.FirstError == "" {
				res.FirstError = name + ": " + why
			}
		}
		if !changed {
			res.Files = append(res.Files, f)
			continue
		}
		cp := *f
		cp.Decls = keep
		res.Files = append(res.Files, &cp)
	}
	if len(prunedVars) > 0 {
		// The package initializer is built from InitOrder, not from
		// the syntax: leave out the pruned variables' initializers.
		cp := *info
		cp.InitOrder = nil
	next:
		for _, init := range info.InitOrder {
			for _, gd := range prunedVars {
				if gd.Pos() <= init.Rhs.Pos() && init.Rhs.Pos() < gd.End() {
					continue next
				}
			}
			cp.InitOrder = append(cp.InitOrder, init)
		}
		res.Info = &cp
	}
	for p := range failedImports {
		res.Imports = append(res.Imports, p)
	}
	sort.Strings(res.Imports)
	return res
}

// withoutCode returns a copy of a function or variable declaration
// without its code: a function without body (as if implemented
// elsewhere), variables without initializers. The declared objects stay,
// so the code that refers to them still builds.
func withoutCode(d ast.Decl) ast.Decl {
	switch d := d.(type) {
	case *ast.FuncDecl:
		cp := *d
		cp.Body = nil
		return &cp
	case *ast.GenDecl:
		cp := *d
		cp.Specs = nil
		for _, spec := range d.Specs {
			if vs, ok := spec.(*ast.ValueSpec); ok {
				vcp := *vs
				vcp.Values = nil
				spec = &vcp
			}
			cp.Specs = append(cp.Specs, spec)
		}
		return &cp
	}
	return d
}

// Benign reports whether a type error leaves the code well-formed for
// analysis: an unused variable, import or label. Other errors, soft ones
// included (a label declared twice), make code the compiler rejects and
// SSA construction chokes on.
func Benign(e types.Error) bool {
	return e.Soft && (strings.Contains(e.Msg, "declared and not used") || strings.Contains(e.Msg, "imported and not used"))
}

// errorWithin returns the first of positions inside d.
func errorWithin(positions []token.Pos, d ast.Decl) (token.Pos, bool) {
	for _, p := range positions {
		if d.Pos() <= p && p < d.End() {
			return p, true
		}
	}
	return token.NoPos, false
}

func declName(d ast.Decl) string {
	switch d := d.(type) {
	case *ast.FuncDecl:
		if d.Recv != nil && len(d.Recv.List) > 0 {
			return "method " + d.Name.Name
		}
		return "func " + d.Name.Name
	case *ast.GenDecl:
		for _, s := range d.Specs {
			switch s := s.(type) {
			case *ast.ValueSpec:
				if len(s.Names) > 0 {
					return d.Tok.String() + " " + s.Names[0].Name
				}
			case *ast.TypeSpec:
				return "type " + s.Name.Name
			}
		}
		return d.Tok.String() + " declaration"
	}
	return "declaration"
}

// invalidChecker finds expressions of invalid type.
type invalidChecker struct {
	memo map[types.Type]bool
}

// badNode returns why d cannot be analysed ("" when it can), and the path
// of the unresolved import responsible, if any.
func (c *invalidChecker) badNode(d ast.Decl, info *types.Info) (reason, importPath string) {
	if fd, ok := d.(*ast.FuncDecl); ok && fd.Body == nil {
		return "", "" // an external function: nothing to build
	}
	ast.Inspect(d, func(n ast.Node) bool {
		if reason != "" {
			return false
		}
		switch n := n.(type) {
		case *ast.BadExpr, *ast.BadStmt, *ast.BadDecl:
			reason = "it does not parse"
			return false
		case *ast.SelectorExpr:
			if id, ok := n.X.(*ast.Ident); ok {
				if pn, ok := info.Uses[id].(*types.PkgName); ok && !pn.Imported().Complete() {
					if pn.Imported().Path() == "C" && info.Uses[n.Sel] != nil {
						// Resolved against cmd/cgo's declarations.
						return true
					}
					if pn.Imported().Path() == "C" {
						reason = "it uses cgo's C package"
					} else {
						reason = "package " + pn.Imported().Path() + " could not be imported"
						importPath = pn.Imported().Path()
					}
					return false
				}
			}
		case *ast.Ident:
			switch obj := info.ObjectOf(n).(type) {
			case nil, *types.PkgName, *types.Label, *types.Builtin:
				// Their type is invalid by definition.
			default:
				if c.invalid(obj.Type()) {
					reason = n.Name + " has an invalid type"
					return false
				}
			}
		}
		if e, ok := n.(ast.Expr); ok {
			if tv, ok := info.Types[e]; ok && c.invalid(tv.Type) {
				reason = "an expression has an invalid type"
				return false
			}
		}
		return true
	})
	return reason, importPath
}

// invalid reports whether t is or contains the invalid type.
func (c *invalidChecker) invalid(t types.Type) bool {
	if t == nil {
		return false
	}
	if v, ok := c.memo[t]; ok {
		return v
	}
	c.memo[t] = false // cycles through named types are not invalid
	v := c.compute(t)
	c.memo[t] = v
	return v
}

func (c *invalidChecker) compute(t types.Type) bool {
	switch t := t.(type) {
	case *types.Basic:
		return t.Kind() == types.Invalid
	case *types.Named:
		if c.invalid(t.Underlying()) {
			return true
		}
		if args := t.TypeArgs(); args != nil {
			for i := range args.Len() {
				if c.invalid(args.At(i)) {
					return true
				}
			}
		}
		return false
	case *types.Alias:
		return c.invalid(types.Unalias(t))
	case *types.Pointer:
		return c.invalid(t.Elem())
	case *types.Slice:
		return c.invalid(t.Elem())
	case *types.Array:
		return c.invalid(t.Elem())
	case *types.Chan:
		return c.invalid(t.Elem())
	case *types.Map:
		return c.invalid(t.Key()) || c.invalid(t.Elem())
	case *types.Struct:
		for i := range t.NumFields() {
			if c.invalid(t.Field(i).Type()) {
				return true
			}
		}
	case *types.Tuple:
		for i := range t.Len() {
			if c.invalid(t.At(i).Type()) {
				return true
			}
		}
	case *types.Signature:
		return c.invalid(t.Params()) || c.invalid(t.Results())
	case *types.Interface:
		for i := range t.NumExplicitMethods() {
			if c.invalid(t.ExplicitMethod(i).Type()) {
				return true
			}
		}
		for i := range t.NumEmbeddeds() {
			if c.invalid(t.EmbeddedType(i)) {
				return true
			}
		}
	}
	return false
}
