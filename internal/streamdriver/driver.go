// Package streamdriver runs go/analysis analyzers over a package graph in
// dependency order, holding in memory only what packages still to come
// need of the finished ones: their API (types checked without function
// bodies, for the type checker of their importers) and their facts. A
// package's syntax, complete types, type information, SSA form and
// analysis results are dropped as soon as its results are handed to the
// caller, so memory is bounded by the packages in flight, not by the whole
// graph.
//
// The results equal those of golang.org/x/tools/go/analysis/checker on
// packages loaded with packages.LoadAllSyntax: every package is parsed and
// type-checked from source as go/packages does it; root packages run every
// requested analyzer, dependencies only the analyzers that produce facts
// (and what they require); a package and its dependencies must be free of
// errors to be analysed.
//
// With a Cache, a package whose inputs (files, configuration, analyzers,
// and, transitively, its dependencies' inputs) are unchanged is neither
// type-checked nor analysed: its facts and diagnostics come from the cache.
// Its facts are decoded only when a package analysed again imports it,
// and its API is then type-checked from source (export data would lose
// column positions and unexported declarations), exactly as importers of
// an analysed package see it.
package streamdriver

import (
	"cmp"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"go/types"
	"net/url"
	"os"
	"reflect"
	"runtime"
	"slices"
	"sort"
	"sync"
	"sync/atomic"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"
	"golang.org/x/tools/go/types/objectpath"

	"github.com/lifecycle-lsp/lifecycle-lsp/internal/filedigest"
	"github.com/lifecycle-lsp/lifecycle-lsp/server/driver"
)

// LoadMode is the go/packages mode the driver needs: metadata only. Syntax
// and types are produced by the driver itself, one package at a time.
const LoadMode = packages.NeedName | packages.NeedFiles | packages.NeedCompiledGoFiles | packages.NeedImports |
	packages.NeedDeps | packages.NeedTypesSizes | packages.NeedModule

// Options configure Analyze.
type Options struct {
	// Overlay replaces the content of files on disk (as
	// packages.Config.Overlay).
	Overlay map[string][]byte
	// Cache, when not nil, keeps results between runs.
	Cache *Cache
	// Config is a digest of whatever else decides the results (build
	// tags, check configuration); it is part of every cache key.
	Config string
	// CacheOnly makes Analyze give up, with ErrNotCached, as soon as a
	// package would have to be type-checked: its results (or, for a
	// package with errors, those errors) are not all in the cache.
	CacheOnly bool
	// Digests, when not nil, remembers the digests of files' contents
	// between runs (the cache keys are made of them).
	Digests *filedigest.Memo

	// rootsMiss makes every root a cache miss while dependencies may
	// still come from the cache (tests: the path an edited package
	// takes).
	rootsMiss bool
	// reused, when not nil, is told the ID of every recompiled
	// dependency whose facts were its plain package's (tests).
	reused func(id string)
}

// Root is the outcome of analysing one root package. It is handed to the
// visitor while Package.Syntax, Package.Types and Package.TypesInfo are
// still set; they are cleared when the visitor returns. Files are parsed
// without object resolution (ast.Ident.Obj is nil: types.Info resolves
// identifiers). When the results came from the cache, the package was not
// parsed nor type-checked (Syntax holds at most the files its diagnostics
// point into whose //line directives move positions; Types and TypesInfo
// are nil), and Enclosing names the declaration each diagnostic is in.
type Root struct {
	Package *packages.Package
	// Actions holds one root action per requested analyzer, with its
	// diagnostics, as checker.Analyze's graph would.
	Actions []*checker.Action
	// Errors lists analyzer failures on the package.
	Errors []error
	// Cached is set when the results came from the cache.
	Cached bool
	// Enclosing maps the position of every diagnostic of a cached root to
	// the name of the top-level declaration it is in, as
	// findingkey.EnclosingIn names it from the package's syntax.
	Enclosing map[token.Pos]string
}

