// Package report turns the results of an analysis run into what the check
// command prints or does: go vet-style text, JSON, SARIF 2.1.0, a unified
// diff of the suggested fixes, or the fixes applied to the files.
package report

import (
	"encoding/json"
	"fmt"
	"go/token"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"

	"github.com/lifecycle-lsp/lifecycle-lsp/internal/findingkey"
)

// Finding is one diagnostic with resolved positions.
type Finding struct {
	Check   string         `json:"check"`
	Posn    token.Position `json:"-"`
	End     token.Position `json:"-"`
	File    string         `json:"file"`
	Line    int            `json:"line"`
	Column  int            `json:"column"`
	EndLine int            `json:"endLine"`
	EndCol  int            `json:"endColumn"`
	Message string         `json:"message"`
	// Function is the top-level declaration the finding is in ("F",
	// "(*T).M", or "(package level)").
	Function string `json:"function,omitempty"`
	// Severity is the configured severity: error, warning, information
	// or hint ("" when not set).
	Severity string `json:"severity,omitempty"`
	// Key identifies the finding across unrelated edits (see AssignKeys);
	// set by AssignKeys.
	Key     string    `json:"key,omitempty"`
	URL     string    `json:"url,omitempty"`
	Related []Related `json:"related,omitempty"`
	Fixes   []Fix     `json:"fixes,omitempty"`
}

// Related is related information of a finding.
type Related struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message"`
}

// Fix is a suggested fix.
type Fix struct {
	Message string `json:"message"`
	Edits   []Edit `json:"edits"`
}

// Edit replaces the bytes [Start, End) of File with New.
type Edit struct {
	File  string `json:"file"`
	Start int    `json:"start"`
	End   int    `json:"end"`
	New   string `json:"new"`
}

// Options adjust Collect.
type Options struct {
	// Generated keeps findings and fixes in generated files (those
	// marked "// Code generated … DO NOT EDIT.", see ast.IsGenerated),
	// which are left out by default.
	Generated bool
	// Overlay replaces the content of files on disk, as for the loader
	// (the fixpoint of -fix analyses fixed text before writing it).
	Overlay map[string][]byte
	// Enclosing names the top-level declaration a diagnostic's position
	// is in, for diagnostics whose file is not among the package's
	// syntax (results a cache kept; see streamdriver.Root).
	Enclosing map[token.Pos]string
}

// Collect gathers the diagnostics of the requested analyzers on the root
// packages, sorted by position, leaving out generated files. Analyzer
// failures are printed to stderr and reported as trouble.
func Collect(graph *checker.Graph, analyzers []*analysis.Analyzer, stderr io.Writer) ([]Finding, bool) {
	return CollectWith(graph, analyzers, stderr, Options{})
}

// isTestVariant reports whether a package ID names a package recompiled
// with its tests ("p [p.test]").
func isTestVariant(id string) bool { return strings.Contains(id, " [") }

// CollectWith is Collect with options.
func CollectWith(graph *checker.Graph, analyzers []*analysis.Analyzer, stderr io.Writer, opts Options) ([]Finding, bool) {
	wanted := map[*analysis.Analyzer]bool{}
	for _, a := range analyzers {
		wanted[a] = true
	}
	trouble := false
	seen := map[string]bool{}
	src := newSources(opts.Overlay)
	shipped := map[string]bool{} // packages analysed as they are built, without tests
	for _, act := range graph.Roots {
		if !isTestVariant(act.Package.ID) {
			shipped[act.Package.PkgPath] = true
		}
	}
	var out []Finding
	for _, act := range graph.Roots {
		if !wanted[act.Analyzer] {
			continue
		}
		testVariant := isTestVariant(act.Package.ID) && shipped[act.Package.PkgPath]
		if act.Err != nil {
			trouble = true
			fmt.Fprintf(stderr, "lifecycle-lsp: %s on %s: %v\n", act.Analyzer.Name, act.Package.PkgPath, act.Err)
			continue
		}
		built := builtFiles(act.Package.GoFiles, act.Package.CompiledGoFiles)
		syntax := act.Package.Syntax
		fset := act.Package.Fset
		for _, d := range act.Diagnostics {
			f := convert(fset, act.Analyzer, d)
			if name, ok := opts.Enclosing[d.Pos]; ok {
				f.Function = name
			} else {
				f.Function = findingkey.EnclosingIn(syntax, d.Pos)
			}
			if !opts.Generated && src.generated(f.File) {
				continue
			}
			if testVariant && !strings.HasSuffix(f.File, "_test.go") {
				// A non-test file is judged as it ships: tests may
				// swap its package variables for stubs.
				continue
			}
			key := fmt.Sprintf("%s:%d:%d:%s:%s", f.File, f.Line, f.Column, f.Check, f.Message)
			if seen[key] {
				continue // a package and its test variant share files
			}
			seen[key] = true
			f.Fixes = fixes(fset, d.SuggestedFixes, built, src, opts, func(fix analysis.SuggestedFix, err error) {
				fmt.Fprintf(stderr, "lifecycle-lsp: %s:%d: fix %q dropped: %v\n", rel(f.File), f.Line, fix.Message, err)
			})
			out = append(out, f)
		}
	}
	Sort(out)
	return out, trouble
}

