package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime/debug"
	"sort"
	"strings"
	"time"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/lifecycle-lsp/lifecycle-lsp/cmd/lifecycle-lsp/report"
	"github.com/lifecycle-lsp/lifecycle-lsp/internal/filedigest"
	"github.com/lifecycle-lsp/lifecycle-lsp/internal/loaderr"
	"github.com/lifecycle-lsp/lifecycle-lsp/internal/pkgmeta"
	"github.com/lifecycle-lsp/lifecycle-lsp/internal/streamdriver"
)

// analysis settings of one check run.
type analysisRun struct {
	patterns  []string
	tests     bool
	tags      string
	analyzers []*analysis.Analyzer
	report    report.Options
	// stream selects the streaming driver (internal/streamdriver)
	// instead of go/analysis/checker over a whole loaded graph.
	stream bool
	// cache is the result cache of the streaming driver (nil: none).
	cache *streamdriver.Cache
	// configFile is the project configuration file ("" when none); its
	// content is part of every cache key.
	configFile string
	// guessed, when not nil, is told whether a guess from the cache was
	// made and whether it stood (tests).
	guessed func(made, used bool)
}

// analyzeAll loads and analyses the packages of the patterns and returns
// the analysable root packages, the findings, and whether some package
// could not be loaded or analysed (reported on stderr). An error means
// nothing could be analysed.
func analyzeAll(a analysisRun, stderr io.Writer) ([]*packages.Package, []report.Finding, bool, error) {
	if !a.stream {
		pkgs, loadTrouble, err := load(a.patterns, a.tests, a.tags, stderr)
		if err != nil {
			return nil, nil, false, err
		}
		graph, err := checker.Analyze(a.analyzers, pkgs, &checker.Options{})
		if err != nil {
			return nil, nil, false, fmt.Errorf("analysis failed: %w", err)
		}
		findings, analysisTrouble := report.CollectWith(graph, a.analyzers, stderr, a.report)
		return pkgs, findings, loadTrouble || analysisTrouble, nil
	}
	return analyzeStreaming(a, stderr)
}

// rootOutcome is what the streaming driver produced for one root.
type rootOutcome struct {
	findings []report.Finding
	trouble  bool
	problems string
}

// analyzeStreaming is analyzeAll on the streaming driver. Each root's
// findings are collected while its syntax is alive; once every package is
// done, the roots are selected exactly as load selects them and their
// findings merged in the order Collect would see them.
func analyzeStreaming(a analysisRun, stderr io.Writer) ([]*packages.Package, []report.Finding, bool, error) {
	if _, err := exec.LookPath("go"); err != nil {
		return nil, nil, false, fmt.Errorf("the go command is needed to load packages and was not found on PATH: %w", err)
	}
	cfg := &packages.Config{Mode: streamdriver.LoadMode, Tests: a.tests, Overlay: a.report.Overlay}
	if a.tags != "" {
		cfg.BuildFlags = []string{"-tags=" + a.tags}
	}
	opts := streamdriver.Options{
		Overlay: a.report.Overlay,
		Cache:   a.cache,
		Config:  fmt.Sprintf("tests=%v tags=%q", a.tests, a.tags),
	}
	if a.configFile != "" && a.cache != nil {
		text, err := os.ReadFile(a.configFile)
		if err != nil {
			return nil, nil, false, fmt.Errorf("reading the project configuration: %w", err)
		}
		opts.Config += fmt.Sprintf(" config=%x", sha256.Sum256(text))
	}
	type loaded struct {
		roots []*packages.Package
		err   error
	}
	listed := make(chan loaded, 1)
	go func() {
		roots, err := packages.Load(cfg, a.patterns...)
		listed <- loaded{roots, err}
	}()
	metaKey := ""
	if a.cache != nil && len(cfg.Overlay) == 0 {
		metaKey = metadataKey(a.cache.Salt(), cfg, a.patterns)
		data, _ := a.cache.Get(digestsKey(metaKey))
		opts.Digests = filedigest.New(data, time.Now())
	}
	guess := a.guessFromCache(metaKey, opts)
	l := <-listed
	if l.err != nil {
		return nil, nil, false, fmt.Errorf("%s", loaderr.Clean(l.err.Error()))
	}
	roots := l.roots
	var outcomes map[string]rootOutcome
	// The metadata is encoded before Analyze adds errors to packages.
	meta, metaErr := pkgmeta.Encode(roots)
	used := guess.outcomes != nil && metaErr == nil && bytes.Equal(meta, guess.meta)
	if a.guessed != nil {
		a.guessed(guess.outcomes != nil, used)
	}
	if used {
		// The go command lists what the guess was made from: its
		// results are those of this run.
		roots, outcomes = guess.roots, guess.outcomes
	} else {
		outcomes = map[string]rootOutcome{}
		err := streamdriver.Analyze(context.Background(), a.analyzers, roots, opts, a.collect(outcomes))
		if err != nil {
			return nil, nil, false, fmt.Errorf("analysis failed: %w", err)
		}
		if metaKey != "" && metaErr == nil && !bytes.Equal(meta, guess.meta) && loadedCleanly(roots) {
			a.cache.Put(metaKey, meta)
		}
	}
	if opts.Digests != nil {
		if data, changed, err := opts.Digests.Encode(); err == nil && changed {
			a.cache.Put(digestsKey(metaKey), data)
		}
	}
	clean, trouble, err := selectAnalysable(roots, a.patterns, stderr)
	if err != nil {
		return nil, nil, false, err
	}
	shipped := map[string]bool{}
	for _, p := range clean {
		if !strings.Contains(p.ID, " [") {
			shipped[p.PkgPath] = true
		}
	}
	var out []report.Finding
	seen := map[string]bool{}
	for _, p := range clean {
		o, ok := outcomes[p.ID]
		if !ok {
			return nil, nil, false, fmt.Errorf("package %s was not analysed", p.ID)
		}
		io.WriteString(stderr, o.problems)
		trouble = trouble || o.trouble
		testVariant := strings.Contains(p.ID, " [") && shipped[p.PkgPath]
		for _, f := range o.findings {
			if testVariant && !strings.HasSuffix(f.File, "_test.go") {
				continue // judged in the package as it ships
			}
			key := fmt.Sprintf("%s:%d:%d:%s:%s", f.File, f.Line, f.Column, f.Check, f.Message)
			if !seen[key] {
				seen[key] = true
				out = append(out, f)
			}
		}
	}
	report.Sort(out)
	sort.SliceStable(clean, func(i, j int) bool { return clean[i].ID < clean[j].ID })
	return clean, out, trouble, nil
}

