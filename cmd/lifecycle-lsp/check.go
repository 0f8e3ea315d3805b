package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/catalogue"
	"github.com/lifecycle-lsp/lifecycle-lsp/cmd/lifecycle-lsp/report"
	"github.com/lifecycle-lsp/lifecycle-lsp/internal/loaderr"
)

func usage(w io.Writer) {
	fmt.Fprint(w, `lifecycle-lsp finds resource-lifecycle bugs in Go code and fixes them.

Usage:
  lifecycle-lsp [--stdio]                 serve the Language Server Protocol on stdin/stdout
  lifecycle-lsp check [flags] PATTERNS    check packages, like go vet (run "lifecycle-lsp check -help")
  lifecycle-lsp version                   print the version
  go vet -vettool=$(which lifecycle-lsp)  run the checks under go vet
  go fix -fixtool=$(which lifecycle-lsp)  apply their fixes under go fix

Checks:
`)
	for _, c := range catalogue.All() {
		title, _, _ := strings.Cut(c.Analyzer.Doc, "\n")
		off := ""
		if !c.Default {
			off = " (off by default)"
		}
		fmt.Fprintf(w, "  %-17s %s%s\n", c.Analyzer.Name, strings.TrimPrefix(title, c.Analyzer.Name+": "), off)
	}
}

// Exit statuses of check, as go vet's.
const (
	exitClean    = 0
	exitFindings = 1
	exitTrouble  = 2
)

