package catalogue

import (
	"fmt"
	"strings"
)

// Markdown renders the check catalogue for the README: one section per
// check, from the same documentation the analyzers carry (their doc.go),
// with indented code turned into fenced Go blocks.
func Markdown(checks []Check) string {
	var sb strings.Builder
	sb.WriteString("| check | finds |\n|---|---|\n")
	for _, c := range checks {
		title, _, _ := strings.Cut(c.Analyzer.Doc, "\n")
		fmt.Fprintf(&sb, "| [`%s`](#%s) | %s |\n", c.Analyzer.Name, c.Analyzer.Name, strings.TrimPrefix(title, c.Analyzer.Name+": "))
	}
	for _, c := range checks {
		fmt.Fprintf(&sb, "\n### %s\n\n", c.Analyzer.Name)
		sb.WriteString(CheckMarkdown(c))
	}
	return sb.String()
}

// CheckMarkdown renders one check's documentation as Markdown (its title in
// bold, then the doc text with indented code as fenced Go blocks), as the
// README section under the check's heading and SARIF's rule help show it.
func CheckMarkdown(c Check) string {
	var sb strings.Builder
	_, body, _ := strings.Cut(c.Analyzer.Doc, "\n")
	title, _, _ := strings.Cut(c.Analyzer.Doc, "\n")
	fmt.Fprintf(&sb, "**%s**\n", strings.TrimPrefix(title, c.Analyzer.Name+": "))
	inCode := false
	for _, line := range strings.Split(body, "\n") {
		code := strings.HasPrefix(line, "\t")
		switch {
		case code && !inCode:
			sb.WriteString("```go\n")
			inCode = true
		case !code && inCode && strings.TrimSpace(line) != "":
			sb.WriteString("```\n")
			inCode = false
		}
		if inCode {
			if strings.TrimSpace(line) == "" {
				// keep blank lines inside a code block only when more code follows
				sb.WriteString("\n")
				continue
			}
			sb.WriteString(strings.TrimPrefix(line, "\t"))
			sb.WriteString("\n")
			continue
		}
		if strings.HasPrefix(line, "# ") {
			line = "#### " + strings.TrimPrefix(line, "# ")
		}
		line = strings.ReplaceAll(line, "*", `\*`)
		sb.WriteString(line)
		sb.WriteString("\n")
	}
	if inCode {
		sb.WriteString("```\n")
	}
	// Trim blank lines left just before closing fences.
	out := sb.String()
	for strings.Contains(out, "\n\n```\n") {
		out = strings.ReplaceAll(out, "\n\n```\n", "\n```\n")
	}
	return out
}
