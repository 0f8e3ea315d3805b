// Package config reads lifecycle-lsp's project configuration file,
// .lifecycle.yaml, kept at the root of a module or repository so that CI
// (check, go vet -vettool, golangci-lint) and every editor share one
// setting: which checks run, their severities, extra and removed resource
// types, extra release methods, excluded paths and per-path overrides.
//
// The file uses the key names of the editor settings (the "lifecycle"
// section), which override it.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
	"go.yaml.in/yaml/v3"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/catalogue"
)

// FileName is the name of the configuration file.
const FileName = ".lifecycle.yaml"

// Severities a check's findings may have.
var Severities = []string{"error", "warning", "information", "hint"}

// File is the content of a configuration file.
type File struct {
	// Path is the file read, "" when there is none (all defaults). Paths
	// in Exclude and Overrides are relative to its directory.
	Path string `yaml:"-"`

	// Checks turns checks on (true) or off (false) by name; checks not
	// listed keep their default.
	Checks map[string]bool `yaml:"checks,omitempty"`
	// Severity sets the severity of a check's findings: error, warning
	// (the default), information or hint.
	Severity map[string]string `yaml:"severity,omitempty"`
	// ExtraResourceTypes adds types ("pkg/path.Type", "*pkg/path.Type")
	// released by Close (or Stop).
	ExtraResourceTypes []string `yaml:"extraResourceTypes,omitempty"`
	// RemovedResourceTypes takes types out of the resource table.
	RemovedResourceTypes []string `yaml:"removedResourceTypes,omitempty"`
	// ReleaseMethods adds types with the methods that release them; the
	// first is the one quick fixes call.
	ReleaseMethods map[string][]string `yaml:"releaseMethods,omitempty"`
	// Exclude lists path patterns (relative to the file's directory,
	// "**" for any number of directories) whose findings are not reported.
	Exclude []string `yaml:"exclude,omitempty"`
	// Generated reports findings in generated files too.
	Generated *bool `yaml:"generated,omitempty"`
	// Overrides change checks and severities for some paths; a later
	// override wins over an earlier one.
	Overrides []Override `yaml:"overrides,omitempty"`
}

// Override changes the checks and severities of the files its paths match.
type Override struct {
	Paths    []string          `yaml:"paths"`
	Checks   map[string]bool   `yaml:"checks,omitempty"`
	Severity map[string]string `yaml:"severity,omitempty"`
}

// Find returns the configuration file that governs dir: the first
// FileName found in dir or a parent, stopping at the repository root (a
// directory holding .git). It returns "" when there is none.
func Find(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("finding %s: %w", FileName, err)
	}
	for {
		p := filepath.Join(dir, FileName)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		} else if !errors.Is(err, os.ErrNotExist) {
			return "", fmt.Errorf("finding %s: %w", FileName, err)
		}
		if _, err := os.Stat(filepath.Join(dir, ".git")); err == nil {
			return "", nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", nil
		}
		dir = parent
	}
}

// ForDir finds and loads the configuration file governing dir; with none
// it returns an empty File (all defaults).
func ForDir(dir string) (*File, error) {
	path, err := Find(dir)
	if err != nil || path == "" {
		return &File{}, err
	}
	return Load(path)
}

// Load reads and validates the configuration file at path. Errors name the
// file and line: "path:3: severity of leak: "fatal" is not one of …".
func Load(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading the configuration: %w", err)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("reading the configuration: %w", err)
	}
	f, err := Parse(abs, data)
	if err != nil {
		return nil, err
	}
	return f, nil
}

// Parse reads a configuration from data; path names it in errors and
// anchors its relative paths.
func Parse(path string, data []byte) (*File, error) {
	f := &File{Path: path}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(f); err != nil && !errors.Is(err, io.EOF) {
		return nil, yamlError(path, err)
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, yamlError(path, err)
	}
	if err := f.validate(&root); err != nil {
		return nil, err
	}
	return f, nil
}

// lineMessage matches the "line N: message" form of the YAML parser's
// errors.
var lineMessage = regexp.MustCompile(`^(?:yaml: )?line ([0-9]+): (.*)$`)

