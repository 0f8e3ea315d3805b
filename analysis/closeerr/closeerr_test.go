package closeerr_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/closeerr"
	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/fixtest"
)

func TestCloseErr(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), closeerr.Analyzer, "closeerr")
}

func TestCloseErrFixesConverge(t *testing.T) {
	fixtest.Converges(t, analysistest.TestData(), closeerr.Analyzer, "closeerr")
}
