// Package settings parses the language server's configuration (the
// "lifecycle" section of workspace/configuration, didChangeConfiguration
// and initializationOptions), lays it over the project configuration file
// (.lifecycle.yaml, which the editor settings override) and turns it into
// the analyzer set to run.
package settings

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"golang.org/x/tools/go/analysis"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/catalogue"
	"github.com/lifecycle-lsp/lifecycle-lsp/config"
)

// Section is the configuration section the server reads.
const Section = "lifecycle"

// Scope values of DiagnosticsScope.
const (
	ScopeWorkspace = "workspace"
	ScopeOpenFiles = "openFiles"
)

// Severity values.
const (
	SeverityError       = "error"
	SeverityWarning     = "warning"
	SeverityInformation = "information"
	SeverityHint        = "hint"
)

// Settings is the user-facing configuration.
type Settings struct {
	// Checks enables (true) or disables (false) checks by name; checks
	// not listed keep their default.
	Checks map[string]bool `json:"checks,omitempty"`
	// Severity sets the severity of a check's diagnostics: "error",
	// "warning" (the default), "information" or "hint".
	Severity map[string]string `json:"severity,omitempty"`
	// ExtraResourceTypes adds resource types ("pkg/path.Type" or
	// "*pkg/path.Type") to the standard table.
	ExtraResourceTypes []string `json:"extraResourceTypes,omitempty"`
	// RemovedResourceTypes removes resource types from the table.
	RemovedResourceTypes []string `json:"removedResourceTypes,omitempty"`
	// DiagnosticsScope is "workspace" (every package, the default) or
	// "openFiles" (diagnostics only for open files).
	DiagnosticsScope string `json:"diagnosticsScope,omitempty"`
	// BuildFlags are passed to go list (default: -mod=readonly).
	BuildFlags []string `json:"buildFlags,omitempty"`
	// Env adds environment variables for go list.
	Env map[string]string `json:"env,omitempty"`
	// Tests analyzes test files (default true).
	Tests *bool `json:"tests,omitempty"`
	// DiagnosticsDelayMs is the debounce delay after an edit (default 15).
	DiagnosticsDelayMs *int `json:"diagnosticsDelayMs,omitempty"`
	// Generated reports findings in, and offers fixes for, generated
	// files ("// Code generated … DO NOT EDIT."); default false.
	Generated *bool `json:"generated,omitempty"`
	// ReleaseMethods adds resource types with the methods that release
	// them ("*pkg/path.Conn": ["Release"]).
	ReleaseMethods map[string][]string `json:"releaseMethods,omitempty"`

	// project is the project configuration file (.lifecycle.yaml) these
	// editor settings override; nil when none was read.
	project *config.File
}

// WithProject returns the settings with the project configuration file f
// beneath them: checks, severities and release methods the editor does not
// set come from f, resource types of both apply, and f's excluded paths
// and per-path overrides decide per file (Keeps, SeverityIn).
func (s Settings) WithProject(f *config.File) Settings {
	if f == nil {
		return s
	}
	out := s
	out.project = f
	out.ExtraResourceTypes = union(f.ExtraResourceTypes, s.ExtraResourceTypes)
	out.RemovedResourceTypes = union(f.RemovedResourceTypes, s.RemovedResourceTypes)
	if len(f.ReleaseMethods) > 0 {
		out.ReleaseMethods = map[string][]string{}
		for t, ms := range f.ReleaseMethods {
			out.ReleaseMethods[t] = ms
		}
		for t, ms := range s.ReleaseMethods {
			out.ReleaseMethods[t] = ms
		}
	}
	if out.Generated == nil && f.Generated != nil {
		g := *f.Generated
		out.Generated = &g
	}
	return out
}

// ProjectFor reads the project configuration file of a workspace: the
// first .lifecycle.yaml found from a folder (in it or a parent up to the
// repository root). It returns nil when no folder has one.
func ProjectFor(folders []string) (*config.File, error) {
	for _, dir := range folders {
		path, err := config.Find(dir)
		if err != nil {
			return nil, err
		}
		if path != "" {
			return config.Load(path)
		}
	}
	return nil, nil
}

// Project returns the project configuration beneath the settings, or nil.
func (s Settings) Project() *config.File { return s.project }

