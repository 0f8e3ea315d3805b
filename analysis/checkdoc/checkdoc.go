// Package checkdoc gives every check its identity: the analyzer's name, the
// Doc text taken from the check's doc.go and its documentation address, so
// the analyzers, the diagnostics' codeDescription and the README agree.
package checkdoc

import (
	"strings"

	"golang.org/x/tools/go/analysis"
)

// NewAnalyzer returns the analyzer of the check named name: its Doc is the
// package comment of the check's doc.go (packageDoc, embedded), its URL the
// check's documentation address. Callers add facts, results or flags.
func NewAnalyzer(name, packageDoc string, run func(*analysis.Pass) (any, error), requires ...*analysis.Analyzer) *analysis.Analyzer {
	return &analysis.Analyzer{
		Name:     name,
		Doc:      FromPackageDoc(packageDoc),
		URL:      URL(name),
		Requires: requires,
		Run:      run,
	}
}

// URL is the documentation address of the check named name: its section of
// the README's check catalogue.
func URL(name string) string {
	return "https://github.com/lifecycle-lsp/lifecycle-lsp#" + name
}

// FromPackageDoc turns the package comment of a check's doc.go (embedded with
// go:embed) into the analyzer's Doc text: the comment markers are removed and
// the text before the first line starting with "Package" or "# Analyzer" is
// dropped, leaving the title line first, as go/analysis expects.
func FromPackageDoc(src string) string {
	var lines []string
	inComment := false
	for _, line := range strings.Split(src, "\n") {
		switch {
		case strings.HasPrefix(line, "/*"):
			inComment = true
			continue
		case inComment && strings.HasPrefix(line, "*/"):
			inComment = false
			continue
		case inComment:
			lines = append(lines, line)
		case strings.HasPrefix(line, "// ") || line == "//":
			lines = append(lines, strings.TrimPrefix(strings.TrimPrefix(line, "//"), " "))
		case strings.HasPrefix(line, "//\t"):
			// Indented code blocks (the Bad/Good examples) keep their tab.
			lines = append(lines, strings.TrimPrefix(line, "//"))
		case strings.HasPrefix(line, "package "):
			return strings.TrimSpace(strings.Join(trimToTitle(lines), "\n"))
		}
	}
	return strings.TrimSpace(strings.Join(trimToTitle(lines), "\n"))
}

// trimToTitle drops the "Package x ..." paragraph and any "# Analyzer x"
// heading so the doc begins with the check's one-line title.
func trimToTitle(lines []string) []string {
	for i, l := range lines {
		if strings.HasPrefix(l, "# Analyzer ") {
			lines = lines[i+1:]
			break
		}
	}
	for len(lines) > 0 && strings.TrimSpace(lines[0]) == "" {
		lines = lines[1:]
	}
	return lines
}
