package catalogue_test

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/catalogue"
	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/closeerr"
	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/crossgoroutine"
	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/deferbeforecheck"
	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/doubleclose"
	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/finalizer"
	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/idempotentclose"
	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/leak"
	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/loopdefer"
	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/overwrite"
	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/perrequest"
)

// nogoAnalyzers are the Analyzer variables that a Bazel nogo target runs
// when it lists the check packages, by the packages' directories in this
// module: nogo links each listed package and runs its exported Analyzer.
var nogoAnalyzers = map[string]*analysis.Analyzer{
	"analysis/leak":             leak.Analyzer,
	"analysis/overwrite":        overwrite.Analyzer,
	"analysis/loopdefer":        loopdefer.Analyzer,
	"analysis/deferbeforecheck": deferbeforecheck.Analyzer,
	"analysis/doubleclose":      doubleclose.Analyzer,
	"analysis/idempotentclose":  idempotentclose.Analyzer,
	"analysis/crossgoroutine":   crossgoroutine.Analyzer,
	"analysis/finalizer":        finalizer.Analyzer,
	"analysis/perrequest":       perrequest.Analyzer,
	"analysis/closeerr":         closeerr.Analyzer,
}

// readmeNogoDirs returns the directories of this module that the README's
// nogo target lists in its deps.
func readmeNogoDirs(t *testing.T) []string {
	t.Helper()
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	block := regexp.MustCompile("(?s)```starlark\n[^`]*?\nnogo\\(\n(.*?)```").FindSubmatch(data)
	if block == nil {
		t.Fatal("the README shows no nogo target in a starlark block")
	}
	label := regexp.MustCompile(`"@com_github_lifecycle_lsp_lifecycle_lsp//([a-z/]+)"`)
	var dirs []string
	for _, m := range label.FindAllSubmatch(block[1], -1) {
		dirs = append(dirs, string(m[1]))
	}
	if len(dirs) == 0 {
		t.Fatal("the README's nogo target lists no package of this module")
	}
	return dirs
}

// exportsAnalyzer reports whether the package in dir declares a
// package-level variable named Analyzer.
func exportsAnalyzer(t *testing.T, dir string) bool {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.VAR {
				continue
			}
			for _, s := range g.Specs {
				for _, n := range s.(*ast.ValueSpec).Names {
					if n.Name == "Analyzer" {
						return true
					}
				}
			}
		}
	}
	return false
}

// TestNogoTargetListsTheChecks keeps the README's nogo target right: each
// label names a package of this module that exports an Analyzer variable
// named after its directory, and the labels are exactly the default
// checks; the listed analyzers together pass analysis.Validate, as
// nogo's generated main needs.
func TestNogoTargetListsTheChecks(t *testing.T) {
	listed := map[string]bool{}
	for _, dir := range readmeNogoDirs(t) {
		listed[dir] = true
		if !exportsAnalyzer(t, filepath.Join("../..", dir)) {
			t.Errorf("the nogo target lists %s, which exports no Analyzer variable", dir)
		}
		a, ok := nogoAnalyzers[dir]
		if !ok {
			t.Errorf("the nogo target lists %s, which is not a check", dir)
			continue
		}
		if a.Name != path.Base(dir) {
			t.Errorf("%s.Analyzer is named %q: nogo's configuration would not find it under its directory's name", dir, a.Name)
		}
	}
	var values []*analysis.Analyzer
	for dir, a := range nogoAnalyzers {
		values = append(values, a)
		if !listed[dir] {
			t.Errorf("the README's nogo target does not list %s", dir)
		}
	}
	var want, got []string
	for _, c := range catalogue.All() {
		if c.Default {
			want = append(want, c.Analyzer.Name)
		}
	}
	for _, a := range nogoAnalyzers {
		got = append(got, a.Name)
	}
	sort.Strings(want)
	sort.Strings(got)
	if strings.Join(want, " ") != strings.Join(got, " ") {
		t.Errorf("the nogo target runs %v, the default checks are %v", got, want)
	}
	if err := analysis.Validate(values); err != nil {
		t.Errorf("the nogo target's analyzers do not go together: %v", err)
	}
}

// TestNogoAnalyzersFindWhatCheckFinds runs the analyzers the nogo target
// lists and the catalogue's default checks (what check runs without a
// configuration) on the bundled examples: they report the same
// diagnostics.
func TestNogoAnalyzersFindWhatCheckFinds(t *testing.T) {
	cfg := &packages.Config{
		Mode:  packages.LoadAllSyntax,
		Dir:   "../../examples",
		Tests: true,
		Env:   append(os.Environ(), "GOWORK=off", "GOFLAGS="),
	}
	pkgs, err := packages.Load(cfg, "./...")
	if err != nil {
		t.Fatal(err)
	}
	if packages.PrintErrors(pkgs) > 0 {
		t.Fatal("examples/ does not load")
	}
	var nogo, check []*analysis.Analyzer
	for _, a := range nogoAnalyzers {
		nogo = append(nogo, a)
	}
	for _, c := range catalogue.All() {
		if c.Default {
			check = append(check, c.Analyzer)
		}
	}
	want, got := diagnostics(t, check, pkgs), diagnostics(t, nogo, pkgs)
	if len(want) == 0 {
		t.Fatal("the checks report nothing on examples/")
	}
	if strings.Join(want, "\n") != strings.Join(got, "\n") {
		t.Errorf("the nogo analyzers report:\n%s\nthe checks report:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// diagnostics runs analyzers on pkgs and describes each root diagnostic
// with its analyzer, position and message, sorted.
func diagnostics(t *testing.T, analyzers []*analysis.Analyzer, pkgs []*packages.Package) []string {
	t.Helper()
	graph, err := checker.Analyze(analyzers, pkgs, nil)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	var out []string
	for _, act := range graph.Roots {
		if act.Err != nil {
			t.Fatalf("%s on %s: %v", act.Analyzer.Name, act.Package.ID, act.Err)
		}
		for _, d := range act.Diagnostics {
			posn := act.Package.Fset.Position(d.Pos)
			s := fmt.Sprintf("%s:%d:%d: %s: %s", posn.Filename, posn.Line, posn.Column, act.Analyzer.Name, d.Message)
			if !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	sort.Strings(out)
	return out
}
