// Package pkgmeta encodes a graph of go/packages metadata (packages loaded
// without syntax or types) to bytes and back, exactly: decoding what
// Encode wrote gives packages equal in every exported field, and two
// graphs that Encode writes to the same bytes are equal in every exported
// field (an empty list or map and a nil one are not told apart, and
// packages of one module share its *Module). Nothing is left out
// silently: Encode fails on a package that has syntax or types, and a test
// fails when go/packages gains a field Encode does not keep.
package pkgmeta

import (
	"bytes"
	"encoding/gob"
	"errors"
	"fmt"
	"go/types"
	"reflect"
	"sort"
	"sync"
	"time"

	"golang.org/x/tools/go/packages"
)

// graph is the encoded form. Every string is an index into Strings, so
// the file lists that a package's variants repeat are stored once.
type graph struct {
	Strings  []string
	Modules  []module
	Packages []pkg
	Roots    []int
}

type pkg struct {
	ID, Name, PkgPath, Dir, ExportFile, Target, ForTest int
	GoFiles, CompiledGoFiles, OtherFiles                []int
	EmbedFiles, EmbedPatterns, IgnoredFiles             []int
	Errors                                              []pkgError
	// Imports holds pairs: import path, index of the package.
	Imports []int
	Module  int // index into Modules, -1 for none
	Sizes   int // the sizes' description (see sizesOf), -1 for none
}

type pkgError struct {
	Pos, Msg int
	Kind     int
}

type module struct {
	Path, Version, Dir, GoMod, GoVersion int
	Replace                              int // index into Modules, -1 for none
	HasTime                              bool
	Time                                 time.Time
	Main, Indirect                       bool
	HasError                             bool
	Error                                int
}

// kept lists the exported fields of packages.Package that Encode keeps;
// the others (syntax and types) must be unset (onlyKept).
var kept = map[string]bool{
	"ID": true, "Name": true, "PkgPath": true, "Dir": true, "Errors": true,
	"GoFiles": true, "CompiledGoFiles": true, "OtherFiles": true, "EmbedFiles": true,
	"EmbedPatterns": true, "IgnoredFiles": true, "ExportFile": true, "Target": true,
	"Imports": true, "Module": true, "TypesSizes": true, "ForTest": true,
}

type encoder struct {
	g       graph
	strs    map[string]int
	pkgs    map[*packages.Package]int
	modules map[module]int // records already in Modules
	sizes   map[types.Sizes]string
}

// Encode writes the graph of roots and everything they import. The
// bytes depend only on the packages' exported fields, the roots' order
// and the import graph.
func Encode(roots []*packages.Package) ([]byte, error) {
	e := &encoder{strs: map[string]int{}, pkgs: map[*packages.Package]int{}, modules: map[module]int{}, sizes: map[types.Sizes]string{}}
	for _, p := range roots {
		i, err := e.pkg(p)
		if err != nil {
			return nil, err
		}
		e.g.Roots = append(e.g.Roots, i)
	}
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(&e.g); err != nil {
		return nil, fmt.Errorf("encoding package metadata: %w", err)
	}
	return buf.Bytes(), nil
}

func (e *encoder) str(s string) int {
	if i, ok := e.strs[s]; ok {
		return i
	}
	i := len(e.g.Strings)
	e.g.Strings = append(e.g.Strings, s)
	e.strs[s] = i
	return i
}

func (e *encoder) list(l []string) []int {
	if l == nil {
		return nil
	}
	out := make([]int, len(l))
	for i, s := range l {
		out[i] = e.str(s)
	}
	return out
}

