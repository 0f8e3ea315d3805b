package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/packages"

	"github.com/lifecycle-lsp/lifecycle-lsp/cmd/lifecycle-lsp/report"
	fixes "github.com/lifecycle-lsp/lifecycle-lsp/codeaction/fixpoint"
)

// maxFixRounds bounds the fixpoint: a fix whose result is flagged again
// (and fixed again) must not loop forever.
const maxFixRounds = 8

// fixRound is the outcome of analysing some packages once.
type fixRound struct {
	findings []report.Finding
	// dirs maps every file of the analysed packages to its package's
	// directory, the pattern that re-analyses it.
	dirs    map[string]string
	trouble bool
	// problems is what loading and analysing reported (load errors).
	problems string
}

// analyzeFunc loads the packages in patterns, with overlay replacing the
// content of files on disk, and analyses them.
type analyzeFunc func(patterns []string, overlay map[string][]byte) (fixRound, error)

// fixpoint is the outcome of applying fixes until none applies.
type fixpoint struct {
	before, after map[string][]byte // original and final text of every changed file
	applied       int               // fixes applied, over all rounds
	rounds        int               // rounds that applied fixes
	remaining     []report.Finding  // findings on the final text
	// reverted says why the last round's fixes were dropped, or "";
	// problems is what loading or analysing the fixed text reported.
	reverted, problems string
}

// troubleError is the analysis of a round's fixed text reporting that
// packages do not load or analyse cleanly.
type troubleError struct{ problems string }

func (e *troubleError) Error() string { return "packages do not load or analyse cleanly" }

// fixToFixpoint applies the first fix of every finding of first that does
// not conflict with another, re-analyses the packages whose files changed
// (in memory: the files on disk are untouched), and repeats until no fix
// applies or maxFixRounds is reached. A round whose fixes leave a package
// that no longer loads or analyses cleanly is undone.
func fixToFixpoint(first fixRound, analyze analyzeFunc) (*fixpoint, error) {
	dirs := map[string]string{}
	files := func(r fixRound) []string {
		out := make([]string, 0, len(r.dirs))
		for file, dir := range r.dirs {
			dirs[file] = dir
			out = append(out, file)
		}
		return out
	}
	cfg := fixes.Config[report.Finding]{
		File: func(f report.Finding) string { return f.File },
		Fix: func(f report.Finding) []fixes.Edit {
			if len(f.Fixes) == 0 {
				return nil
			}
			var out []fixes.Edit
			for _, e := range f.Fixes[0].Edits {
				out = append(out, fixes.Edit{File: e.File, Start: e.Start, End: e.End, New: e.New})
			}
			return out
		},
		Read: os.ReadFile,
		Analyze: func(texts map[string][]byte, changed []string) (fixes.Analysis[report.Finding], error) {
			patterns := map[string]bool{}
			for _, file := range changed {
				patterns[dirOf(dirs, file)] = true
			}
			r, err := analyze(sortedSet(patterns), texts)
			if err != nil {
				return fixes.Analysis[report.Finding]{}, err
			}
			if r.trouble {
				return fixes.Analysis[report.Finding]{}, &troubleError{problems: strings.TrimSpace(r.problems)}
			}
			return fixes.Analysis[report.Finding]{Findings: r.findings, Files: files(r)}, nil
		},
		MaxRounds: maxFixRounds,
	}
	res, err := fixes.Run(fixes.Analysis[report.Finding]{Findings: first.findings, Files: files(first)}, cfg)
	if err != nil {
		return nil, err
	}
	fp := &fixpoint{before: res.Before, after: res.After, applied: res.Applied, rounds: res.Rounds, remaining: res.Remaining}
	if res.Stopped != nil {
		fp.reverted = fmt.Sprintf("the fixes of round %d left packages that do not load or analyse cleanly", res.Undone)
		var te *troubleError
		if errors.As(res.Stopped, &te) {
			fp.problems = te.problems
		} else {
			fp.reverted += ": " + res.Stopped.Error()
		}
	}
	report.Sort(fp.remaining)
	return fp, nil
}

func dirOf(dirs map[string]string, file string) string {
	if d, ok := dirs[file]; ok {
		return d
	}
	return filepath.Dir(file)
}

