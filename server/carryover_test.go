package server_test

import (
	"strings"
	"sync"
	"testing"

	"go.lsp.dev/protocol"
	"golang.org/x/tools/go/analysis"

	"github.com/lifecycle-lsp/lifecycle-lsp/analysis/catalogue"
	"github.com/lifecycle-lsp/lifecycle-lsp/server"
)

// gate is a test hook: while held, the analysis of every package blocks
// in the gate analyzer until the test opens it, so what the server
// publishes meanwhile cannot come from an analysis of the new text.
type gate struct {
	mu      sync.Mutex
	release chan struct{} // nil when not held
	entered chan struct{}
}

func newGate(t *testing.T) *gate {
	g := &gate{entered: make(chan struct{}, 100)}
	t.Cleanup(g.open)
	return g
}

// hold makes the analyses that start from now on block.
func (g *gate) hold() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.release = make(chan struct{})
}

// open lets the held analyses finish.
func (g *gate) open() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.release != nil {
		close(g.release)
		g.release = nil
	}
}

// options returns server options whose checks are leakcheck and the gate.
func (g *gate) options() server.Options {
	gateAnalyzer := &analysis.Analyzer{
		Name: "gate",
		Doc:  "test analyzer: blocks while the test holds the gate",
		Run: func(*analysis.Pass) (any, error) {
			g.mu.Lock()
			release := g.release
			g.mu.Unlock()
			if release != nil {
				g.entered <- struct{}{}
				<-release
			}
			return nil, nil
		},
	}
	return server.Options{Build: func(catalogue.Config) ([]catalogue.Check, error) {
		return []catalogue.Check{{Analyzer: leakcheck, Default: true}, {Analyzer: gateAnalyzer, Default: true}}, nil
	}}
}

const twoLeaks = `package a

type R struct{}

func (*R) Close() error { return nil }

func leakyOpen() *R { return &R{} }

func use() {
	x := leakyOpen()
	_ = x
	y := leakyOpen()
	_ = y
}
`

func pos(line, char uint32) protocol.Position { return protocol.Position{Line: line, Character: char} }

// TestRemovalClearedBeforeAnalysis deletes the lines of one finding while
// the analysis of the new text is held: the finding is withdrawn at once,
// the other one is published moved up by two lines, and once the analysis
// runs the record it leaves is the one code actions use.
func TestRemovalClearedBeforeAnalysis(t *testing.T) {
	g := newGate(t)
	c := newClient(t, writeModule(t, map[string]string{"go.mod": goMod, "a/a.go": twoLeaks}), clientOptions{build: g.options})
	c.open("a/a.go")
	before := c.waitVersion("a/a.go", 1, 2)
	if before[0].Range.Start.Line != 9 || before[1].Range.Start.Line != 11 {
		t.Fatalf("findings at lines %d and %d, want 9 and 11", before[0].Range.Start.Line, before[1].Range.Start.Line)
	}

	g.hold()
	v := c.edit("a/a.go", pos(9, 0), pos(11, 0), "") // delete `x := leakyOpen()` and `_ = x`
	interim := c.waitVersion("a/a.go", v, 1)
	d := interim[0]
	want := before[1]
	want.Range = protocol.Range{Start: pos(9, want.Range.Start.Character), End: pos(9, want.Range.End.Character)}
	want.RelatedInformation[0].Location.Range.Start.Line = 9
	want.RelatedInformation[0].Location.Range.End.Line = 9
	if dump(d) != dump(want) {
		t.Errorf("interim diagnostic:\n got %s\nwant %s", dump(d), dump(want))
	}
	<-g.entered // the analysis of version v is under way, held by the gate
	g.open()

	// The analysed result equals the interim one; its fix is offered once
	// the analysis has run, at the moved position.
	actions := c.codeActions("a/a.go", d.Range, []protocol.Diagnostic{d}, protocol.QuickFix)
	if len(actions) != 1 || actions[0].Title != "Insert defer y.Close()" {
		t.Fatalf("code actions after the analysis: %s", dump(actions))
	}
	for _, dc := range actions[0].Edit.DocumentChanges {
		if len(dc.Edits) != 1 || dc.Edits[0].Range.Start.Line != 9 || dc.TextDocument.Version == nil || *dc.TextDocument.Version != v {
			t.Errorf("fix edit: %s", dump(dc))
		}
	}
	if got := c.waitVersion("a/a.go", v, 1); dump(got) != dump(interim) {
		t.Errorf("analysed diagnostics differ from the interim ones:\n got %s\nwant %s", dump(got), dump(interim))
	}
	c.shutdown()
}

// TestEditInsideFindingWithdrawsIt types in a comment after every
// finding, which publishes nothing before the analysis, then edits inside
// the call a finding is on, which withdraws it until the analysis reports
// it again (the code still leaks).
func TestEditInsideFindingWithdrawsIt(t *testing.T) {
	g := newGate(t)
	c := newClient(t, writeModule(t, map[string]string{"go.mod": goMod, "a/a.go": twoLeaks}), clientOptions{build: g.options})
	c.open("a/a.go")
	c.waitVersion("a/a.go", 1, 2)

	g.hold()
	v2 := c.edit("a/a.go", pos(12, 6), pos(12, 6), " // y")
	<-g.entered // the interim publication, had there been one, came before
	c.mu.Lock()
	published := c.diags[c.uri("a/a.go")].Version
	c.mu.Unlock()
	if published != 1 {
		t.Errorf("an edit after the findings published version %d before the analysis", published)
	}
	g.open()
	c.waitVersion("a/a.go", v2, 2)

	g.hold()
	v3 := c.edit("a/a.go", pos(9, 16), pos(9, 16), " ") // leakyOpen( )
	interim := c.waitVersion("a/a.go", v3, 1)
	if interim[0].Range.Start.Line != 11 {
		t.Errorf("interim: kept the finding at line %d, want the one at line 11", interim[0].Range.Start.Line)
	}
	<-g.entered
	g.open()
	got := c.waitVersion("a/a.go", v3, 2)
	if r := got[0].Range; r != (protocol.Range{Start: pos(9, 6), End: pos(9, 18)}) {
		t.Errorf("finding reported again at %v", r)
	}
	c.shutdown()
}

// TestFullContentChangeWithdrawsRemovedFinding sends the new text whole
// (no range), as some clients do: the finding whose lines are gone is
// withdrawn before the analysis, the other one moved.
func TestFullContentChangeWithdrawsRemovedFinding(t *testing.T) {
	g := newGate(t)
	c := newClient(t, writeModule(t, map[string]string{"go.mod": goMod, "a/a.go": twoLeaks}), clientOptions{build: g.options})
	c.open("a/a.go")
	c.waitVersion("a/a.go", 1, 2)

	g.hold()
	text := strings.Replace(twoLeaks, "\tx := leakyOpen()\n\t_ = x\n", "", 1)
	c.notify(protocol.MethodTextDocumentDidChange, map[string]any{
		"textDocument":   map[string]any{"uri": c.uri("a/a.go"), "version": 2},
		"contentChanges": []any{map[string]any{"text": text}},
	})
	interim := c.waitVersion("a/a.go", 2, 1)
	if interim[0].Message != "y is never closed" || interim[0].Range.Start.Line != 9 {
		t.Errorf("interim: %s", dump(interim))
	}
	<-g.entered
	g.open()
	c.shutdown()
}
