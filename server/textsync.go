package server

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"go.lsp.dev/protocol"

	"github.com/lifecycle-lsp/lifecycle-lsp/codeaction/lspfix"
)

// didChangeParams is DidChangeTextDocumentParams with an optional range,
// so a full-content change (no range) is told apart from an edit at 0:0,
// and with pointer elements, so a null change is told apart from an empty
// full-content change.
type didChangeParams struct {
	TextDocument   protocol.VersionedTextDocumentIdentifier `json:"textDocument"`
	ContentChanges []*contentChange                         `json:"contentChanges"`
}

type contentChange struct {
	Range *protocol.Range `json:"range,omitempty"`
	Text  string          `json:"text"`
}

func (s *Server) didOpen(p *protocol.DidOpenTextDocumentParams) {
	path := uriToPath(p.TextDocument.URI)
	if path == "" {
		s.logf("didOpen: ignored a document with the invalid URI %q", p.TextDocument.URI)
		return
	}
	s.sched.cancel()
	s.resynced(path)
	s.session.SetOverlay(path, p.TextDocument.Version, []byte(p.TextDocument.Text))
	s.sched.kick([]string{path}, s.currentSettings().Delay())
}

func (s *Server) didChange(p *didChangeParams) {
	path := uriToPath(p.TextDocument.URI)
	if path == "" {
		s.logf("didChange: ignored a change to the invalid URI %q", p.TextDocument.URI)
		return
	}
	f, ok := s.session.Overlay(path)
	if !ok {
		s.logf("didChange for %s, which is not open", path)
		return
	}
	content := f.Content
	before := f.Content
	var spans []editSpan
	changes := p.ContentChanges
	if s.isDesynced(path) {
		// The buffer is unknown: only a full-content change tells it.
		full := -1
		for i, c := range changes {
			if c != nil && c.Range == nil {
				full = i
			}
		}
		if full < 0 {
			s.desync(path, p.TextDocument.Version, nil)
			return
		}
		changes = changes[full:]
	}
	for _, c := range changes {
		if c == nil {
			s.desync(path, p.TextDocument.Version, errors.New("a content change is null"))
			return
		}
		if c.Range == nil {
			next := []byte(c.Text)
			spans = append(spans, diffSpan(content, next))
			content = next
			continue
		}
		next, span, err := applyChange(content, *c.Range, c.Text)
		if err != nil {
			s.desync(path, p.TextDocument.Version, err)
			return
		}
		spans = append(spans, span)
		content = next
	}
	// Cancel work on the old version at once; analysis restarts after the
	// debounce delay. Meanwhile the diagnostics the edit did not touch
	// are carried over to the new version, and those it touched cleared.
	s.sched.cancel()
	_, wasDesynced := s.resynced(path)
	s.session.SetOverlay(path, p.TextDocument.Version, content)
	if !wasDesynced {
		s.sched.interim(func() { s.diags.afterEdit(path, before, p.TextDocument.Version, content, spans) })
	}
	s.sched.kick([]string{path}, s.currentSettings().Delay())
}

// desync records that the server no longer knows the content of the open
// document path (a change could not be applied, so the changes after it
// cannot be either). Its diagnostics are withdrawn until the buffer is
// known again: on a full-content change, or on save, from disk. err is
// nil for the changes that follow the first rejected one.
func (s *Server) desync(path string, version int32, err error) {
	s.mu.Lock()
	_, already := s.desynced[path]
	s.desynced[path] = version
	s.mu.Unlock()
	if already {
		return
	}
	s.logf("didChange for %s (version %d) rejected: %v; changes are ignored until the document is saved", path, version, err)
	_ = s.client.ShowMessage(context.Background(), &protocol.ShowMessageParams{Type: protocol.MessageTypeWarning,
		Message: fmt.Sprintf("lifecycle-lsp: lost track of the contents of %s (%v); its diagnostics are paused until you save it", filepath.Base(path), err)})
	s.sched.cancel()
	s.sched.kick([]string{path}, 0)
}

// isDesynced reports whether the content of path is unknown.
func (s *Server) isDesynced(path string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.desynced[path]
	return ok
}

// resynced records that the content of path is known again and returns
// the version of the last change received while it was not.
func (s *Server) resynced(path string) (int32, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.desynced[path]
	delete(s.desynced, path)
	return v, ok
}

// applyChange applies one incremental change (UTF-16 range) to content,
// returning the new content and the bytes the change replaced.
func applyChange(content []byte, r protocol.Range, text string) ([]byte, editSpan, error) {
	m := lspfix.NewMapper(content)
	start, err := m.Offset(r.Start)
	if err != nil {
		return nil, editSpan{}, fmt.Errorf("change start: %w", err)
	}
	end, err := m.Offset(r.End)
	if err != nil {
		return nil, editSpan{}, fmt.Errorf("change end: %w", err)
	}
	if end < start {
		return nil, editSpan{}, fmt.Errorf("change range %v is reversed", r)
	}
	out := make([]byte, 0, len(content)-(end-start)+len(text))
	out = append(out, content[:start]...)
	out = append(out, text...)
	return append(out, content[end:]...), editSpan{start: start, end: end, n: len(text)}, nil
}

func (s *Server) didSave(p *protocol.DidSaveTextDocumentParams) {
	path := uriToPath(p.TextDocument.URI)
	if path == "" {
		s.logf("didSave: ignored the invalid URI %q", p.TextDocument.URI)
		return
	}
	s.session.Saved(path)
	if s.isDesynced(path) {
		// The saved file is the client's buffer at its last version.
		content := []byte(p.Text)
		if p.Text == "" {
			data, err := os.ReadFile(path)
			if err != nil {
				s.logf("rebuilding %s from disk: %v", path, err)
				return
			}
			content = data
		}
		version, _ := s.resynced(path)
		s.sched.cancel()
		s.session.SetOverlay(path, version, content)
		s.logf("%s rebuilt from the saved file (version %d)", path, version)
		s.sched.kick([]string{path}, 0)
		return
	}
	s.sched.kick(nil, s.currentSettings().Delay())
}

func (s *Server) didClose(p *protocol.DidCloseTextDocumentParams) {
	path := uriToPath(p.TextDocument.URI)
	if path == "" {
		s.logf("didClose: ignored the invalid URI %q", p.TextDocument.URI)
		return
	}
	s.resynced(path)
	s.session.CloseOverlay(path)
	s.sched.kick([]string{path}, s.currentSettings().Delay())
}