func sortedSet(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// readOverlay makes the passes of analyzers (and of the analyzers they
// require) read the files of overlay from it rather than from disk, until
// restore is called: the fix builders read the source text through
// Pass.ReadFile, which go/analysis/checker ties to the disk (it does not
// expose its ReadFile option). The analyzers are shared values, so this is
// only for the check command, which runs one analysis at a time.
func readOverlay(analyzers []*analysis.Analyzer, overlay map[string][]byte) (restore func()) {
	saved := map[*analysis.Analyzer]func(*analysis.Pass) (any, error){}
	var visit func(a *analysis.Analyzer)
	visit = func(a *analysis.Analyzer) {
		if _, ok := saved[a]; ok {
			return
		}
		run := a.Run
		saved[a] = run
		a.Run = func(pass *analysis.Pass) (any, error) {
			read := pass.ReadFile
			pass.ReadFile = func(name string) ([]byte, error) {
				if text, ok := overlay[name]; ok {
					if _, err := read(name); err != nil {
						return nil, err // not a file of the package
					}
					return text, nil
				}
				return read(name)
			}
			return run(pass)
		}
		for _, r := range a.Requires {
			visit(r)
		}
	}
	for _, a := range analyzers {
		visit(a)
	}
	return func() {
		for a, run := range saved {
			a.Run = run
		}
	}
}

// packageDirs maps the files of pkgs to their directories.
func packageDirs(pkgs []*packages.Package) map[string]string {
	out := map[string]string{}
	for _, p := range pkgs {
		for _, f := range append(append([]string(nil), p.GoFiles...), p.CompiledGoFiles...) {
			out[f] = filepath.Dir(f)
		}
	}
	return out
}

// reportFixpoint says what -fix or -diff did.
func reportFixpoint(w io.Writer, fp *fixpoint, verb string) {
	rounds := "rounds"
	if fp.rounds == 1 {
		rounds = "round"
	}
	fmt.Fprintf(w, "lifecycle-lsp: %s %d fixes to %d files in %d %s", verb, fp.applied, len(fp.after), fp.rounds, rounds)
	withFix := 0
	for _, f := range fp.remaining {
		if len(f.Fixes) > 0 {
			withFix++
		}
	}
	fmt.Fprintf(w, "; %d findings remain", len(fp.remaining))
	if withFix > 0 {
		fmt.Fprintf(w, " (%d of them with a fix that could not be applied)", withFix)
	}
	fmt.Fprintln(w)
	if fp.reverted != "" {
		fmt.Fprintf(w, "lifecycle-lsp: %s; they were not applied\n", fp.reverted)
		if fp.problems != "" {
			fmt.Fprintln(w, fp.problems)
		}
	}
}

// runFixes applies fixes to a fixpoint from the first round's findings and
// writes the result (-fix) or prints it as a diff (-diff). With -fix the
// findings that remain on the final text are printed and decide the exit
// status; -diff changes no file, so every finding remains in the code and
// any finding makes the exit status 1 (a CI gate on -diff fails).
func runFixes(first fixRound, analyze analyzeFunc, diff bool, stdout, stderr io.Writer) int {
	fp, err := fixToFixpoint(first, analyze)
	if err != nil {
		fmt.Fprintf(stderr, "lifecycle-lsp: %v\n", err)
		return exitTrouble
	}
	if diff {
		report.Text(stderr, first.findings)
		report.DiffFiles(stdout, fp.before, fp.after)
		reportFixpoint(stderr, fp, "the diff applies")
	} else {
		written, err := report.WriteFiles(fp.after)
		if err != nil {
			fmt.Fprintf(stderr, "lifecycle-lsp: %v\n", err)
			if len(written) > 0 {
				fmt.Fprintf(stderr, "lifecycle-lsp: %d of %d files were written before the failure\n", len(written), len(fp.after))
			}
			return exitTrouble
		}
		reportFixpoint(stderr, fp, "applied")
		report.Text(stdout, fp.remaining)
	}
	switch {
	case first.trouble || fp.reverted != "":
		return exitTrouble
	case len(fp.remaining) > 0, diff && len(first.findings) > 0:
		return exitFindings
	}
	return exitClean
}
