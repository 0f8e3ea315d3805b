package cache

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"runtime"
	"slices"
	"sort"
	"strings"

	"golang.org/x/tools/go/gcexportdata"

	"github.com/lifecycle-lsp/lifecycle-lsp/internal/cgotypes"
	"github.com/lifecycle-lsp/lifecycle-lsp/server/driver"
	"github.com/lifecycle-lsp/lifecycle-lsp/server/partial"
)

// checked is a workspace package parsed and type-checked for one run.
type checked struct {
	fset       *token.FileSet
	files      []*ast.File
	pkg        *types.Package
	info       *types.Info
	typeErrors []types.Error
	parseErrs  int
	// emptied maps a file to the offsets of the functions emptied to
	// make it parse.
	emptied map[string][]int
	// usesCgo is set when a file imports "C"; cgoDecls is then cmd/cgo's
	// declarations for the package, checked with its files, or nil when
	// cgo could not run (references to C are then of invalid type under
	// FakeImportC) and cgoErr says why.
	usesCgo  bool
	cgoDecls *ast.File
	cgoErr   error
	sizes    types.Sizes
}

// check parses and type-checks m against its dependencies: workspace
// dependencies through their export data, the others from the universe.
func (r *run) check(m *Meta, files []*File, deps []dep, universe map[string]*types.Package) *checked {
	c := &checked{sizes: types.SizesFor("gc", runtime.GOARCH), emptied: map[string][]int{}}
	var toks []*token.File
	for _, f := range files {
		if f.Err != nil {
			continue
		}
		af, tok, emptied, err := r.e.parses.parse(f)
		if err != nil {
			c.parseErrs++
		}
		if len(emptied) > 0 {
			c.emptied[f.Path] = emptied
		}
		if af != nil {
			c.files = append(c.files, af)
			toks = append(toks, tok)
			for _, imp := range af.Imports {
				if imp.Path != nil && imp.Path.Value == `"C"` {
					c.usesCgo = true
				}
			}
		}
	}
	if c.usesCgo {
		if af, tok := r.cgoDeclarations(m, c); af != nil {
			c.files = append(c.files, af)
			toks = append(toks, tok)
			c.cgoDecls = af
		}
	}
	fset := r.fileSetFor(toks)
	c.fset = fset
	// The import map of this check: universe packages first, so that
	// decoding export data reuses them, then workspace packages decoded
	// on demand.
	imports := universe
	byPath := map[string]dep{}
	for _, d := range deps {
		byPath[d.path] = d
	}
	decoded := map[string]*types.Package{}
	importer := importerFunc(func(path string) (*types.Package, error) {
		if path == "unsafe" {
			return types.Unsafe, nil
		}
		d, ok := byPath[path]
		if !ok {
			return nil, fmt.Errorf("could not import %s (not in the package graph)", path)
		}
		if d.ws == nil {
			// Type-checked by addUniverse before the check started.
			if p := universe[d.meta.PkgPath]; p != nil {
				return p, nil
			}
			return nil, fmt.Errorf("could not import %s (it does not type-check)", path)
		}
		if p, ok := decoded[d.meta.ID]; ok {
			return p, nil
		}
		if d.ws.export == nil {
			return nil, fmt.Errorf("could not import %s (no type information)", path)
		}
		if p := imports[d.meta.PkgPath]; p != nil && p.Complete() {
			decoded[d.meta.ID] = p
			return p, nil
		}
		p, err := gcexportdata.Read(bytes.NewReader(d.ws.export), fset, imports, d.meta.PkgPath)
		if err != nil {
			return nil, fmt.Errorf("reading export data of %s: %w", path, err)
		}
		decoded[d.meta.ID] = p
		return p, nil
	})
	c.info = driver.NewInfo()
	cfg := &types.Config{
		Importer:    importer,
		FakeImportC: true,
		Sizes:       c.sizes,
		Error: func(err error) {
			if te, ok := err.(types.Error); ok {
				c.typeErrors = append(c.typeErrors, te)
			}
		},
	}
	if c.cgoDecls != nil {
		cgotypes.Enable(cfg)
	}
	if v := m.GoVersion; v != "" && strings.Count(v, ".") >= 1 {
		cfg.GoVersion = "go" + v
	}
	c.pkg, _ = cfg.Check(m.PkgPath, fset, c.files, c.info)
	if c.pkg == nil {
		c.pkg = types.NewPackage(m.PkgPath, m.Name)
	}
	return c
}