// node is one package of the graph during a run.
type node struct {
	pkg     *packages.Package
	root    bool
	imports []*node
	typed   chan struct{} // closed when its types (or cached results) are known
	done    chan struct{} // closed when its facts are known

	// Set when done:
	key   string        // cache key, "" when the package is not analysable
	facts *driver.Facts // facts it exported (nil when not analysed)
	// factData is the facts section of its cache entry, decoded into
	// facts by the first dependant that asks (factsOnce).
	factData  []byte
	factsOnce sync.Once
	// types is the package's API for its importers: nil until it is
	// type-checked or typesOf runs, and again once every importer is
	// type-checked (their own types hold what they use of it).
	types   *types.Package
	clean   bool // the package and its dependencies have no errors
	paths   map[string]*node
	typesMu sync.Mutex
	apiOnce sync.Once // type-checks the API of a cached package once
	// importedBy counts the packages of the graph that import it;
	// typedImporters those of them type-checked so far.
	importedBy     int
	typedImporters int

	// plain is, for a variant of a package (ID "q [p.test]"), the
	// package as it ships (ID "q"), when the graph has it.
	plain *node
	// Set when done, for deciding whether a variant's facts are its
	// plain package's (see reusesFacts):
	// reused: the facts are its plain package's, taken without analysis;
	// nonTest: for an analysed variant, the digest of its facts about
	// the objects its plain package declares too.
	reused     bool
	nonTest    [sha256.Size]byte
	hasNonTest bool
	// factsHash is the digest of its facts, computed once (hashOnce).
	factsHash [sha256.Size]byte
	hashOnce  sync.Once
}

// ErrNotCached is Analyze's error when Options.CacheOnly is set and some
// package's results are not in the cache. Roots visited before it was
// known were visited with their cached results.
var ErrNotCached = errors.New("not every package's results are cached")

// Analyze analyses roots (loaded with LoadMode) and everything they import,
// calling visit for each root package that can be analysed, one call at a
// time, in an order that depends on scheduling. A package with errors (or
// whose dependencies have errors) gets them appended to its Errors, as
// go/packages would, and is not visited.
func Analyze(ctx context.Context, analyzers []*analysis.Analyzer, roots []*packages.Package, opts Options, visit func(Root)) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	r := &run{
		ctx:       ctx,
		cancel:    cancel,
		analyzers: analyzers,
		facty:     factAnalyzers(analyzers),
		opts:      opts,
		fset:      token.NewFileSet(),
		nodes:     map[*packages.Package]*node{},
		sem:       make(chan struct{}, runtime.GOMAXPROCS(0)),
		apiSem:    make(chan struct{}, runtime.GOMAXPROCS(0)),
		pending:   make(chan struct{}, runtime.GOMAXPROCS(0)+2),
		visit:     visit,
		others:    map[string]*token.File{},
		digests:   map[string][sha256.Size]byte{},
	}
	for _, p := range roots {
		r.node(p).root = true
	}
	plain := map[string]*node{}
	for _, n := range r.nodes {
		if n.pkg.ID == n.pkg.PkgPath {
			plain[n.pkg.PkgPath] = n
		}
	}
	for _, n := range r.nodes {
		if n.pkg.ID != n.pkg.PkgPath {
			n.plain = plain[n.pkg.PkgPath]
		}
	}
	var wg sync.WaitGroup
	for _, n := range r.nodes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer close(n.done)
			for _, dep := range n.imports {
				<-dep.typed
			}
			c := r.prepare(n)
			close(n.typed)
			if c == nil {
				return
			}
			for _, dep := range n.imports {
				<-dep.done
			}
			r.analyse(n, c)
		}()
	}
	wg.Wait()
	if r.missed.Load() {
		return ErrNotCached
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return r.cacheErr
}

type run struct {
	ctx    context.Context
	cancel context.CancelFunc
	// missed is set when a package of a CacheOnly run is not cached.
	missed    atomic.Bool
	analyzers []*analysis.Analyzer
	facty     []*analysis.Analyzer
	opts      Options
	fset      *token.FileSet
	nodes     map[*packages.Package]*node
	sem       chan struct{} // CPU-bound work in progress
	// apiSem bounds the type-checking of cached packages' APIs, which
	// runs while the type checker that needs them holds sem.
	apiSem chan struct{}
	// pending bounds the packages type-checked and not yet analysed
	// (their syntax and type information are in memory). A package
	// takes a slot before it is type-checked, and the one holding a
	// slot whose imports are all analysed can always go on, so
	// type-checking runs ahead of analysis without deadlock.
	pending chan struct{}
	visitMu sync.Mutex
	visit   func(Root)

	othersMu sync.Mutex
	others   map[string]*token.File

	digestsMu sync.Mutex
	digests   map[string][sha256.Size]byte // file contents' digests (key)

	factTypesOnce   sync.Once
	factTypesByName map[string]reflect.Type

	cacheErrMu sync.Mutex
	cacheErr   error // a cache entry's facts could not be decoded
}

