// Package driver runs go/analysis analyzers over one type-checked package.
//
// It is the piece of the language server that plays the role of
// unitchecker or go/analysis/checker, but for packages the caller has parsed
// and type-checked itself: the caller supplies the syntax, the type
// information and the facts its dependencies exported, and receives the
// diagnostics and the facts this package exports. Facts are addressed by
// package path and objectpath, so they survive re-type-checking and can be
// cached by the caller between runs.
//
// Every analyzer runs under recover: a panic becomes an error of that
// analyzer on that package, and the analyzers that require it are skipped.
package driver

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/gob"
	"errors"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"reflect"
	"runtime"
	"runtime/debug"
	"sort"
	"sync"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/objectpath"
)

// Facts holds the facts one package exported, for every analyzer.
// A Facts value is immutable once returned by Run.
type Facts struct {
	// mu guards the maps while Run fills them (analyzers run
	// concurrently); afterwards they are only read.
	mu       sync.RWMutex
	objects  map[objectKey]analysis.Fact
	packages map[reflect.Type]analysis.Fact
	// local holds the facts of objects that have no objectpath
	// (unexported functions, for one): no other package can name them,
	// but the package's own analyzers import them during Run.
	local map[localKey]analysis.Fact
}

type localKey struct {
	obj types.Object
	typ reflect.Type
}

type objectKey struct {
	path objectpath.Path
	typ  reflect.Type
}

func newFacts() *Facts {
	return &Facts{objects: map[objectKey]analysis.Fact{}, packages: map[reflect.Type]analysis.Fact{}, local: map[localKey]analysis.Fact{}}
}

// NewFacts returns an empty set of facts, to be filled with Add (for
// facts read back from a cache).
func NewFacts() *Facts { return newFacts() }

// Add records fact for the object at path, or for the package when path
// is empty. Call it only before the facts are handed to Run.
func (f *Facts) Add(path objectpath.Path, fact analysis.Fact) {
	if path == "" {
		f.packages[reflect.TypeOf(fact)] = fact
		return
	}
	f.objects[objectKey{path, reflect.TypeOf(fact)}] = fact
}

// Each calls fn for every fact, in no particular order: path is the
// object's path, empty for a package fact.
func (f *Facts) Each(fn func(path objectpath.Path, fact analysis.Fact)) {
	if f == nil {
		return
	}
	f.mu.RLock()
	defer f.mu.RUnlock()
	for k, v := range f.objects {
		fn(k.path, v)
	}
	for _, v := range f.packages {
		fn("", v)
	}
}

// Len reports the number of facts.
func (f *Facts) Len() int {
	if f == nil {
		return 0
	}
	return len(f.objects) + len(f.packages)
}

// Hash returns a digest of the facts' contents, used by callers to decide
// whether dependents must be re-analyzed.
func (f *Facts) Hash() [32]byte {
	h := sha256.New()
	if f == nil {
		var out [32]byte
		copy(out[:], h.Sum(nil))
		return out
	}
	type entry struct {
		key  string
		fact analysis.Fact
	}
	var entries []entry
	for k, v := range f.objects {
		entries = append(entries, entry{"o " + string(k.path) + " " + k.typ.String(), v})
	}
	for t, v := range f.packages {
		entries = append(entries, entry{"p " + t.String(), v})
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].key < entries[j].key })
	for _, e := range entries {
		fmt.Fprintf(h, "%s\x00", e.key)
		var buf bytes.Buffer
		if err := gob.NewEncoder(&buf).Encode(e.fact); err == nil {
			h.Write(buf.Bytes())
		} else {
			// Facts without exported fields (markers) do not gob-encode;
			// their printed form is their content.
			fmt.Fprintf(h, "%#v", e.fact)
		}
		h.Write([]byte{0})
	}
	var out [32]byte
	copy(out[:], h.Sum(nil))
	return out
}

// Input is one type-checked package and the context to analyze it in.
type Input struct {
	Fset       *token.FileSet
	Files      []*ast.File
	OtherFiles []string
	Pkg        *types.Package
	Info       *types.Info
	Sizes      types.Sizes
	TypeErrors []types.Error
	Module     *analysis.Module
	// DepFacts returns the facts exported by the dependency with the
	// given package path, or nil when they are unknown (analyzers then see
	// no facts for it and must fall back to conservative defaults).
	DepFacts func(pkgPath string) *Facts
	// ReadFile reads a file of the package (overlays included).
	ReadFile func(filename string) ([]byte, error)
}

// NewInfo returns a types.Info that records everything analyzers may
// look up (the same maps go/packages fills).
func NewInfo() *types.Info {
	return &types.Info{
		Types:        map[ast.Expr]types.TypeAndValue{},
		Instances:    map[*ast.Ident]types.Instance{},
		Defs:         map[*ast.Ident]types.Object{},
		Uses:         map[*ast.Ident]types.Object{},
		Implicits:    map[ast.Node]types.Object{},
		Selections:   map[*ast.SelectorExpr]*types.Selection{},
		Scopes:       map[ast.Node]*types.Scope{},
		FileVersions: map[*ast.File]string{},
	}
}

