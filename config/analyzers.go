package config

import (
	"go/token"

	"golang.org/x/tools/go/analysis"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/catalogue"
)

// Analyzers returns the analyzers the file asks for, built for its
// resource types: the checks that run on some file. When the file
// excludes paths or turns checks off for some of them, each analyzer is
// wrapped so that its diagnostics in those files are dropped as they are
// reported — for drivers that print diagnostics themselves (go vet
// -vettool, golangci-lint).
func (f *File) Analyzers() ([]*analysis.Analyzer, error) {
	checks, err := catalogue.Build(f.Catalogue())
	if err != nil {
		return nil, err
	}
	var out []*analysis.Analyzer
	for _, c := range checks {
		if f.MayRun(c.Analyzer.Name, c.Default) {
			out = append(out, c.Analyzer)
		}
	}
	if len(f.Exclude) == 0 && len(f.Overrides) == 0 {
		return out, nil
	}
	defaults := map[string]bool{}
	for _, c := range checks {
		defaults[c.Analyzer.Name] = c.Default
	}
	return Scope(out, func(check, file string) bool { return f.Keeps(check, file, defaults[check]) }), nil
}

// Scope returns copies of analyzers that report a diagnostic only when
// keep(analyzer name, file) holds for the file (absolute) it lies in.
// The copies replace the originals everywhere, in the requirements of the
// other analyzers too (an analyzer with facts may appear only once in a
// run), and a copy's pass also finds the results of the copies it
// requires under the originals, as the checks' code looks them up.
// Scoping copies again composes the conditions.
func Scope(analyzers []*analysis.Analyzer, keep func(check, file string) bool) []*analysis.Analyzer {
	copies := map[*analysis.Analyzer]*analysis.Analyzer{}
	for _, a := range analyzers {
		c := *a
		copies[a] = &c
	}
	for orig, c := range copies {
		reqs := make([]*analysis.Analyzer, len(c.Requires))
		for i, r := range c.Requires {
			if rc, ok := copies[r]; ok {
				r = rc
			}
			reqs[i] = r
		}
		c.Requires = reqs
		c.Run = scopedRun(orig, keep, copies)
	}
	out := make([]*analysis.Analyzer, len(analyzers))
	for i, a := range analyzers {
		out[i] = copies[a]
	}
	return out
}

// Keeps reports whether a finding of check in file (absolute) is reported:
// the file is not excluded and the check is on for it.
func (f *File) Keeps(check, file string, def bool) bool {
	return !f.Excluded(file) && f.Enabled(check, file, def)
}

// scopedRun is the Run of the copy of a: it runs a with a pass whose
// Report drops the diagnostics that keep does not keep.
func scopedRun(a *analysis.Analyzer, keep func(check, file string) bool, copies map[*analysis.Analyzer]*analysis.Analyzer) func(*analysis.Pass) (any, error) {
	return func(pass *analysis.Pass) (any, error) {
		p := *pass
		p.ResultOf = map[*analysis.Analyzer]any{}
		for r, v := range pass.ResultOf {
			p.ResultOf[r] = v
		}
		for orig, c := range copies {
			if v, ok := pass.ResultOf[c]; ok {
				p.ResultOf[orig] = v
			}
		}
		report := pass.Report
		p.Report = func(d analysis.Diagnostic) {
			if keep(a.Name, position(pass.Fset, d.Pos).Filename) {
				report(d)
			}
		}
		return a.Run(&p)
	}
}

// position is where a diagnostic is shown: in the user's file, through
// //line directives (cgo's output points back to the file it came from).
func position(fset *token.FileSet, pos token.Pos) token.Position {
	return fset.PositionFor(pos, true)
}