func (r *run) node(p *packages.Package) *node {
	if n, ok := r.nodes[p]; ok {
		return n
	}
	n := &node{pkg: p, typed: make(chan struct{}), done: make(chan struct{})}
	r.nodes[p] = n
	paths := make([]string, 0, len(p.Imports))
	for path := range p.Imports {
		paths = append(paths, path)
	}
	sort.Strings(paths)
	for _, path := range paths {
		dep := r.node(p.Imports[path])
		dep.importedBy++
		n.imports = append(n.imports, dep)
	}
	return n
}

// factAnalyzers returns the analyzers of the closure of roots that
// produce facts: those a dependency runs.
func factAnalyzers(roots []*analysis.Analyzer) []*analysis.Analyzer {
	var out []*analysis.Analyzer
	for _, a := range closure(roots) {
		if len(a.FactTypes) > 0 {
			out = append(out, a)
		}
	}
	return out
}

// closure returns roots and the analyzers they require, transitively.
func closure(roots []*analysis.Analyzer) []*analysis.Analyzer {
	var out []*analysis.Analyzer
	seen := map[*analysis.Analyzer]bool{}
	for len(roots) > 0 {
		a := roots[0]
		roots = roots[1:]
		if !seen[a] {
			seen[a] = true
			out = append(out, a)
			roots = append(roots, a.Requires...)
		}
	}
	return out
}

// prepare handles one package whose imports are type-checked (or known
// from the cache): it decides whether the package can be analysed, takes
// its results from the cache when it can, and otherwise type-checks it.
// It returns the type-checked package to analyse, or nil when there is
// nothing more to do.
func (r *run) prepare(n *node) *checked {
	if r.ctx.Err() != nil {
		return nil
	}
	n.paths = map[string]*node{}
	n.clean = len(n.pkg.Errors) == 0
	for _, dep := range n.imports {
		n.clean = n.clean && dep.clean
		for path, m := range dep.paths {
			n.paths[path] = m
		}
		n.paths[dep.pkg.PkgPath] = dep
	}
	if n.pkg.PkgPath == "unsafe" && len(n.pkg.CompiledGoFiles) == 0 {
		n.types = types.Unsafe
		if n.root {
			r.handOver(n, nil, nil) // nothing to analyse
		}
		return nil
	}
	if n.clean {
		n.key = r.key(n, r.analysersOf(n))
		if entry, ok := r.opts.Cache.get(n.key); ok && !(n.root && r.opts.rootsMiss) && r.fromCache(n, entry) {
			return nil
		}
		if r.reusesFacts(n) {
			return nil
		}
	}
	if r.opts.CacheOnly {
		r.missed.Store(true)
		r.cancel()
		return nil
	}
	r.pending <- struct{}{}
	r.sem <- struct{}{}
	c := r.check(n, false)
	<-r.sem
	if len(n.pkg.Errors) > 0 {
		n.clean = false
	}
	if !n.clean {
		n.pkg.Syntax, n.pkg.Types, n.pkg.TypesInfo = nil, nil, nil
		<-r.pending
		return nil
	}
	return &c
}

func (r *run) analysersOf(n *node) []*analysis.Analyzer {
	if n.root {
		return r.analyzers
	}
	return r.facty
}

// analyse runs the analyzers on a type-checked package whose imports are
// all analysed, then drops its syntax and type information.
func (r *run) analyse(n *node, c *checked) {
	defer func() { <-r.pending }()
	r.sem <- struct{}{}
	defer func() { <-r.sem }()
	res := driver.Run(r.ctx, r.analysersOf(n), driver.Input{
		Fset:       r.fset,
		Files:      c.files,
		OtherFiles: n.pkg.OtherFiles,
		Pkg:        c.pkg,
		Info:       c.info,
		Sizes:      n.pkg.TypesSizes,
		Module:     module(n.pkg),
		DepFacts:   func(path string) *driver.Facts { return r.factsOf(n.paths[path]) },
		ReadFile:   r.readFile(n.pkg),
	})
	n.facts = nameable(res.Facts)
	if n.plain != nil && n.importedBy > 0 {
		r.setNonTest(n, c) // only an importer asks
	}
	for i := range res.Diagnostics {
		d := &res.Diagnostics[i]
		normalizeFixes(d.SuggestedFixes)
		d.URL = resolveURL(d.Analyzer, d.Diagnostic)
	}
	if r.opts.Cache != nil && len(res.Errors) == 0 && r.ctx.Err() == nil && !r.cacheFailed() {
		r.opts.Cache.put(n.key, encodeEntry(r.fset, c.files, res))
	}
	if n.root {
		r.handOver(n, res.Diagnostics, res.Errors)
	}
	n.pkg.Syntax, n.pkg.Types, n.pkg.TypesInfo = nil, nil, nil
}