func runCheck(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		fix        = fs.Bool("fix", false, "apply the suggested fixes, re-analysing and fixing again until none applies, and write the files")
		diff       = fs.Bool("diff", false, "print what -fix would write as a unified diff, without changing any file")
		format     = fs.String("format", "text", "output format: text, json or sarif")
		checks     = fs.String("checks", "", "comma-separated checks to run (default: all default checks); \"all\" runs every check")
		dir        = fs.String("C", "", "change to `dir` before loading packages")
		tests      = fs.Bool("test", true, "also check test files")
		tags       = fs.String("tags", "", "comma-separated build tags")
		explain    = fs.String("explain", "", "print the documentation of a `check` and exit")
		genfile    = fs.Bool("generated", false, "also report findings in, and apply fixes to, generated files (\"// Code generated … DO NOT EDIT.\")")
		adopt      adoption
		cpuprof    = fs.String("cpuprofile", "", "write a CPU profile to `file`")
		memprof    = fs.String("memprofile", "", "write a heap profile to `file` after the analysis")
		driverName = fs.String("driver", "stream", "analysis driver: stream (packages in dependency order, keeping only types and facts of finished ones, with a result cache) or checker (go/analysis/checker over the whole package graph in memory)")
		cacheMode  = fs.String("cache", "on", "result cache of -driver=stream: on (lifecycle-lsp/results in the user cache directory), off, or the cache `dir` to use")
	)
	fs.StringVar(&adopt.baseline, "baseline", "", "report only findings not recorded in the baseline `file`; when the file does not exist, write the current findings to it")
	fs.BoolVar(&adopt.write, "write-baseline", false, "write the current findings to the -baseline file, replacing it, and report nothing")
	fs.StringVar(&adopt.rev, "new-from-rev", "", "report only findings on lines changed since the git revision `rev` (and in files git does not track yet)")
	var proj project
	proj.flags(fs)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: lifecycle-lsp check [flags] PATTERNS\n\nFlags:")
		fs.PrintDefaults()
		fmt.Fprintln(stderr, "\nExit status: 0 no findings, 1 findings, 2 packages could not be loaded or analyzed.")
		fmt.Fprintln(stderr, "With -fix the exit status tells whether findings remain after the fixes. -diff changes no file: it exits 1")
		fmt.Fprintln(stderr, "whenever there are findings (so a CI gate on it fails), with the findings on stderr and the diff on stdout.")
		fmt.Fprintln(stderr)
		usage(stderr)
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitClean
		}
		return exitTrouble
	}
	if *explain != "" {
		c, ok := catalogue.Lookup(catalogue.All(), *explain)
		if !ok {
			fmt.Fprintf(stderr, "lifecycle-lsp: unknown check %q\n", *explain)
			return exitTrouble
		}
		fmt.Fprintln(stdout, c.Analyzer.Doc)
		return exitClean
	}
	if *format != "text" && *format != "json" && *format != "sarif" {
		fmt.Fprintf(stderr, "lifecycle-lsp: unknown -format %q (want text, json or sarif)\n", *format)
		return exitTrouble
	}
	if adopt.write && adopt.baseline == "" {
		fmt.Fprintln(stderr, "lifecycle-lsp: -write-baseline needs -baseline FILE")
		return exitTrouble
	}
	if adopt.write && (*fix || *diff) {
		fmt.Fprintln(stderr, "lifecycle-lsp: -write-baseline records findings; it does not go with -fix or -diff")
		return exitTrouble
	}
	if err := proj.load(*dir); err != nil {
		fmt.Fprintf(stderr, "lifecycle-lsp: %v\n", err)
		return exitTrouble
	}
	if proj.explain {
		if err := proj.printExplanation(stdout); err != nil {
			fmt.Fprintf(stderr, "lifecycle-lsp: %v\n", err)
			return exitTrouble
		}
		return exitClean
	}
	*genfile = *genfile || proj.generated()
	adopt.proj = &proj
	analyzers, err := proj.selectAnalyzers(*checks)
	if err != nil {
		fmt.Fprintf(stderr, "lifecycle-lsp: %v\n", err)
		return exitTrouble
	}
	patterns := fs.Args()
	if len(patterns) == 0 {
		patterns = []string{"."}
	}
	if *dir != "" {
		if err := os.Chdir(*dir); err != nil {
			fmt.Fprintf(stderr, "lifecycle-lsp: %v\n", err)
			return exitTrouble
		}
	}
	if *cpuprof != "" {
		stop, err := startCPUProfile(*cpuprof)
		if err != nil {
			fmt.Fprintf(stderr, "lifecycle-lsp: %v\n", err)
			return exitTrouble
		}
		defer stop()
	}
	ar := analysisRun{patterns: patterns, tests: *tests, tags: *tags, analyzers: analyzers,
		report: report.Options{Generated: *genfile}, configFile: proj.cfg.Path}
	if err := ar.setDriver(*driverName, *cacheMode); err != nil {
		fmt.Fprintf(stderr, "lifecycle-lsp: %v\n", err)
		return exitTrouble
	}
	pkgs, findings, trouble, err := analyzeAll(ar, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "lifecycle-lsp: %v\n", err)
		return exitTrouble
	}
	if *memprof != "" {
		if err := writeHeapProfile(*memprof); err != nil {
			fmt.Fprintf(stderr, "lifecycle-lsp: %v\n", err)
		}
	}
	adopt.root = repoRoot()
	if done, err := adopt.start(findings, stderr); err != nil || done {
		if err != nil {
			fmt.Fprintf(stderr, "lifecycle-lsp: %v\n", err)
			return exitTrouble
		}
		if trouble {
			return exitTrouble
		}
		return exitClean
	}
	findings = adopt.filter(findings)

	if *diff || *fix {
		// Later rounds see only the packages whose files the fixes
		// changed, with the fixed text as an overlay.
		analyze := func(patterns []string, overlay map[string][]byte) (fixRound, error) {
			var problems strings.Builder
			pkgs, trouble, err := loadOverlay(patterns, *tests, *tags, overlay, &problems)
			if err != nil {
				return fixRound{}, err
			}
			restore := readOverlay(analyzers, overlay)
			graph, err := checker.Analyze(analyzers, pkgs, &checker.Options{})
			restore()
			if err != nil {
				return fixRound{}, err
			}
			findings, analysisTrouble := report.CollectWith(graph, analyzers, &problems, report.Options{Generated: *genfile, Overlay: overlay})
			findings = adopt.filter(findings)
			return fixRound{findings: findings, dirs: packageDirs(pkgs), trouble: trouble || analysisTrouble, problems: problems.String()}, nil
		}
		return runFixes(fixRound{findings: findings, dirs: packageDirs(pkgs), trouble: trouble}, analyze, *diff, stdout, stderr)
	}
	switch *format {
	case "json":
		err = report.JSON(stdout, findings)
	case "sarif":
		info := build()
		err = report.SARIF(stdout, findings, analyzers, report.SARIFOptions{Version: info.Version, Semantic: info.Semantic(), Root: adopt.root,
			Level: func(check string) string { return report.Level(proj.severity(check, "")) }})
	default:
		report.Text(stdout, findings)
	}
	if err != nil {
		fmt.Fprintf(stderr, "lifecycle-lsp: %v\n", err)
		return exitTrouble
	}
	switch {
	case trouble:
		return exitTrouble
	case len(findings) > 0:
		return exitFindings
	}
	return exitClean
}

// selectFrom turns a -checks list ("all", or names) into analyzers of all.
func selectFrom(all []catalogue.Check, list string) ([]*analysis.Analyzer, error) {
	if list == "all" {
		return catalogue.Analyzers(all), nil
	}
	var out []*analysis.Analyzer
	for _, name := range strings.Split(list, ",") {
		name = strings.TrimSpace(name)
		c, ok := catalogue.Lookup(all, name)
		if !ok {
			var names []string
			for _, c := range all {
				names = append(names, c.Analyzer.Name)
			}
			return nil, fmt.Errorf("unknown check %q (known: %s)", name, strings.Join(names, ", "))
		}
		out = append(out, c.Analyzer)
	}
	return out, nil
}

