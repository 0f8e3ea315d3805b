package server

import (
	"fmt"

	"go.lsp.dev/protocol"

	"github.com/lifecycle-lsp/lifecycle-lsp/codeaction/lspfix"
)

// didChangeParams is DidChangeTextDocumentParams with an optional range,
// so a full-content change (no range) is told apart from an edit at 0:0.
type didChangeParams struct {
	TextDocument   protocol.VersionedTextDocumentIdentifier `json:"textDocument"`
	ContentChanges []struct {
		Range *protocol.Range `json:"range,omitempty"`
		Text  string          `json:"text"`
	} `json:"contentChanges"`
}

func (s *Server) didOpen(p *protocol.DidOpenTextDocumentParams) {
	path := uriToPath(p.TextDocument.URI)
	if path == "" {
		return
	}
	s.sched.cancel()
	s.session.SetOverlay(path, p.TextDocument.Version, []byte(p.TextDocument.Text))
	s.sched.kick([]string{path}, s.currentSettings().Delay())
}

func (s *Server) didChange(p *didChangeParams) {
	path := uriToPath(p.TextDocument.URI)
	if path == "" {
		return
	}
	f, ok := s.session.Overlay(path)
	if !ok {
		s.logf("didChange for %s, which is not open", path)
		return
	}
	content := f.Content
	for _, c := range p.ContentChanges {
		if c.Range == nil {
			content = []byte(c.Text)
			continue
		}
		next, err := applyChange(content, *c.Range, c.Text)
		if err != nil {
			s.logf("didChange for %s (version %d): %v; the buffer is now out of sync", path, p.TextDocument.Version, err)
			return
		}
		content = next
	}
	// Cancel work on the old version at once; analysis restarts after the
	// debounce delay.
	s.sched.cancel()
	s.session.SetOverlay(path, p.TextDocument.Version, content)
	s.sched.kick([]string{path}, s.currentSettings().Delay())
}

// applyChange applies one incremental change (UTF-16 range) to content.
func applyChange(content []byte, r protocol.Range, text string) ([]byte, error) {
	m := lspfix.NewMapper(content)
	start, err := m.Offset(r.Start)
	if err != nil {
		return nil, fmt.Errorf("change start: %w", err)
	}
	end, err := m.Offset(r.End)
	if err != nil {
		return nil, fmt.Errorf("change end: %w", err)
	}
	if end < start {
		return nil, fmt.Errorf("change range %v is reversed", r)
	}
	out := make([]byte, 0, len(content)-(end-start)+len(text))
	out = append(out, content[:start]...)
	out = append(out, text...)
	return append(out, content[end:]...), nil
}

func (s *Server) didSave(p *protocol.DidSaveTextDocumentParams) {
	path := uriToPath(p.TextDocument.URI)
	s.session.Saved(path)
	s.sched.kick(nil, s.currentSettings().Delay())
}

func (s *Server) didClose(p *protocol.DidCloseTextDocumentParams) {
	path := uriToPath(p.TextDocument.URI)
	s.session.CloseOverlay(path)
	s.sched.kick([]string{path}, s.currentSettings().Delay())
}
