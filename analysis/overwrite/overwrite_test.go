package overwrite_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/overwrite"
)

func TestOverwrite(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), overwrite.Analyzer, "fields", "fieldsok")
}
