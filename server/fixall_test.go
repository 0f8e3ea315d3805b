package server_test

import (
	"go/format"
	"strings"
	"testing"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/catalogue"
	"github.com/lifecycle-lsp/lifecycle-lsp/server"
)

// nestedDefers has a defer in each of two nested loops: the fix of the
// outer loop overlaps the inner loop's, so it only applies once the inner
// body is wrapped, in a second round on the fixed text.
const nestedDefers = `package a

import "os"

func Names(groups [][]string) int {
	n := 0
	for _, g := range groups {
		d, err := os.Open(g[0])
		if err != nil {
			continue
		}
		defer d.Close()
		for _, name := range g[1:] {
			f, err := os.Open(name)
			if err != nil {
				return n
			}
			defer f.Close()
			n += len(f.Name()) + len(d.Name())
		}
	}
	return n
}
`

// twoHandlers builds an HTTP client and a transport per request: both fixes
// rewrite the one-line import block to add "sync", with the same edit,
// which must be applied once.
const twoHandlers = `package a

import "net/http"

func A(w http.ResponseWriter, r *http.Request) {
	c := &http.Client{Transport: &http.Transport{}}
	resp, err := c.Get("http://example.com/a")
	if err != nil {
		return
	}
	defer resp.Body.Close()
	w.WriteHeader(resp.StatusCode)
}

func B(w http.ResponseWriter, r *http.Request) {
	t := &http.Transport{MaxIdleConns: 3}
	c := &http.Client{Transport: t}
	resp, err := c.Get("http://example.com/b")
	if err != nil {
		return
	}
	defer resp.Body.Close()
	w.WriteHeader(resp.StatusCode)
}
`

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
	c, all := fixAllOnce(t, nestedDefers, 2, clientOptions{})
	if all.Edit == nil {
		t.Fatalf("fix-all without an edit: %s", dump(all))
	}
	checkFixed(t, c, all.Edit, "defer d.Close()", "defer f.Close()")
}

func TestFixAllAppliesTwoFixesAddingTheSameImport(t *testing.T) {
	c, all := fixAllOnce(t, twoHandlers, 2, clientOptions{})
	if all.Edit == nil {
		t.Fatalf("fix-all without an edit: %s", dump(all))
	}
	checkFixed(t, c, all.Edit, "\t\"sync\"\n")
}

func TestFixAllIsResolvedLazilyForTheVersionItWasOfferedFor(t *testing.T) {
	c, all := fixAllOnce(t, nestedDefers, 2, clientOptions{resolveEdits: true})
	if all.Edit != nil || all.Data == nil {
		t.Fatalf("a client that resolves edits should get the fix-all without its edit: %s", dump(all))
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
	actions := c.codeActions("a/a.go", protocol.Range{}, nil, protocol.CodeActionKind("source.fixAll"))
	if len(actions) != 1 {
		t.Fatalf("fix-all actions on the new version: %s", dump(actions))
	}
	c.call("codeAction/resolve", actions[0], &resolved)
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