// collect returns the visitor that keeps each root's outcome in outcomes.
func (a analysisRun) collect(outcomes map[string]rootOutcome) func(streamdriver.Root) {
	return func(r streamdriver.Root) {
		var problems bytes.Buffer
		opts := a.report
		opts.Enclosing = r.Enclosing
		findings, trouble := report.CollectWith(&checker.Graph{Roots: r.Actions}, a.analyzers, &problems, opts)
		for _, err := range r.Errors {
			trouble = true
			fmt.Fprintf(&problems, "lifecycle-lsp: %v\n", err)
		}
		outcomes[r.Package.ID] = rootOutcome{findings: findings, trouble: trouble, problems: problems.String()}
	}
}

// setDriver applies the -driver and -cache flags.
func (a *analysisRun) setDriver(name, cache string) error {
	switch name {
	case "checker":
		return nil
	case "stream":
		a.stream = true
		tuneGC()
	default:
		return fmt.Errorf("unknown -driver %q (want checker or stream)", name)
	}
	if cache == "off" {
		return nil
	}
	c, err := openCache(cache)
	if err != nil && (cache == "on" || cache == "") {
		// The default cache is an optimisation: without a usable
		// cache directory (no home directory, read-only file
		// system) every package is analysed, with the same results.
		return nil
	}
	a.cache = c
	return err
}

// openCache opens the result cache in dir ("on" or "": the default
// location).
func openCache(dir string) (*streamdriver.Cache, error) {
	if dir == "on" || dir == "" {
		d, err := streamdriver.DefaultDir()
		if err != nil {
			return nil, err
		}
		dir = d
	}
	salt, err := streamdriver.ExecutableSalt()
	if err != nil {
		return nil, err
	}
	return streamdriver.OpenCache(dir, salt)
}

// streamHeapLimit is the heap size the streaming driver's garbage
// collector aims to stay under.
const streamHeapLimit = 1280 << 20

// streamHeapCeiling is as high as the limit rises when the live heap
// nears streamHeapLimit (a very large package in flight).
const streamHeapCeiling = 2304 << 20

// tuneGC lets the heap of the streaming driver grow up to streamHeapLimit
// before collecting (live memory stays small, so the default GOGC=100
// collects often: about a sixth of the CPU time on the standard library),
// or to twice the live heap, up to streamHeapCeiling, when that is more
// (streamdriver.GovernHeap: a live heap just under the limit would have
// the collector run back to back). GOGC or GOMEMLIMIT in the environment
// are left to decide.
func tuneGC() {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetGCPercent(400)
	streamdriver.GovernHeap(streamHeapLimit, streamHeapCeiling)
}
