// Package lspfix maps suggested fixes (byte-offset edits computed by the
// analyzers) to LSP code actions: positions in UTF-16 code units, edits
// grouped per document with the document version they apply to.
package lspfix

import (
	"fmt"
	"sort"
	"unicode/utf8"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// Mapper converts between byte offsets and LSP positions (line, UTF-16
// column) for one version of a document.
type Mapper struct {
	content []byte
	lines   []int // byte offset of the start of each line
}

// NewMapper returns a Mapper for content.
func NewMapper(content []byte) *Mapper {
	lines := []int{0}
	for i, b := range content {
		if b == '\n' {
			lines = append(lines, i+1)
		}
	}
	return &Mapper{content: content, lines: lines}
}

// Content returns the mapped text.
func (m *Mapper) Content() []byte { return m.content }

// Position returns the position of a byte offset. Offsets out of range
// are clamped; an offset inside a multi-byte character maps to its start.
func (m *Mapper) Position(offset int) protocol.Position {
	offset = max(0, min(offset, len(m.content)))
	line := sort.Search(len(m.lines), func(i int) bool { return m.lines[i] > offset }) - 1
	col := 0
	for i := m.lines[line]; i < offset; {
		r, size := utf8.DecodeRune(m.content[i:])
		if i+size > offset {
			break
		}
		if r >= 0x10000 {
			col += 2
		} else {
			col++
		}
		i += size
	}
	return protocol.Position{Line: uint32(line), Character: uint32(col)}
}

// Range returns the range of the byte span [start, end).
func (m *Mapper) Range(start, end int) protocol.Range {
	return protocol.Range{Start: m.Position(start), End: m.Position(end)}
}

// Offset returns the byte offset of a position. A character past the end
// of its line maps to the end of the line (as LSP requires); a line past
// the end of the document is an error.
func (m *Mapper) Offset(p protocol.Position) (int, error) {
	line := int(p.Line)
	if line >= len(m.lines) {
		if line == len(m.lines) && p.Character == 0 {
			return len(m.content), nil
		}
		return 0, fmt.Errorf("line %d is beyond the end of the document (%d lines)", line+1, len(m.lines))
	}
	end := len(m.content)
	if line+1 < len(m.lines) {
		end = m.lines[line+1] - 1 // the newline
		if end > m.lines[line] && m.content[end-1] == '\r' {
			end--
		}
	}
	col := 0
	i := m.lines[line]
	for i < end && col < int(p.Character) {
		r, size := utf8.DecodeRune(m.content[i:])
		if r >= 0x10000 {
			col += 2
		} else {
			col++
		}
		i += size
	}
	return i, nil
}

// Edit replaces the bytes [Start, End) of the file at Path.
type Edit struct {
	Path       string
	Start, End int
	NewText    string
}

// Document is a version of a document the edits apply to.
type Document struct {
	URI     protocol.DocumentURI
	Version int32 // 0 for a file that is not open
	Mapper  *Mapper
}

// Documents finds the document version for a path.
type Documents func(path string) (Document, bool)

// WorkspaceEdit converts edits to a WorkspaceEdit: documentChanges with
// versions when the client supports them, changes otherwise.
func WorkspaceEdit(edits []Edit, docs Documents, documentChanges bool) (*protocol.WorkspaceEdit, error) {
	byPath := map[string][]Edit{}
	var paths []string
	for _, e := range edits {
		if _, ok := byPath[e.Path]; !ok {
			paths = append(paths, e.Path)
		}
		byPath[e.Path] = append(byPath[e.Path], e)
	}
	sort.Strings(paths)
	we := &protocol.WorkspaceEdit{}
	for _, p := range paths {
		doc, ok := docs(p)
		if !ok {
			return nil, fmt.Errorf("no document for %s", p)
		}
		es := byPath[p]
		sort.SliceStable(es, func(i, j int) bool { return es[i].Start < es[j].Start })
		var tes []protocol.TextEdit
		for _, e := range es {
			tes = append(tes, protocol.TextEdit{Range: doc.Mapper.Range(e.Start, e.End), NewText: e.NewText})
		}
		if documentChanges {
			id := protocol.OptionalVersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: doc.URI}}
			if doc.Version > 0 {
				v := doc.Version
				id.Version = &v
			}
			we.DocumentChanges = append(we.DocumentChanges, protocol.TextDocumentEdit{TextDocument: id, Edits: tes})
		} else {
			if we.Changes == nil {
				we.Changes = map[uri.URI][]protocol.TextEdit{}
			}
			we.Changes[doc.URI] = tes
		}
	}
	return we, nil
}
