// Package findingkey gives findings identities that survive unrelated edits:
// a short hash of what a finding is about (its check, its file, the function
// it is in and a text naming the resource), never of its line number, plus an
// ordinal when one function has several findings that hash alike. Baselines
// and SARIF fingerprints use it, so a finding whose function moves, or that
// shifts because lines were added above it, keeps its key.
package findingkey

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"go/ast"
	"go/token"
	"sort"
	"strings"
)

// Subject is what a key is computed from.
type Subject struct {
	// Parts identify the finding: for example the check, the file
	// relative to the repository root, the enclosing function and the
	// message. They are hashed in order.
	Parts []string
	// File and Line order findings with equal parts, for their ordinals.
	File string
	Line int
}

// Assign returns the key of every subject, in the order given: the first 12
// hex digits of the SHA-256 of the parts, followed by ".N" for the N-th
// (from 1, in file and line order) further subject with the same hash.
func Assign(subjects []Subject) []string {
	order := make([]int, len(subjects))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool {
		a, b := subjects[order[i]], subjects[order[j]]
		if a.File != b.File {
			return a.File < b.File
		}
		return a.Line < b.Line
	})
	keys := make([]string, len(subjects))
	seen := map[string]int{}
	for _, i := range order {
		sum := sha256.Sum256([]byte(strings.Join(subjects[i].Parts, "\x00")))
		base := hex.EncodeToString(sum[:6])
		n := seen[base]
		seen[base] = n + 1
		keys[i] = base
		if n > 0 {
			keys[i] = fmt.Sprintf("%s.%d", base, n)
		}
	}
	return keys
}

// PackageLevel names the place of a finding outside any function.
const PackageLevel = "(package level)"

// Enclosing returns the name of the top-level declaration of file that
// contains pos: "F", "(T).M" or "(*T).M" for functions and methods,
// PackageLevel for anything else (a finding in a package variable's
// initializer).
func Enclosing(file *ast.File, pos token.Pos) string {
	// Declarations are in source order: a binary search keeps a file
	// with many findings linear.
	i := sort.Search(len(file.Decls), func(i int) bool { return file.Decls[i].End() > pos })
	if i < len(file.Decls) && file.Decls[i].Pos() <= pos {
		if fd, ok := file.Decls[i].(*ast.FuncDecl); ok {
			return DeclName(fd)
		}
	}
	return PackageLevel
}

// EnclosingIn returns Enclosing for the file of files that holds pos, and
// PackageLevel when none does.
func EnclosingIn(files []*ast.File, pos token.Pos) string {
	for _, f := range files {
		if f.FileStart <= pos && pos <= f.FileEnd {
			return Enclosing(f, pos)
		}
	}
	return PackageLevel
}

// DeclName names a function declaration: "F", "(T).M" or "(*T).M" (type
// parameters left out).
func DeclName(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return fd.Name.Name
	}
	t := fd.Recv.List[0].Type
	star := ""
	if s, ok := t.(*ast.StarExpr); ok {
		star, t = "*", s.X
	}
	switch x := t.(type) {
	case *ast.IndexExpr:
		t = x.X
	case *ast.IndexListExpr:
		t = x.X
	}
	if id, ok := t.(*ast.Ident); ok {
		return fmt.Sprintf("(%s%s).%s", star, id.Name, fd.Name.Name)
	}
	return fd.Name.Name
}
