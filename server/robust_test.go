package server_test

import (
	"testing"

	"go.lsp.dev/protocol"
)

// stillServing fails unless the server answers a request and has not
// exited.
func (c *client) stillServing() {
	c.t.Helper()
	var actions []protocol.CodeAction
	c.call(protocol.MethodTextDocumentCodeAction, &protocol.CodeActionParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: c.uri("a/a.go")},
	}, &actions)
	select {
	case <-c.exited:
		c.t.Fatal("the server exited")
	default:
	}
}

// TestNullAndWrongTypedFields sends notifications whose fields are null or
// of the wrong type: the server ignores them (telling the user when it
// cannot decode one) and keeps serving.
func TestNullAndWrongTypedFields(t *testing.T) {
	c := newClient(t, baseModule(t), clientOptions{})
	c.waitCount("a/a.go", 1)
	for _, n := range []struct {
		method string
		params any
	}{
		{protocol.MethodWorkspaceDidChangeWatchedFiles, map[string]any{"changes": []any{nil, map[string]any{"uri": c.uri("a/a.go"), "type": 2}, map[string]any{}}}},
		{protocol.MethodWorkspaceDidChangeWatchedFiles, map[string]any{"changes": nil}},
		{protocol.MethodWorkspaceDidChangeWorkspaceFolders, map[string]any{"event": map[string]any{"added": []any{map[string]any{}}, "removed": nil}}},
		{protocol.MethodTextDocumentDidOpen, map[string]any{"textDocument": nil}},
		{protocol.MethodTextDocumentDidChange, map[string]any{"textDocument": map[string]any{"uri": c.uri("a/a.go")}, "contentChanges": []any{nil}}},
		{protocol.MethodTextDocumentDidSave, map[string]any{"textDocument": map[string]any{"uri": nil}}},
		{protocol.MethodTextDocumentDidClose, map[string]any{}},
		{protocol.MethodWorkspaceDidChangeConfiguration, map[string]any{"settings": nil}},
	} {
		c.notify(n.method, n.params)
		c.stillServing()
	}
	c.notify(protocol.MethodTextDocumentDidChange, map[string]any{"textDocument": 7, "contentChanges": "oops"})
	c.waitShown("could not decode")
	c.stillServing()
	c.waitCount("a/a.go", 1)
	c.shutdown()
}

// TestRejectedChangeRecoversOnSave: an edit whose range lies past the end
// of the buffer withdraws the file's diagnostics and is reported; later
// incremental edits are not applied to the stale buffer; saving rebuilds
// the buffer from disk under the client's latest version.
func TestRejectedChangeRecoversOnSave(t *testing.T) {
	c := newClient(t, baseModule(t), clientOptions{})
	c.open("a/a.go")
	c.waitVersion("a/a.go", 1, 1)
	change := func(v int32, line uint32, text string) {
		c.notify(protocol.MethodTextDocumentDidChange, map[string]any{
			"textDocument": map[string]any{"uri": c.uri("a/a.go"), "version": v},
			"contentChanges": []any{map[string]any{
				"range": protocol.Range{Start: protocol.Position{Line: line}, End: protocol.Position{Line: line}},
				"text":  text,
			}},
		})
	}
	change(2, 1000, "// far away\n")
	c.waitShown("lost track of the contents of a.go")
	c.waitCount("a/a.go", 0)
	// Applied to the stale buffer, this would add a second finding.
	change(3, 0, "")
	change(4, 16, "func more() {\n\ty := leakyOpen()\n\t_ = y\n}\n")
	c.notify(protocol.MethodTextDocumentDidSave, map[string]any{"textDocument": map[string]any{"uri": c.uri("a/a.go")}})
	c.waitVersion("a/a.go", 4, 1)
	c.stillServing()
	c.shutdown()
}
