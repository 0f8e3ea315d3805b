package cache

import (
	"context"
	"fmt"
	"os"
	"reflect"
	"runtime"
	"sort"
	"sync"
	"time"

	"go/token"
	"go/types"

	"github.com/lifecycle-lsp/lifecycle-lsp/server/driver"
	"github.com/lifecycle-lsp/lifecycle-lsp/server/partial"
)

// Diagnostic is an analyzer finding, with byte offsets into the file
// version it was computed on.
type Diagnostic struct {
	File       string
	Start, End int
	Check      string
	Message    string
	URL        string
	Category   string
	Related    []Related
	Fixes      []Fix
}

// Related is a secondary location of a diagnostic.
type Related struct {
	File       string
	Start, End int
	Message    string
}

// Fix is a suggested fix: edits to apply together.
type Fix struct {
	Message string
	Edits   []Edit
}

// Edit replaces the bytes [Start, End) of File with NewText.
type Edit struct {
	File       string
	Start, End int
	NewText    string
}

// PackageResult is the diagnostics of one workspace package for the files
// it owns, computed on exactly the file versions in Files.
type PackageResult struct {
	ID          string
	Files       []*File
	Diagnostics []Diagnostic
	// Errors lists analysis failures (recovered panics, analyzer errors,
	// list errors) for logging.
	Errors []string
	// TypeErrors is the number of type errors the package has.
	TypeErrors int
	// Skipped names the declarations left out of the analysis because
	// they do not parse or type-check; SkipReason explains the first.
	Skipped    []string
	SkipReason string
	// SkippedSpans are the places of the skipped declarations.
	SkippedSpans []partial.Span
	// UnresolvedImports lists imports that could not be resolved and
	// made declarations be skipped.
	UnresolvedImports []string
}

// Sink receives the results of a run as they are computed. Its methods
// may be called concurrently.
type Sink interface {
	// Loaded is called once the package graph of the run is known.
	Loaded(md *Metadata)
	// Package is called once per workspace package.
	Package(r PackageResult)
	// Progress reports done of total packages.
	Progress(done, total int)
	// Logf logs a message.
	Logf(format string, args ...any)
}

// Engine computes diagnostics for snapshots, caching what it can between
// runs. Runs may overlap: a cancelled run finishing the packages it has in
// flight does not hold up the next one (they share the engine's slots).
type Engine struct {
	sem chan struct{}
	// background bounds the packages analysed at once outside the
	// priority packages of a run (and their dependencies): half the
	// slots, so that re-analysing the dependants of an edited package
	// holds the syntax, types and SSA of fewer packages at a time.
	background chan struct{}

	mu        sync.Mutex
	meta      *Metadata
	metaEpoch uint64
	metaLoad  loadOptions
	metaValid bool
	metaFold  []string
	loading   *loadFuture

	// store, when set, returns the persistent result store (see
	// UseStore).
	store func() (Store, string)

	universe *universe
	parses   *parseCache
	cgo      *cgoDecls
	types    map[Hash]*typeEntry
	analyses map[Hash]*analysisEntry
}

// NewEngine returns an engine with empty caches.
func NewEngine() *Engine {
	u := newUniverse()
	return &Engine{
		sem:        make(chan struct{}, runtime.GOMAXPROCS(0)),
		background: make(chan struct{}, max(1, runtime.GOMAXPROCS(0)/2)),
		universe:   u,
		// Workspace files share the universe's FileSet, so their
		// position ranges never overlap the universe files'.
		parses:   newParseCache(u.fset),
		cgo:      newCgoDecls(),
		types:    map[Hash]*typeEntry{},
		analyses: map[Hash]*analysisEntry{},
	}
}

// typeEntry is what dependents need of a type-checked package.
type typeEntry struct {
	export []byte // nil when export failed
	deepFP Hash
	used   bool
	idle   int // complete runs in a row that did not use it
}

// analysisEntry is the cached outcome of analyzing a package.
type analysisEntry struct {
	facts     *driver.Facts
	deepFacts Hash
	result    PackageResult
	used      bool
	idle      int
}

// Metadata returns the package graph of the last load (nil before).
func (e *Engine) Metadata() *Metadata {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.meta
}

