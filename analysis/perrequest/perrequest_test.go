package perrequest_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/fixtest"
	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/perrequest"
)

var testAnalyzer = perrequest.New([]string{"custom/store.NewClient", "custom/store.Factory.Open"})

func TestPerRequest(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), testAnalyzer, "perrequest")
}

func TestPerRequestFix(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), perrequest.Analyzer, "perrequestfix", "perrequestclash")
}

func TestPerRequestFixesConverge(t *testing.T) {
	fixtest.Converges(t, analysistest.TestData(), perrequest.Analyzer, "perrequestfix", "perrequest", "perrequestclash")
}

func TestConstructorsFlag(t *testing.T) {
	a := perrequest.New(nil)
	if err := a.Flags.Set("constructors", "custom/store.NewClient,custom/store.Factory.Open"); err != nil {
		t.Fatal(err)
	}
	analysistest.Run(t, analysistest.TestData(), a, "perrequest")
	// The default analyzer is not changed by another one's flags.
	if got := perrequest.Analyzer.Flags.Lookup("constructors").Value.String(); got != "" {
		t.Errorf("default analyzer constructors = %q, want empty", got)
	}
}