// pkg encodes p (once) and returns its index. Imports are encoded in the
// order of their paths, so the result does not depend on map order.
func (e *encoder) pkg(p *packages.Package) (int, error) {
	if i, ok := e.pkgs[p]; ok {
		return i, nil
	}
	if err := onlyKept(p); err != nil {
		return 0, err
	}
	i := len(e.g.Packages)
	e.pkgs[p] = i
	e.g.Packages = append(e.g.Packages, pkg{})
	r := pkg{
		ID: e.str(p.ID), Name: e.str(p.Name), PkgPath: e.str(p.PkgPath), Dir: e.str(p.Dir),
		ExportFile: e.str(p.ExportFile), Target: e.str(p.Target), ForTest: e.str(p.ForTest),
		GoFiles: e.list(p.GoFiles), CompiledGoFiles: e.list(p.CompiledGoFiles),
		OtherFiles: e.list(p.OtherFiles), EmbedFiles: e.list(p.EmbedFiles),
		EmbedPatterns: e.list(p.EmbedPatterns), IgnoredFiles: e.list(p.IgnoredFiles),
		Module: -1, Sizes: -1,
	}
	for _, err := range p.Errors {
		r.Errors = append(r.Errors, pkgError{Pos: e.str(err.Pos), Msg: e.str(err.Msg), Kind: int(err.Kind)})
	}
	if p.Module != nil {
		r.Module = e.module(p.Module)
	}
	if p.TypesSizes != nil {
		comparable := reflect.TypeOf(p.TypesSizes).Comparable()
		desc, ok := "", false
		if comparable {
			desc, ok = e.sizes[p.TypesSizes]
		}
		if !ok {
			var err error
			if desc, err = sizesOf(p.TypesSizes); err != nil {
				return 0, fmt.Errorf("package %s: %w", p.ID, err)
			}
			if comparable {
				e.sizes[p.TypesSizes] = desc
			}
		}
		r.Sizes = e.str(desc)
	}
	paths := make([]string, 0, len(p.Imports))
	for path := range p.Imports {
		paths = append(paths, path)
	}
	sort.Strings(paths)
	for _, path := range paths {
		j, err := e.pkg(p.Imports[path])
		if err != nil {
			return 0, err
		}
		r.Imports = append(r.Imports, e.str(path), j)
	}
	e.g.Packages[i] = r
	return i, nil
}

// module encodes m and returns its index. Equal modules (every package
// of a module has its own copy) are stored once.
func (e *encoder) module(m *packages.Module) int {
	r := module{
		Path: e.str(m.Path), Version: e.str(m.Version), Dir: e.str(m.Dir), GoMod: e.str(m.GoMod),
		GoVersion: e.str(m.GoVersion), Replace: -1, Main: m.Main, Indirect: m.Indirect,
	}
	if m.Replace != nil {
		r.Replace = e.module(m.Replace)
	}
	if m.Time != nil {
		r.HasTime, r.Time = true, *m.Time
	}
	if m.Error != nil {
		r.HasError, r.Error = true, e.str(m.Error.Err)
	}
	if i, ok := e.modules[r]; ok {
		return i
	}
	i := len(e.g.Modules)
	e.modules[r] = i
	e.g.Modules = append(e.g.Modules, r)
	return i
}

// onlyKept fails when a field that metadata leaves unset is set. (The
// other exported fields are kept; TestEveryFieldDecided fails when
// go/packages adds one.)
func onlyKept(p *packages.Package) error {
	if len(p.TypeErrors) > 0 || p.Types != nil || p.Fset != nil || p.IllTyped || p.Syntax != nil || p.TypesInfo != nil {
		return fmt.Errorf("package %s has syntax or types; only metadata can be encoded", p.ID)
	}
	return nil
}

// sizesOf describes the sizes go/packages gives a package: those of
// types.SizesFor for a compiler and an architecture, which are equal when
// their descriptions are (their fields decide them).
func sizesOf(s types.Sizes) (string, error) {
	desc := fmt.Sprintf("%T %+v", s, s)
	if _, ok := knownSizes()[desc]; !ok {
		return "", fmt.Errorf("sizes %s are not those of a known compiler and architecture", desc)
	}
	return desc, nil
}

// architectures are those go/types knows sizes for.
var architectures = []string{
	"386", "amd64", "amd64p32", "arm", "arm64", "loong64", "mips", "mipsle", "mips64", "mips64le",
	"ppc64", "ppc64le", "riscv64", "s390x", "sparc64", "wasm",
}

// knownSizes maps the description of every sizes go/types has to them.
var knownSizes = sync.OnceValue(func() map[string]types.Sizes {
	m := map[string]types.Sizes{}
	for _, compiler := range []string{"gc", "gccgo"} {
		for _, arch := range architectures {
			if s := types.SizesFor(compiler, arch); s != nil {
				desc := fmt.Sprintf("%T %+v", s, s)
				if _, ok := m[desc]; !ok {
					m[desc] = s
				}
			}
		}
	}
	return m
})

