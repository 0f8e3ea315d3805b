package main

import (
	"flag"
	"fmt"
	"io"
	"path/filepath"

	"golang.org/x/tools/go/analysis"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/catalogue"
	"github.com/lifecycle-lsp/lifecycle-lsp/config"
)

// project is the project configuration of a check run: the .lifecycle.yaml
// that governs the directory checked (or the file named by -config).
type project struct {
	path    string // -config FILE
	explain bool   // -explain-config
	cfg     *config.File
	// defaults says which checks run when the configuration does not
	// say.
	defaults map[string]bool
	// explicit is set when -checks chose the checks: the configuration's
	// checks (top-level and per path) then do not apply.
	explicit bool
}

func (p *project) flags(fs *flag.FlagSet) {
	fs.StringVar(&p.path, "config", "", "read the project configuration from `file` instead of the "+config.FileName+" found in the directory checked or a parent (up to the repository root)")
	fs.BoolVar(&p.explain, "explain-config", false, "print the effective project configuration (which file, every setting with defaults filled in) and exit")
}

// load reads the configuration for dir (the -C directory, or "").
func (p *project) load(dir string) error {
	p.defaults = map[string]bool{}
	for _, c := range catalogue.All() {
		p.defaults[c.Analyzer.Name] = c.Default
	}
	if p.path != "" {
		path := p.path
		if dir != "" && !filepath.IsAbs(path) {
			path = filepath.Join(dir, path)
		}
		cfg, err := config.Load(path)
		p.cfg = cfg
		return err
	}
	if dir == "" {
		dir = "."
	}
	cfg, err := config.ForDir(dir)
	p.cfg = cfg
	return err
}

// generated reports whether the configuration asks for findings in
// generated files.
func (p *project) generated() bool { return p.cfg.Generated != nil && *p.cfg.Generated }

// printExplanation prints the effective configuration.
func (p *project) printExplanation(w io.Writer) error { return p.cfg.Explain(w) }

// keeps reports whether a finding of check in file is reported.
func (p *project) keeps(check, file string) bool {
	abs, err := filepath.Abs(file)
	if err != nil {
		abs = file
	}
	if p.explicit {
		return !p.cfg.Excluded(abs)
	}
	return p.cfg.Keeps(check, abs, p.defaults[check])
}

// severity is the configured severity of check's findings in file.
func (p *project) severity(check, file string) string {
	if file == "" {
		return p.cfg.SeverityOf(check, "")
	}
	abs, err := filepath.Abs(file)
	if err != nil {
		abs = file
	}
	return p.cfg.SeverityOf(check, abs)
}

// selectAnalyzers turns a -checks list into analyzers built for the
// configuration's resource types. An empty list runs the checks the
// configuration turns on (for some file), "all" every check.
func (p *project) selectAnalyzers(list string) ([]*analysis.Analyzer, error) {
	all, err := catalogue.Build(p.cfg.Catalogue())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p.cfg.Path, err)
	}
	if list == "" {
		var out []*analysis.Analyzer
		for _, c := range all {
			if p.cfg.MayRun(c.Analyzer.Name, c.Default) {
				out = append(out, c.Analyzer)
			}
		}
		return out, nil
	}
	p.explicit = true
	return selectFrom(all, list)
}
