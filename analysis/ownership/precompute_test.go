package ownership

import (
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
)

// TestSummariesComputedInOwnershipPass: by the end of the ownership pass
// every function of the package, function literals included, has its
// summary, so the analyzers that then use the model side by side only read
// summaries and never see one being computed by another (which would look
// like recursion and give an order-dependent result).
func TestSummariesComputedInOwnershipPass(t *testing.T) {
	probe := &analysis.Analyzer{
		Name:     "summaryprobe",
		Doc:      "checks that the ownership pass computed every summary",
		Requires: []*analysis.Analyzer{Analyzer},
		Run: func(pass *analysis.Pass) (any, error) {
			m := pass.ResultOf[Analyzer].(*Model)
			m.mu.Lock()
			defer m.mu.Unlock()
			if len(m.funcs) < 5 {
				t.Errorf("the model has %d functions, want the 3 declared and 2 literals at least", len(m.funcs))
			}
			for _, f := range m.funcs {
				if _, ok := m.sums[f]; !ok {
					t.Errorf("no summary of %s after the ownership pass", f)
				}
			}
			return nil, nil
		},
	}
	analysistest.Run(t, analysistest.TestData(), probe, "closures")
}