// nameable returns the facts of objects and packages that other packages
// can name (objectpath), as a cache entry keeps them: facts about objects
// without a path serve only the package's own analyzers, and they would
// hold its complete types (every function body's scope) in memory.
func nameable(facts *driver.Facts) *driver.Facts {
	out := driver.NewFacts()
	facts.Each(func(path objectpath.Path, fact analysis.Fact) {
		out.Add(path, fact)
	})
	return out
}

// handOver gives a root's diagnostics to the visitor.
func (r *run) handOver(n *node, diags []driver.Diagnostic, errs []error) {
	r.give(Root{Package: n.pkg, Actions: r.actions(n, diags), Errors: errs})
}

// handOverCached gives a root's cached diagnostics to the visitor.
func (r *run) handOverCached(n *node, diags []driver.Diagnostic, enclosing map[token.Pos]string) {
	r.give(Root{Package: n.pkg, Actions: r.actions(n, diags), Cached: true, Enclosing: enclosing})
}

func (r *run) give(root Root) {
	r.visitMu.Lock()
	defer r.visitMu.Unlock()
	r.visit(root)
}

// actions returns one root action per requested analyzer, holding its
// diagnostics.
func (r *run) actions(n *node, diags []driver.Diagnostic) []*checker.Action {
	var acts []*checker.Action
	byAnalyzer := map[*analysis.Analyzer]*checker.Action{}
	for _, a := range r.analyzers {
		act := &checker.Action{Analyzer: a, Package: n.pkg, IsRoot: true}
		byAnalyzer[a] = act
		acts = append(acts, act)
	}
	for _, d := range diags {
		if act := byAnalyzer[d.Analyzer]; act != nil {
			act.Diagnostics = append(act.Diagnostics, d.Diagnostic)
		}
	}
	return acts
}

// cacheFailed reports whether some cache entry did not decode (results
// computed since may lack facts: they are not cached).
func (r *run) cacheFailed() bool {
	r.cacheErrMu.Lock()
	defer r.cacheErrMu.Unlock()
	return r.cacheErr != nil
}

// setCachedFacts keeps the facts section of a package's cache entry, to
// be decoded by factsOf when a dependant needs it.
func (n *node) setCachedFacts(data []byte) {
	n.factData = data
}

// factsOf returns the facts of a done package (nil for none), decoding
// them from its cache entry on first use. An entry that passed its digest
// check but does not decode (it cannot happen unless the cache was written
// by a build with other fact types under the same salt) fails the run:
// results without the facts would be wrong.
func (r *run) factsOf(m *node) *driver.Facts {
	if m == nil {
		return nil
	}
	m.factsOnce.Do(func() {
		if m.factData == nil {
			return
		}
		facts, err := r.decodeFacts(m.factData)
		m.factData = nil
		if err != nil {
			r.cacheErrMu.Lock()
			if r.cacheErr == nil {
				r.cacheErr = fmt.Errorf("the result cache entry of %s does not decode (run with -cache=off, or clean the cache): %w", m.pkg.ID, err)
			}
			r.cacheErrMu.Unlock()
			return
		}
		m.facts = facts
	})
	return m.facts
}

func module(p *packages.Package) *analysis.Module {
	if p.Module == nil {
		return nil
	}
	return &analysis.Module{Path: p.Module.Path, Version: p.Module.Version, GoVersion: p.Module.GoVersion}
}

