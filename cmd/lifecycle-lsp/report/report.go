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
	URL     string         `json:"url,omitempty"`
	Related []Related      `json:"related,omitempty"`
	Fixes   []Fix          `json:"fixes,omitempty"`
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

// Collect gathers the diagnostics of the requested analyzers on the root
// packages, sorted by position. Analyzer failures are printed to stderr and
// reported as trouble.
func Collect(graph *checker.Graph, analyzers []*analysis.Analyzer, stderr io.Writer) ([]Finding, bool) {
	wanted := map[*analysis.Analyzer]bool{}
	for _, a := range analyzers {
		wanted[a] = true
	}
	trouble := false
	seen := map[string]bool{}
	var out []Finding
	for _, act := range graph.Roots {
		if !wanted[act.Analyzer] {
			continue
		}
		if act.Err != nil {
			trouble = true
			fmt.Fprintf(stderr, "lifecycle-lsp: %s on %s: %v\n", act.Analyzer.Name, act.Package.PkgPath, act.Err)
			continue
		}
		fset := act.Package.Fset
		for _, d := range act.Diagnostics {
			f := convert(fset, act.Analyzer, d)
			key := fmt.Sprintf("%s:%d:%d:%s:%s", f.File, f.Line, f.Column, f.Check, f.Message)
			if seen[key] {
				continue // a package and its test variant share files
			}
			seen[key] = true
			out = append(out, f)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
	return out, trouble
}

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
	for _, sf := range d.SuggestedFixes {
		fix := Fix{Message: sf.Message}
		for _, e := range sf.TextEdits {
			start := fset.Position(e.Pos)
			endPos := start
			if e.End.IsValid() {
				endPos = fset.Position(e.End)
			}
			fix.Edits = append(fix.Edits, Edit{File: start.Filename, Start: start.Offset, End: endPos.Offset, New: string(e.NewText)})
		}
		f.Fixes = append(f.Fixes, fix)
	}
	return f
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