// Decode reads what Encode wrote and returns the roots.
func Decode(data []byte) ([]*packages.Package, error) {
	var g graph
	if err := gob.NewDecoder(bytes.NewReader(data)).Decode(&g); err != nil {
		return nil, fmt.Errorf("decoding package metadata: %w", err)
	}
	d := decoder{g: &g}
	roots, err := d.decode()
	if err != nil {
		return nil, fmt.Errorf("decoding package metadata: %w", err)
	}
	return roots, nil
}

type decoder struct {
	g   *graph
	bad bool
}

func (d *decoder) str(i int) string {
	if i < 0 || i >= len(d.g.Strings) {
		d.bad = true
		return ""
	}
	return d.g.Strings[i]
}

func (d *decoder) list(l []int) []string {
	if l == nil {
		return nil
	}
	out := make([]string, len(l))
	for i, j := range l {
		out[i] = d.str(j)
	}
	return out
}

var errCorrupt = errors.New("corrupt encoding")

func (d *decoder) decode() ([]*packages.Package, error) {
	g := d.g
	mods := make([]*packages.Module, len(g.Modules))
	for i := range mods {
		mods[i] = new(packages.Module)
	}
	for i, r := range g.Modules {
		m := mods[i]
		m.Path, m.Version, m.Dir, m.GoMod, m.GoVersion = d.str(r.Path), d.str(r.Version), d.str(r.Dir), d.str(r.GoMod), d.str(r.GoVersion)
		m.Main, m.Indirect = r.Main, r.Indirect
		if r.Replace >= 0 {
			if r.Replace >= len(mods) {
				return nil, errCorrupt
			}
			m.Replace = mods[r.Replace]
		}
		if r.HasTime {
			t := r.Time
			m.Time = &t
		}
		if r.HasError {
			m.Error = &packages.ModuleError{Err: d.str(r.Error)}
		}
	}
	sizes := knownSizes()
	pkgs := make([]*packages.Package, len(g.Packages))
	for i := range pkgs {
		pkgs[i] = new(packages.Package)
	}
	for i, r := range g.Packages {
		p := pkgs[i]
		p.ID, p.Name, p.PkgPath, p.Dir = d.str(r.ID), d.str(r.Name), d.str(r.PkgPath), d.str(r.Dir)
		p.ExportFile, p.Target, p.ForTest = d.str(r.ExportFile), d.str(r.Target), d.str(r.ForTest)
		p.GoFiles, p.CompiledGoFiles, p.OtherFiles = d.list(r.GoFiles), d.list(r.CompiledGoFiles), d.list(r.OtherFiles)
		p.EmbedFiles, p.EmbedPatterns, p.IgnoredFiles = d.list(r.EmbedFiles), d.list(r.EmbedPatterns), d.list(r.IgnoredFiles)
		for _, e := range r.Errors {
			p.Errors = append(p.Errors, packages.Error{Pos: d.str(e.Pos), Msg: d.str(e.Msg), Kind: packages.ErrorKind(e.Kind)})
		}
		if r.Module >= 0 {
			if r.Module >= len(mods) {
				return nil, errCorrupt
			}
			p.Module = mods[r.Module]
		}
		if r.Sizes >= 0 {
			s, ok := sizes[d.str(r.Sizes)]
			if !ok {
				return nil, fmt.Errorf("unknown sizes %q", d.str(r.Sizes))
			}
			p.TypesSizes = s
		}
		if len(r.Imports)%2 != 0 {
			return nil, errCorrupt
		}
		p.Imports = make(map[string]*packages.Package, len(r.Imports)/2)
		for k := 0; k < len(r.Imports); k += 2 {
			j := r.Imports[k+1]
			if j < 0 || j >= len(pkgs) {
				return nil, errCorrupt
			}
			p.Imports[d.str(r.Imports[k])] = pkgs[j]
		}
	}
	roots := make([]*packages.Package, 0, len(g.Roots))
	for _, i := range g.Roots {
		if i < 0 || i >= len(pkgs) {
			return nil, errCorrupt
		}
		roots = append(roots, pkgs[i])
	}
	if d.bad {
		return nil, errCorrupt
	}
	return roots, nil
}
