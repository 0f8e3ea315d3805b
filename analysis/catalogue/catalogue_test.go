package catalogue_test

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/catalogue"
)

// TestReadmeCatalogue keeps the README's check catalogue in sync with the
// analyzers' documentation (regenerate with go run ./scripts/gendocs).
func TestReadmeCatalogue(t *testing.T) {
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), catalogue.Markdown(catalogue.All())) {
		t.Fatal("README.md's check catalogue is out of date: run go run ./scripts/gendocs")
	}
}

func TestChecksAreDocumented(t *testing.T) {
	for _, c := range catalogue.All() {
		a := c.Analyzer
		if !strings.HasPrefix(a.Doc, a.Name+": ") {
			t.Errorf("%s: Doc must start with %q", a.Name, a.Name+": ")
		}
		for _, want := range []string{"Bad:", "Good:", "Available since:"} {
			if !strings.Contains(a.Doc, want) {
				t.Errorf("%s: Doc lacks %q", a.Name, want)
			}
		}
		if a.URL == "" {
			t.Errorf("%s: no URL", a.Name)
		}
	}
}

func TestBuildWithExtraTypes(t *testing.T) {
	checks, err := catalogue.Build(catalogue.Config{ExtraTypes: []string{"*example.com/pool.Conn"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(checks) != len(catalogue.All()) {
		t.Fatalf("Build returned %d checks, All %d", len(checks), len(catalogue.All()))
	}
	if _, err := catalogue.Build(catalogue.Config{ExtraTypes: []string{"notatype"}}); err == nil {
		t.Fatal("a malformed resource type was accepted")
	}
}

// TestDocumentationURLsResolve: every check's URL (the diagnostics'
// codeDescription.href and SARIF's helpUri) points at a heading of the
// README as GitHub renders it, so the link lands on that check's section.
func TestDocumentationURLsResolve(t *testing.T) {
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	anchors := readmeAnchors(string(data))
	for _, c := range catalogue.All() {
		base, frag, ok := strings.Cut(c.Analyzer.URL, "#")
		if !ok || base != "https://github.com/lifecycle-lsp/lifecycle-lsp" {
			t.Errorf("%s: URL %q is not an anchor of the repository's README", c.Analyzer.Name, c.Analyzer.URL)
			continue
		}
		if !anchors[frag] {
			t.Errorf("%s: the README has no heading with anchor #%s", c.Analyzer.Name, frag)
		}
	}
	if anchors["no-such-check"] || !anchors["adopting-it-on-existing-code"] {
		t.Error("readmeAnchors does not read headings as GitHub does")
	}
}

// readmeAnchors returns the anchors GitHub gives the Markdown headings of
// text: lower case, punctuation other than - and _ dropped, spaces turned
// into -, and -1, -2, … appended to repeats. Headings inside fenced code do
// not count.
func readmeAnchors(text string) map[string]bool {
	out := map[string]bool{}
	seen := map[string]int{}
	fenced := false
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(line, "```") {
			fenced = !fenced
			continue
		}
		if fenced || !strings.HasPrefix(line, "#") {
			continue
		}
		title := strings.TrimSpace(strings.TrimLeft(line, "#"))
		var sb strings.Builder
		for _, r := range strings.ToLower(title) {
			switch {
			case r == ' ':
				sb.WriteRune('-')
			case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
				sb.WriteRune(r)
			}
		}
		slug := sb.String()
		if n := seen[slug]; n > 0 {
			out[fmt.Sprintf("%s-%d", slug, n)] = true
		} else {
			out[slug] = true
		}
		seen[slug]++
	}
	return out
}

// TestReleaseMethods: a type added with its release method is a resource
// the leak check follows, and calling that method releases it.
func TestReleaseMethods(t *testing.T) {
	checks, err := catalogue.Build(catalogue.Config{ReleaseMethods: map[string][]string{"*example.com/pool.Conn": {"Release"}}})
	if err != nil {
		t.Fatal(err)
	}
	leak, _ := catalogue.Lookup(checks, "leak")
	analysistest.Run(t, analysistest.TestData(), leak.Analyzer, "user")

	for _, bad := range []map[string][]string{
		{"*example.com/pool.Conn": nil},
		{"*example.com/pool.Conn": {"release"}},
		{"pool": {"Release"}},
	} {
		if _, err := catalogue.Build(catalogue.Config{ReleaseMethods: bad}); err == nil {
			t.Errorf("release methods %v were accepted", bad)
		}
	}
}
