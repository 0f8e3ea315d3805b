// Package cgotypes type-checks the Go files of a cgo package as the user
// wrote them: references to the C pseudo-package (C.int, C.free(p)) are
// resolved against the declarations cmd/cgo generates for the package
// (its _cgo_gotypes.go), the way the go command's own build sees them,
// instead of being left without a type.
//
// The generated declarations come from `go list -compiled`, which runs
// cgo. They depend only on the cgo preambles of the package's files and on
// which C names its Go code refers to, so a caller can keep them while the
// user edits the Go code around them (see Key).
package cgotypes

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"go/types"
	"iter"
	"os"
	"slices"
	"sort"
	"strings"
	_ "unsafe" // for go:linkname

	"golang.org/x/tools/go/packages"
)

// setUsesCgo is go/types' own switch for this mode (the one its source
// importer uses); go/types marks it for linking from outside.
//
//go:linkname setUsesCgo go/types.srcimporter_setUsesCgo
func setUsesCgo(conf *types.Config)

// Enable makes conf resolve references to package C against the cgo
// declarations, which must be among the files checked. FakeImportC must
// be off.
func Enable(conf *types.Config) {
	conf.FakeImportC = false
	setUsesCgo(conf)
}

// ImportsC reports whether f imports the C pseudo-package.
func ImportsC(f *ast.File) bool {
	for _, imp := range f.Imports {
		if imp.Path != nil && imp.Path.Value == `"C"` {
			return true
		}
	}
	return false
}

// Key digests what the generated declarations of a package depend on in
// its files: each cgo file's name and preamble, and the C names the Go
// code refers to. Edits that leave it unchanged keep the declarations
// valid. The bool is false when no file imports C.
func Key(files []*ast.File, fset *token.FileSet) ([32]byte, bool) {
	h := sha256.New()
	names := map[string]bool{}
	found := false
	for _, f := range files {
		if !ImportsC(f) {
			continue
		}
		found = true
		fmt.Fprintf(h, "file %s\n", fset.Position(f.Package).Filename)
		for gd, is := range importSpecs(f) {
			if is.Path.Value != `"C"` {
				continue
			}
			doc := is.Doc
			if doc == nil {
				doc = gd.Doc
			}
			if doc != nil {
				fmt.Fprintf(h, "preamble %q\n", doc.Text())
			}
		}
		cName := localCName(f)
		ast.Inspect(f, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok {
				if id, ok := sel.X.(*ast.Ident); ok && id.Name == cName {
					names[sel.Sel.Name] = true
				}
			}
			return true
		})
	}
	sorted := make([]string, 0, len(names))
	for n := range names {
		sorted = append(sorted, n)
	}
	sort.Strings(sorted)
	fmt.Fprintf(h, "names %s\n", strings.Join(sorted, " "))
	var out [32]byte
	copy(out[:], h.Sum(nil))
	return out, found
}

// localCName returns the name the file gives package C (always "C").
func localCName(f *ast.File) string {
	for _, imp := range f.Imports {
		if imp.Path != nil && imp.Path.Value == `"C"` && imp.Name != nil {
			return imp.Name.Name
		}
	}
	return "C"
}

// Request says where and how to run cgo for one package.
type Request struct {
	// Dir is the directory go list runs in (the package's module).
	Dir string
	// PkgPath is the package's import path.
	PkgPath string
	// Name is the package's name, to check the generated file against.
	Name string
	// GoFiles are the package's Go files as go/packages names them
	// (cgo files included); the generated file is the first compiled
	// file that is none of them.
	GoFiles []string
	// Env and BuildFlags are those of the package loads.
	Env        []string
	BuildFlags []string
	// Overlay holds the unsaved contents of open files.
	Overlay map[string][]byte
}

