package server_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"go.lsp.dev/protocol"
)

const goMod = "module example.com/m\n\ngo 1.22\n"

const aGo = `package a

type R struct{}

func (*R) Close() error { return nil }

func leakyOpen() *R { return &R{} }

// Open wraps leakyOpen.
func Open() *R { return leakyOpen() }

func use() {
	x := leakyOpen()
	_ = x
}
`

const bGo = `package b

import "example.com/m/a"

func F() {
	r := a.Open()
	_ = r
}
`

func baseModule(t *testing.T) string {
	return writeModule(t, map[string]string{"go.mod": goMod, "a/a.go": aGo, "b/b.go": bGo})
}

func TestDiagnoseEditFixClear(t *testing.T) {
	c := newClient(t, baseModule(t), clientOptions{})
	// b.go is never opened: the whole workspace is diagnosed, and the
	// diagnostic there needs the fact exported by package a.
	bd := c.waitCount("b/b.go", 1)
	if bd[0].Message != "r is never closed" {
		t.Errorf("b.go: got %q", bd[0].Message)
	}
	c.open("a/a.go")
	d := c.waitVersion("a/a.go", 1, 1)[0]
	want := protocol.Range{Start: protocol.Position{Line: 12, Character: 6}, End: protocol.Position{Line: 12, Character: 17}}
	if d.Range != want {
		t.Errorf("range %v, want %v", d.Range, want)
	}
	if d.Source != "lifecycle" || d.Code != "leakcheck" || d.Severity != protocol.DiagnosticSeverityWarning {
		t.Errorf("source/code/severity: %+v", d)
	}
	if d.CodeDescription == nil || d.CodeDescription.Href != "https://example.com/checks/leakcheck" {
		t.Errorf("codeDescription: %+v", d.CodeDescription)
	}
	if len(d.RelatedInformation) != 1 || d.RelatedInformation[0].Message != "acquired here" ||
		d.RelatedInformation[0].Location.Range.Start != (protocol.Position{Line: 12, Character: 1}) {
		t.Errorf("relatedInformation: %+v", d.RelatedInformation)
	}

	// Insert a line above: the diagnostic moves.
	v := c.edit("a/a.go", protocol.Position{Line: 11, Character: 0}, protocol.Position{Line: 11, Character: 0}, "// moved\n")
	d = c.waitVersion("a/a.go", v, 1)[0]
	if d.Range.Start.Line != 13 {
		t.Fatalf("after edit: diagnostic at line %d, want 13", d.Range.Start.Line)
	}

	// Quick fix.
	actions := c.codeActions("a/a.go", d.Range, []protocol.Diagnostic{d})
	var fix *protocol.CodeAction
	for i := range actions {
		if actions[i].Kind == protocol.QuickFix {
			fix = &actions[i]
		}
	}
	if fix == nil || fix.Title != "Insert defer x.Close()" || fix.Edit == nil || len(fix.Edit.DocumentChanges) != 1 {
		t.Fatalf("quick fix: %s", dump(actions))
	}
	if got := fix.Edit.DocumentChanges[0].TextDocument.Version; got == nil || *got != v {
		t.Fatalf("edit version %v, want %d", got, v)
	}
	c.applyEdit(fix.Edit)
	if !strings.Contains(c.text("a/a.go"), "x := leakyOpen()\n\tdefer x.Close()\n") {
		t.Fatalf("fixed text:\n%s", c.text("a/a.go"))
	}
	c.waitVersion("a/a.go", v+1, 0)
	// b.go is unaffected by the edit and keeps its diagnostic.
	c.waitCount("b/b.go", 1)

	// Breaking the wrapper changes a's facts: b is re-analysed.
	text := c.text("a/a.go")
	idx := strings.Index(text, "func Open() *R { return leakyOpen() }")
	m := lineCol(text, idx)
	c.edit("a/a.go", m, protocol.Position{Line: m.Line, Character: m.Character + uint32(len("func Open() *R { return leakyOpen() }"))}, "func Open() *R { return &R{} }")
	c.waitCount("b/b.go", 0)
	c.shutdown()
}

// lineCol returns the position of a byte offset in ASCII text.
func lineCol(text string, off int) protocol.Position {
	line := strings.Count(text[:off], "\n")
	col := off - (strings.LastIndex(text[:off], "\n") + 1)
	return protocol.Position{Line: uint32(line), Character: uint32(col)}
}

