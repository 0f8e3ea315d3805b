package server_test

import (
	"strings"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/lifecycle-lsp/lifecycle-lsp/server"
)

// TestRealLeakCheck runs the production catalogue: the leak check reports
// an unclosed response body and its fix inserts the defer after the error
// check.
func TestRealLeakCheck(t *testing.T) {
	src := `package fetch

import "net/http"

func Fetch(u string) error {
	resp, err := http.Get(u)
	if err != nil {
		return err
	}
	_ = resp.StatusCode
	return nil
}
`
	dir := writeModule(t, map[string]string{"go.mod": goMod, "fetch/fetch.go": src})
	c := newClientWith(t, dir, server.Options{})
	c.open("fetch/fetch.go")
	var leak *protocol.Diagnostic
	p := c.waitDiags("fetch/fetch.go", "a leak diagnostic", func(p protocol.PublishDiagnosticsParams) bool {
		for _, d := range p.Diagnostics {
			if d.Code == "leak" {
				return true
			}
		}
		return false
	})
	for i := range p.Diagnostics {
		if p.Diagnostics[i].Code == "leak" {
			leak = &p.Diagnostics[i]
		}
	}
	if leak.Range.Start.Line != 5 || leak.CodeDescription == nil || leak.Source != "lifecycle" {
		t.Errorf("leak diagnostic: %s", dump(leak))
	}
	actions := c.codeActions("fetch/fetch.go", leak.Range, []protocol.Diagnostic{*leak}, protocol.QuickFix)
	if len(actions) == 0 {
		t.Fatal("no quick fix for the leak")
	}
	c.applyEdit(actions[0].Edit)
	if !strings.Contains(c.text("fetch/fetch.go"), "\t\treturn err\n\t}\n\tdefer resp.Body.Close()\n") {
		t.Fatalf("fixed text:\n%s", c.text("fetch/fetch.go"))
	}
	c.waitDiags("fetch/fetch.go", "no leak", func(p protocol.PublishDiagnosticsParams) bool {
		for _, d := range p.Diagnostics {
			if d.Code == "leak" {
				return false
			}
		}
		return p.Version > 1
	})
	c.shutdown()
}

// newClientWith is newClient with explicit server options (the production
// catalogue when Build is nil).
func newClientWith(t *testing.T, dir string, so server.Options) *client {
	t.Helper()
	return newClient(t, dir, clientOptions{build: func() server.Options { return so }})
}
