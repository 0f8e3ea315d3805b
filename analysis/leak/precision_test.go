package leak_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/leak"
)

// TestPrecision holds the shapes that real code showed to be correct, each
// beside a true bug of the same shape that must still be reported.
func TestPrecision(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), leak.Analyzer, "lifetime", "endless", "errtype", "wrappers", "promoted", "aliasdefer", "cleanuphelper", "releasemethod", "handover", "inert", "infeasible", "assertions", "commaok", "ctxdone", "onerror", "sentinel", "children", "neverfails", "goroutineuse", "signalgoroutine", "process", "correlated", "testfailure", "optiongated", "injected", "unknowncallee", "anyname", "funcresult", "selectsend", "ctorname", "lazy", "registered", "unexportedctor", "recovering", "zerostruct", "fieldgate")
}