func TestFixAll(t *testing.T) {
	dir := writeModule(t, map[string]string{"go.mod": goMod, "a/a.go": aGo + `
func two() {
	y := leakyOpen()
	z := leakyOpen()
	_, _ = y, z
}
`})
	c := newClient(t, dir, clientOptions{noDocChanges: true})
	c.open("a/a.go")
	c.waitVersion("a/a.go", 1, 3)
	actions := c.codeActions("a/a.go", protocol.Range{}, nil, protocol.CodeActionKind("source.fixAll"))
	if len(actions) != 1 || actions[0].Kind != "source.fixAll.lifecycle" || actions[0].Edit == nil {
		t.Fatalf("fixAll actions: %s", dump(actions))
	}
	if len(actions[0].Edit.Changes) != 1 || len(actions[0].Edit.DocumentChanges) != 0 {
		t.Fatalf("without documentChanges support the edit must use changes: %s", dump(actions[0].Edit))
	}
	c.applyEdit(actions[0].Edit)
	text := c.text("a/a.go")
	for _, v := range []string{"x", "y", "z"} {
		if !strings.Contains(text, "defer "+v+".Close()") {
			t.Errorf("fixed text lacks defer %s.Close():\n%s", v, text)
		}
	}
	c.waitCount("a/a.go", 0)
	c.shutdown()
}

func TestConfiguration(t *testing.T) {
	c := newClient(t, baseModule(t), clientOptions{config: json.RawMessage(`{"severity":{"leakcheck":"error"}}`)})
	d := c.waitCount("a/a.go", 1)[0]
	c.waitCount("b/b.go", 1)
	if d.Severity != protocol.DiagnosticSeverityError {
		t.Errorf("severity %v, want error", d.Severity)
	}
	c.mu.Lock()
	c.config = json.RawMessage(`{"checks":{"leakcheck":false}}`)
	c.mu.Unlock()
	c.notify(protocol.MethodWorkspaceDidChangeConfiguration, &protocol.DidChangeConfigurationParams{Settings: nil})
	c.waitCount("a/a.go", 0)
	c.waitCount("b/b.go", 0)
	c.mu.Lock()
	c.config = json.RawMessage(`{"checks":{"leakcheck":true},"severity":{"leakcheck":"hint"}}`)
	c.mu.Unlock()
	c.notify(protocol.MethodWorkspaceDidChangeConfiguration, &protocol.DidChangeConfigurationParams{Settings: nil})
	d = c.waitCount("a/a.go", 1)[0]
	if d.Severity != protocol.DiagnosticSeverityHint {
		t.Errorf("severity %v, want hint", d.Severity)
	}
	c.shutdown()
}

func TestConfigurationPushed(t *testing.T) {
	// A client without workspace/configuration pushes settings.
	c := newClient(t, baseModule(t), clientOptions{initOptions: map[string]any{"checks": map[string]bool{"leakcheck": false}}})
	c.waitLog("loaded")
	c.open("a/a.go")
	c.waitVersion("a/a.go", 1, 0)
	c.notify(protocol.MethodWorkspaceDidChangeConfiguration, map[string]any{"settings": map[string]any{"lifecycle": map[string]any{"checks": map[string]bool{"leakcheck": true}}}})
	c.waitCount("a/a.go", 1)
	c.shutdown()
}

func TestUTF16Positions(t *testing.T) {
	dir := writeModule(t, map[string]string{"go.mod": goMod, "a/a.go": `package a

type R struct{}

func (*R) Close() error { return nil }

func leakyOpen() *R { return &R{} }

func use() {
	_ = "h€llo 😀"; x := leakyOpen()
	_ = x
}
`})
	c := newClient(t, dir, clientOptions{})
	c.open("a/a.go")
	d := c.waitCount("a/a.go", 1)[0]
	// `\t_ = "h€llo 😀"; x := ` is 20 UTF-16 units (the emoji counts 2).
	want := protocol.Range{Start: protocol.Position{Line: 9, Character: 22}, End: protocol.Position{Line: 9, Character: 33}}
	if d.Range != want {
		t.Fatalf("range %v, want %v", d.Range, want)
	}
	// An incremental edit after the emoji, in UTF-16 units.
	v := c.edit("a/a.go", protocol.Position{Line: 9, Character: 14}, protocol.Position{Line: 9, Character: 14}, "!")
	d = c.waitVersion("a/a.go", v, 1)[0]
	if d.Range.Start.Character != 23 {
		t.Fatalf("after edit: %v", d.Range)
	}
	if !strings.Contains(c.text("a/a.go"), `"h€llo 😀!"`) {
		t.Fatalf("client text wrong: %s", c.text("a/a.go"))
	}
	actions := c.codeActions("a/a.go", d.Range, []protocol.Diagnostic{d}, protocol.QuickFix)
	if len(actions) != 1 {
		t.Fatalf("actions: %s", dump(actions))
	}
	c.applyEdit(actions[0].Edit)
	if !strings.Contains(c.text("a/a.go"), "x := leakyOpen()\n\tdefer x.Close()") {
		t.Fatalf("fix misplaced:\n%s", c.text("a/a.go"))
	}
	c.waitCount("a/a.go", 0)
	c.shutdown()
}

func TestSyntaxAndTypeErrors(t *testing.T) {
	dir := writeModule(t, map[string]string{"go.mod": goMod, "a/a.go": aGo, "a/broken.go": `package a

func ok() {
	w := leakyOpen()
	_ = w
}

func broken() {
	v := undefinedThing(
}
`})
	c := newClient(t, dir, clientOptions{})
	c.waitCount("a/a.go", 1)
	c.waitCount("a/broken.go", 1)
	c.shutdown()
}