// Run computes the diagnostics of every workspace package in snap,
// reporting them to sink as they become available, the owners of the
// priority files first. The rest of the workspace starts settle after the
// priority packages are published, so that an edit arriving meanwhile
// cancels a run with no type-checking in flight (go/types cannot be
// interrupted, and the next run waits for this one to stop). It returns
// ctx.Err() when cancelled.
func (e *Engine) Run(ctx context.Context, snap *Snapshot, priority []string, settle time.Duration, sink Sink) error {
	md, err := e.metadata(ctx, snap, sink)
	if err != nil {
		return err
	}
	sink.Loaded(md)
	r := &run{e: e, ctx: ctx, snap: snap, md: md, sink: sink, nodes: map[string]*future{}, foreground: map[string]bool{}, write: true}
	defer r.writes.Wait()
	total := len(md.Workspace)
	var done int
	var doneMu sync.Mutex
	report := func(id string, res *wsResult) {
		doneMu.Lock()
		done++
		d := done
		doneMu.Unlock()
		sink.Package(res.owned(md, id))
		sink.Progress(d, total)
	}
	started := map[string]bool{}
	var wg sync.WaitGroup
	start := func(id string) {
		if started[id] {
			return
		}
		started[id] = true
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := r.workspace(id)
			if err != nil {
				return
			}
			report(id, res)
		}()
	}
	// Owners of priority files first; their results are published as
	// soon as they are ready, independently of the rest.
	for _, p := range priority {
		if id, ok := md.Owner[p]; ok {
			start(id)
		}
	}
	// The rest waits until the priority packages are published, so they
	// do not compete with them for the CPU.
	wg.Wait()
	r.mu.Lock()
	r.prioritized = true
	for id := range r.nodes {
		r.foreground[id] = true
	}
	r.mu.Unlock()
	// The next edit of a priority file type-checks its package: have
	// what that needs from outside the workspace ready (a package whose
	// results came from the store was not type-checked).
	for id := range started {
		if m := md.Packages[id]; m != nil {
			go r.addUniverse(context.Background(), m, map[string]*types.Package{}, map[string]bool{})
		}
	}
	if len(started) > 0 && settle > 0 {
		timer := time.NewTimer(settle)
		select {
		case <-timer.C:
		case <-ctx.Done():
			timer.Stop()
			return ctx.Err()
		}
	}
	for _, id := range md.Workspace {
		start(id)
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	e.collect()
	return nil
}

// keepIdle is how many complete runs in a row may leave a type or analysis
// entry unused before it is dropped: two, so that undoing an edit (or
// toggling a line) finds the dependants' results of the state before.
const keepIdle = 2

// collect drops the syntax trees the last complete run did not use, and
// the type and analysis entries the last keepIdle runs did not use.
func (e *Engine) collect() {
	e.parses.collect()
	e.mu.Lock()
	defer e.mu.Unlock()
	for k, v := range e.types {
		if v.idle = next(v.used, v.idle); v.idle >= keepIdle {
			delete(e.types, k)
		}
		v.used = false
	}
	for k, v := range e.analyses {
		if v.idle = next(v.used, v.idle); v.idle >= keepIdle {
			delete(e.analyses, k)
		}
		v.used = false
	}
}

// next is an entry's idle count after a complete run.
func next(used bool, idle int) int {
	if used {
		return 0
	}
	return idle + 1
}

