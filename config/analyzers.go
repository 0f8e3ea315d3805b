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
	// Wrapped copies replace the originals everywhere, in the
	// requirements of the other checks too (an analyzer with facts may
	// appear only once in a run); a copy's pass also finds the results of
	// the copies it requires under the originals' names, as the checks'
	// code looks them up.
	defaults := map[string]bool{}
	for _, c := range checks {
		defaults[c.Analyzer.Name] = c.Default
	}
	copies := map[*analysis.Analyzer]*analysis.Analyzer{}
	for _, a := range out {
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
		c.Run = f.scopedRun(orig, defaults[orig.Name], copies)
	}
	for i, a := range out {
		out[i] = copies[a]
	}
	return out, nil
}

// Keeps reports whether a finding of check in file (absolute) is reported:
// the file is not excluded and the check is on for it.
func (f *File) Keeps(check, file string, def bool) bool {
	return !f.Excluded(file) && f.Enabled(check, file, def)
}

// scopedRun is the Run of the copy of a: it runs a with a pass whose
// Report drops the diagnostics that f does not keep.
func (f *File) scopedRun(a *analysis.Analyzer, def bool, copies map[*analysis.Analyzer]*analysis.Analyzer) func(*analysis.Pass) (any, error) {
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
			if f.Keeps(a.Name, position(pass.Fset, d.Pos).Filename, def) {
				report(d)
			}
		}
		return a.Run(&p)
	}
}

func position(fset *token.FileSet, pos token.Pos) token.Position {
	return fset.PositionFor(pos, false)
}