// load loads the packages with everything the analyzers need. It reports
// packages that cannot be analyzed on stderr and returns trouble=true for
// them; an error means nothing could be loaded at all.
func load(patterns []string, tests bool, tags string, stderr io.Writer) ([]*packages.Package, bool, error) {
	return loadOverlay(patterns, tests, tags, nil, stderr)
}

// loadOverlay is load with overlay replacing the content of files on disk.
func loadOverlay(patterns []string, tests bool, tags string, overlay map[string][]byte, stderr io.Writer) ([]*packages.Package, bool, error) {
	cfg := &packages.Config{
		Overlay: overlay,
		Mode:    packages.LoadAllSyntax | packages.NeedModule,
		Tests:   tests,
	}
	if tags != "" {
		cfg.BuildFlags = []string{"-tags=" + tags}
	}
	if _, err := exec.LookPath("go"); err != nil {
		return nil, false, fmt.Errorf("the go command is needed to load packages and was not found on PATH: %w", err)
	}
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		return nil, false, errors.New(loaderr.Clean(err.Error()))
	}
	return selectAnalysable(pkgs, patterns, stderr)
}

// selectAnalysable returns the packages that load without errors and whose
// dependencies do too, sorted by ID, reporting the others on stderr and
// returning trouble=true for them; an error means none is left.
func selectAnalysable(pkgs []*packages.Package, patterns []string, stderr io.Writer) ([]*packages.Package, bool, error) {
	if len(pkgs) == 0 {
		return nil, false, fmt.Errorf("pattern %s matched no packages", strings.Join(patterns, " "))
	}
	trouble := false
	seen := map[string]bool{}
	var ok []*packages.Package
	for _, p := range pkgs {
		if len(p.Errors) == 0 {
			ok = append(ok, p)
			continue
		}
		trouble = true
		for _, msg := range loaderr.Select(p.Errors) {
			if !seen[msg] {
				seen[msg] = true
				fmt.Fprintln(stderr, relativize(msg))
			}
		}
		if len(p.GoFiles) == 0 && p.Name == "" {
			continue
		}
		fmt.Fprintf(stderr, "lifecycle-lsp: %s was not analyzed: it does not load without errors\n", p.PkgPath)
	}
	if len(ok) == 0 {
		empty := true
		for _, p := range pkgs {
			if len(p.GoFiles)+len(p.CompiledGoFiles)+len(p.IgnoredFiles) > 0 {
				empty = false
			}
		}
		if empty {
			return nil, true, fmt.Errorf("pattern %s matched no packages", strings.Join(patterns, " "))
		}
		return nil, true, fmt.Errorf("no package of %s could be analyzed", strings.Join(patterns, " "))
	}
	// Packages whose dependencies are broken are not analyzed either.
	var clean []*packages.Package
	memo := map[*packages.Package]string{}
	for _, p := range ok {
		if depErr := firstDepError(p, memo); depErr != "" {
			trouble = true
			fmt.Fprintf(stderr, "lifecycle-lsp: %s was not analyzed: dependency %s does not load\n", p.PkgPath, depErr)
			continue
		}
		clean = append(clean, p)
	}
	if len(clean) == 0 {
		return nil, true, fmt.Errorf("no package of %s could be analyzed", strings.Join(patterns, " "))
	}
	sort.Slice(clean, func(i, j int) bool { return clean[i].ID < clean[j].ID })
	return clean, trouble, nil
}

// firstDepError returns the path of the first dependency of p (in the
// order of packages.Visit: depth first, imports sorted by path) that has
// errors, or "". memo holds the answer for packages already seen (their
// own errors included), so that one pass over many roots visits each
// package once.
func firstDepError(p *packages.Package, memo map[*packages.Package]string) string {
	paths := make([]string, 0, len(p.Imports))
	for path := range p.Imports {
		paths = append(paths, path)
	}
	sort.Strings(paths)
	for _, path := range paths {
		if bad := firstError(p.Imports[path], memo); bad != "" {
			return bad
		}
	}
	return ""
}

// firstError is firstDepError counting q's own errors first.
func firstError(q *packages.Package, memo map[*packages.Package]string) string {
	if bad, ok := memo[q]; ok {
		return bad
	}
	bad := ""
	if len(q.Errors) > 0 {
		bad = q.PkgPath
	} else {
		memo[q] = "" // ends the recursion should the graph have a cycle
		bad = firstDepError(q, memo)
	}
	memo[q] = bad
	return bad
}

func relativize(msg string) string {
	wd, err := os.Getwd()
	if err != nil {
		return msg
	}
	return strings.ReplaceAll(msg, wd+string(filepath.Separator), "")
}
