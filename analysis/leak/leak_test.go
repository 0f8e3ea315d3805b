package leak_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/fixtest"
	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/leak"
)

func TestLeak(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), leak.Analyzer, "basic", "kinds", "flow", "transfer", "silent")
}

func TestFixes(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), leak.Analyzer, "fixes", "nofix", "fixeshandover", "fixestestify", "commaok", "goroutineuse", "signalgoroutine")
}

func TestFixesConverge(t *testing.T) {
	fixtest.Converges(t, analysistest.TestData(), leak.Analyzer, "fixes", "nofix", "fixeshandover", "fixestestify", "basic", "kinds", "flow", "transfer", "commaok", "assertions", "goroutineuse", "signalgoroutine")
}
