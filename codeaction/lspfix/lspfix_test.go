package lspfix

import (
	"testing"

	"go.lsp.dev/protocol"
)

func TestMapperUTF16(t *testing.T) {
	text := "ab\n\té😀x\r\nlast"
	m := NewMapper([]byte(text))
	for _, tc := range []struct {
		off  int
		line uint32
		col  uint32
	}{
		{0, 0, 0}, {2, 0, 2}, {3, 1, 0}, {4, 1, 1}, {6, 1, 2}, {10, 1, 4}, {11, 1, 5}, {len(text), 2, 4},
	} {
		p := m.Position(tc.off)
		if p.Line != tc.line || p.Character != tc.col {
			t.Errorf("Position(%d) = %d:%d, want %d:%d", tc.off, p.Line, p.Character, tc.line, tc.col)
		}
		back, err := m.Offset(p)
		if err != nil || back != tc.off {
			t.Errorf("Offset(%v) = %d, %v; want %d", p, back, err, tc.off)
		}
	}
	// Past the end of a line: the end of the line (before \r\n).
	if off, _ := m.Offset(protocol.Position{Line: 1, Character: 99}); off != 11 {
		t.Errorf("clamped offset %d, want 11", off)
	}
	if _, err := m.Offset(protocol.Position{Line: 9}); err == nil {
		t.Error("no error for a line past the end")
	}
}

func TestWorkspaceEdit(t *testing.T) {
	m := NewMapper([]byte("x😀y\n"))
	docs := func(p string) (Document, bool) {
		return Document{URI: "file:///f.go", Version: 7, Mapper: m}, p == "/f.go"
	}
	we, err := WorkspaceEdit([]Edit{{Path: "/f.go", Start: 5, End: 6, NewText: "z"}}, docs, true)
	if err != nil {
		t.Fatal(err)
	}
	dc := we.DocumentChanges[0]
	if *dc.TextDocument.Version != 7 || dc.Edits[0].Range.Start.Character != 3 || dc.Edits[0].Range.End.Character != 4 {
		t.Fatalf("edit %+v", dc)
	}
	we, err = WorkspaceEdit([]Edit{{Path: "/f.go", Start: 0, End: 0, NewText: "z"}}, docs, false)
	if err != nil || len(we.Changes["file:///f.go"]) != 1 || we.DocumentChanges != nil {
		t.Fatalf("changes form: %+v %v", we, err)
	}
	if _, err := WorkspaceEdit([]Edit{{Path: "/other.go"}}, docs, true); err == nil {
		t.Fatal("no error for an unknown document")
	}
}
