package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/lifecycle-lsp/lifecycle-lsp/codeaction/lspfix"
	"github.com/lifecycle-lsp/lifecycle-lsp/server"
)

// client is a test LSP client talking to an in-process server over a pipe.
type client struct {
	t    *testing.T
	conn jsonrpc2.Conn
	dir  string

	mu        sync.Mutex
	cond      *sync.Cond
	diags     map[protocol.DocumentURI]protocol.PublishDiagnosticsParams
	diagCount map[protocol.DocumentURI]int
	shown     []protocol.ShowMessageParams
	logs      []string
	progress  []string
	registers []protocol.Registration
	config    json.RawMessage
	exitCode  int
	exited    chan struct{}
	runDone   chan int
	versions  map[protocol.DocumentURI]int32
	texts     map[protocol.DocumentURI]string
}

type clientOptions struct {
	config         json.RawMessage // returned for workspace/configuration; nil: no support
	initOptions    any
	noDocChanges   bool
	noProgress     bool
	build          func() server.Options
	dynamicWatches bool
	resolveEdits   bool // the client resolves code action edits lazily
}

// newClient starts a server on dir and initializes it.
func newClient(t *testing.T, dir string, o clientOptions) *client {
	t.Helper()
	c := &client{
		t: t, dir: dir,
		diags:     map[protocol.DocumentURI]protocol.PublishDiagnosticsParams{},
		diagCount: map[protocol.DocumentURI]int{},
		exitCode:  -1,
		exited:    make(chan struct{}),
		runDone:   make(chan int, 1),
		config:    o.config,
		versions:  map[protocol.DocumentURI]int32{},
		texts:     map[protocol.DocumentURI]string{},
	}
	c.cond = sync.NewCond(&c.mu)
	sconn, cconn := net.Pipe()
	var exitOnce sync.Once
	so := server.Options{Build: testCatalogue}
	if o.build != nil {
		so = o.build()
	}
	srv := server.New(sconn, server.Options{
		Build:       so.Build,
		ResultCache: so.ResultCache,
		Log:         testLog{t},
		Exit: func(code int) {
			exitOnce.Do(func() {
				c.mu.Lock()
				c.exitCode = code
				c.mu.Unlock()
				close(c.exited)
			})
		},
	})
	go func() { c.runDone <- srv.Run(context.Background()) }()
	c.conn = jsonrpc2.NewConn(jsonrpc2.NewStream(cconn))
	c.conn.Go(context.Background(), c.handle)
	t.Cleanup(func() { _ = c.conn.Close() })

	caps := protocol.ClientCapabilities{
		Workspace: &protocol.WorkspaceClientCapabilities{
			Configuration:          o.config != nil,
			WorkspaceEdit:          &protocol.WorkspaceClientCapabilitiesWorkspaceEdit{DocumentChanges: !o.noDocChanges},
			DidChangeWatchedFiles:  &protocol.DidChangeWatchedFilesWorkspaceClientCapabilities{DynamicRegistration: o.dynamicWatches},
			DidChangeConfiguration: &protocol.DidChangeConfigurationWorkspaceClientCapabilities{},
		},
		Window: &protocol.WindowClientCapabilities{WorkDoneProgress: !o.noProgress},
	}
	if o.resolveEdits {
		caps.TextDocument = &protocol.TextDocumentClientCapabilities{CodeAction: &protocol.CodeActionClientCapabilities{
			ResolveSupport: &protocol.CodeActionClientCapabilitiesResolveSupport{Properties: []string{"edit"}},
		}}
	}
	var res protocol.InitializeResult
	c.call(protocol.MethodInitialize, &protocol.InitializeParams{
		RootURI:               uri.File(dir),
		WorkspaceFolders:      []protocol.WorkspaceFolder{{URI: string(uri.File(dir)), Name: "ws"}},
		Capabilities:          caps,
		InitializationOptions: o.initOptions,
	}, &res)
	if res.ServerInfo == nil || res.ServerInfo.Name != "lifecycle-lsp" {
		t.Fatalf("initialize: unexpected server info %+v", res.ServerInfo)
	}
	c.notify(protocol.MethodInitialized, struct{}{})
	return c
}

type testLog struct{ t *testing.T }

func (l testLog) Write(p []byte) (int, error) {
	if testing.Verbose() {
		l.t.Logf("%s", strings.TrimRight(string(p), "\n"))
	}
	return len(p), nil
}

