package checkdoc

import (
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
)

func TestFromPackageDocKeepsCodeBlocks(t *testing.T) {
	src := "// Package x defines a check.\n//\n// # Analyzer x\n//\n// x: report things\n//\n// Bad:\n//\n//\tdefer f.Close()\n//\t\tnested()\npackage x\n"
	got := FromPackageDoc(src)
	want := "x: report things\n\nBad:\n\n\tdefer f.Close()\n\t\tnested()"
	if got != want {
		t.Errorf("FromPackageDoc:\ngot  %q\nwant %q", got, want)
	}
}

func TestURL(t *testing.T) {
	if got := URL("leak"); !strings.HasSuffix(got, "#leak") {
		t.Errorf("URL(leak) = %q, want a #leak anchor", got)
	}
}

func TestNewAnalyzer(t *testing.T) {
	src := "// Package x defines a check.\n//\n// # Analyzer x\n//\n// x: report things\npackage x\n"
	req := &analysis.Analyzer{Name: "req"}
	a := NewAnalyzer("x", src, nil, req)
	if a.Name != "x" || a.Doc != "x: report things" || a.URL != URL("x") {
		t.Errorf("NewAnalyzer: name %q doc %q url %q", a.Name, a.Doc, a.URL)
	}
	if len(a.Requires) != 1 || a.Requires[0] != req {
		t.Errorf("NewAnalyzer: requires %v, want [req]", a.Requires)
	}
}