// Sort orders findings by file, line and column.
func Sort(findings []Finding) {
	sort.SliceStable(findings, func(i, j int) bool {
		a, b := findings[i], findings[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
}

// builtFiles returns the compiled files the build generated (cgo's
// output): those not among the package's own source files.
func builtFiles(goFiles, compiled []string) map[string]bool {
	own := map[string]bool{}
	for _, f := range goFiles {
		own[f] = true
	}
	out := map[string]bool{}
	for _, f := range compiled {
		if !own[f] {
			out[f] = true
		}
	}
	return out
}

// convert resolves a diagnostic's positions; its fixes are resolved by
// fixes.
func convert(fset *token.FileSet, a *analysis.Analyzer, d analysis.Diagnostic) Finding {
	posn := fset.Position(d.Pos)
	end := posn
	if d.End.IsValid() {
		end = fset.Position(d.End)
	}
	check := d.Category
	if check == "" {
		check = a.Name
	}
	url := d.URL
	if url == "" {
		url = a.URL
	}
	f := Finding{Check: check, Posn: posn, End: end, File: posn.Filename, Line: posn.Line, Column: posn.Column,
		EndLine: end.Line, EndCol: end.Column, Message: d.Message, URL: url}
	for _, r := range d.Related {
		rp := fset.Position(r.Pos)
		f.Related = append(f.Related, Related{File: rp.Filename, Line: rp.Line, Column: rp.Column, Message: r.Message})
	}
	return f
}

// fixes resolves suggested fixes to byte offsets in the user's source
// files. A fix with an edit that does not map onto a source file, or that
// touches a generated file, is passed to dropped and left out.
func fixes(fset *token.FileSet, sfs []analysis.SuggestedFix, built map[string]bool, src *sources, opts Options, dropped func(analysis.SuggestedFix, error)) []Fix {
	var out []Fix
	for _, sf := range sfs {
		fix := Fix{Message: sf.Message}
		var err error
		for _, e := range sf.TextEdits {
			end := e.End
			if !end.IsValid() {
				end = e.Pos
			}
			var ed Edit
			ed, err = src.mapEdit(fset, e.Pos, end, built)
			if err == nil && !opts.Generated && src.generated(ed.File) {
				err = fmt.Errorf("it edits the generated file %s", rel(ed.File))
			}
			if err != nil {
				break
			}
			ed.New = string(e.NewText)
			fix.Edits = append(fix.Edits, ed)
		}
		if err != nil {
			dropped(sf, err)
			continue
		}
		out = append(out, fix)
	}
	return out
}

// Text prints findings as go vet does: file:line:col: message (check).
func Text(w io.Writer, findings []Finding) {
	for _, f := range findings {
		fmt.Fprintf(w, "%s:%d:%d: %s (%s)\n", rel(f.File), f.Line, f.Column, f.Message, f.Check)
	}
}

// JSON prints findings as a JSON array.
func JSON(w io.Writer, findings []Finding) error {
	if findings == nil {
		findings = []Finding{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(findings)
}

// rel returns a path relative to the working directory when it lies below it.
func rel(path string) string {
	wd, err := os.Getwd()
	if err != nil {
		return path
	}
	r, err := filepath.Rel(wd, path)
	if err != nil || strings.HasPrefix(r, "..") {
		return path
	}
	return r
}
