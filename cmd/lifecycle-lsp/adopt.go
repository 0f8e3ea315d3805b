package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/lifecycle-lsp/lifecycle-lsp/cmd/lifecycle-lsp/report"
	"github.com/lifecycle-lsp/lifecycle-lsp/internal/changedlines"
)

// adoption is what lets a team adopt the checker on code with old findings:
// a baseline of accepted findings (-baseline, -write-baseline) and findings
// only on lines changed since a git revision (-new-from-rev).
type adoption struct {
	baseline string // -baseline FILE
	write    bool   // -write-baseline
	rev      string // -new-from-rev REV
	// root is the repository's top-level directory (the working
	// directory outside git): keys and SARIF paths are relative to it.
	root string
	// proj is the project configuration: excluded paths, checks turned
	// off per path, severities.
	proj *project
	// ignore holds the keys of findings not to report: those of the
	// baseline and, with -new-from-rev, those on unchanged lines.
	ignore map[string]bool
}

// repoRoot returns the top-level directory of the git repository around
// the working directory, or the working directory outside git.
func repoRoot() string {
	wd, err := os.Getwd()
	if err != nil {
		return ""
	}
	if root, err := changedlines.Root(wd); err == nil {
		return root
	}
	return wd
}

// active reports whether findings are filtered at all.
func (a *adoption) active() bool { return a.baseline != "" || a.rev != "" }

// start keys the first run's findings and decides what to leave out. When
// the run's job is to write the baseline (-write-baseline, or -baseline
// naming a file that does not exist yet) it writes it and returns done.
func (a *adoption) start(findings []report.Finding, stderr io.Writer) (done bool, err error) {
	a.ignore = map[string]bool{}
	findings = a.filter(findings)
	if a.baseline != "" {
		keys, err := report.ReadBaseline(a.baseline)
		switch {
		case a.write || errors.Is(err, os.ErrNotExist):
			if err := report.WriteBaseline(a.baseline, findings, a.root); err != nil {
				return false, err
			}
			fmt.Fprintf(stderr, "lifecycle-lsp: wrote %d findings to the baseline %s; runs with -baseline %s report only findings not in it\n",
				len(findings), a.baseline, a.baseline)
			return true, nil
		case err != nil:
			return false, err
		}
		a.ignore = keys
	}
	if a.rev != "" {
		changed, err := changedlines.Since(a.root, a.rev)
		if err != nil {
			return false, fmt.Errorf("-new-from-rev: %w", err)
		}
		for _, f := range findings {
			if !changed.Contains(report.RootRelative(a.root, f.File), f.Line) {
				a.ignore[f.Key] = true
			}
		}
	}
	return false, nil
}

// filter leaves out the findings the project configuration does not keep
// (excluded paths, checks off for a path), gives the others their
// severity and key, and leaves out those start decided to ignore.
func (a *adoption) filter(findings []report.Finding) []report.Finding {
	if a.proj != nil {
		kept := findings[:0:0]
		for _, f := range findings {
			if a.proj.keeps(f.Check, f.File) {
				f.Severity = a.proj.severity(f.Check, f.File)
				kept = append(kept, f)
			}
		}
		findings = kept
	}
	report.AssignKeys(findings, a.root)
	if !a.active() {
		return findings
	}
	return report.Drop(findings, a.ignore)
}
