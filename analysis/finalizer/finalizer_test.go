package finalizer_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/finalizer"
	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/fixtest"
)

func TestFinalizer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), finalizer.Analyzer, "fin")
}

func TestFixes(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), finalizer.Analyzer, "fixes")
}

func TestFixesConverge(t *testing.T) {
	fixtest.Converges(t, analysistest.TestData(), finalizer.Analyzer, "fixes", "fin")
}
