package idempotentclose_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/fixtest"
	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/idempotentclose"
)

func TestIdempotentClose(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), idempotentclose.Analyzer, "basic", "silent", "dep", "user")
}

func TestFixes(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), idempotentclose.Analyzer, "fixes")
}

func TestFixesConverge(t *testing.T) {
	fixtest.Converges(t, analysistest.TestData(), idempotentclose.Analyzer, "fixes", "basic", "user")
}
