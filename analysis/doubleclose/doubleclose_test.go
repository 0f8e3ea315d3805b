package doubleclose_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/doubleclose"
	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/fixtest"
)

func TestDoubleClose(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), doubleclose.Analyzer, "dc")
}

func TestFixes(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), doubleclose.Analyzer, "fixes")
}

func TestFixesConverge(t *testing.T) {
	fixtest.Converges(t, analysistest.TestData(), doubleclose.Analyzer, "fixes", "dc", "wrap")
}
