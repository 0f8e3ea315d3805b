package deferbeforecheck_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/deferbeforecheck"
	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/fixtest"
)

func TestDeferBeforeCheck(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), deferbeforecheck.Analyzer, "deferbeforecheck")
}

func TestDeferBeforeCheckFixesConverge(t *testing.T) {
	fixtest.Converges(t, analysistest.TestData(), deferbeforecheck.Analyzer, "deferbeforecheck")
}
