package streamdriver

import (
	"context"
	"fmt"
	"go/ast"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/catalogue"
	"github.com/lifecycle-lsp/lifecycle-lsp/internal/findingkey"
)

// describe prints a diagnostic with everything a user sees of it: the
// analyzer, the category, positions, the message, related information
// and the fixes' edits (as byte offsets).
func describe(fset *token.FileSet, a *analysis.Analyzer, d analysis.Diagnostic) string {
	var b strings.Builder
	pos := func(p token.Pos) string {
		if !p.IsValid() {
			return "-"
		}
		posn := fset.Position(p)
		return fmt.Sprintf("%s:%d", posn.Filename, posn.Offset)
	}
	fmt.Fprintf(&b, "%s %s %s-%s %q %q", a.Name, d.Category, pos(d.Pos), pos(d.End), d.Message, d.URL)
	for _, r := range d.Related {
		fmt.Fprintf(&b, "\n  related %s-%s %q", pos(r.Pos), pos(r.End), r.Message)
	}
	for _, f := range d.SuggestedFixes {
		fmt.Fprintf(&b, "\n  fix %q", f.Message)
		for _, e := range f.TextEdits {
			fmt.Fprintf(&b, "\n    %s-%s %q", pos(e.Pos), pos(e.End), e.NewText)
		}
	}
	return b.String()
}

// results maps a root package's ID to its described diagnostics.
type results map[string][]string

// add records a root's diagnostics with the names of the declarations
// they are in: from the package's syntax, or from enclosing for a root
// that came from the cache.
func (r results) add(id string, fset *token.FileSet, acts []*checker.Action, syntax []*ast.File, enclosing map[token.Pos]string) {
	out := r[id]
	for _, act := range acts {
		for _, d := range act.Diagnostics {
			name, ok := enclosing[d.Pos]
			if !ok {
				name = findingkey.EnclosingIn(syntax, d.Pos)
			}
			out = append(out, describe(fset, act.Analyzer, d)+"\n  in "+name)
		}
	}
	sort.Strings(out)
	r[id] = out
}

// withChecker analyses the packages of patterns as check's default driver
// does: everything loaded with LoadAllSyntax, then checker.Analyze on the
// packages that load without errors.
func withChecker(t *testing.T, cfg packages.Config, analyzers []*analysis.Analyzer, patterns ...string) results {
	t.Helper()
	cfg.Mode = packages.LoadAllSyntax | packages.NeedModule
	pkgs, err := packages.Load(&cfg, patterns...)
	if err != nil {
		t.Fatal(err)
	}
	var clean []*packages.Package
	for _, p := range pkgs {
		ok := true
		packages.Visit([]*packages.Package{p}, nil, func(q *packages.Package) { ok = ok && len(q.Errors) == 0 })
		if ok {
			clean = append(clean, p)
		}
	}
	out := results{}
	if len(clean) == 0 {
		return out
	}
	graph, err := checker.Analyze(analyzers, clean, &checker.Options{})
	if err != nil {
		t.Fatal(err)
	}
	byPkg := map[*packages.Package][]*checker.Action{}
	for _, act := range graph.Roots {
		if act.Err != nil {
			t.Fatalf("%s on %s: %v", act.Analyzer.Name, act.Package.ID, act.Err)
		}
		byPkg[act.Package] = append(byPkg[act.Package], act)
	}
	for p, acts := range byPkg {
		out.add(p.ID, p.Fset, acts, p.Syntax, nil)
	}
	return out
}

// withStream analyses the packages of patterns with the streaming driver
// and reports which roots came from the cache.
func withStream(t *testing.T, cfg packages.Config, analyzers []*analysis.Analyzer, cache *Cache, patterns ...string) (results, map[string]bool) {
	t.Helper()
	return withStreamOptions(t, cfg, analyzers, Options{Overlay: cfg.Overlay, Cache: cache}, patterns...)
}

func withStreamOptions(t *testing.T, cfg packages.Config, analyzers []*analysis.Analyzer, opts Options, patterns ...string) (results, map[string]bool) {
	t.Helper()
	cfg.Mode = LoadMode
	pkgs, err := packages.Load(&cfg, patterns...)
	if err != nil {
		t.Fatal(err)
	}
	out := results{}
	cached := map[string]bool{}
	err = Analyze(context.Background(), analyzers, pkgs, opts, func(r Root) {
		if len(r.Errors) > 0 {
			t.Errorf("%s: %v", r.Package.ID, r.Errors)
		}
		if !r.Cached && len(r.Package.Syntax) != len(r.Package.CompiledGoFiles) {
			t.Errorf("%s handed over without syntax", r.Package.ID)
		}
		for _, act := range r.Actions {
			for _, d := range act.Diagnostics {
				_, named := r.Enclosing[d.Pos]
				if r.Cached != named {
					t.Errorf("%s (cached %v): the declaration of the diagnostic at %v is named %v by Enclosing", r.Package.ID, r.Cached, r.Package.Fset.Position(d.Pos), named)
				}
			}
		}
		out.add(r.Package.ID, r.Package.Fset, r.Actions, r.Package.Syntax, r.Enclosing)
		cached[r.Package.ID] = r.Cached
	})
	if err != nil {
		t.Fatal(err)
	}
	return out, cached
}

