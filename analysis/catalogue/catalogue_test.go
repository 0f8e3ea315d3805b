package catalogue_test

import (
	"os"
	"strings"
	"testing"

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