func (c *client) handle(ctx context.Context, reply jsonrpc2.Replier, req jsonrpc2.Request) error {
	switch req.Method() {
	case protocol.MethodTextDocumentPublishDiagnostics:
		var p protocol.PublishDiagnosticsParams
		if err := json.Unmarshal(req.Params(), &p); err != nil {
			c.t.Errorf("bad publishDiagnostics: %v", err)
		}
		if p.Diagnostics == nil {
			c.t.Errorf("publishDiagnostics for %s with null diagnostics", p.URI)
		}
		c.mu.Lock()
		c.diags[p.URI] = p
		c.diagCount[p.URI]++
		c.cond.Broadcast()
		c.mu.Unlock()
		return reply(ctx, nil, nil)
	case protocol.MethodWindowShowMessage:
		var p protocol.ShowMessageParams
		_ = json.Unmarshal(req.Params(), &p)
		c.mu.Lock()
		c.shown = append(c.shown, p)
		c.cond.Broadcast()
		c.mu.Unlock()
		return reply(ctx, nil, nil)
	case protocol.MethodWindowLogMessage:
		var p protocol.LogMessageParams
		_ = json.Unmarshal(req.Params(), &p)
		c.mu.Lock()
		c.logs = append(c.logs, p.Message)
		c.cond.Broadcast()
		c.mu.Unlock()
		return reply(ctx, nil, nil)
	case protocol.MethodProgress:
		c.mu.Lock()
		c.progress = append(c.progress, string(req.Params()))
		c.cond.Broadcast()
		c.mu.Unlock()
		return reply(ctx, nil, nil)
	case protocol.MethodWorkDoneProgressCreate:
		return reply(ctx, nil, nil)
	case protocol.MethodClientRegisterCapability:
		var p protocol.RegistrationParams
		_ = json.Unmarshal(req.Params(), &p)
		c.mu.Lock()
		c.registers = append(c.registers, p.Registrations...)
		c.mu.Unlock()
		return reply(ctx, nil, nil)
	case protocol.MethodWorkspaceConfiguration:
		c.mu.Lock()
		cfg := c.config
		c.mu.Unlock()
		return reply(ctx, []json.RawMessage{cfg}, nil)
	}
	return jsonrpc2.MethodNotFoundHandler(ctx, reply, req)
}

func (c *client) call(method string, params, result any) {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := c.conn.Call(ctx, method, params, result); err != nil {
		c.t.Fatalf("%s: %v", method, err)
	}
}

func (c *client) notify(method string, params any) {
	c.t.Helper()
	if err := c.conn.Notify(context.Background(), method, params); err != nil {
		c.t.Fatalf("%s: %v", method, err)
	}
}

// path returns the absolute path of a file of the test module.
func (c *client) path(rel string) string { return filepath.Join(c.dir, filepath.FromSlash(rel)) }

func (c *client) uri(rel string) protocol.DocumentURI {
	return protocol.DocumentURI(uri.File(c.path(rel)))
}

// open opens a file of the module with its disk content.
func (c *client) open(rel string) {
	c.t.Helper()
	data, err := os.ReadFile(c.path(rel))
	if err != nil {
		c.t.Fatal(err)
	}
	u := c.uri(rel)
	c.mu.Lock()
	c.versions[u] = 1
	c.texts[u] = string(data)
	c.mu.Unlock()
	c.notify(protocol.MethodTextDocumentDidOpen, &protocol.DidOpenTextDocumentParams{TextDocument: protocol.TextDocumentItem{
		URI: u, LanguageID: "go", Version: 1, Text: string(data),
	}})
}

// edit sends an incremental change replacing [start, end) with text and
// returns the new version.
func (c *client) edit(rel string, start, end protocol.Position, text string) int32 {
	c.t.Helper()
	u := c.uri(rel)
	c.mu.Lock()
	old := c.texts[u]
	c.versions[u]++
	v := c.versions[u]
	c.mu.Unlock()
	m := lspfix.NewMapper([]byte(old))
	s, err1 := m.Offset(start)
	e, err2 := m.Offset(end)
	if err1 != nil || err2 != nil {
		c.t.Fatalf("edit out of range: %v %v", err1, err2)
	}
	next := old[:s] + text + old[e:]
	c.mu.Lock()
	c.texts[u] = next
	c.mu.Unlock()
	c.notify(protocol.MethodTextDocumentDidChange, map[string]any{
		"textDocument":   map[string]any{"uri": u, "version": v},
		"contentChanges": []any{map[string]any{"range": protocol.Range{Start: start, End: end}, "text": text}},
	})
	return v
}

// text returns the client's copy of an open document.
func (c *client) text(rel string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.texts[c.uri(rel)]
}