// yamlError rewrites the parser's errors as "path:line: message", one line
// per problem.
func yamlError(path string, err error) error {
	msgs := []string{err.Error()}
	var te *yaml.TypeError
	if errors.As(err, &te) {
		msgs = te.Errors
	}
	for i, m := range msgs {
		if sub := lineMessage.FindStringSubmatch(strings.TrimSpace(m)); sub != nil {
			msgs[i] = fmt.Sprintf("%s:%s: %s", path, sub[1], sub[2])
		} else {
			msgs[i] = fmt.Sprintf("%s: %s", path, strings.TrimPrefix(m, "yaml: "))
		}
	}
	return errors.New(strings.Join(msgs, "\n"))
}

// Validate checks a File built or changed in code (a tool's own settings
// laid over the file): errors name the file, without a line.
func (f *File) Validate() error { return f.validate(&yaml.Node{}) }

// validate checks names, severities, types and patterns, reporting the
// line of the offending entry.
func (f *File) validate(root *yaml.Node) error {
	known := map[string]bool{}
	var names []string
	for _, c := range catalogue.All() {
		known[c.Analyzer.Name] = true
		names = append(names, c.Analyzer.Name)
	}
	errAt := func(msg string, path ...string) error {
		if line := lineOf(root, path...); line > 0 {
			return fmt.Errorf("%s:%d: %s", f.Path, line, msg)
		}
		if f.Path == "" {
			return errors.New(msg)
		}
		return fmt.Errorf("%s: %s", f.Path, msg)
	}
	checkNames := func(m map[string]bool, prefix ...string) error {
		for _, name := range sortedKeys(m) {
			if !known[name] {
				return errAt(fmt.Sprintf("unknown check %q (known: %s)", name, strings.Join(names, ", ")), append(prefix, "checks", name)...)
			}
		}
		return nil
	}
	severities := func(m map[string]string, prefix ...string) error {
		for _, name := range sortedKeys(m) {
			if !known[name] {
				return errAt(fmt.Sprintf("severity of unknown check %q", name), append(prefix, "severity", name)...)
			}
			if !validSeverity(m[name]) {
				return errAt(fmt.Sprintf("severity of %s: %q is not one of %s", name, m[name], strings.Join(Severities, ", ")), append(prefix, "severity", name)...)
			}
		}
		return nil
	}
	patterns := func(list []string, prefix ...string) error {
		for i, p := range list {
			if !doublestar.ValidatePattern(filepath.ToSlash(p)) || filepath.IsAbs(p) {
				return errAt(fmt.Sprintf("path pattern %q is not a valid relative pattern", p), append(prefix, fmt.Sprint(i))...)
			}
		}
		return nil
	}
	if err := checkNames(f.Checks); err != nil {
		return err
	}
	if err := severities(f.Severity); err != nil {
		return err
	}
	if err := patterns(f.Exclude, "exclude"); err != nil {
		return err
	}
	for i, o := range f.Overrides {
		at := []string{"overrides", fmt.Sprint(i)}
		if len(o.Paths) == 0 {
			return errAt("an override needs paths", at...)
		}
		if err := patterns(o.Paths, append(at, "paths")...); err != nil {
			return err
		}
		if err := checkNames(o.Checks, at...); err != nil {
			return err
		}
		if err := severities(o.Severity, at...); err != nil {
			return err
		}
	}
	if _, err := catalogue.Build(f.Catalogue()); err != nil {
		key := "extraResourceTypes"
		switch {
		case strings.Contains(err.Error(), "release methods"):
			key = "releaseMethods"
		case !containsAny(err.Error(), f.ExtraResourceTypes):
			key = "removedResourceTypes"
		}
		return errAt(err.Error(), key)
	}
	return nil
}

// Catalogue is the shape the file gives the analyzers.
func (f *File) Catalogue() catalogue.Config {
	return catalogue.Config{ExtraTypes: f.ExtraResourceTypes, RemovedTypes: f.RemovedResourceTypes, ReleaseMethods: f.ReleaseMethods}
}

