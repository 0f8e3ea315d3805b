// Package fixtest checks that an analyzer's suggested fixes converge: applied
// together to analysistest-style testdata, they leave files that are
// gofmt-clean and type-check, with every fixed diagnostic gone and no new one.
//
// It complements analysistest.RunWithSuggestedFixes, which pins the exact
// text of each fix with golden files but does not re-run the analyzer on the
// result.
package fixtest

import (
	"bytes"
	"fmt"
	"go/format"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"
)

// Converges copies the GOPATH-style testdata directory (holding src/<pkg>),
// runs a on pkgs, applies the first suggested fix of every diagnostic, and
// fails t unless the fixed packages are gofmt-clean, load without errors,
// and a reports nothing on them except diagnostics that had no fix before.
// It fails when no diagnostic had a fix at all, since that would test nothing.
func Converges(t testing.TB, testdata string, a *analysis.Analyzer, pkgs ...string) {
	t.Helper()
	dir := t.TempDir()
	if err := copyTree(testdata, dir); err != nil {
		t.Fatalf("copying testdata: %v", err)
	}
	before, err := Run(dir, a, pkgs...)
	if err != nil {
		t.Fatalf("before fixes: %v", err)
	}
	edits := map[string][]analysis.TextEdit{}
	unfixed := map[string]int{}
	fixes := 0
	for _, d := range before {
		if len(d.Fixes) == 0 {
			unfixed[withoutLines(d.Message)]++
			continue
		}
		fixes++
		for _, e := range d.Fixes[0].TextEdits {
			edits[e.File] = append(edits[e.File], e.TextEdit)
		}
	}
	if fixes == 0 {
		t.Fatalf("%s reported no diagnostic with a fix in %v: nothing to converge", a.Name, pkgs)
	}
	for file, es := range edits {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		out, err := Apply(src, es)
		if err != nil {
			t.Errorf("%s: %v", file, err)
			continue
		}
		formatted, err := format.Source(out)
		if err != nil {
			t.Errorf("%s: fixed file does not parse: %v\n%s", file, err, out)
			continue
		}
		if !bytes.Equal(formatted, out) {
			t.Errorf("%s: fixed file is not gofmt-clean:\n%s", file, out)
		}
		if err := os.WriteFile(file, out, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	after, err := Run(dir, a, pkgs...)
	if err != nil {
		t.Fatalf("after fixes: %v", err)
	}
	for _, d := range after {
		if key := withoutLines(d.Message); unfixed[key] > 0 {
			unfixed[key]--
			continue
		}
		t.Errorf("after fixes, %s still reports %s: %s", a.Name, d.Pos, d.Message)
	}
}

// lineRef matches the line numbers messages mention ("returning at line 12").
var lineRef = regexp.MustCompile(`\bline \d+`)

// withoutLines returns a message with its line numbers blanked: the fixes of
// other diagnostics move lines, and a diagnostic without a fix is the same
// one when only its lines moved.
func withoutLines(msg string) string { return lineRef.ReplaceAllString(msg, "line N") }

// FileEdit is one edit with the file it applies to; its Pos and End are
// byte offsets into that file.
type FileEdit struct {
	File string
	analysis.TextEdit
}

// Diagnostic is a diagnostic with its position resolved and its fixes'
// edits resolved to file names.
type Diagnostic struct {
	Pos     string
	Message string
	Fixes   []Fix
}

// Fix is a suggested fix with resolved file names.
type Fix struct {
	Message   string
	TextEdits []FileEdit
}

// Run loads pkgs from the GOPATH-style directory dir and returns a's
// diagnostics on them. Load errors (syntax or type errors) are returned as
// an error.
func Run(dir string, a *analysis.Analyzer, pkgs ...string) ([]Diagnostic, error) {
	cfg := &packages.Config{
		Mode:  packages.LoadAllSyntax | packages.NeedModule,
		Dir:   filepath.Join(dir, "src"),
		Env:   append(os.Environ(), "GOPATH="+dir, "GO111MODULE=off", "GOPROXY=off", "GOFLAGS=", "GOWORK=off"),
		Tests: true,
	}
	loaded, err := packages.Load(cfg, pkgs...)
	if err != nil {
		return nil, fmt.Errorf("loading %v: %w", pkgs, err)
	}
	var errs []string
	packages.Visit(loaded, nil, func(p *packages.Package) {
		for _, e := range p.Errors {
			errs = append(errs, e.Error())
		}
	})
	if len(errs) > 0 {
		return nil, fmt.Errorf("packages do not load cleanly:\n%s", strings.Join(errs, "\n"))
	}
	graph, err := checker.Analyze([]*analysis.Analyzer{a}, loaded, nil)
	if err != nil {
		return nil, fmt.Errorf("analyzing: %w", err)
	}
	var out []Diagnostic
	seen := map[string]bool{}
	for _, act := range graph.Roots {
		if act.Err != nil {
			return nil, fmt.Errorf("%s on %s: %w", a.Name, act.Package.PkgPath, act.Err)
		}
		fset := act.Package.Fset
		for _, d := range act.Diagnostics {
			pos := fset.Position(d.Pos).String()
			key := pos + "\x00" + d.Message
			if seen[key] { // a package and its test variant share files
				continue
			}
			seen[key] = true
			diag := Diagnostic{Pos: pos, Message: d.Message}
			for _, f := range d.SuggestedFixes {
				fix := Fix{Message: f.Message}
				for _, e := range f.TextEdits {
					end := e.End
					if !end.IsValid() {
						end = e.Pos
					}
					start := fset.Position(e.Pos)
					fix.TextEdits = append(fix.TextEdits, FileEdit{File: start.Filename, TextEdit: analysis.TextEdit{
						Pos: token.Pos(start.Offset), End: token.Pos(fset.Position(end).Offset), NewText: e.NewText,
					}})
				}
				diag.Fixes = append(diag.Fixes, fix)
			}
			out = append(out, diag)
		}
	}
	return out, nil
}

// Apply applies edits (whose Pos/End are byte offsets into src) to src.
// Identical duplicate edits are applied once; overlapping distinct edits are
// an error.
func Apply(src []byte, edits []analysis.TextEdit) ([]byte, error) {
	sort.SliceStable(edits, func(i, j int) bool {
		if edits[i].Pos != edits[j].Pos {
			return edits[i].Pos < edits[j].Pos
		}
		return edits[i].End < edits[j].End
	})
	var out bytes.Buffer
	last := 0
	var prev *analysis.TextEdit
	for i := range edits {
		e := &edits[i]
		if prev != nil && prev.Pos == e.Pos && prev.End == e.End && bytes.Equal(prev.NewText, e.NewText) {
			continue
		}
		start, end := int(e.Pos), int(e.End)
		if start < last || end < start || end > len(src) {
			return nil, fmt.Errorf("overlapping or out-of-range edit at offset %d", start)
		}
		out.Write(src[last:start])
		out.Write(e.NewText)
		last = end
		prev = e
	}
	out.Write(src[last:])
	return out.Bytes(), nil
}

func copyTree(from, to string) error {
	return filepath.Walk(from, func(path string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(from, path)
		if err != nil {
			return err
		}
		dst := filepath.Join(to, rel)
		if info.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		if strings.HasSuffix(path, ".golden") {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, data, 0o644)
	})
}