// readFile is the Pass.ReadFile of a package: the package's own files
// only, overlays first.
func (r *run) readFile(p *packages.Package) func(string) ([]byte, error) {
	return func(name string) ([]byte, error) {
		if !slices.Contains(p.CompiledGoFiles, name) && !slices.Contains(p.GoFiles, name) &&
			!slices.Contains(p.OtherFiles, name) && !slices.Contains(p.IgnoredFiles, name) {
			return nil, fmt.Errorf("Pass.ReadFile: %s is not among the files of package %s", name, p.PkgPath)
		}
		return r.content(name)
	}
}

func (r *run) content(name string) ([]byte, error) {
	if text, ok := r.opts.Overlay[name]; ok {
		return text, nil
	}
	return os.ReadFile(name)
}

// checked is a package parsed and type-checked from source.
type checked struct {
	files []*ast.File
	pkg   *types.Package
	info  *types.Info
}

// check parses and type-checks n as go/packages does, appending errors to
// n.pkg.Errors; with apiOnly, function bodies are skipped and errors are
// not recorded (the package is known to be clean: only its API is needed).
func (r *run) check(n *node, apiOnly bool) checked {
	p := n.pkg
	var c checked
	size := 0 // bytes of source
	for _, name := range p.CompiledGoFiles {
		src, err := r.content(name)
		size += len(src)
		if err != nil {
			if !apiOnly {
				if pe, ok := err.(*os.PathError); ok {
					p.Errors = append(p.Errors, packages.Error{Pos: pe.Path + ":1", Msg: pe.Err.Error(), Kind: packages.ParseError})
				} else {
					p.Errors = append(p.Errors, packages.Error{Pos: "-", Msg: err.Error(), Kind: packages.UnknownError})
				}
			}
			continue
		}
		// No object resolution: nothing reads ast.Ident.Obj (the type
		// checker and the analyzers use types.Info), and it costs
		// about a quarter of the parser's time.
		mode := parser.AllErrors | parser.ParseComments | parser.SkipObjectResolution
		if apiOnly {
			mode = parser.SkipObjectResolution
		}
		f, err := parser.ParseFile(r.fset, name, src, mode)
		if err != nil && !apiOnly {
			if list, ok := err.(scanner.ErrorList); ok {
				for _, e := range list {
					p.Errors = append(p.Errors, packages.Error{Pos: e.Pos.String(), Msg: e.Msg, Kind: packages.ParseError})
				}
			} else {
				p.Errors = append(p.Errors, packages.Error{Pos: "-", Msg: err.Error(), Kind: packages.UnknownError})
			}
		}
		if f != nil {
			c.files = append(c.files, f)
		}
	}
	c.pkg = types.NewPackage(p.PkgPath, p.Name)
	if !apiOnly {
		c.info = newInfo(size)
		p.Syntax, p.Types, p.TypesInfo, p.Fset = c.files, c.pkg, c.info, r.fset
	}
	nerrs := len(p.Errors)
	tc := &types.Config{
		Importer:         importer{n: n, r: r},
		IgnoreFuncBodies: apiOnly,
		Sizes:            p.TypesSizes,
		Error: func(err error) {
			if te, ok := err.(types.Error); ok && !apiOnly {
				p.TypeErrors = append(p.TypeErrors, te)
				p.Errors = append(p.Errors, packages.Error{Pos: te.Fset.Position(te.Pos).String(), Msg: te.Msg, Kind: packages.TypeError})
			}
		},
	}
	if p.Module != nil && p.Module.GoVersion != "" {
		tc.GoVersion = "go" + p.Module.GoVersion
	}
	err := types.NewChecker(tc, r.fset, c.pkg, c.info).Files(c.files)
	if err != nil && len(p.Errors) == nerrs && !apiOnly {
		p.Errors = append(p.Errors, packages.Error{Pos: "-", Msg: err.Error(), Kind: packages.UnknownError})
	}
	forImporters := c.pkg
	if !apiOnly && n.importedBy > 0 && len(p.Errors) == 0 {
		// Importers get the package's API, checked again from the
		// same syntax without function bodies: the complete package
		// holds the scopes of every function body (most of its
		// memory), which importers never look into, and it is
		// dropped once the package is analysed. A cached package's
		// importers see the same (typesOf).
		api := types.NewPackage(p.PkgPath, p.Name)
		apiConfig := *tc
		apiConfig.IgnoreFuncBodies = true
		apiConfig.Error = nil
		if err := types.NewChecker(&apiConfig, r.fset, api, nil).Files(c.files); err == nil {
			forImporters = api
		}
	}
	if n.importedBy > 0 {
		n.typesMu.Lock()
		if n.types == nil {
			n.types = forImporters
		}
		n.typesMu.Unlock()
	}
	for _, dep := range n.imports {
		dep.importerTyped()
	}
	return c
}

