package leak_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/leak"
)

// TestBeforeGo123 runs the check on a module whose go directive is older
// than 1.23, where the runtime collects no unstopped ticker.
func TestBeforeGo123(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, filepath.Join(analysistest.TestData(), "oldgo"), leak.Analyzer, "./...")
}
