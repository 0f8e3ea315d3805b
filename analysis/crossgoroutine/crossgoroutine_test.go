package crossgoroutine_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/crossgoroutine"
	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/fixtest"
)

func TestCrossGoroutine(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), crossgoroutine.Analyzer, "crossgoroutine")
}

func TestCrossGoroutineFixesConverge(t *testing.T) {
	fixtest.Converges(t, analysistest.TestData(), crossgoroutine.Analyzer, "crossgoroutine")
}
