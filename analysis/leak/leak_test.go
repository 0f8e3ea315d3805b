package leak_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/leak"
)

func TestLeak(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), leak.Analyzer, "basic")
}