// cgoDeclarations returns the syntax of cmd/cgo's declarations for the
// cgo package m (see cgoDecls), or nil when cgo cannot run; c.cgoErr then
// says why.
func (r *run) cgoDeclarations(m *Meta, c *checked) (*ast.File, *token.File) {
	names, _ := cgotypes.Key(c.files, r.e.parses.fset)
	opts := r.snap.Opts.loadOptions()
	key := keyOf("cgo", m.ID, "", func(w hashWriter) {
		w.hash(Hash(names))
		for _, s := range append(slices.Clone(opts.Env), opts.BuildFlags...) {
			w.str(s)
		}
	})
	gen, err := r.e.cgo.get(r.ctx, key, m, opts, r.snap.Overlays)
	c.cgoErr = err
	if gen == nil {
		return nil, nil
	}
	af, tok, _, err := r.e.parses.parse(gen)
	if err != nil || af == nil {
		c.cgoErr = fmt.Errorf("parsing the cgo declarations of %s: %w", m.PkgPath, err)
		return nil, nil
	}
	return af, tok
}

// addUniverse adds the universe packages reachable from m to imports,
// type-checking those not checked yet.
func (r *run) addUniverse(ctx context.Context, m *Meta, imports map[string]*types.Package, seen map[string]bool) {
	for _, depID := range m.Imports {
		if seen[depID] {
			continue
		}
		seen[depID] = true
		dm := r.md.Packages[depID]
		if dm == nil {
			continue
		}
		if !dm.Workspace {
			if p, err := r.e.universe.get(ctx, r.md, depID, r.e.sem); err == nil && p != nil {
				if _, ok := imports[p.Path()]; !ok {
					imports[p.Path()] = p
				}
			}
		}
		r.addUniverse(ctx, dm, imports, seen)
	}
}

// export returns the package's export data, or nil when it cannot be
// written (some ill-typed packages).
func (c *checked) export() (data []byte) {
	defer func() {
		if recover() != nil {
			data = nil
		}
	}()
	var buf bytes.Buffer
	if err := gcexportdata.Write(&buf, c.fset, c.pkg); err != nil {
		return nil
	}
	return buf.Bytes()
}

// fingerprint digests the package's API without positions: a change to a
// function body leaves it unchanged, so dependents need not be re-checked.
func (c *checked) fingerprint() Hash {
	h := sha256.New()
	qual := func(p *types.Package) string { return p.Path() }
	scope := c.pkg.Scope()
	names := scope.Names()
	sort.Strings(names)
	fmt.Fprintf(h, "package %s %s\n", c.pkg.Path(), c.pkg.Name())
	for _, name := range names {
		obj := scope.Lookup(name)
		fmt.Fprintln(h, types.ObjectString(obj, qual))
		if k, ok := obj.(*types.Const); ok {
			fmt.Fprintln(h, k.Val().ExactString())
		}
		if tn, ok := obj.(*types.TypeName); ok {
			if n, ok := tn.Type().(*types.Named); ok {
				fmt.Fprintln(h, types.TypeString(n.Underlying(), qual))
				for i := 0; i < n.NumMethods(); i++ {
					fmt.Fprintln(h, types.ObjectString(n.Method(i), qual))
				}
			}
		}
	}
	if len(c.typeErrors) > 0 {
		// Ill-typed packages export unreliable data; make dependents
		// follow every change.
		for _, e := range c.typeErrors {
			fmt.Fprintln(h, e.Msg)
		}
	}
	var out Hash
	copy(out[:], h.Sum(nil))
	return out
}

// wellFormed returns the files to analyse: all of them when the package
// parses and type-checks, otherwise only its well-formed declarations.
func (c *checked) wellFormed() partial.Result {
	hard := c.parseErrs > 0
	for _, e := range c.typeErrors {
		if !partial.Benign(e) {
			hard = true
		}
	}
	if !hard && (!c.usesCgo || c.cgoDecls != nil) {
		return partial.Result{Files: c.files, Info: c.info}
	}
	return partial.Prune(c.fset, c.files, c.info, c.typeErrors, c.emptied)
}

