// Package catalogue lists lifecycle-lsp's checks. It is the single place the
// command line, the language server and the documentation learn which
// analyzers exist and how a configuration (extra resource types) shapes them.
package catalogue

import (
	"fmt"
	"go/token"
	"sort"

	"golang.org/x/tools/go/analysis"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/closeerr"
	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/crossgoroutine"
	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/deferbeforecheck"
	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/doubleclose"
	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/finalizer"
	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/idempotentclose"
	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/leak"
	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/loopdefer"
	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/overwrite"
	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/ownership"
	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/perrequest"
	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/resource"
)

// Check is one entry of the catalogue.
type Check struct {
	Analyzer *analysis.Analyzer
	// Default is whether the check runs when no explicit list is given.
	Default bool
}

// Config shapes the analyzers: resource types added to or removed from the
// standard table, each written "pkg/path.Type" or "*pkg/path.Type".
type Config struct {
	ExtraTypes   []string
	RemovedTypes []string
	// ReleaseMethods adds resource types with the methods that release
	// them ("*pkg/path.Conn": ["Release"]; the first is the one quick
	// fixes call), for types whose release is not Close or Stop.
	ReleaseMethods map[string][]string
}

// Build returns every check in catalogue order, built for cfg. With a zero
// Config it returns the shared default analyzers; otherwise the analyzers are
// fresh values that share nothing mutable with other builds.
func Build(cfg Config) ([]Check, error) {
	table := resource.Default()
	if len(cfg.ExtraTypes) > 0 || len(cfg.RemovedTypes) > 0 || len(cfg.ReleaseMethods) > 0 {
		extra, err := parseSpecs(cfg.ExtraTypes)
		if err != nil {
			return nil, err
		}
		withMethods, err := releaseSpecs(cfg.ReleaseMethods)
		if err != nil {
			return nil, err
		}
		extra = append(extra, withMethods...)
		removed, err := parseSpecs(cfg.RemovedTypes)
		if err != nil {
			return nil, err
		}
		table = table.With(extra, removed)
	}
	return build(table), nil
}

func parseSpecs(list []string) ([]resource.TypeSpec, error) {
	var out []resource.TypeSpec
	for _, s := range list {
		ts, ok := resource.ParseTypeSpec(s)
		if !ok {
			return nil, fmt.Errorf("resource type %q: want pkg/path.Type or *pkg/path.Type", s)
		}
		out = append(out, ts)
	}
	return out, nil
}

// releaseSpecs turns a type → release methods map into type specs, in
// sorted order of the types.
func releaseSpecs(m map[string][]string) ([]resource.TypeSpec, error) {
	types := make([]string, 0, len(m))
	for t := range m {
		types = append(types, t)
	}
	sort.Strings(types)
	var out []resource.TypeSpec
	for _, t := range types {
		ts, ok := resource.ParseTypeSpec(t)
		if !ok {
			return nil, fmt.Errorf("release methods of %q: want pkg/path.Type or *pkg/path.Type", t)
		}
		if len(m[t]) == 0 {
			return nil, fmt.Errorf("release methods of %q: none given", t)
		}
		for _, name := range m[t] {
			if !token.IsIdentifier(name) || !token.IsExported(name) {
				return nil, fmt.Errorf("release methods of %q: %q is not an exported method name", t, name)
			}
		}
		ts.Methods = m[t]
		out = append(out, ts)
	}
	return out, nil
}

// All returns the default checks.
func All() []Check { return defaultChecks }

var defaultChecks = build(resource.Default())

// build assembles the catalogue for one resource table.
func build(table *resource.Table) []Check {
	own := ownership.Analyzer
	if table != resource.Default() {
		own = ownership.New(table)
	}
	return []Check{
		{Analyzer: leakAnalyzer(own), Default: true},
		{Analyzer: overwriteAnalyzer(own), Default: true},
		{Analyzer: loopdefer.New(table), Default: true},
		{Analyzer: deferbeforecheck.New(table), Default: true},
		{Analyzer: doubleclose.New(table, own), Default: true},
		{Analyzer: idempotentclose.Analyzer, Default: true},
		{Analyzer: crossgoroutine.New(table), Default: true},
		{Analyzer: finalizer.New(table), Default: true},
		{Analyzer: perrequest.New(nil), Default: true},
		{Analyzer: closeerr.Analyzer, Default: true},
	}
}

func leakAnalyzer(own *analysis.Analyzer) *analysis.Analyzer {
	if own == ownership.Analyzer {
		return leak.Analyzer
	}
	return leak.New(own)
}

func overwriteAnalyzer(own *analysis.Analyzer) *analysis.Analyzer {
	if own == ownership.Analyzer {
		return overwrite.Analyzer
	}
	return overwrite.New(own)
}

// Analyzers returns the analyzers of checks.
func Analyzers(checks []Check) []*analysis.Analyzer {
	var out []*analysis.Analyzer
	for _, c := range checks {
		out = append(out, c.Analyzer)
	}
	return out
}

// Lookup returns the check named name among checks.
func Lookup(checks []Check, name string) (Check, bool) {
	for _, c := range checks {
		if c.Analyzer.Name == name {
			return c, true
		}
	}
	return Check{}, false
}
