package loopdefer_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/fixtest"
	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/loopdefer"
)

func TestLoopDefer(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), loopdefer.Analyzer, "loopdefer", "safetynet")
}

func TestLoopDeferFixesConverge(t *testing.T) {
	fixtest.Converges(t, analysistest.TestData(), loopdefer.Analyzer, "loopdefer", "safetynet")
}