// Generate runs cgo on the package through `go list -compiled` and
// returns the path and contents of its generated declarations.
func Generate(ctx context.Context, req Request) (path string, src []byte, err error) {
	cfg := &packages.Config{
		Context:    ctx,
		Mode:       packages.NeedName | packages.NeedFiles | packages.NeedCompiledGoFiles,
		Dir:        req.Dir,
		Env:        req.Env,
		BuildFlags: req.BuildFlags,
		Overlay:    req.Overlay,
	}
	pkgs, err := packages.Load(cfg, req.PkgPath)
	if err != nil {
		return "", nil, fmt.Errorf("running cgo for %s: %w", req.PkgPath, err)
	}
	var pkg *packages.Package
	for _, p := range pkgs {
		if p.PkgPath == req.PkgPath {
			pkg = p
		}
	}
	if pkg == nil {
		return "", nil, fmt.Errorf("running cgo for %s: go list did not return the package", req.PkgPath)
	}
	own := append(slices.Clone(req.GoFiles), pkg.GoFiles...)
	for _, f := range pkg.CompiledGoFiles {
		if slices.Contains(own, f) {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			return "", nil, fmt.Errorf("reading the cgo declarations of %s: %w", req.PkgPath, err)
		}
		if !declaresPackage(src, req.Name) {
			break
		}
		trimmed, err := trim(f, src)
		if err != nil {
			return "", nil, fmt.Errorf("reading the cgo declarations of %s: %w", req.PkgPath, err)
		}
		return f, trimmed, nil
	}
	var why []string
	for _, e := range pkg.Errors {
		why = append(why, e.Msg)
	}
	if len(why) == 0 {
		why = append(why, "go list returned no cgo output")
	}
	return "", nil, fmt.Errorf("running cgo for %s: %w", req.PkgPath, errors.New(strings.Join(why, "; ")))
}

// declaresPackage reports whether src is cmd/cgo's output for package
// name: generated by cmd/cgo, with that package clause and no line
// directive before it (the per-file outputs carry one).
func declaresPackage(src []byte, name string) bool {
	head := string(src)
	i := strings.Index(head, "\npackage ")
	if i < 0 || !strings.Contains(head[:i], "Code generated by cmd/cgo") || strings.Contains(head[:i], "//line ") {
		return false
	}
	rest := head[i+len("\npackage "):]
	if j := strings.IndexAny(rest, " \t\r\n;"); j >= 0 {
		rest = rest[:j]
	}
	return rest == name
}

// trim keeps of cmd/cgo's output what type-checking the package's own code
// needs: the declarations, with function bodies dropped (they are cgo's
// plumbing; the calls they make are C calls the analyzers cannot follow
// anyway), and no import but unsafe, so that the runtime packages cgo
// links against need not be in the package graph.
func trim(filename string, src []byte) ([]byte, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, filename, src, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	dropped := map[string]bool{}
	var decls []ast.Decl
	for _, is := range importSpecs(f) {
		if is.Path.Value == `"unsafe"` {
			continue
		}
		name := strings.Trim(is.Path.Value, `"`)
		name = name[strings.LastIndex(name, "/")+1:]
		if is.Name != nil {
			name = is.Name.Name
		}
		dropped[name] = true
	}
	for _, decl := range f.Decls {
		switch d := decl.(type) {
		case *ast.FuncDecl:
			d.Body = nil
			if !refersTo(d.Type, dropped) && (d.Recv == nil || !refersTo(d.Recv, dropped)) {
				decls = append(decls, d)
			}
		case *ast.GenDecl:
			var specs []ast.Spec
			for _, spec := range d.Specs {
				if is, ok := spec.(*ast.ImportSpec); ok && is.Path.Value != `"unsafe"` {
					continue
				}
				if !refersTo(spec, dropped) {
					specs = append(specs, spec)
				}
			}
			if len(specs) > 0 {
				d.Specs = specs
				decls = append(decls, d)
			}
		}
	}
	f.Decls = decls
	f.Imports = nil
	var buf bytes.Buffer
	if err := format.Node(&buf, fset, f); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// importSpecs yields the import specs of f with their declarations.
func importSpecs(f *ast.File) iter.Seq2[*ast.GenDecl, *ast.ImportSpec] {
	return func(yield func(*ast.GenDecl, *ast.ImportSpec) bool) {
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.IMPORT {
				continue
			}
			for _, spec := range gd.Specs {
				if is, ok := spec.(*ast.ImportSpec); ok && is.Path != nil && !yield(gd, is) {
					return
				}
			}
		}
	}
}

// refersTo reports whether n names a package in names.
func refersTo(n ast.Node, names map[string]bool) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok && names[id.Name] {
				found = true
			}
		}
		return !found
	})
	return found
}