func TestBrokenGoModAndRecovery(t *testing.T) {
	dir := writeModule(t, map[string]string{"go.mod": "module example.com/m\n\ngo 1.22\nrequire (\n", "a/a.go": aGo})
	c := newClient(t, dir, clientOptions{dynamicWatches: true})
	m := c.waitShown("go.mod")
	if m.Type != protocol.MessageTypeError {
		t.Errorf("message type %v", m.Type)
	}
	if strings.Contains(m.Message, "exit status") || strings.Contains(m.Message, "stderr:") || strings.Contains(m.Message, "go list") {
		t.Errorf("the message shows the loader's internals: %q", m.Message)
	}
	c.mu.Lock()
	regs := len(c.registers)
	c.mu.Unlock()
	if regs != 1 {
		t.Errorf("expected one dynamic watcher registration, got %d", regs)
	}
	if err := os.WriteFile(c.path("go.mod"), []byte(goMod), 0o644); err != nil {
		t.Fatal(err)
	}
	c.notify(protocol.MethodWorkspaceDidChangeWatchedFiles, &protocol.DidChangeWatchedFilesParams{Changes: []*protocol.FileEvent{{URI: c.uri("go.mod"), Type: protocol.FileChangeTypeChanged}}})
	c.waitCount("a/a.go", 1)
	c.mu.Lock()
	n := 0
	for _, s := range c.shown {
		if strings.Contains(s.Message, "go.mod") {
			n++
		}
	}
	c.mu.Unlock()
	if n != 1 {
		t.Errorf("go.mod message shown %d times, want once", n)
	}
	c.shutdown()
}

func TestNotAModule(t *testing.T) {
	dir := writeModule(t, map[string]string{"x.go": "package x\n"})
	c := newClient(t, dir, clientOptions{})
	m := c.waitShown("not inside a Go module")
	if m.Type != protocol.MessageTypeWarning {
		t.Errorf("type %v", m.Type)
	}
	// The server keeps serving.
	actions := c.codeActions("x.go", protocol.Range{}, nil)
	if len(actions) != 0 {
		t.Errorf("actions: %s", dump(actions))
	}
	c.shutdown()
}

func TestFilesCreatedAndDeletedOnDisk(t *testing.T) {
	c := newClient(t, baseModule(t), clientOptions{})
	c.waitCount("a/a.go", 1)
	if err := os.MkdirAll(c.path("c"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(c.path("c/c.go"), []byte("package c\n\nimport \"example.com/m/a\"\n\nfunc G() {\n\tq := a.Open()\n\t_ = q\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c.notify(protocol.MethodWorkspaceDidChangeWatchedFiles, &protocol.DidChangeWatchedFilesParams{Changes: []*protocol.FileEvent{{URI: c.uri("c/c.go"), Type: protocol.FileChangeTypeCreated}}})
	c.waitCount("c/c.go", 1)
	if err := os.Remove(c.path("c/c.go")); err != nil {
		t.Fatal(err)
	}
	c.notify(protocol.MethodWorkspaceDidChangeWatchedFiles, &protocol.DidChangeWatchedFilesParams{Changes: []*protocol.FileEvent{{URI: c.uri("c/c.go"), Type: protocol.FileChangeTypeDeleted}}})
	c.waitCount("c/c.go", 0)
	c.waitCount("a/a.go", 1)
	c.shutdown()
}

func TestAnalyzerPanicIsConfined(t *testing.T) {
	dir := writeModule(t, map[string]string{"go.mod": goMod, "a/a.go": aGo, "boom/boom.go": "package boom\n\nfunc B() {}\n"})
	c := newClient(t, dir, clientOptions{})
	c.waitCount("a/a.go", 1)
	c.waitLog("panicked")
	// The server keeps serving.
	c.open("a/a.go")
	d := c.waitVersion("a/a.go", 1, 1)
	if len(c.codeActions("a/a.go", d[0].Range, d, protocol.QuickFix)) != 1 {
		t.Fatal("no quick fix after a panic elsewhere")
	}
	c.shutdown()
}

func TestMissingGoCommand(t *testing.T) {
	dir := baseModule(t)
	t.Setenv("PATH", t.TempDir()) // no go command anywhere on PATH
	c := newClient(t, dir, clientOptions{})
	m := c.waitShown("go command was not found")
	if m.Type != protocol.MessageTypeError && m.Type != protocol.MessageTypeWarning {
		t.Errorf("message type %v, want an error or a warning", m.Type)
	}
	// The server keeps serving requests.
	actions := c.codeActions("a/a.go", protocol.Range{}, nil)
	if len(actions) != 0 {
		t.Errorf("actions without packages: %s", dump(actions))
	}
	c.shutdown()
}
