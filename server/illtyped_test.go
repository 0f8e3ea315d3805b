package server_test

import (
	"slices"
	"strings"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/lifecycle-lsp/lifecycle-lsp/server"
)

const typingGo = `package a

import "os"

func f() {
	
}

func h() {
	f()
	x, _ := os.Open("y")
	_ = x
}
`

// noPanicLogged fails when the server logged a recovered panic.
func (c *client) noPanicLogged() {
	c.t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, l := range c.logs {
		if strings.Contains(l, "panic") {
			c.t.Fatalf("the server logged a panic: %.300s", l)
		}
	}
}

// leakLines returns the lines of the leak diagnostics.
func leakLines(ds []protocol.Diagnostic) []uint32 {
	var out []uint32
	for _, d := range ds {
		if d.Code == "leak" {
			out = append(out, d.Range.Start.Line)
		}
	}
	return out
}

// TestTypingKeepsOtherFindings types a call one key at a time in one
// function: the finding in the next function stays published at every
// version, and nothing panics.
func TestTypingKeepsOtherFindings(t *testing.T) {
	dir := writeModule(t, map[string]string{"go.mod": goMod, "a/a.go": typingGo})
	c := newClientWith(t, dir, server.Options{})
	c.open("a/a.go")
	c.waitVersion("a/a.go", 1, 1)
	line := uint32(strings.Count(typingGo[:strings.Index(typingGo, "x, _")], "\n"))
	typed := "g, err2 := os.Open("
	for i, r := range typed {
		pos := protocol.Position{Line: 5, Character: uint32(1 + i)}
		v := c.edit("a/a.go", pos, pos, string(r))
		got := c.waitDiags("a/a.go", "the version's diagnostics", func(p protocol.PublishDiagnosticsParams) bool {
			return p.Version == uint32(v)
		})
		if ll := leakLines(got.Diagnostics); len(ll) != 1 || ll[0] != line {
			t.Fatalf("after typing %q: leak findings on lines %v, want [%d]", typed[:i+1], ll, line)
		}
	}
	c.noPanicLogged()
	c.waitLog("not analysing func f")
	c.shutdown()
}

// TestTypingKeepsOwnFindings types two statements one key at a time inside
// the function that has a finding, before it: while the function does not
// parse or type-check, its finding stays on screen (moved by the edits)
// instead of vanishing until the code is whole again; once it is
// well-formed it is analysed afresh and the leak typed in is reported too.
func TestTypingKeepsOwnFindings(t *testing.T) {
	dir := writeModule(t, map[string]string{"go.mod": goMod, "a/a.go": typingGo})
	c := newClientWith(t, dir, server.Options{})
	c.open("a/a.go")
	c.waitVersion("a/a.go", 1, 1)
	typed := "\tg, err2 := os.Open(\"z\")\n\t_, _ = g, err2\n"
	whole := protocol.Range{End: protocol.Position{Line: 100}}
	var v int32
	for i, r := range typed {
		// Type at the start of the line of h's finding.
		before := typed[:i]
		pos := protocol.Position{Line: uint32(10 + strings.Count(before, "\n")), Character: uint32(len(before) - strings.LastIndex(before, "\n") - 1)}
		v = c.edit("a/a.go", pos, pos, string(r))
		// The publication for the new version carries over what the
		// analysis of the previous one published.
		got := c.waitDiags("a/a.go", "the version's diagnostics", func(p protocol.PublishDiagnosticsParams) bool {
			return p.Version == uint32(v)
		})
		want := uint32(10 + strings.Count(typed[:i+1], "\n"))
		if !slices.Contains(leakLines(got.Diagnostics), want) {
			t.Fatalf("after typing %q: leak findings on lines %v, want one on %d", typed[:i+1], leakLines(got.Diagnostics), want)
		}
		c.codeActions("a/a.go", whole, nil) // waits for the analysis of v
	}
	got := c.waitVersion("a/a.go", v, 2)
	if ll := leakLines(got); !slices.Equal(ll, []uint32{10, 12}) {
		t.Fatalf("once h is well-formed: leak findings on lines %v, want [10 12]", ll)
	}
	c.noPanicLogged()
	c.shutdown()
}

// TestCgoPackageIsAnalysed: every function of a cgo package is analysed,
// those that use C too (their references to C resolve against the
// declarations cmd/cgo generates), without a panic.
func TestCgoPackageIsAnalysed(t *testing.T) {
	src := `package cg

/*
static int twice(int x) { return 2*x; }
*/
import "C"

import "os"

func Twice(x int) int { return int(C.twice(C.int(x))) }

func Leak() {
	f, _ := os.Open("x")
	_ = f
}

func LeakUsingC() int {
	g, _ := os.Open("y")
	_ = g
	return int(C.twice(1))
}
`
	dir := writeModule(t, map[string]string{"go.mod": goMod, "cg/cg.go": src})
	c := newClient(t, dir, clientOptions{
		build:       func() server.Options { return server.Options{} },
		initOptions: map[string]any{"env": map[string]string{"CGO_ENABLED": "1"}},
	})
	c.open("cg/cg.go")
	got := c.waitVersion("cg/cg.go", 1, 2)
	if ll := leakLines(got); !slices.Equal(ll, []uint32{12, 17}) {
		t.Fatalf("leak findings on lines %v, want [12 17]", ll)
	}
	// A C name cmd/cgo cannot resolve (one being typed): the functions
	// that use the others keep their findings.
	end := protocol.Position{Line: 21, Character: 0}
	v := c.edit("cg/cg.go", end, end, "\nfunc Typing() { C.twi() }\n")
	// The log line comes with the analysis of the edited text.
	c.waitLog("functions that use C may not be analysed")
	got2 := c.waitVersion("cg/cg.go", int32(v), 2)
	if ll := leakLines(got2); !slices.Equal(ll, []uint32{12, 17}) {
		t.Fatalf("after an unresolvable C name: leak findings on lines %v, want [12 17]", ll)
	}
	c.noPanicLogged()
	c.shutdown()
}

// TestUnresolvedImport: a package importing what cannot be loaded still
// gets the findings of the functions that do not use it, and the user is
// told once why the others are not analysed.
func TestUnresolvedImport(t *testing.T) {
	src := `package a

import (
	"os"

	"example.com/nope"
)

func g() { nope.Do() }

func h() {
	f, _ := os.Open("x")
	_ = f
}
`
	dir := writeModule(t, map[string]string{"go.mod": goMod, "a/a.go": src})
	c := newClientWith(t, dir, server.Options{})
	c.open("a/a.go")
	got := c.waitVersion("a/a.go", 1, 1)
	if ll := leakLines(got); len(ll) != 1 || ll[0] != 11 {
		t.Fatalf("leak findings on lines %v, want [11]", ll)
	}
	msg := c.waitShown("example.com/nope")
	if !strings.Contains(msg.Message, "not analysed") {
		t.Errorf("message does not say what is not analysed: %q", msg.Message)
	}
	c.noPanicLogged()
	c.shutdown()
}