// applyEdit applies a WorkspaceEdit to the client's open documents and
// sends the resulting changes as incremental didChange notifications.
func (c *client) applyEdit(we *protocol.WorkspaceEdit) {
	c.t.Helper()
	type docEdits struct {
		uri   protocol.DocumentURI
		edits []protocol.TextEdit
	}
	var all []docEdits
	for _, dc := range we.DocumentChanges {
		c.mu.Lock()
		cur := c.versions[dc.TextDocument.URI]
		c.mu.Unlock()
		if dc.TextDocument.Version != nil && *dc.TextDocument.Version != cur {
			c.t.Fatalf("edit for version %d, document is at %d", *dc.TextDocument.Version, cur)
		}
		all = append(all, docEdits{dc.TextDocument.URI, dc.Edits})
	}
	for u, es := range we.Changes {
		all = append(all, docEdits{u, es})
	}
	for _, de := range all {
		rel, _ := filepath.Rel(c.dir, uri.URI(de.uri).Filename())
		// Apply from the end so earlier positions stay valid.
		es := append([]protocol.TextEdit(nil), de.edits...)
		for i := len(es) - 1; i >= 0; i-- {
			c.edit(filepath.ToSlash(rel), es[i].Range.Start, es[i].Range.End, es[i].NewText)
		}
	}
}

// waitDiags waits until the diagnostics of rel satisfy ok.
func (c *client) waitDiags(rel string, what string, ok func(p protocol.PublishDiagnosticsParams) bool) protocol.PublishDiagnosticsParams {
	c.t.Helper()
	u := c.uri(rel)
	deadline := time.Now().Add(60 * time.Second)
	timer := time.AfterFunc(61*time.Second, func() { c.mu.Lock(); c.cond.Broadcast(); c.mu.Unlock() })
	defer timer.Stop()
	c.mu.Lock()
	defer c.mu.Unlock()
	for {
		if p, have := c.diags[u]; have && ok(p) {
			return p
		}
		if time.Now().After(deadline) {
			p := c.diags[u]
			c.t.Fatalf("timed out waiting for %s diagnostics: %s; last: %s", rel, what, dump(p))
		}
		c.cond.Wait()
	}
}

// waitCount waits for n diagnostics on rel.
func (c *client) waitCount(rel string, n int) []protocol.Diagnostic {
	c.t.Helper()
	return c.waitDiags(rel, fmt.Sprintf("%d diagnostics", n), func(p protocol.PublishDiagnosticsParams) bool {
		return len(p.Diagnostics) == n
	}).Diagnostics
}

// waitVersion waits for diagnostics of rel computed on version v.
func (c *client) waitVersion(rel string, v int32, n int) []protocol.Diagnostic {
	c.t.Helper()
	return c.waitDiags(rel, fmt.Sprintf("%d diagnostics at version %d", n, v), func(p protocol.PublishDiagnosticsParams) bool {
		return p.Version == uint32(v) && len(p.Diagnostics) == n
	}).Diagnostics
}

// waitUntil waits, with c.mu held, until ok holds, failing the test with
// what after 60 seconds.
func (c *client) waitUntil(what func() string, ok func() bool) {
	c.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	timer := time.AfterFunc(61*time.Second, func() { c.mu.Lock(); c.cond.Broadcast(); c.mu.Unlock() })
	defer timer.Stop()
	c.mu.Lock()
	defer c.mu.Unlock()
	for !ok() {
		if time.Now().After(deadline) {
			c.t.Fatal(what())
		}
		c.cond.Wait()
	}
}

// waitShown waits for a showMessage containing substr.
func (c *client) waitShown(substr string) protocol.ShowMessageParams {
	c.t.Helper()
	var found protocol.ShowMessageParams
	c.waitUntil(func() string { return fmt.Sprintf("no showMessage containing %q; got %+v", substr, c.shown) }, func() bool {
		for _, m := range c.shown {
			if strings.Contains(m.Message, substr) {
				found = m
				return true
			}
		}
		return false
	})
	return found
}

// waitLog waits for a logMessage containing substr.
func (c *client) waitLog(substr string) string {
	c.t.Helper()
	var found string
	c.waitUntil(func() string { return fmt.Sprintf("no logMessage containing %q", substr) }, func() bool {
		for _, m := range c.logs {
			if strings.Contains(m, substr) {
				found = m
				return true
			}
		}
		return false
	})
	return found
}

func (c *client) codeActions(rel string, r protocol.Range, diags []protocol.Diagnostic, only ...protocol.CodeActionKind) []protocol.CodeAction {
	c.t.Helper()
	var actions []protocol.CodeAction
	c.call(protocol.MethodTextDocumentCodeAction, &protocol.CodeActionParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: c.uri(rel)},
		Range:        r,
		Context:      protocol.CodeActionContext{Diagnostics: diags, Only: only},
	}, &actions)
	return actions
}

// shutdown sends shutdown and exit and checks the exit code.
func (c *client) shutdown() {
	c.t.Helper()
	c.call(protocol.MethodShutdown, nil, nil)
	c.notify(protocol.MethodExit, nil)
	select {
	case <-c.exited:
	case <-time.After(10 * time.Second):
		c.t.Fatal("server did not exit")
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.exitCode != 0 {
		c.t.Fatalf("exit code %d after shutdown, want 0", c.exitCode)
	}
}

func dump(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// writeModule writes files (relative path → content) under a new temp dir.
func writeModule(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	dir, _ = filepath.EvalSymlinks(dir)
	for rel, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}