// Diagnostic is a diagnostic and the analyzer that reported it.
type Diagnostic struct {
	Analyzer *analysis.Analyzer
	analysis.Diagnostic
}

// Result is the outcome of analyzing one package.
type Result struct {
	Diagnostics []Diagnostic
	Facts       *Facts
	// Errors lists analyzer failures (errors and recovered panics).
	Errors []error
}

// Run runs analyzers (and, first, everything they require) on in.
// Diagnostics are kept only for the analyzers in roots; the others run for
// their results and facts.
//
// An analyzer starts as soon as the analyzers it requires are done, so
// independent analyzers run in parallel, at most GOMAXPROCS at a time;
// diagnostics and errors are reported in a fixed order.
func Run(ctx context.Context, roots []*analysis.Analyzer, in Input) Result {
	order := topo(roots)
	isRoot := map[*analysis.Analyzer]bool{}
	for _, a := range roots {
		isRoot[a] = true
	}
	res := Result{Facts: newFacts()}
	type outcome struct {
		done   chan struct{}
		diags  []analysis.Diagnostic
		result any
		err    error
	}
	outs := map[*analysis.Analyzer]*outcome{}
	for _, a := range order {
		outs[a] = &outcome{done: make(chan struct{})}
	}
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for _, a := range order {
		o := outs[a]
		go func() {
			defer close(o.done)
			resultOf := map[*analysis.Analyzer]any{}
			for _, req := range a.Requires {
				ro := outs[req]
				<-ro.done
				if ro.err != nil {
					o.err = fmt.Errorf("analyzer %s skipped on %s: a required analyzer failed", a.Name, in.Pkg.Path())
					return
				}
				resultOf[req] = ro.result
			}
			sem <- struct{}{}
			defer func() { <-sem }()
			if err := ctx.Err(); err != nil {
				o.err = err
				return
			}
			o.diags, o.result, o.err = runOne(a, in, resultOf, res.Facts)
		}()
	}
	ctxErrSeen := false
	for _, a := range order {
		o := outs[a]
		<-o.done
		if o.err != nil {
			if errors.Is(o.err, ctx.Err()) && ctx.Err() != nil {
				if !ctxErrSeen {
					res.Errors = append(res.Errors, o.err)
					ctxErrSeen = true
				}
				continue
			}
			res.Errors = append(res.Errors, o.err)
			continue
		}
		if isRoot[a] {
			for _, d := range o.diags {
				res.Diagnostics = append(res.Diagnostics, Diagnostic{Analyzer: a, Diagnostic: d})
			}
		}
	}
	return res
}

// topo returns roots and their requirements, each after its requirements.
func topo(roots []*analysis.Analyzer) []*analysis.Analyzer {
	var order []*analysis.Analyzer
	seen := map[*analysis.Analyzer]bool{}
	var visit func(a *analysis.Analyzer)
	visit = func(a *analysis.Analyzer) {
		if seen[a] {
			return
		}
		seen[a] = true
		for _, r := range a.Requires {
			visit(r)
		}
		order = append(order, a)
	}
	for _, a := range roots {
		visit(a)
	}
	return order
}