// Dir is the directory the file's patterns are relative to ("" with no
// file).
func (f *File) Dir() string {
	if f.Path == "" {
		return ""
	}
	return filepath.Dir(f.Path)
}

// match reports whether file (absolute) matches one of patterns, relative
// to the configuration's directory. A pattern naming a directory matches
// every file below it.
func (f *File) match(patterns []string, file string) bool {
	if f.Path == "" || len(patterns) == 0 {
		return false
	}
	rel, err := filepath.Rel(f.Dir(), file)
	if err != nil || strings.HasPrefix(rel, "..") {
		return false
	}
	rel = filepath.ToSlash(rel)
	for _, p := range patterns {
		p = strings.TrimSuffix(filepath.ToSlash(p), "/")
		if ok, _ := doublestar.Match(p, rel); ok {
			return true
		}
		if ok, _ := doublestar.Match(p+"/**", rel); ok {
			return true
		}
	}
	return false
}

// Excluded reports whether findings in file (an absolute path) are left out.
func (f *File) Excluded(file string) bool { return f.match(f.Exclude, file) }

// Enabled reports whether check runs on file: the file's last matching
// override that names the check decides, then the top-level Checks, then
// the check's default (def).
func (f *File) Enabled(check, file string, def bool) bool {
	on := def
	if v, ok := f.Checks[check]; ok {
		on = v
	}
	for _, o := range f.Overrides {
		if v, ok := o.Checks[check]; ok && f.match(o.Paths, file) {
			on = v
		}
	}
	return on
}

// SeverityOf returns the severity of check's findings in file ("warning"
// unless configured).
func (f *File) SeverityOf(check, file string) string {
	sev := "warning"
	if s, ok := f.Severity[check]; ok {
		sev = s
	}
	for _, o := range f.Overrides {
		if s, ok := o.Severity[check]; ok && f.match(o.Paths, file) {
			sev = s
		}
	}
	return sev
}

// MayRun reports whether check runs on some file: it is on at the top
// level, or an override turns it on. Analyzers run per package; Enabled
// then decides per file.
func (f *File) MayRun(check string, def bool) bool {
	if f.Enabled(check, "", def) {
		return true
	}
	for _, o := range f.Overrides {
		if o.Checks[check] {
			return true
		}
	}
	return false
}

// Explain writes the effective configuration: where it came from and every
// setting, defaults filled in, as YAML.
func (f *File) Explain(w io.Writer) error {
	if f.Path == "" {
		fmt.Fprintf(w, "# no %s found (looked in this directory and its parents up to the repository root): defaults\n", FileName)
	} else {
		fmt.Fprintf(w, "# from %s\n", f.Path)
	}
	eff := *f
	eff.Checks = map[string]bool{}
	eff.Severity = map[string]string{}
	for _, c := range catalogue.All() {
		eff.Checks[c.Analyzer.Name] = f.Enabled(c.Analyzer.Name, "", c.Default)
		eff.Severity[c.Analyzer.Name] = f.SeverityOf(c.Analyzer.Name, "")
	}
	gen := f.Generated != nil && *f.Generated
	eff.Generated = &gen
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(&eff); err != nil {
		return fmt.Errorf("printing the configuration: %w", err)
	}
	return enc.Close()
}

func validSeverity(s string) bool {
	for _, v := range Severities {
		if s == v {
			return true
		}
	}
	return false
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// lineOf returns the line of the node at path (mapping keys, or sequence
// indexes as decimal strings) in the document root, or of the deepest node
// found on the way; 0 when not even the first step exists.
func lineOf(root *yaml.Node, path ...string) int {
	n := root
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	line := 0
	for _, step := range path {
		var next *yaml.Node
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == step {
					line = n.Content[i].Line
					next = n.Content[i+1]
					break
				}
			}
		case yaml.SequenceNode:
			var idx int
			if _, err := fmt.Sscan(step, &idx); err == nil && idx >= 0 && idx < len(n.Content) {
				next = n.Content[idx]
				line = next.Line
			}
		}
		if next == nil {
			return line
		}
		n = next
	}
	return line
}