func compare(t *testing.T, what string, want, got results) {
	t.Helper()
	for id, w := range want {
		g, ok := got[id]
		if !ok {
			t.Errorf("%s: package %s was not analysed", what, id)
			continue
		}
		if strings.Join(w, "\n") != strings.Join(g, "\n") {
			t.Errorf("%s: package %s: %s", what, id, difference(w, g))
		}
	}
	for id := range got {
		if _, ok := want[id]; !ok {
			t.Errorf("%s: package %s analysed, but not by checker", what, id)
		}
	}
}

// TestSameAsChecker runs every check on the bundled examples and on the
// analyzers' test packages with both drivers: the streaming driver, with
// and without its cache (cold, then warm, then with every root analysed
// again on top of cached dependencies, as after an edit), reports exactly
// what checker.Analyze reports.
func TestSameAsChecker(t *testing.T) {
	analyzers := catalogue.Analyzers(catalogue.All())
	type corpus struct {
		name     string
		cfg      packages.Config
		patterns []string
	}
	corpora := []corpus{{name: "examples", cfg: packages.Config{Dir: "../../examples", Tests: true}, patterns: []string{"./..."}}}
	dirs, err := filepath.Glob("../../analysis/*/testdata")
	if err != nil {
		t.Fatal(err)
	}
	for _, dir := range dirs {
		abs, err := filepath.Abs(dir)
		if err != nil {
			t.Fatal(err)
		}
		entries, err := os.ReadDir(filepath.Join(abs, "src"))
		if err != nil {
			continue
		}
		var patterns []string
		for _, e := range entries {
			if e.IsDir() {
				patterns = append(patterns, e.Name()+"/...")
			}
		}
		env := append(os.Environ(), "GOPATH="+abs, "GO111MODULE=off", "GOPROXY=off", "GOFLAGS=")
		corpora = append(corpora, corpus{name: dir, cfg: packages.Config{Dir: filepath.Join(abs, "src"), Env: env, Tests: true}, patterns: patterns})
	}
	for _, c := range corpora {
		want := withChecker(t, c.cfg, analyzers, c.patterns...)
		if len(want) == 0 {
			t.Fatalf("%s: no package analysed", c.name)
		}
		got, _ := withStream(t, c.cfg, analyzers, nil, c.patterns...)
		compare(t, c.name+" (no cache)", want, got)

		cache, err := OpenCache(t.TempDir(), "test")
		if err != nil {
			t.Fatal(err)
		}
		cold, cachedCold := withStream(t, c.cfg, analyzers, cache, c.patterns...)
		compare(t, c.name+" (cold cache)", want, cold)
		warm, cachedWarm := withStream(t, c.cfg, analyzers, cache, c.patterns...)
		compare(t, c.name+" (warm cache)", want, warm)
		// Dependencies from the cache: their APIs type-checked from
		// source, their facts decoded from the entries.
		again, cachedAgain := withStreamOptions(t, c.cfg, analyzers, Options{Cache: cache, rootsMiss: true}, c.patterns...)
		compare(t, c.name+" (roots analysed again, dependencies cached)", want, again)
		for id := range cold {
			if cachedCold[id] {
				t.Errorf("%s: %s came from an empty cache", c.name, id)
			}
			if !cachedWarm[id] {
				t.Errorf("%s: %s was analysed again on an unchanged tree", c.name, id)
			}
			if cachedAgain[id] {
				t.Errorf("%s: %s came from the cache though roots were to be analysed again", c.name, id)
			}
		}
	}
}

// difference describes how two sorted lists of diagnostics differ.
func difference(want, got []string) string {
	count := map[string]int{}
	for _, w := range want {
		count[w]++
	}
	for _, g := range got {
		count[g]--
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d diagnostics, want %d", len(got), len(want))
	for d, n := range count {
		switch {
		case n > 0:
			fmt.Fprintf(&b, "\nmissing (%d):\n%s", n, d)
		case n < 0:
			fmt.Fprintf(&b, "\nunexpected (%d):\n%s", -n, d)
		}
	}
	return b.String()
}

// TestRecompiledDependencies checks the dependencies compiled again for
// another package's tests: their facts are their plain package's when the
// tests add nothing the dependency could see (user [shipped.test]), and
// they are analysed anew when the tests add a method to a type of the
// package under test (maker [augmented.test]); in both cases the findings
// are those of the checker, which analyses every variant.
func TestRecompiledDependencies(t *testing.T) {
	abs, err := filepath.Abs("testdata/variants")
	if err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "GOPATH="+abs, "GO111MODULE=off", "GOPROXY=off", "GOFLAGS=")
	cfg := packages.Config{Dir: filepath.Join(abs, "src"), Env: env, Tests: true}
	analyzers := catalogue.Analyzers(catalogue.All())
	want := withChecker(t, cfg, analyzers, "shipped", "user", "augmented", "maker")

	var mu sync.Mutex
	reused := map[string]bool{}
	got, _ := withStreamOptions(t, cfg, analyzers, Options{reused: func(id string) {
		mu.Lock()
		defer mu.Unlock()
		reused[id] = true
	}}, "shipped", "user", "augmented", "maker")
	compare(t, "variants", want, got)

	if !reused["user [shipped.test]"] {
		t.Errorf("user [shipped.test] was analysed again; reused: %v", reused)
	}
	if reused["maker [augmented.test]"] {
		t.Errorf("maker [augmented.test] took maker's facts, though augmented's tests give Handle a Close method")
	}
	leak := false
	for _, d := range got["shipped_test [shipped.test]"] {
		leak = leak || strings.HasPrefix(d, "leak ") && strings.Contains(d, "external_test.go")
	}
	if !leak {
		t.Errorf("the file leaked in shipped's external test is not reported; got %v", got)
	}
}
