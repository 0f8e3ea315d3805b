package loopdefer_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/loopdefer"
)

// TestPrecision holds shapes real code showed to be correct, each beside a
// true bug of the same shape that must still be reported.
func TestPrecision(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), loopdefer.Analyzer, "safetynet", "ctxdone")
}
