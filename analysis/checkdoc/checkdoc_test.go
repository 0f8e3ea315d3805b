package checkdoc

import (
	"strings"
	"testing"
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