// runOne runs a single analyzer under recover.
func runOne(a *analysis.Analyzer, in Input, resultOf map[*analysis.Analyzer]any, own *Facts) (diags []analysis.Diagnostic, result any, err error) {
	factTypes := map[reflect.Type]bool{}
	for _, f := range a.FactTypes {
		factTypes[reflect.TypeOf(f)] = true
	}
	done := false
	factsOf := func(pkg *types.Package) *Facts {
		if pkg == in.Pkg {
			return own
		}
		if in.DepFacts == nil {
			return nil
		}
		return in.DepFacts(pkg.Path())
	}
	checkFactType := func(fact analysis.Fact, op string) {
		if !factTypes[reflect.TypeOf(fact)] {
			panic(fmt.Sprintf("%s: %s of fact type %T not declared in FactTypes", a.Name, op, fact))
		}
	}
	pass := &analysis.Pass{
		Analyzer:     a,
		Fset:         in.Fset,
		Files:        in.Files,
		OtherFiles:   in.OtherFiles,
		Pkg:          in.Pkg,
		TypesInfo:    in.Info,
		TypesSizes:   in.Sizes,
		Module:       in.Module,
		ResultOf:     resultOf,
		Report:       func(d analysis.Diagnostic) { diags = append(diags, d) },
		ReadFile:     in.ReadFile,
		IgnoredFiles: nil,
		ImportObjectFact: func(obj types.Object, fact analysis.Fact) bool {
			checkFactType(fact, "ImportObjectFact")
			if obj == nil || obj.Pkg() == nil {
				return false
			}
			facts := factsOf(obj.Pkg())
			if facts == nil {
				return false
			}
			var stored analysis.Fact
			var ok bool
			facts.mu.RLock()
			if path, err := objectpath.For(obj); err == nil {
				stored, ok = facts.objects[objectKey{path, reflect.TypeOf(fact)}]
			} else {
				stored, ok = facts.local[localKey{obj, reflect.TypeOf(fact)}]
			}
			facts.mu.RUnlock()
			if !ok {
				return false
			}
			reflect.ValueOf(fact).Elem().Set(reflect.ValueOf(stored).Elem())
			return true
		},
		ImportPackageFact: func(pkg *types.Package, fact analysis.Fact) bool {
			checkFactType(fact, "ImportPackageFact")
			if pkg == nil {
				return false
			}
			facts := factsOf(pkg)
			if facts == nil {
				return false
			}
			facts.mu.RLock()
			stored, ok := facts.packages[reflect.TypeOf(fact)]
			facts.mu.RUnlock()
			if !ok {
				return false
			}
			reflect.ValueOf(fact).Elem().Set(reflect.ValueOf(stored).Elem())
			return true
		},
		ExportObjectFact: func(obj types.Object, fact analysis.Fact) {
			if done {
				panic(fmt.Sprintf("%s: ExportObjectFact called after Run", a.Name))
			}
			checkFactType(fact, "ExportObjectFact")
			if obj == nil || obj.Pkg() != in.Pkg {
				panic(fmt.Sprintf("%s: ExportObjectFact on object %v of another package", a.Name, obj))
			}
			path, err := objectpath.For(obj)
			own.mu.Lock()
			if err == nil {
				own.objects[objectKey{path, reflect.TypeOf(fact)}] = fact
			} else {
				// No other package can name the object: the fact
				// serves this package's analyzers only.
				own.local[localKey{obj, reflect.TypeOf(fact)}] = fact
			}
			own.mu.Unlock()
		},
		ExportPackageFact: func(fact analysis.Fact) {
			if done {
				panic(fmt.Sprintf("%s: ExportPackageFact called after Run", a.Name))
			}
			checkFactType(fact, "ExportPackageFact")
			own.mu.Lock()
			own.packages[reflect.TypeOf(fact)] = fact
			own.mu.Unlock()
		},
		AllObjectFacts: func() []analysis.ObjectFact {
			var out []analysis.ObjectFact
			for _, pkg := range closure(in.Pkg) {
				facts := factsOf(pkg)
				if facts == nil {
					continue
				}
				facts.mu.RLock()
				for k, f := range facts.objects {
					if !factTypes[k.typ] {
						continue
					}
					obj, err := objectpath.Object(pkg, k.path)
					if err != nil {
						continue
					}
					out = append(out, analysis.ObjectFact{Object: obj, Fact: f})
				}
				for k, f := range facts.local {
					if factTypes[k.typ] {
						out = append(out, analysis.ObjectFact{Object: k.obj, Fact: f})
					}
				}
				facts.mu.RUnlock()
			}
			return out
		},
		AllPackageFacts: func() []analysis.PackageFact {
			var out []analysis.PackageFact
			for _, pkg := range closure(in.Pkg) {
				facts := factsOf(pkg)
				if facts == nil {
					continue
				}
				facts.mu.RLock()
				for t, f := range facts.packages {
					if factTypes[t] {
						out = append(out, analysis.PackageFact{Package: pkg, Fact: f})
					}
				}
				facts.mu.RUnlock()
			}
			return out
		},
	}
	if a.RunDespiteErrors {
		pass.TypeErrors = in.TypeErrors
	}
	defer func() {
		done = true
		if r := recover(); r != nil {
			err = fmt.Errorf("analyzer %s panicked on package %s: %v\n%s", a.Name, in.Pkg.Path(), r, debug.Stack())
			diags, result = nil, nil
		}
	}()
	result, err = a.Run(pass)
	if err != nil {
		return nil, nil, fmt.Errorf("analyzer %s failed on package %s: %w", a.Name, in.Pkg.Path(), err)
	}
	if want := a.ResultType; want != nil && result != nil && reflect.TypeOf(result) != want {
		return nil, nil, fmt.Errorf("analyzer %s returned a %T, want %v", a.Name, result, want)
	}
	return diags, result, nil
}

// closure returns pkg and every package it transitively imports.
func closure(pkg *types.Package) []*types.Package {
	var out []*types.Package
	seen := map[*types.Package]bool{}
	var visit func(p *types.Package)
	visit = func(p *types.Package) {
		if seen[p] {
			return
		}
		seen[p] = true
		out = append(out, p)
		for _, imp := range p.Imports() {
			visit(imp)
		}
	}
	visit(pkg)
	return out
}