// metadata returns the package graph for snap, reloading it when the
// snapshot invalidated it. A load is not tied to the run that started it:
// a run cancelled by an edit leaves it going, and the next run waits for
// it instead of starting go list again. Only a load for other settings,
// folders or package graph cancels it.
func (e *Engine) metadata(ctx context.Context, snap *Snapshot, sink Sink) (*Metadata, error) {
	for {
		e.mu.Lock()
		md := e.meta
		valid := e.metaValid && e.metaEpoch == snap.loadEpoch && sameLoad(e.metaLoad, snap.Opts.loadOptions()) && slicesEqual(e.metaFold, snap.Folders)
		if valid && !stale(md, snap) {
			e.mu.Unlock()
			return md, nil
		}
		lf := e.loading
		if lf == nil || !lf.serves(snap) {
			if lf != nil {
				lf.cancel()
			}
			lf = e.startLoad(snap, sink)
			e.loading = lf
		}
		e.mu.Unlock()
		select {
		case <-lf.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if lf.md == nil {
			// Cancelled by a newer load: wait for that one.
			continue
		}
		if stale(lf.md, snap) {
			// The graph changed while it loaded: load again.
			e.mu.Lock()
			if e.loading == lf {
				e.loading = nil
			}
			e.mu.Unlock()
			continue
		}
		return lf.md, nil
	}
}

// loadFuture is a package graph being loaded for a snapshot's folders,
// settings and load epoch.
type loadFuture struct {
	epoch   uint64
	load    loadOptions
	folders []string
	cancel  context.CancelFunc
	done    chan struct{}
	md      *Metadata // nil when cancelled
}

// serves reports whether the load is for snap's folders and settings and
// has not gone stale.
func (lf *loadFuture) serves(snap *Snapshot) bool {
	if lf.epoch != snap.loadEpoch || !sameLoad(lf.load, snap.Opts.loadOptions()) || !slicesEqual(lf.folders, snap.Folders) {
		return false
	}
	select {
	case <-lf.done:
		return lf.md != nil && !stale(lf.md, snap)
	default:
		return true
	}
}

// startLoad starts loading the package graph of snap; the engine adopts it
// when done unless a newer load replaced it. Called with e.mu held.
func (e *Engine) startLoad(snap *Snapshot, sink Sink) *loadFuture {
	ctx, cancel := context.WithCancel(context.Background())
	lf := &loadFuture{epoch: snap.loadEpoch, load: snap.Opts.loadOptions(), folders: snap.Folders, cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(lf.done)
		defer cancel()
		sink.Logf("loading packages of %v", snap.Folders)
		md := loadMetadata(ctx, snap.Folders, snap.Overlays, snap.disk, lf.load)
		if ctx.Err() != nil {
			return
		}
		sink.Logf("loaded %d packages (%d in the workspace)", len(md.Packages), len(md.Workspace))
		e.mu.Lock()
		if e.loading != lf {
			e.mu.Unlock()
			return
		}
		lf.md = md
		e.meta, e.metaEpoch, e.metaLoad, e.metaValid, e.metaFold = md, lf.epoch, lf.load, true, lf.folders
		e.mu.Unlock()
		e.universe.retain(md)
	}()
	return lf
}

func slicesEqual(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// stale reports whether an edit changed the package graph: a file's
// imports or package clause changed, or a new overlay appeared.
func stale(md *Metadata, snap *Snapshot) bool {
	for p := range snap.Overlays {
		if _, ok := md.headers[p]; !ok && !md.overlays[p] && isGoFile(p) {
			return true
		}
	}
	for p, h := range md.headers {
		f := snap.File(p)
		if f.Err != nil {
			if os.IsNotExist(unwrapAll(f.Err)) {
				return true
			}
			continue
		}
		if f.Header() != h {
			return true
		}
	}
	return false
}

func isGoFile(p string) bool { return len(p) > 3 && p[len(p)-3:] == ".go" }

func unwrapAll(err error) error {
	for {
		u, ok := err.(interface{ Unwrap() error })
		if !ok {
			return err
		}
		next := u.Unwrap()
		if next == nil {
			return err
		}
		err = next
	}
}

// future is a value computed once by one goroutine and awaited by others.
type future struct {
	done chan struct{}
	res  *wsResult
	err  error
}

// run is the state of one Engine.Run.
type run struct {
	e    *Engine
	ctx  context.Context
	snap *Snapshot
	md   *Metadata
	sink Sink

	mu    sync.Mutex
	nodes map[string]*future
	// foreground holds the packages computed for the priority packages
	// (those and their dependencies); prioritized is set once they are
	// done, and the packages computed after it are background work.
	foreground  map[string]bool
	prioritized bool
	// write is set when fresh results go to the store (not for the
	// hypothetical texts of Reanalyze); writes counts the writes in
	// flight.
	write  bool
	writes sync.WaitGroup

	factTypesOnce   sync.Once
	factTypesByName map[string]reflect.Type
}

// wsResult is a workspace package's outcome within a run.
type wsResult struct {
	deepFP    Hash
	export    []byte
	facts     *driver.Facts
	deepFacts Hash
	result    PackageResult
	files     []*File
	// persistKey names the package's results in the engine's store; zero
	// when they are not stored.
	persistKey Hash
}

// owned restricts a package's result to the files it owns.
func (w *wsResult) owned(md *Metadata, id string) PackageResult {
	out := PackageResult{ID: id, Errors: w.result.Errors, TypeErrors: w.result.TypeErrors,
		Skipped: w.result.Skipped, SkipReason: w.result.SkipReason, UnresolvedImports: w.result.UnresolvedImports}
	owned := map[string]bool{}
	for _, f := range w.files {
		if md.Owner[f.Path] == id {
			owned[f.Path] = true
			out.Files = append(out.Files, f)
		}
	}
	for _, d := range w.result.Diagnostics {
		if owned[d.File] {
			out.Diagnostics = append(out.Diagnostics, d)
		}
	}
	for _, sp := range w.result.SkippedSpans {
		if owned[sp.File] {
			out.SkippedSpans = append(out.SkippedSpans, sp)
		}
	}
	return out
}

// hashInputs writes a package's files and its dependencies into a key:
// a workspace dependency as wsKey gives it, another by its universe key.
func (r *run) hashInputs(w hashWriter, files []*File, deps []dep, wsKey func(*wsResult) Hash) {
	for _, f := range files {
		w.str(f.Path)
		w.hash(f.Hash)
	}
	for _, d := range deps {
		w.str(d.path)
		w.str(d.meta.ID)
		if d.ws != nil {
			w.hash(wsKey(d.ws))
		} else {
			w.hash(r.e.universe.key(r.md, d.meta.ID))
		}
	}
}

// isBackground reports whether package id is computed after the priority
// packages of the run, and not for them.
func (r *run) isBackground(id string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.prioritized && !r.foreground[id]
}

// workspace returns the result of workspace package id, computing it once
// per run.
func (r *run) workspace(id string) (*wsResult, error) {
	r.mu.Lock()
	f, ok := r.nodes[id]
	if !ok {
		f = &future{done: make(chan struct{})}
		r.nodes[id] = f
		r.mu.Unlock()
		go func() {
			defer close(f.done)
			f.res, f.err = r.computeWorkspace(id)
		}()
	} else {
		r.mu.Unlock()
	}
	select {
	case <-f.done:
		return f.res, f.err
	case <-r.ctx.Done():
		return nil, r.ctx.Err()
	}
}

// dep is one resolved import of a package being checked.
type dep struct {
	path string // import path as written
	meta *Meta
	ws   *wsResult // workspace dependency; nil for one outside the workspace
}

func (r *run) computeWorkspace(id string) (*wsResult, error) {
	m := r.md.Packages[id]
	if m == nil {
		return nil, fmt.Errorf("unknown package %s", id)
	}
	res := &wsResult{}
	for _, p := range m.GoFiles {
		res.files = append(res.files, r.snap.File(p))
	}
	// Resolve dependencies, in import-path order for stable keys.
	// Packages outside the workspace are type-checked only when this
	// package is: their keys need no types.
	var deps []dep
	for _, path := range sortedKeys(m.Imports) {
		dm := r.md.Packages[m.Imports[path]]
		if dm == nil {
			continue
		}
		d := dep{path: path, meta: dm}
		if dm.Workspace {
			w, err := r.workspace(dm.ID)
			if err != nil {
				if r.ctx.Err() != nil {
					return nil, r.ctx.Err()
				}
				continue
			}
			d.ws = w
		}
		deps = append(deps, d)
	}
	res.persistKey = r.persistKey(m, res.files, deps)

	typeKey := keyOf("type", id, m.GoVersion, func(w hashWriter) {
		r.hashInputs(w, res.files, deps, func(ws *wsResult) Hash { return ws.deepFP })
	})
	analysisKey := keyOf("analysis", id, r.snap.Opts.AnalyzersKey, func(w hashWriter) {
		w.hash(typeKey)
		for _, d := range deps {
			if d.ws != nil {
				w.hash(d.ws.deepFacts)
			}
		}
	})

	r.e.mu.Lock()
	te := r.e.types[typeKey]
	ae := r.e.analyses[analysisKey]
	if te != nil {
		te.used = true
	}
	if ae != nil {
		ae.used = true
	}
	r.e.mu.Unlock()
	if te != nil && ae != nil {
		res.deepFP, res.export = te.deepFP, te.export
		res.facts, res.deepFacts, res.result = ae.facts, ae.deepFacts, ae.result
		return res, nil
	}
	if te == nil && ae == nil {
		if pte, pae, ok := r.restore(res.persistKey); ok {
			r.e.mu.Lock()
			r.e.types[typeKey], r.e.analyses[analysisKey] = pte, pae
			r.e.mu.Unlock()
			res.deepFP, res.export = pte.deepFP, pte.export
			res.facts, res.deepFacts, res.result = pae.facts, pae.deepFacts, pae.result
			return res, nil
		}
	}

	// Type-check the packages outside the workspace it needs before
	// taking a slot: they take slots of their own.
	universe := map[string]*types.Package{}
	r.addUniverse(r.ctx, m, universe, map[string]bool{})
	if r.isBackground(id) {
		if err := acquire(r.ctx, r.e.background); err != nil {
			return nil, err
		}
		defer func() { <-r.e.background }()
	}
	if err := acquire(r.ctx, r.e.sem); err != nil {
		return nil, err
	}
	defer func() { <-r.e.sem }()
	if err := r.ctx.Err(); err != nil {
		return nil, err
	}
	checked := r.check(m, res.files, deps, universe)
	if err := r.ctx.Err(); err != nil {
		return nil, err
	}
	// Export data (for dependents) and analysis (for this package's
	// diagnostics) are independent: compute them side by side.
	var exported sync.WaitGroup
	if te == nil {
		te = &typeEntry{used: true}
		exported.Add(1)
		go func() {
			defer exported.Done()
			te.export = checked.export()
			te.deepFP = keyOf("deepfp", id, "", func(w hashWriter) {
				w.hash(checked.fingerprint())
				for _, d := range deps {
					if d.ws != nil {
						w.hash(d.ws.deepFP)
					} else {
						w.hash(r.e.universe.key(r.md, d.meta.ID))
					}
				}
			})
			r.e.mu.Lock()
			r.e.types[typeKey] = te
			r.e.mu.Unlock()
		}()
	}
	var fresh *analysisEntry
	if ae == nil {
		fresh = r.analyze(m, checked, deps)
	}
	exported.Wait()
	res.deepFP, res.export = te.deepFP, te.export
	if fresh != nil {
		if err := r.ctx.Err(); err != nil {
			return nil, err
		}
		ae = fresh
		ae.used = true
		r.e.mu.Lock()
		r.e.analyses[analysisKey] = ae
		r.e.mu.Unlock()
	}
	res.facts, res.deepFacts, res.result = ae.facts, ae.deepFacts, ae.result
	r.persist(res.persistKey, te, ae)
	return res, nil
}

func acquire(ctx context.Context, sem chan struct{}) error {
	select {
	case sem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// depFacts maps the package paths reachable from m through workspace
// packages to their facts.
func (r *run) depFacts(m *Meta) map[string]*driver.Facts {
	out := map[string]*driver.Facts{}
	seen := map[string]bool{}
	var visit func(m *Meta)
	visit = func(m *Meta) {
		for _, path := range sortedKeys(m.Imports) {
			dm := r.md.Packages[m.Imports[path]]
			if dm == nil || !dm.Workspace || seen[dm.ID] {
				continue
			}
			seen[dm.ID] = true
			r.mu.Lock()
			f := r.nodes[dm.ID]
			r.mu.Unlock()
			if f == nil {
				continue
			}
			select {
			case <-f.done:
				if f.res != nil {
					if _, ok := out[dm.PkgPath]; !ok {
						out[dm.PkgPath] = f.res.facts
					}
				}
			default:
			}
			visit(dm)
		}
	}
	visit(m)
	return out
}

// fileSetFor returns a fresh FileSet that holds the universe files, so
// positions of imported declarations resolve, and the package's own files.
func (r *run) fileSetFor(own []*token.File) *token.FileSet {
	fset := token.NewFileSet()
	fset.AddExistingFiles(r.e.universe.files()...)
	fset.AddExistingFiles(own...)
	return fset
}

// sortByPath sorts results for determinism.
func sortDiagnostics(ds []Diagnostic) {
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i], ds[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Start != b.Start {
			return a.Start < b.Start
		}
		if a.Check != b.Check {
			return a.Check < b.Check
		}
		return a.Message < b.Message
	})
}