// analyze runs the analyzers on a checked package.
func (r *run) analyze(m *Meta, c *checked, deps []dep) *analysisEntry {
	facts := r.depFacts(m)
	wf := c.wellFormed()
	in := driver.Input{
		Fset:       c.fset,
		Files:      wf.Files,
		OtherFiles: m.Other,
		Pkg:        c.pkg,
		Info:       wf.Info,
		Sizes:      c.sizes,
		TypeErrors: c.typeErrors,
		Module:     m.Module,
		DepFacts:   func(path string) *driver.Facts { return facts[path] },
		ReadFile: func(name string) ([]byte, error) {
			f := r.snap.File(name)
			return f.Content, f.Err
		},
	}
	out := driver.Run(r.ctx, r.snap.Opts.Analyzers, in)
	ae := &analysisEntry{facts: out.Facts}
	ae.result.ID = m.ID
	ae.result.TypeErrors = len(c.typeErrors) + c.parseErrs
	ae.result.Skipped = wf.Skipped
	ae.result.SkippedSpans = wf.Spans
	ae.result.SkipReason = wf.FirstError
	ae.result.UnresolvedImports = wf.Imports
	for _, err := range out.Errors {
		ae.result.Errors = append(ae.result.Errors, err.Error())
	}
	for _, e := range m.Errors {
		ae.result.Errors = append(ae.result.Errors, "go list: "+e)
	}
	if c.cgoErr != nil {
		ae.result.Errors = append(ae.result.Errors, fmt.Sprintf("functions that use C may not be analysed: %v", c.cgoErr))
	}
	for _, d := range out.Diagnostics {
		if cd, ok := convert(c.fset, d); ok {
			ae.result.Diagnostics = append(ae.result.Diagnostics, cd)
		}
	}
	sortDiagnostics(ae.result.Diagnostics)
	ae.deepFacts = keyOf("deepfacts", m.ID, "", func(w hashWriter) {
		w.hash(out.Facts.Hash())
		for _, d := range deps {
			if d.ws != nil {
				w.hash(d.ws.deepFacts)
			}
		}
	})
	return ae
}

// convert turns an analysis diagnostic into offsets.
func convert(fset *token.FileSet, d driver.Diagnostic) (Diagnostic, bool) {
	file, start, end, ok := span(fset, d.Pos, d.End)
	if !ok {
		return Diagnostic{}, false
	}
	out := Diagnostic{
		File:     file,
		Start:    start,
		End:      end,
		Check:    d.Analyzer.Name,
		Message:  d.Message,
		URL:      d.URL,
		Category: d.Category,
	}
	if out.URL == "" {
		out.URL = d.Analyzer.URL
	}
	for _, rel := range d.Related {
		if f, s, e, ok := span(fset, rel.Pos, rel.End); ok {
			out.Related = append(out.Related, Related{File: f, Start: s, End: e, Message: rel.Message})
		}
	}
	for _, fix := range d.SuggestedFixes {
		cf := Fix{Message: fix.Message}
		valid := true
		for _, te := range fix.TextEdits {
			f, s, e, ok := span(fset, te.Pos, te.End)
			if !ok {
				valid = false
				break
			}
			cf.Edits = append(cf.Edits, Edit{File: f, Start: s, End: e, NewText: string(te.NewText)})
		}
		if valid && len(cf.Edits) > 0 {
			out.Fixes = append(out.Fixes, cf)
		}
	}
	return out, true
}

// span converts a position range to a file name and byte offsets.
func span(fset *token.FileSet, pos, end token.Pos) (string, int, int, bool) {
	if !pos.IsValid() {
		return "", 0, 0, false
	}
	tf := fset.File(pos)
	if tf == nil {
		return "", 0, 0, false
	}
	if !end.IsValid() || end < pos || fset.File(end) != tf {
		end = pos
	}
	s, e := tf.Offset(pos), tf.Offset(end)
	return tf.Name(), s, e, true
}