// importerTyped records that one more importer of n was type-checked, and
// drops n's API when it was the last: nothing asks for it again (each
// package is type-checked at most once), and holding it would keep the
// APIs of a whole graph in memory to the end of the run.
func (n *node) importerTyped() {
	n.typesMu.Lock()
	defer n.typesMu.Unlock()
	n.typedImporters++
	if n.typedImporters == n.importedBy && n.types != types.Unsafe {
		n.types = nil
	}
}

// newInfo returns driver.NewInfo's maps, those the type checker fills most
// made with room for what size bytes of source usually give (on std and
// tailscale, per KiB, the median package has 66 types, 44 uses, 9
// definitions, 7 selections and 8 scopes): growing them one doubling at a
// time took a tenth of the type checker's time. (Probes into the larger
// tables cost a little more; in 10 paired runs on std, 8 were faster
// with presized maps, median CPU time 33 s against 37 s.)
func newInfo(size int) *types.Info {
	info := driver.NewInfo()
	kib := size >> 10
	info.Types = make(map[ast.Expr]types.TypeAndValue, 72*kib)
	info.Uses = make(map[*ast.Ident]types.Object, 48*kib)
	info.Defs = make(map[*ast.Ident]types.Object, 10*kib)
	info.Selections = make(map[*ast.SelectorExpr]*types.Selection, 8*kib)
	info.Scopes = make(map[ast.Node]*types.Scope, 8*kib)
	return info
}

// typesOf returns the complete types of a done package, type-checking its
// API from source when its results came from the cache. The APIs of its
// imports are type-checked first, concurrently.
func (r *run) typesOf(n *node) *types.Package {
	n.apiOnce.Do(func() {
		n.typesMu.Lock()
		t := n.types
		n.typesMu.Unlock()
		if t != nil {
			return
		}
		var wg sync.WaitGroup
		for _, dep := range n.imports {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r.typesOf(dep)
			}()
		}
		wg.Wait()
		r.apiSem <- struct{}{}
		r.check(n, true)
		<-r.apiSem
	})
	n.typesMu.Lock()
	defer n.typesMu.Unlock()
	return n.types
}

// importer resolves the imports of one package to its dependencies' types.
type importer struct {
	n *node
	r *run
}

func (im importer) Import(path string) (*types.Package, error) {
	if path == "unsafe" {
		return types.Unsafe, nil
	}
	dep := im.n.pkg.Imports[path]
	if dep == nil {
		return nil, fmt.Errorf("no metadata for %s", path)
	}
	return im.r.typesOf(im.r.nodes[dep]), nil
}

// normalizeFixes puts each fix's edits in the form go/analysis drivers
// hand them on in: sorted by position (stably, so insertions at one point
// keep their order, and before a deletion there), each with a valid End.
func normalizeFixes(fixes []analysis.SuggestedFix) {
	for _, fix := range fixes {
		for i := range fix.TextEdits {
			if !fix.TextEdits[i].End.IsValid() {
				fix.TextEdits[i].End = fix.TextEdits[i].Pos
			}
		}
		slices.SortStableFunc(fix.TextEdits, func(x, y analysis.TextEdit) int {
			if c := cmp.Compare(x.Pos, y.Pos); c != 0 {
				return c
			}
			return cmp.Compare(x.End, y.End)
		})
	}
}

// resolveURL is the address of a diagnostic's documentation as drivers
// give it: its own URL, or "#category", resolved against the analyzer's
// URL. A URL that does not parse is left as it is.
func resolveURL(a *analysis.Analyzer, d analysis.Diagnostic) string {
	ref := d.URL
	if ref == "" && d.Category != "" {
		ref = "#" + d.Category
	}
	if ref == "" && a.URL == "" {
		return d.URL
	}
	u, err := url.Parse(ref)
	if err != nil {
		return d.URL
	}
	base, err := url.Parse(a.URL)
	if err != nil {
		return d.URL
	}
	return base.ResolveReference(u).String()
}
