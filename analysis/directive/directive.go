// Package directive implements lifecycle-lsp's suppression comments, shared by
// every check:
//
//	//lifecycle:ignore CHECK[,CHECK…] reason
//	//nolint:lifecycle // reason
//
// A directive applies to diagnostics on its own line or on the line below it.
// A directive without a reason suppresses nothing and is itself reported by
// the check it names (a bare //nolint:lifecycle is reported by the leak
// check), so that every silenced finding carries an explanation.
package directive

import (
	"go/ast"
	"go/token"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// Directive is one parsed suppression comment.
type Directive struct {
	Pos    token.Pos
	Line   int
	File   string
	Checks []string // nil means every lifecycle check (nolint form)
	Reason string
	NoLint bool
}

// Covers reports whether d suppresses diagnostics of check.
func (d Directive) Covers(check string) bool {
	if d.Checks == nil {
		return true
	}
	for _, c := range d.Checks {
		if c == check || c == "all" {
			return true
		}
	}
	return false
}

// Parse returns the directives in file.
func Parse(fset *token.FileSet, file *ast.File) []Directive {
	var out []Directive
	for _, cg := range file.Comments {
		for _, c := range cg.List {
			if d, ok := parseComment(c.Text); ok {
				p := fset.Position(c.Slash)
				d.Pos, d.Line, d.File = c.Slash, p.Line, p.Filename
				out = append(out, d)
			}
		}
	}
	return out
}

func parseComment(text string) (Directive, bool) {
	if !strings.HasPrefix(text, "//") {
		return Directive{}, false
	}
	body := strings.TrimSpace(text[2:])
	if rest, ok := strings.CutPrefix(body, "lifecycle:ignore"); ok {
		if rest != "" && rest[0] != ' ' && rest[0] != '\t' {
			return Directive{}, false
		}
		fields := strings.Fields(rest)
		d := Directive{}
		if len(fields) == 0 {
			return d, true // no check and no reason: suppresses nothing
		}
		d.Checks = strings.Split(fields[0], ",")
		d.Reason = strings.TrimSpace(strings.Join(fields[1:], " "))
		return d, true
	}
	if strings.HasPrefix(text, "//nolint:") {
		spec, reason, _ := strings.Cut(body[len("nolint:"):], "//")
		names := strings.Split(strings.TrimSpace(spec), ",")
		for _, n := range names {
			if strings.TrimSpace(n) == "lifecycle" {
				return Directive{NoLint: true, Reason: strings.TrimSpace(reason)}, true
			}
		}
	}
	return Directive{}, false
}

// Filter wraps a pass's reporting for one check: diagnostics covered by a
// directive with a reason are dropped. Create it once per pass.
type Filter struct {
	pass  *analysis.Pass
	check string
	// by file name, line → directives
	lines map[string]map[int][]Directive
	all   []Directive
}

// NewFilter parses the directives of the pass's files for check.
func NewFilter(pass *analysis.Pass, check string) *Filter {
	f := &Filter{pass: pass, check: check, lines: map[string]map[int][]Directive{}}
	for _, file := range pass.Files {
		for _, d := range Parse(pass.Fset, file) {
			m := f.lines[d.File]
			if m == nil {
				m = map[int][]Directive{}
				f.lines[d.File] = m
			}
			m[d.Line] = append(m[d.Line], d)
			f.all = append(f.all, d)
		}
	}
	return f
}

// Suppressed reports whether a diagnostic of the filter's check at pos is
// covered by a directive with a reason.
func (f *Filter) Suppressed(pos token.Pos) bool {
	p := f.pass.Fset.Position(pos)
	m := f.lines[p.Filename]
	for _, line := range []int{p.Line, p.Line - 1} {
		for _, d := range m[line] {
			if d.Reason != "" && d.Covers(f.check) && (d.Checks != nil || d.NoLint) {
				return true
			}
		}
	}
	return false
}

// Report reports d unless a directive suppresses it.
func (f *Filter) Report(d analysis.Diagnostic) {
	if f.Suppressed(d.Pos) {
		return
	}
	if d.Category == "" {
		d.Category = f.check
	}
	f.pass.Report(d)
}

// ReportMissingReasons reports the directives naming the filter's check that
// give no reason. When ownsNoLint is set it also reports bare
// //nolint:lifecycle comments (exactly one check should own them).
func (f *Filter) ReportMissingReasons(ownsNoLint bool) {
	for _, d := range f.all {
		if d.Reason != "" {
			continue
		}
		switch {
		case d.NoLint && ownsNoLint:
			f.pass.Report(analysis.Diagnostic{Pos: d.Pos, Category: f.check,
				Message: "//nolint:lifecycle needs a reason: //nolint:lifecycle // why this is safe"})
		case !d.NoLint && d.Checks == nil && ownsNoLint:
			f.pass.Report(analysis.Diagnostic{Pos: d.Pos, Category: f.check,
				Message: "//lifecycle:ignore needs a check name and a reason: //lifecycle:ignore CHECK reason"})
		case !d.NoLint && d.Checks != nil && d.Covers(f.check):
			f.pass.Report(analysis.Diagnostic{Pos: d.Pos, Category: f.check,
				Message: "//lifecycle:ignore " + strings.Join(d.Checks, ",") + " needs a reason; it suppresses nothing until it has one"})
		}
	}
}