func union(a, b []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, x := range append(append([]string(nil), a...), b...) {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// Keeps reports whether a finding of check in file (absolute) is shown:
// the project configuration does not exclude the file, and the check is on
// for it (the editor's setting, else the project's for that path, else the
// check's default).
func (s Settings) Keeps(check, file string) bool {
	if s.project == nil {
		return true
	}
	if s.project.Excluded(file) {
		return false
	}
	if _, ok := s.Checks[check]; ok {
		return true // the editor turned it on (an analyzer that is off reports nothing)
	}
	def := true
	if c, ok := catalogue.Lookup(catalogue.All(), check); ok {
		def = c.Default
	}
	return s.project.Enabled(check, file, def)
}

// SeverityIn returns the severity of check's findings in file: the
// editor's setting, else the project configuration's for that path.
func (s Settings) SeverityIn(check, file string) string {
	if _, ok := s.Severity[check]; ok || s.project == nil {
		return s.SeverityOf(check)
	}
	return s.project.SeverityOf(check, file)
}

// Parse reads settings from a configuration value: either the section
// itself or an object holding it under "lifecycle". A null or empty value
// gives the defaults.
func Parse(raw json.RawMessage) (Settings, error) {
	var s Settings
	t := strings.TrimSpace(string(raw))
	if t == "" || t == "null" {
		return s, nil
	}
	var wrapper map[string]json.RawMessage
	if err := json.Unmarshal(raw, &wrapper); err != nil {
		return s, fmt.Errorf("configuration is not an object: %w", err)
	}
	if inner, ok := wrapper[Section]; ok {
		return Parse(inner)
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		return s, fmt.Errorf("parsing %q configuration: %w", Section, err)
	}
	return s, s.validate()
}

func (s Settings) validate() error {
	for check, sev := range s.Severity {
		switch sev {
		case SeverityError, SeverityWarning, SeverityInformation, SeverityHint:
		default:
			return fmt.Errorf("severity of %s: %q is not error, warning, information or hint", check, sev)
		}
	}
	switch s.DiagnosticsScope {
	case "", ScopeWorkspace, ScopeOpenFiles:
	default:
		return fmt.Errorf("diagnosticsScope %q is not %q or %q", s.DiagnosticsScope, ScopeWorkspace, ScopeOpenFiles)
	}
	return nil
}

// SeverityOf returns the configured severity of a check.
func (s Settings) SeverityOf(check string) string {
	if sev, ok := s.Severity[check]; ok {
		return sev
	}
	return SeverityWarning
}

// Scope returns the diagnostics scope.
func (s Settings) Scope() string {
	if s.DiagnosticsScope == "" {
		return ScopeWorkspace
	}
	return s.DiagnosticsScope
}

// GeneratedEnabled reports whether generated files get diagnostics.
func (s Settings) GeneratedEnabled() bool { return s.Generated != nil && *s.Generated }

// TestsEnabled reports whether test files are analyzed.
func (s Settings) TestsEnabled() bool { return s.Tests == nil || *s.Tests }

// Delay returns the debounce delay.
func (s Settings) Delay() time.Duration {
	if s.DiagnosticsDelayMs == nil {
		return 15 * time.Millisecond
	}
	return time.Duration(max(0, *s.DiagnosticsDelayMs)) * time.Millisecond
}

// EnvList returns Env as KEY=VALUE strings, sorted.
func (s Settings) EnvList() []string {
	var out []string
	for k, v := range s.Env {
		out = append(out, k+"="+v)
	}
	sort.Strings(out)
	return out
}

// BuildFunc builds the catalogue for a configuration; catalogue.Build in
// production, a test catalogue in tests.
type BuildFunc func(catalogue.Config) ([]catalogue.Check, error)

// Analyzers returns the enabled analyzers and a key identifying the set
// and its configuration (for cache keys).
func (s Settings) Analyzers(build BuildFunc) ([]*analysis.Analyzer, string, error) {
	checks, err := build(catalogue.Config{ExtraTypes: s.ExtraResourceTypes, RemovedTypes: s.RemovedResourceTypes, ReleaseMethods: s.ReleaseMethods})
	if err != nil {
		return nil, "", fmt.Errorf("building the checks: %w", err)
	}
	var out []*analysis.Analyzer
	var names []string
	for _, c := range checks {
		on := c.Default
		if s.project != nil {
			on = s.project.MayRun(c.Analyzer.Name, c.Default)
		}
		if v, ok := s.Checks[c.Analyzer.Name]; ok {
			on = v
		}
		if on {
			out = append(out, c.Analyzer)
			names = append(names, c.Analyzer.Name)
		}
	}
	key := strings.Join(names, ",") + "|" + strings.Join(s.ExtraResourceTypes, ",") + "|" + strings.Join(s.RemovedResourceTypes, ",") + "|" + releaseKey(s.ReleaseMethods)
	return out, key, nil
}

// releaseKey renders release methods in a stable order, for cache keys.
func releaseKey(m map[string][]string) string {
	types := make([]string, 0, len(m))
	for t := range m {
		types = append(types, t)
	}
	sort.Strings(types)
	var sb strings.Builder
	for _, t := range types {
		fmt.Fprintf(&sb, "%s=%s;", t, strings.Join(m[t], ","))
	}
	return sb.String()
}
