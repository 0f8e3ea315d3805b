package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/packages"

	"github.com/lifecycle-lsp/lifecycle-lsp/cmd/lifecycle-lsp/report"
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

// fixToFixpoint applies the first fix of every finding of first that does
// not conflict with another, re-analyses the packages whose files changed
// (in memory: the files on disk are untouched), and repeats until no fix
// applies or maxFixRounds is reached. A round whose fixes leave a package
// that no longer loads or analyses cleanly is undone.
func fixToFixpoint(first fixRound, analyze analyzeFunc) (*fixpoint, error) {
	fp := &fixpoint{before: map[string][]byte{}, after: map[string][]byte{}}
	current := map[string][]report.Finding{} // findings per file
	dirs := map[string]string{}
	record := func(r fixRound) {
		for file, dir := range r.dirs {
			delete(current, file)
			dirs[file] = dir
		}
		for _, f := range r.findings {
			current[f.File] = append(current[f.File], f)
		}
	}
	record(first)
	findings := first.findings
	for fp.rounds < maxFixRounds {
		edits, n, _ := report.Plan(findings)
		if n == 0 {
			break
		}
		next := map[string][]byte{}
		changed := map[string]bool{}
		for file, es := range edits {
			src, err := fp.text(file)
			if err != nil {
				return nil, err
			}
			out, err := report.ApplyEdits(src, es)
			if err != nil {
				return nil, fmt.Errorf("fixing %s: %w", file, err)
			}
			if !bytes.Equal(out, src) {
				next[file] = out
				changed[dirOf(dirs, file)] = true
			}
		}
		if len(next) == 0 {
			break
		}
		overlay := fp.overlay(next)
		r, err := analyze(sortedSet(changed), overlay)
		if err != nil || r.trouble {
			fp.reverted = fmt.Sprintf("the fixes of round %d left packages that do not load or analyse cleanly", fp.rounds+1)
			if err != nil {
				fp.reverted += ": " + err.Error()
			}
			fp.problems = strings.TrimSpace(r.problems)
			break
		}
		for file, text := range next {
			if _, ok := fp.before[file]; !ok {
				orig, err := os.ReadFile(file)
				if err != nil {
					return nil, err
				}
				fp.before[file] = orig
			}
			fp.after[file] = text
		}
		fp.applied += n
		fp.rounds++
		record(r)
		findings = r.findings
	}
	for _, fs := range current {
		fp.remaining = append(fp.remaining, fs...)
	}
	report.Sort(fp.remaining)
	return fp, nil
}

// text returns the current text of file: fixed already, or on disk.
func (fp *fixpoint) text(file string) ([]byte, error) {
	if t, ok := fp.after[file]; ok {
		return t, nil
	}
	return os.ReadFile(file)
}

// overlay returns the texts of all fixed files, with next on top.
func (fp *fixpoint) overlay(next map[string][]byte) map[string][]byte {
	out := map[string][]byte{}
	for f, t := range fp.after {
		out[f] = t
	}
	for f, t := range next {
		out[f] = t
	}
	return out
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
