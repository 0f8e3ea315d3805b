package server_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/lifecycle-lsp/lifecycle-lsp/internal/streamdriver"
	"github.com/lifecycle-lsp/lifecycle-lsp/server"
	"github.com/lifecycle-lsp/lifecycle-lsp/server/cache"
)

// withStore returns the gate's server options with a result cache in dir.
func withStore(g *gate, dir string) func() server.Options {
	return func() server.Options {
		o := g.options()
		o.ResultCache = func() (cache.Store, string, error) {
			c, err := streamdriver.OpenCache(dir, "test")
			if err != nil {
				return nil, "", err
			}
			return c, c.Salt(), nil
		}
		return o
	}
}

// waitAnalysed waits for the end of the first analysis of the workspace.
func (c *client) waitAnalysed() {
	c.t.Helper()
	c.waitUntil(func() string {
		return fmt.Sprintf("timed out waiting for the end of the workspace analysis; progress: %v", c.progress)
	}, func() bool {
		for _, p := range c.progress {
			if strings.Contains(p, `"kind":"end"`) && strings.Contains(p, `"done"`) {
				return true
			}
		}
		return false
	})
}

// TestResultCacheNextSession runs three sessions on one result cache: the
// first analyses the module and stores the results; the second publishes
// them, and offers their fixes, while every analysis is held (so they can
// only come from the cache); the third runs after a dependency changed on
// disk, and its dependant is analysed again, not served stale.
func TestResultCacheNextSession(t *testing.T) {
	store := t.TempDir()
	dir := baseModule(t)

	g1 := newGate(t)
	c1 := newClient(t, dir, clientOptions{build: withStore(g1, store)})
	c1.waitCount("b/b.go", 1)
	c1.waitAnalysed()
	c1.shutdown()

	g2 := newGate(t)
	g2.hold()
	c2 := newClient(t, dir, clientOptions{build: withStore(g2, store)})
	if got := c2.waitCount("b/b.go", 1); got[0].Message != "r is never closed" {
		t.Errorf("b.go from the cache: %s", dump(got))
	}
	c2.open("a/a.go")
	d := c2.waitVersion("a/a.go", 1, 1)[0]
	actions := c2.codeActions("a/a.go", d.Range, []protocol.Diagnostic{d}, protocol.QuickFix)
	if len(actions) != 1 || actions[0].Title != "Insert defer x.Close()" {
		t.Errorf("quick fix from the cache: %s", dump(actions))
	}
	select {
	case <-g2.entered:
		t.Error("an analysis ran although every package was in the cache")
	default:
	}
	g2.open()
	c2.shutdown()

	// Open no longer wraps leakyOpen: b has nothing to report.
	noWrap := strings.Replace(aGo, "func Open() *R { return leakyOpen() }", "func Open() *R { return &R{} }", 1)
	if err := os.WriteFile(c2.path("a/a.go"), []byte(noWrap), 0o644); err != nil {
		t.Fatal(err)
	}
	g3 := newGate(t)
	c3 := newClient(t, dir, clientOptions{build: withStore(g3, store)})
	c3.waitCount("a/a.go", 1)
	c3.waitAnalysed()
	c3.mu.Lock()
	stale := c3.diags[c3.uri("b/b.go")].Diagnostics
	c3.mu.Unlock()
	if len(stale) != 0 {
		t.Errorf("b.go after its dependency changed: %s", dump(stale))
	}
	c3.shutdown()
}
