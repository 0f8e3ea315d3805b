package overwrite_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/fixtest"
	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/overwrite"
)

func TestOverwrite(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), overwrite.Analyzer, "fields", "fieldsok", "containers", "mapsok", "dropped", "droppedok", "timers")
}

func TestFixes(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), overwrite.Analyzer, "fixes")
}

func TestFixesConverge(t *testing.T) {
	fixtest.Converges(t, analysistest.TestData(), overwrite.Analyzer, "fixes", "fields", "containers", "dropped")
}
