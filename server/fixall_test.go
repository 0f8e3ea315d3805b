package server_test

import (
	"go/format"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/catalogue"
	"github.com/lifecycle-lsp/lifecycle-lsp/server"
)

// fixSample returns a sample package whose fixes take more than one pass
// (see codeaction/fixpoint/testdata/README.md), as package a.
func fixSample(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "codeaction", "fixpoint", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return strings.Replace(string(b), "package m", "package a", 1)
}

func realChecks() server.Options { return server.Options{Build: catalogue.Build} }

// fixAllOnce opens a/a.go holding src, waits for its want diagnostics and
// returns the client and the fix-all action.
func fixAllOnce(t *testing.T, src string, want int, o clientOptions) (*client, protocol.CodeAction) {
	t.Helper()
	dir := writeModule(t, map[string]string{"go.mod": goMod, "a/a.go": src})
	o.build = realChecks
	c := newClient(t, dir, o)
	c.open("a/a.go")
	c.waitVersion("a/a.go", 1, want)
	actions := c.codeActions("a/a.go", protocol.Range{}, nil, protocol.CodeActionKind("source.fixAll"))
	if len(actions) != 1 || actions[0].Kind != "source.fixAll.lifecycle" {
		t.Fatalf("fix-all actions: %s", dump(actions))
	}
	return c, actions[0]
}

// checkFixed applies the fix-all edit and checks that the file is
// gofmt-clean and that no diagnostic is left.
func checkFixed(t *testing.T, c *client, we *protocol.WorkspaceEdit, wantIn ...string) {
	t.Helper()
	c.applyEdit(we)
	text := c.text("a/a.go")
	if formatted, err := format.Source([]byte(text)); err != nil || string(formatted) != text {
		t.Errorf("the fixed text is not gofmt-clean (%v):\n%s", err, text)
	}
	for _, w := range wantIn {
		if strings.Count(text, w) != 1 {
			t.Errorf("the fixed text should hold %q once:\n%s", w, text)
		}
	}
	c.waitVersion("a/a.go", c.version("a/a.go"), 0)
	c.shutdown()
}

func TestFixAllAppliesFixesThatOnlyAppearOnTheFixedText(t *testing.T) {
	c, all := fixAllOnce(t, fixSample(t, "nestedloops.go.txt"), 2, clientOptions{})
	if all.Edit == nil {
		t.Fatalf("fix-all without an edit: %s", dump(all))
	}
	checkFixed(t, c, all.Edit, "defer d.Close()", "defer f.Close()")
}

func TestFixAllAppliesTwoFixesAddingTheSameImport(t *testing.T) {
	c, all := fixAllOnce(t, fixSample(t, "twohoists.go.txt"), 2, clientOptions{})
	if all.Edit == nil {
		t.Fatalf("fix-all without an edit: %s", dump(all))
	}
	checkFixed(t, c, all.Edit, "\t\"sync\"\n")
}

func TestFixAllIsResolvedLazilyWhenEveryKindIsAsked(t *testing.T) {
	dir := writeModule(t, map[string]string{"go.mod": goMod, "a/a.go": fixSample(t, "nestedloops.go.txt")})
	c := newClient(t, dir, clientOptions{build: realChecks, resolveEdits: true})
	c.open("a/a.go")
	c.waitVersion("a/a.go", 1, 2)
	fixAll := func(actions []protocol.CodeAction) *protocol.CodeAction {
		for i := range actions {
			if actions[i].Kind == "source.fixAll.lifecycle" {
				return &actions[i]
			}
		}
		t.Fatalf("no fix-all action: %s", dump(actions))
		return nil
	}
	// Asked for fix-all itself (on save, a fix-all command), the client
	// gets the edit at once.
	if explicit := fixAll(c.codeActions("a/a.go", protocol.Range{}, nil, protocol.CodeActionKind("source.fixAll"))); explicit.Edit == nil {
		t.Fatalf("an explicit fix-all request got no edit: %s", dump(explicit))
	}
	// Asked for every kind (a light bulb), it gets an action to resolve.
	all := fixAll(c.codeActions("a/a.go", protocol.Range{}, nil))
	if all.Edit != nil || all.Data == nil {
		t.Fatalf("a light-bulb request should get the fix-all without its edit: %s", dump(all))
	}
	var resolved protocol.CodeAction
	c.call("codeAction/resolve", all, &resolved)
	if resolved.Edit == nil || resolved.Kind != all.Kind {
		t.Fatalf("resolved fix-all: %s", dump(resolved))
	}
	// Once the document changed, the action offered for the old version
	// is refused rather than resolved against the new text.
	c.edit("a/a.go", protocol.Position{Line: 2}, protocol.Position{Line: 2}, "\n")
	c.waitVersion("a/a.go", 2, 2)
	_, err := c.conn.Call(t.Context(), "codeAction/resolve", all, &resolved)
	var rpcErr *jsonrpc2.Error
	if err == nil || !asRPCError(err, &rpcErr) || rpcErr.Code != -32801 {
		t.Fatalf("resolving a stale action: %v, want ContentModified", err)
	}
	all = fixAll(c.codeActions("a/a.go", protocol.Range{}, nil))
	resolved = protocol.CodeAction{}
	c.call("codeAction/resolve", all, &resolved)
	if resolved.Edit == nil {
		t.Fatalf("resolved fix-all: %s", dump(resolved))
	}
	c.applyEdit(resolved.Edit)
	c.waitVersion("a/a.go", c.version("a/a.go"), 0)
	c.shutdown()
}

func asRPCError(err error, target **jsonrpc2.Error) bool {
	e, ok := err.(*jsonrpc2.Error)
	if ok {
		*target = e
	}
	return ok
}

// version returns the client's version of an open document.
func (c *client) version(rel string) int32 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.versions[c.uri(rel)]
}

// TestFixAllDropsFixesThatBreakTheBuild uses the test check, whose fix
// inserts `defer x.Close()` whatever x is: on a value without a Close
// method the fixed text does not type-check, so fix-all offers nothing
// rather than an edit that breaks the package.
func TestFixAllDropsFixesThatBreakTheBuild(t *testing.T) {
	dir := writeModule(t, map[string]string{"go.mod": goMod, "a/a.go": `package a

type R struct{}

func leakyOpen() *R { return &R{} }

func use() {
	x := leakyOpen()
	_ = x
}
`})
	c := newClient(t, dir, clientOptions{})
	c.open("a/a.go")
	c.waitVersion("a/a.go", 1, 1)
	actions := c.codeActions("a/a.go", protocol.Range{}, nil, protocol.CodeActionKind("source.fixAll"))
	if len(actions) != 0 {
		t.Fatalf("fix-all offered an edit that does not type-check: %s", dump(actions))
	}
	c.waitLog("the fixes of round 1 were dropped")
	// The quick fix itself is still offered: it is the check's to get right.
	if quick := c.codeActions("a/a.go", protocol.Range{End: protocol.Position{Line: 100}}, nil, protocol.QuickFix); len(quick) != 1 {
		t.Errorf("quick fixes: %s", dump(quick))
	}
	c.shutdown()
}
