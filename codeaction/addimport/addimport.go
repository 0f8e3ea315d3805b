// Package addimport builds the text edit that adds an import to a Go file in
// the place gofmt would keep it: inside the first import block, in sorted
// order within the group of standard-library imports, so that a fix that
// needs a new package (such as "sync") stays gofmt-clean.
package addimport

import (
	"go/ast"
	"go/token"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// LocalName returns the name under which file imports path, and whether it
// does at all. Blank and dot imports do not count.
func LocalName(file *ast.File, path string) (string, bool) {
	for _, spec := range file.Imports {
		p, err := strconv.Unquote(spec.Path.Value)
		if err != nil || p != path {
			continue
		}
		if spec.Name == nil {
			return path[strings.LastIndex(path, "/")+1:], true
		}
		if spec.Name.Name == "_" || spec.Name.Name == "." {
			continue
		}
		return spec.Name.Name, true
	}
	return "", false
}

// NameTaken reports whether file does not import path but imports another
// package under the name path would get (its last element): the file
// imports "example.com/lib/sync", so "sync" cannot be added unnamed. An
// unnamed import's name is taken to be its path's last element, not
// counting a major-version suffix.
func NameTaken(file *ast.File, path string) bool {
	if _, ok := LocalName(file, path); ok {
		return false
	}
	want := path[strings.LastIndex(path, "/")+1:]
	for _, spec := range file.Imports {
		p := importPath(spec)
		name := ""
		if spec.Name != nil {
			name = spec.Name.Name
		} else {
			elems := strings.Split(p, "/")
			name = elems[len(elems)-1]
			if len(elems) > 1 && majorVersion(name) {
				name = elems[len(elems)-2]
			}
		}
		if name == want {
			return true
		}
	}
	return false
}

// majorVersion reports whether a path element is a major-version suffix
// such as v2.
func majorVersion(elem string) bool {
	if len(elem) < 2 || elem[0] != 'v' {
		return false
	}
	for _, r := range elem[1:] {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// Edits returns the edits that add `import "path"` to file, or nil when the
// file imports it already. The import goes into the first import
// declaration: a parenthesized one gets a new line in sorted position among
// the neighbouring standard-library imports; a single-line one is turned
// into a block. A file without imports gets a new declaration after the
// package clause. path must be a standard-library path without dots.
func Edits(file *ast.File, path string) []analysis.TextEdit {
	if _, ok := LocalName(file, path); ok {
		return nil
	}
	quoted := strconv.Quote(path)
	var decl *ast.GenDecl
	for _, d := range file.Decls {
		if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.IMPORT {
			decl = g
			break
		}
	}
	if decl == nil {
		return []analysis.TextEdit{{Pos: file.Name.End(), End: file.Name.End(), NewText: []byte("\n\nimport " + quoted)}}
	}
	if !decl.Lparen.IsValid() {
		spec := decl.Specs[0].(*ast.ImportSpec)
		old := spec.Path.Value
		if spec.Name != nil {
			old = spec.Name.Name + " " + old
		}
		lines := []string{old, quoted}
		if importPath(spec) > path {
			lines[0], lines[1] = lines[1], lines[0]
		}
		return []analysis.TextEdit{{Pos: decl.Pos(), End: decl.End(), NewText: []byte("import (\n\t" + lines[0] + "\n\t" + lines[1] + "\n)")}}
	}
	// Find the standard-library group: specs whose path has no dot in its
	// first element. Insert before the first one that sorts after path.
	var lastStd *ast.ImportSpec
	for _, s := range decl.Specs {
		spec := s.(*ast.ImportSpec)
		p := importPath(spec)
		if !isStd(p) {
			if lastStd != nil {
				break
			}
			continue
		}
		if p > path {
			start := spec.Pos()
			if spec.Doc != nil {
				start = spec.Doc.Pos()
			}
			return []analysis.TextEdit{{Pos: start, End: start, NewText: []byte(quoted + "\n\t")}}
		}
		lastStd = spec
	}
	if lastStd != nil {
		return []analysis.TextEdit{{Pos: lastStd.End(), End: lastStd.End(), NewText: []byte("\n\t" + quoted)}}
	}
	// No standard-library import: open a group of its own at the top.
	pos := decl.Lparen + 1
	return []analysis.TextEdit{{Pos: pos, End: pos, NewText: []byte("\n\t" + quoted + "\n")}}
}

func importPath(spec *ast.ImportSpec) string {
	p, _ := strconv.Unquote(spec.Path.Value)
	return p
}

func isStd(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}
